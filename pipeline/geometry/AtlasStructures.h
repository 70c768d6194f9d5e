#pragma once

#include "filters/ImageTypes.h"
#include "itkImage.h"

#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Inputs of BuildAtlasStructures, all on the ch2 grid (ITK LPS, MNI mm). */
struct AtlasStructureSources
{
  using LabelImageType = filters::ByteLabelImage;
  const LabelImageType * tissue = nullptr;        //!< 0 background, 1 CSF, 2 GM, 3 WM
  const LabelImageType * brainMask = nullptr;     //!< 1 inside ch2bet
  const LabelImageType * aal = nullptr;           //!< AAL labels 1..116
  const LabelImageType * jhu = nullptr;           //!< JHU white-matter labels 1..48, orientation already checked
  const itk::Image<float, 3> * t1Brain = nullptr; //!< T1-weighted brain the tissue classes came from
  double csfMean = 0.0;                           //!< mean T1 intensity of the CSF class
};

/** \brief Sizes of the construction, in mm (defaults as documented in the atlas method). */
struct AtlasStructureParams
{
  double callosumDilationMm = 3.0;        //!< JHU (MNI152) callosum grown before meeting Colin27's white matter
  double callosumHalfWidthMm = 20.0;      //!< callosum kept within |x| <= this of the midline
  double capsuleDilationMm = 1.5;         //!< JHU external capsule grown before meeting Colin27's white matter
  double cerebellumMarginMm = 4.0;        //!< AAL cerebellum grown by this before it is excluded from white matter
  double brainstemMarginMm = 2.0;         //!< JHU brainstem tracts grown by this before they are excluded
  double brainstemBelowThalamusMm = 5.0;  //!< medial voxels this far below the lowest thalamus voxel are brainstem
  double brainstemHalfWidthMm = 20.0;     //!< ... within |x| < this
  double ventricleSeedHalfWidthMm = 25.0; //!< ventricle seeds within |x| <= this and medial to the caudates
  double ventricleSeedBelowThalamusTopMm = 10.0; //!< seeds from the thalamus top minus this ...
  double ventricleSeedAboveThalamusTopMm = 35.0; //!< ... to the thalamus top plus this
  double ventricleDepthMm = 6.0;                 //!< ventricle core at least this far inside the brain mask
};

/** \brief The structure label map and how it was made. */
struct AtlasStructures
{
  AtlasStructureSources::LabelImageType::Pointer labels;     //!< pipeline::Structure values
  AtlasStructureSources::LabelImageType::Pointer cerebellum; //!< AAL 91-116
  std::vector<std::string> notes;
};

/** \brief Derives the 14 icanscan structures from AAL, JHU and Colin27's tissue classes.
 *
 * - Thalamus (AAL 77/78), hippocampus (37/38), basal ganglia (caudate, putamen, pallidum 71-76) as drawn.
 * - Corpus callosum: JHU 3/4/5 grown by callosumDilationMm, cut to Colin27's WM class within callosumHalfWidthMm of
 *   x = 0, largest face-connected component; each voxel takes the genu/body/splenium label of the nearest JHU
 *   callosum voxel.
 * - External capsule: JHU 33 (right) / 34 (left) grown by capsuleDilationMm, cut to the WM class.
 * - White matter left/right: WM class minus the cerebellum (AAL 91-116 grown by cerebellumMarginMm), minus the JHU
 *   brainstem tracts (1, 2, 7-16, grown by brainstemMarginMm) and minus the medial voxels (|x| < brainstemHalfWidthMm)
 *   lower than the thalamus bottom minus brainstemBelowThalamusMm; split at x = 0 (x = 0 itself goes left).
 * - Lateral ventricles: grown from seeds through the ventricle core, then given back their partial-volume rim.
 *   Seeds are core voxels medial to both caudate centroids, within ventricleSeedHalfWidthMm of the midline,
 *   between the thalamus top minus ventricleSeedBelowThalamusTopMm and plus ventricleSeedAboveThalamusTopMm, and
 *   under the midline callosum of their coronal plane (so the interhemispheric fissure above it never seeds). The
 *   core is the CSF class darker than its mean (sulcal CSF on a 1 mm average template is mostly partial volume, the
 *   ventricles are not), at least ventricleDepthMm inside the brain mask, off the midline plane (|x| > 1 mm, which
 *   keeps the third ventricle and the fissure out), out of the cerebellum and above the thalamus bottom; the
 *   face-connected core components that hold a seed are kept, then grown by one voxel into the CSF class.
 * - Precedence where sources overlap: deep grey > corpus callosum > external capsule > ventricles > white matter.
 * Throws ConfigError when a source structure is empty (the atlases are not the expected ones). */
AtlasStructures BuildAtlasStructures(const AtlasStructureSources & sources, const AtlasStructureParams & params = {});

} // namespace icanscan::pipeline
