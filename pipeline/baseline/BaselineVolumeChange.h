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
  /** Where MeasureSymmetricVolumeChangeSinceBaseline measured both directions (empty otherwise), each one's reading as
   * (now / baseline - 1) x 100: forward with the follow-up fixed, backward with the baseline fixed; changePct is
   * then their geometric mean. */
  std::map<std::string, double> forwardPct;
  std::map<std::string, double> backwardPct;
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

/** \brief One scan of the pair as MeasureSymmetricVolumeChangeSinceBaseline uses it: its reference image with the
 * structure labels and brain mask on that image's grid. */
struct VolumeChangeScan
{
  const filters::FloatImage * image = nullptr;
  const filters::ByteLabelImage * labels = nullptr;
  const filters::ByteLabelImage * brainMask = nullptr;
};

/** \brief The volume change since baseline measured both ways and combined, so that neither scan is privileged: a
 * one-way deformable registration reads a change with a bias whose sign depends on which scan is fixed (Yushkevich
 * et al. 2010, NeuroImage 50:434; Reuter & Fischl 2011, NeuroImage 57:19). Forward: MeasureVolumeChangeSinceBaseline
 * with the follow-up fixed (`followup.image` with its lesions filled, `lesions` the unfilled ones, `filledLesions`
 * the filled ones, all on the follow-up grid) and the baseline moving through `followupToBaseline`. Backward: the
 * same function with the baseline fixed (`baseline.image` with its own labels and brain mask) and the filled
 * follow-up moving through `baselineToFollowup`, the unfilled lesions mapped onto the baseline grid and left out of
 * that metric too. Null maps are the identity. A structure measured both ways gets 100 x (sqrt(r_f x r_b) - 1), r_f
 * and r_b the two readings of now / baseline; one measured only forward keeps that reading. Seen fractions are the
 * forward ones. The two directions run at the same time when ITK's global default allows more than one thread (the
 * run's --threads), else one after the other; each is deterministic on its own, so the result is the same either
 * way. Without the baseline's labels or brain mask only the forward direction is measured. InputError as
 * MeasureVolumeChangeSinceBaseline. */
VolumeChangeSinceBaseline MeasureSymmetricVolumeChangeSinceBaseline(
  const VolumeChangeScan & followup,
  const VolumeChangeScan & baseline,
  const itk::Transform<double, 3, 3> * followupToBaseline,
  const itk::Transform<double, 3, 3> * baselineToFollowup,
  const filters::ByteLabelImage * lesions = nullptr,
  const filters::ByteLabelImage * filledLesions = nullptr,
  const BaselineVolumeChangeParams & params = {});

} // namespace icanscan::pipeline
