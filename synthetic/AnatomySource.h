#pragma once

#include "pipeline/geometry/AtlasLoader.h"
#include "synthetic/AnatomyDescriptor.h"
#include "synthetic/PhantomDeformation.h"

#include <array>
#include <string>
#include <vector>

namespace icanscan::synthetic
{

/** \brief What a voxel outside the brain mask is (inside it, the brain fractions say). */
enum class HeadTissue : unsigned char
{
  Air = 0,
  Brain = 1,
  ExternalCsf = 2, //!< subarachnoid CSF between the brain and the skull
  Fat = 3,         //!< bright on T1: scalp, orbit, marrow
  Muscle = 4,      //!< everything in between: muscle, soft tissue, eyes
  Bone = 5,        //!< cortical bone of the skull (dark on every sequence)
};

/** \brief The anatomy a phantom subject is made from, on one 1 mm grid (ITK LPS, MNI-like mm).
 *
 * Two kinds: the program's own atlas (Colin27, `--anatomy colin27`, the default) or an anatomy descriptor
 * (AnatomyDescriptor). The images are read-only templates: BuildPhantomAnatomy copies what it changes. */
struct AnatomySource
{
  std::string name;                //!< "colin27" or the descriptor's name
  std::string descriptorFile;      //!< empty for colin27
  LabelImage::Pointer labels;      //!< pipeline::Structure values
  LabelImage::Pointer brainMask;   //!< 1 in the brain
  LabelImage::Pointer head;        //!< HeadTissue; null: synthesise a skull and scalp shell (HeadShell)
  LabelImage::Pointer brainstem;   //!< 1 in the brainstem, or null (the basal cisterns then use a box only)
  FloatImage::Pointer csf, gm, wm; //!< brain partial-volume fractions (sum 1 in the brain, 0 outside)
  /** Structures whose labels come from the JHU atlas the program uses itself (not independent truth). */
  std::array<bool, pipeline::kStructureCount + 1> fromJhu{};
  std::vector<std::string> notes; //!< what was read, measured or corrected while loading, one sentence each
};

/** \brief The program's atlas as a phantom anatomy (today's phantoms): fractions from ch2bet's intensity between the
 * tissue class means (CSF-GM, GM-WM mixtures), head tissues from ch2's intensity outside the brain, the atlas's own
 * structure labels (AAL; JHU for callosum and external capsules; white matter and ventricles from its tissue
 * classes). */
AnatomySource ColinAnatomySource(const pipeline::Atlas & atlas);

/** \brief An anatomy from a descriptor:
 * - brain fractions: the tissue class of each voxel is its dominant compartment (at least 0.5); the T1 intensity
 *   between the class levels (CSF: 5th percentile of the CSF class, GM and WM: class medians) says how much of
 *   the neighbouring compartment it holds; inside deep grey labels the intensity alone decides (FAST often calls
 *   thalamus white matter);
 * - structures from the label tables, in the program's precedence (deep grey > corpus callosum > external capsule >
 *   ventricles > white matter); white matter and callosum keep only voxels whose white-matter fraction is at least
 *   0.5, ventricles only CSF-dominant voxels, external capsules white or grey;
 * - every left/right pair is checked by its centroid (left: larger LPS x), and every structure must have voxels.
 * Throws InputError naming the file: unreadable (exit code 5), grids that differ, a label value that is absent, a
 * pair on the wrong sides, an empty brain mask. */
AnatomySource LoadAnatomySource(const AnatomyDescriptor & descriptor);

} // namespace icanscan::synthetic
