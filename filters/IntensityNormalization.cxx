#include "filters/IntensityNormalization.h"

#include "filters/ParamCheck.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace icanscan::filters
{
namespace
{
constexpr const char * kComponent = "intensity normalization";

/** Percentile p (in %) with linear interpolation between ranks; reorders `values`. */
double Percentile(std::vector<float> & values, double p)
{
  const double rank = p / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double a = values[lo];
  if (hi == lo)
    return a;
  // After nth_element, the next order statistic is the smallest of the upper part.
  const double b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(hi), values.end());
  return a + (rank - static_cast<double>(lo)) * (b - a);
}
} // namespace

void ValidateIntensityNormalizationParams(const IntensityNormalizationParams & params)
{
  detail::CheckRange(kComponent, "referencePercentile", params.referencePercentile, 1.0, 99.0);
  detail::CheckRangeOpenLow(kComponent, "targetValue", params.targetValue, 0.0, 1e6);
  if (!(params.lowPercentile >= 0 && params.lowPercentile < 50))
    detail::BadParam(kComponent, "lowPercentile", ToText(params.lowPercentile), "a value in [0, 50)");
  detail::CheckRangeOpenLow(kComponent, "highPercentile", params.highPercentile, 50.0, 100.0);
}

NormalizationResult NormalizeIntensity(const FloatImage * image,
                                       const MaskImage * mask,
                                       const IntensityNormalizationParams & params)
{
  ValidateIntensityNormalizationParams(params);
  detail::RequireImage(image, "normalization image");
  if (mask != nullptr)
    detail::RequireSameGrid(image, mask, "normalization mask");

  const std::size_t n = image->GetBufferedRegion().GetNumberOfPixels();
  const float * in = image->GetBufferPointer();
  std::vector<float> values;
  values.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    if ((mask == nullptr || mask->GetBufferPointer()[i] != 0) && std::isfinite(in[i]))
      values.push_back(in[i]);
  if (values.empty())
    throw InputError("intensity normalization: the mask holds no finite voxel");

  NormalizationResult result;
  result.maskVoxels = values.size();
  if (params.mode == NormalizationMode::ReferencePercentile)
  {
    result.highValue = Percentile(values, params.referencePercentile);
    if (!(result.highValue > 0))
      throw InputError("intensity normalization: percentile " + ToText(params.referencePercentile) +
                       " inside the mask is " + ToText(result.highValue) + ", expected a positive value");
    result.scale = params.targetValue / result.highValue;
  }
  else
  {
    result.lowValue = Percentile(values, params.lowPercentile);
    result.highValue = Percentile(values, params.highPercentile);
    if (!(result.highValue > result.lowValue))
      throw InputError("intensity normalization: percentiles " + ToText(params.lowPercentile) + " and " +
                       ToText(params.highPercentile) + " are both " + ToText(result.lowValue) +
                       ": the masked image is constant");
    result.offset = result.lowValue;
    result.scale = 1.0 / (result.highValue - result.lowValue);
  }

  auto out = FloatImage::New();
  out->CopyInformation(image);
  out->SetRegions(image->GetLargestPossibleRegion());
  out->Allocate();
  float * o = out->GetBufferPointer();
  const bool clip = params.clip && params.mode == NormalizationMode::PercentileRange;
  for (std::size_t i = 0; i < n; ++i)
  {
    double v = (in[i] - result.offset) * result.scale;
    if (clip && std::isfinite(v))
      v = std::clamp(v, 0.0, 1.0);
    o[i] = static_cast<float>(v);
  }
  result.image = out;
  return result;
}

} // namespace icanscan::filters
