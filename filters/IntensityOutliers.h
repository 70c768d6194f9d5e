#pragma once

#include "filters/ImageTypes.h"

namespace icanscan::filters
{

/** \brief Parameters of MaskIntensityOutliers. */
struct IntensityOutlierParams
{
  double zMax = 4.0;             //!< robust z beyond which a voxel is an outlier; [2, 20]
  unsigned bins = 32;            //!< moving-intensity bins, each with its own fixed median and MAD; [4, 256]
  unsigned minVoxelsPerBin = 50; //!< bins with fewer voxels flag nothing; [1, 1e6]
};

/** \brief Result of MaskIntensityOutliers. */
struct IntensityOutlierResult
{
  MaskImage::Pointer kept; //!< `mask` (or fixed > 0 without one) minus the outliers, on the fixed grid
  std::size_t keptVoxels = 0;
  std::size_t outlierVoxels = 0;
};

/** \brief Where the fixed image disagrees with what the (registered) moving image predicts there: for each
 * moving-intensity bin, the median and MAD of the fixed intensities it meets inside the mask; a voxel whose fixed
 * intensity lies more than zMax robust sigmas from its bin's median is an outlier (a lesion, swelling, or a remaining
 * misfit). Used to keep lesions out of the cost function of the fine atlas registration levels. `moving` is sampled
 * (trilinear) at the fixed voxel centres; `mask` must be on the fixed grid. Throws ConfigError for a bad parameter,
 * InputError for a missing image or a mask on another grid. */
IntensityOutlierResult MaskIntensityOutliers(const FloatImage * fixed,
                                             const FloatImage * moving,
                                             const MaskImage * mask,
                                             const IntensityOutlierParams & params);

void ValidateIntensityOutlierParams(const IntensityOutlierParams & params);

} // namespace icanscan::filters
