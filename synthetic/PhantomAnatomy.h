#pragma once

#include "pipeline/geometry/AtlasLoader.h"
#include "pipeline/geometry/StructureLabels.h"
#include "synthetic/PhantomCase.h"
#include "synthetic/PhantomDeformation.h"

#include <string>
#include <vector>

namespace icanscan::synthetic
{

/** \brief What a voxel outside the brain mask is (inside it, the brain fractions say). */
enum class HeadTissue : unsigned char
{
  Air = 0,
  Brain = 1,
  ExternalCsf = 2, //!< dark on T1 within 4 mm of the brain
  Fat = 3,         //!< bright on T1: scalp, orbit, marrow
  Muscle = 4,      //!< everything in between: muscle, soft tissue, eyes
  Bone = 5,        //!< dark on T1 farther from the brain
};

/** \brief Parameters of BuildPhantomAnatomy. */
struct PhantomAnatomyParams
{
  unsigned seed = 1;               //!< the anatomy's random stream (warp, focal lesion position); case-independent
  double warpMaximumMm = 0.0;      //!< largest displacement of the random warp over the brain; 0: uniform in [3, 6]
  double warpCorrelationMm = 15.0; //!< Gaussian smoothing (std, mm) of the warp's white noise
  double warpSpacingMm = 2.0;      //!< grid of the warp field
};

/** \brief One subject's anatomy: the atlas with the case's pathology applied, on the atlas grid, and the random warp
 * that makes the subject differ from the atlas.
 *
 * The subject is the atlas seen through `warp`: a subject point x shows the (pathological) atlas at warp.Map(x).
 * Pathology (swelling, diffuse oedema, lesions) is applied on the atlas grid first, so two cases with one seed share
 * the warp and differ only by their pathology. */
struct PhantomAnatomy
{
  LabelImage::Pointer labels;                     //!< pipeline::Structure values after pathology
  LabelImage::Pointer head;                       //!< HeadTissue
  FloatImage::Pointer csf, gm, wm;                //!< brain partial-volume fractions (sum 1 in the brain, 0 outside)
  std::vector<FloatImage::Pointer> lesionWeights; //!< per case lesion: its signal weight in [0, 1], edges blurred 1 mm
  LabelImage::Pointer lesionT2Flair;              //!< truth: 1 in T2/FLAIR-involved lesions
  LabelImage::Pointer lesionDwi;                  //!< truth: 1 in DWI-bright lesions (restriction or shine-through)
  DisplacementField warp;                         //!< subject -> atlas
  double warpMaximumMm = 0.0;
  std::pair<double, double> warpJacobian{ 1.0, 1.0 };
  std::vector<Vec3> brainPoints; //!< a subsample of the brain, atlas mm (for planning the field of view)
  Vec3 brainCentre{};            //!< atlas mm
  std::array<double, pipeline::kStructureCount + 1> normalMl{}; //!< structure volumes of the atlas (ml)
  std::array<double, pipeline::kStructureCount + 1> caseMl{};   //!< after the pathology (ml)
  std::array<double, 2> normalVentriclesMl{}; //!< lateral ventricles of the atlas: left (LPS x >= 0), right (ml)
  std::array<double, 2> caseVentriclesMl{};   //!< after the pathology
  double midlineShiftMm = 0.0;                //!< septum displacement along LPS x (+: towards the subject's left)
  std::vector<std::string> notes;
};

/** \brief Builds the anatomy of one case from the atlas:
 * 1. brain partial-volume fractions from ch2bet's intensity between the tissue class means (CSF-GM, GM-WM mixtures),
 *    head tissues from ch2's intensity outside the brain;
 * 2. diffuse swelling (when the case has it): the ventricles lose their outer 1 mm (to white matter) and 70 % of the
 *    CSF in the cortex, the sulci and the subarachnoid space becomes grey matter;
 * 3. lesion masks from the case's structures (a focal lesion: a lobulated sphere in its structure, centred in the
 *    centrum semiovale, position and outline from the seed);
 * 4. swellings (MakeSwellingField) and the focal lesion's mass effect (MakeHemispherePush), pull-back fields applied
 *    to labels, fractions, head tissues and lesions;
 * 5. the random warp (MakeRandomWarp) from the seed.
 * Throws std::logic_error when a deformation would fold (a bug, not an input problem). */
PhantomAnatomy BuildPhantomAnatomy(const pipeline::Atlas & atlas,
                                   const PhantomCase & phantomCase,
                                   const PhantomAnatomyParams & params);

} // namespace icanscan::synthetic
