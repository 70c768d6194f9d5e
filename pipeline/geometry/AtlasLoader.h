#pragma once

#include "filters/ImageTypes.h"
#include "itkImage.h"

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Where the atlas files are (Debian package mricron-data). */
struct AtlasParams
{
  std::filesystem::path folder = "/usr/share/mricron/templates";
};

/** \brief The program's atlas: Colin27 ("ch2", 1 mm, MNI space) with icanscan structure labels on its grid.
 *
 * All images share the ch2 grid (181 x 217 x 181, 1 mm, ITK LPS geometry: LPS x > 0 is the subject's left). */
struct Atlas
{
  using ImageType = filters::FloatImage;
  using LabelImageType = filters::ByteLabelImage;

  ImageType::Pointer t1;               //!< ch2.nii.gz: T1-weighted head
  ImageType::Pointer t1Brain;          //!< ch2bet.nii.gz: the same, brain only (0 outside)
  LabelImageType::Pointer labels;      //!< pipeline::Structure values 0..14
  LabelImageType::Pointer brainMask;   //!< 1 where ch2bet > 0
  LabelImageType::Pointer tissue;      //!< 0 background, 1 CSF, 2 GM, 3 WM (k-means of ch2bet inside the brain mask)
  LabelImageType::Pointer cerebellum;  //!< 1 on AAL cerebellum and vermis (labels 91-116): not cerebrum
  std::array<double, 3> tissueMeans{}; //!< mean ch2bet intensity of CSF, GM and WM

  /** True when the JHU white-matter labels were found mirrored left-right (their header says RAS, the voxels are in
   * FSL's LAS order) and were flipped along the voxel x axis before use. */
  bool jhuLeftRightFlipped = false;
  std::vector<std::string> notes; //!< what was detected or corrected while loading, one sentence each
};

/** \brief Loads Colin27 and derives the icanscan structure labels on its grid.
 *
 * Reads ch2.nii.gz, ch2bet.nii.gz, aal.nii.gz and JHU-WhiteMatter-labels-1mm.nii.gz from params.folder:
 * - tissue: filters::ClassifyTissue (3-class k-means) of ch2bet inside ch2bet > 0;
 * - thalamus, hippocampus, basal ganglia (caudate + putamen + pallidum) from AAL, drawn on Colin27 itself;
 * - corpus callosum genu/body/splenium and external capsules from JHU (drawn on MNI152), refined on Colin27's white
 *   matter; JHU's orientation is checked on its anatomy (right external capsule on the right, genu anterior to the
 *   splenium, callosum above the pons) and a mirrored axis is flipped and noted;
 * - white matter left/right: the WM class of the cerebrum, split at MNI x = 0;
 * - lateral ventricles: the CSF components reached from seeds under the callosal body, medial to the caudates.
 * Label precedence: deep grey > corpus callosum > external capsule > ventricles > white matter (see AtlasStructures).
 *
 * Throws ConfigError naming the missing or unreadable file (install the Debian package mricron-data), or when the
 * atlases do not overlay each other. Takes a few seconds. */
Atlas LoadAtlas(const AtlasParams & params = {});

} // namespace icanscan::pipeline
