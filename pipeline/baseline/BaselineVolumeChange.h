#pragma once

#include "filters/ImageTypes.h"
#include "filters/StochasticBSplineRegistration.h"

#include "itkTransform.h"

#include <map>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Settings of the one-space volume change since baseline (fixed; not in the config file). */
struct BaselineVolumeChangeParams
{
  /** Stochastic B-spline levels after the rigid alignment, coarse to fine: 20 mm then 10 mm control points (the
   * atlas registration's fine levels; a 10 mm grid follows a swollen thalamus, about 25 mm across). */
  std::vector<filters::StochasticBSplineParams> levels{ filters::StochasticBSplineParams{ 20.0 },
                                                        filters::StochasticBSplineParams{ 10.0 } };
  unsigned stride = 3; //!< every stride-th voxel of a structure enters its mean Jacobian
};

/** \brief What MeasureVolumeChangeSinceBaseline measured, per structure key. */
struct VolumeChangeSinceBaseline
{
  std::map<std::string, double> changePct; //!< (now / baseline - 1) x 100
  /** Fraction of the structure's follow-up label outside the follow-up's lesions (left out or filled; grown 2 mm),
   * where the registration matched the tissue's own signal: where it is small, the change inside was measured on
   * filled lesions or interpolated from the surrounding tissue. */
  std::map<std::string, double> seenFraction;
};

/** \brief Per-structure volume change since baseline, measured in one space: the baseline reference is aligned rigidly
 * (`rigid`, follow-up point -> baseline point), then deformably (B-spline levels, Mattes mutual information inside the
 * follow-up brain mask, leaving out the follow-up's T2/FLAIR `lesions` grown 2 mm (may be null): their signal changed
 * since baseline, so inside them the deformation follows the surrounding tissue) to the follow-up reference; a
 * structure's change is 1 / (mean Jacobian determinant of the follow-up -> baseline map over its follow-up label) - 1,
 * in %, with the fraction of that label outside every lesion. `filledLesions` (may be null) are lesions already
 * filled in `followup` (LesionFilling.h): the metric keeps them (their boundaries drive the deformation) but they do
 * not count as seen. Both labels come from the same head, so anatomical variation between heads and the atlas's label
 * definitions drop out. Structures without voxels are left out. InputError when `labels` and `brainMask` are not on
 * one grid. */
VolumeChangeSinceBaseline MeasureVolumeChangeSinceBaseline(const filters::FloatImage * followup,
                                                           const filters::FloatImage * baseline,
                                                           const itk::Transform<double, 3, 3> * rigid,
                                                           const filters::ByteLabelImage * labels,
                                                           const filters::ByteLabelImage * brainMask,
                                                           const filters::ByteLabelImage * lesions = nullptr,
                                                           const BaselineVolumeChangeParams & params = {},
                                                           const filters::ByteLabelImage * filledLesions = nullptr);

} // namespace icanscan::pipeline
