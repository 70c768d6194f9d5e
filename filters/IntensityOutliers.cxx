#include "filters/IntensityOutliers.h"

#include "filters/ParamCheck.h"

#include "itkResampleImageFilter.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace icanscan::filters
{
namespace
{
const std::string kComponent = "intensity outliers";

double MedianOf(std::vector<float> & values)
{
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}
} // namespace

void ValidateIntensityOutlierParams(const IntensityOutlierParams & p)
{
  detail::CheckRange(kComponent, "zMax", p.zMax, 2.0, 20.0);
  detail::CheckRange(kComponent, "bins", p.bins, 4U, 256U);
  detail::CheckRange(kComponent, "minVoxelsPerBin", p.minVoxelsPerBin, 1U, 1000000U);
}

IntensityOutlierResult MaskIntensityOutliers(const FloatImage * fixed,
                                             const FloatImage * moving,
                                             const MaskImage * mask,
                                             const IntensityOutlierParams & params)
{
  ValidateIntensityOutlierParams(params);
  detail::RequireImage(fixed, kComponent + ": the fixed image");
  detail::RequireImage(moving, kComponent + ": the moving image");
  if (mask != nullptr)
    detail::RequireSameGrid(fixed, mask, kComponent + ": the mask");

  auto resampler = itk::ResampleImageFilter<FloatImage, FloatImage>::New();
  resampler->SetInput(moving);
  resampler->UseReferenceImageOn();
  resampler->SetReferenceImage(fixed);
  resampler->Update();
  const float * m = resampler->GetOutput()->GetBufferPointer();
  const float * f = fixed->GetBufferPointer();
  const std::size_t n = fixed->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto inside = [&](std::size_t i) { return mask != nullptr ? mask->GetBufferPointer()[i] != 0 : f[i] > 0; };

  float low = 0, high = 0;
  bool any = false;
  for (std::size_t i = 0; i < n; ++i)
    if (inside(i))
    {
      low = any ? std::min(low, m[i]) : m[i];
      high = any ? std::max(high, m[i]) : m[i];
      any = true;
    }
  const int bins = static_cast<int>(params.bins);
  const double width = std::max(1e-12, static_cast<double>(high) - low) / bins;
  const auto binOf = [&](float v) { return std::clamp(static_cast<int>((v - low) / width), 0, bins - 1); };

  std::vector<std::vector<float>> fixedByBin(params.bins);
  for (std::size_t i = 0; i < n; ++i)
    if (inside(i))
      fixedByBin[static_cast<std::size_t>(binOf(m[i]))].push_back(f[i]);
  std::vector<double> median(params.bins, 0.0), sigma(params.bins, 0.0); // sigma 0: the bin flags nothing
  for (std::size_t b = 0; b < params.bins; ++b)
  {
    auto & values = fixedByBin[b];
    if (values.size() < params.minVoxelsPerBin)
      continue;
    median[b] = MedianOf(values);
    for (auto & v : values)
      v = static_cast<float>(std::abs(v - median[b]));
    sigma[b] = 1.4826 * MedianOf(values);
  }

  IntensityOutlierResult result;
  result.kept = MaskImage::New();
  result.kept->CopyInformation(fixed);
  result.kept->SetRegions(fixed->GetLargestPossibleRegion());
  result.kept->Allocate(true);
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!inside(i))
      continue;
    const auto b = static_cast<std::size_t>(binOf(m[i]));
    const bool outlier = sigma[b] > 0 && std::abs(f[i] - median[b]) > params.zMax * sigma[b];
    result.kept->GetBufferPointer()[i] = outlier ? 0 : 1;
    ++(outlier ? result.outlierVoxels : result.keptVoxels);
  }
  return result;
}

} // namespace icanscan::filters
