#pragma once

#include "filters/ImageTypes.h"

#include <cstddef>

namespace icanscan::filters
{

/** \brief Which intensities of the mask are mapped to fixed values. */
enum class NormalizationMode
{
  /** out = in * targetValue / P(referencePercentile): the median of the brain becomes 1 by default. A lesion brighter
   * or darker than the brain moves the median only by the share it takes from one side, e.g. a 5 % lesion moves
   * it from the 50th to the 52.6th percentile of normal tissue: the robust choice, and the default. */
  ReferencePercentile,
  /** out = (in - P(lowPercentile)) / (P(highPercentile) - P(lowPercentile)): p1..p99 become 0..1. A lesion larger
   * than (100 - highPercentile) % of the mask moves the upper anchor into the lesion, so this mode is not
   * lesion-robust at p99; use highPercentile <= 90 when lesions are expected. */
  PercentileRange,
};

/** \brief Parameters of NormalizeIntensity. Percentiles are of the finite intensities inside the mask, in %. */
struct IntensityNormalizationParams
{
  NormalizationMode mode = NormalizationMode::ReferencePercentile;
  double referencePercentile = 50.0; //!< ReferencePercentile mode: the anchor percentile; [1, 99]
  double targetValue = 1.0;          //!< ReferencePercentile mode: what the anchor becomes; (0, 1e6]
  double lowPercentile = 1.0;        //!< PercentileRange mode: becomes 0; [0, 50)
  double highPercentile = 99.0;      //!< PercentileRange mode: becomes 1; (50, 100]
  bool clip = false;                 //!< PercentileRange mode: clip the output to [0, 1]
};

/** \brief Result of NormalizeIntensity: out = (in - offset) * scale over the whole image. */
struct NormalizationResult
{
  FloatImage::Pointer image;
  double offset = 0;
  double scale = 1;
  double lowValue = 0;        //!< input value at lowPercentile (PercentileRange) or 0
  double highValue = 0;       //!< input value at highPercentile (PercentileRange) or at referencePercentile
  std::size_t maskVoxels = 0; //!< finite voxels the percentiles were taken from
};

/** \brief Checks every parameter; throws ConfigError naming the first bad one, its value and the valid range. */
void ValidateIntensityNormalizationParams(const IntensityNormalizationParams & params);

/** \brief Linear intensity normalisation anchored on percentiles of the intensities inside `mask` (non-zero voxels;
 * null means the whole image). `mask` must be on the image grid. Percentiles are exact order statistics with
 * linear interpolation between ranks. Throws InputError when the mask holds no finite voxel or the anchors
 * coincide or the reference value is not positive. */
NormalizationResult NormalizeIntensity(const FloatImage * image,
                                       const MaskImage * mask,
                                       const IntensityNormalizationParams & params = {});

} // namespace icanscan::filters
