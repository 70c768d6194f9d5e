#include "filters/ImageTypes.h"
#include "filters/BrainMask.h"

#include "filters/MaskMorphology.h"
#include "filters/ParamCheck.h"

#include "itkBinaryFillholeImageFilter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace icanscan::filters
{
namespace
{
constexpr const char * kComponent = "brain mask";

/** Fills background regions that do not reach the slice border, slice by slice across `axis`. */
void FillHolesPerSlice(MaskImage * mask, unsigned axis)
{
  const auto size = mask->GetLargestPossibleRegion().GetSize();
  const unsigned u = axis == 0 ? 1 : 0;
  const unsigned v = axis == 2 ? 1 : 2;
  const std::size_t nu = size[u], nv = size[v];
  std::vector<std::size_t> stride{ 1, size[0], size[0] * size[1] };
  unsigned char * buffer = mask->GetBufferPointer();
  std::vector<unsigned char> reached(nu * nv);
  std::vector<std::size_t> queue;
  for (std::size_t s = 0; s < size[axis]; ++s)
  {
    auto at = [&](std::size_t a, std::size_t b) -> unsigned char &
    { return buffer[s * stride[axis] + a * stride[u] + b * stride[v]]; };
    std::fill(reached.begin(), reached.end(), 0);
    queue.clear();
    for (std::size_t a = 0; a < nu; ++a)
      for (std::size_t b = 0; b < nv; ++b)
        if ((a == 0 || b == 0 || a + 1 == nu || b + 1 == nv) && at(a, b) == 0)
        {
          reached[a * nv + b] = 1;
          queue.push_back(a * nv + b);
        }
    while (!queue.empty())
    {
      const std::size_t p = queue.back();
      queue.pop_back();
      const std::size_t a = p / nv, b = p % nv;
      const std::size_t next[4][2] = { { a - 1, b }, { a + 1, b }, { a, b - 1 }, { a, b + 1 } };
      for (const auto & q : next)
      {
        // Unsigned wrap-around of a - 1 at 0 lands far outside and is rejected by the bound check.
        if (q[0] < nu && q[1] < nv && !reached[q[0] * nv + q[1]] && at(q[0], q[1]) == 0)
        {
          reached[q[0] * nv + q[1]] = 1;
          queue.push_back(q[0] * nv + q[1]);
        }
      }
    }
    for (std::size_t a = 0; a < nu; ++a)
      for (std::size_t b = 0; b < nv; ++b)
        if (!reached[a * nv + b])
          at(a, b) = 1;
  }
}

void Intersect(MaskImage * mask, const MaskImage * other)
{
  const std::size_t n = mask->GetBufferedRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    if (other->GetBufferPointer()[i] == 0)
      mask->GetBufferPointer()[i] = 0;
}
} // namespace

void ValidateBrainMaskParams(const BrainMaskParams & params)
{
  detail::CheckRange(kComponent, "searchMarginMm", params.searchMarginMm, 0.0, 30.0);
  detail::CheckRange(kComponent, "statisticsErosionMm", params.statisticsErosionMm, 0.0, 20.0);
  if (!(params.lowerThresholdFraction > 0 && params.lowerThresholdFraction < 1))
    detail::BadParam(kComponent, "lowerThresholdFraction", detail::Text(params.lowerThresholdFraction),
                     "a value in (0, 1)");
  if (!(params.upperThresholdFactor == 0 || (params.upperThresholdFactor > 1 && params.upperThresholdFactor <= 100)))
    detail::BadParam(kComponent, "upperThresholdFactor", detail::Text(params.upperThresholdFactor),
                     "0 (off) or a value in (1, 100]");
  detail::CheckRange(kComponent, "openingRadiusMm", params.openingRadiusMm, 0.0, 10.0);
  detail::CheckRange(kComponent, "closingRadiusMm", params.closingRadiusMm, 0.0, 10.0);
}

BrainMaskResult RefineBrainMask(const FloatImage * image, const MaskImage * roughMask, const BrainMaskParams & params)
{
  ValidateBrainMaskParams(params);
  detail::RequireImage(image, "brain mask image");
  detail::RequireImage(roughMask, "rough brain mask");
  detail::RequireSameGrid(image, roughMask, "rough brain mask");
  if (CountNonZero(roughMask) == 0)
    throw InputError("rough brain mask is empty: nothing to refine");

  // Robust reference intensity from voxels the rough mask is sure about.
  auto core = ErodeMm(roughMask, params.statisticsErosionMm);
  if (CountNonZero(core) < 100)
    core = DilateMm(roughMask, 0.0); // a 0/1 copy
  const std::size_t n = image->GetBufferedRegion().GetNumberOfPixels();
  const float * pixels = image->GetBufferPointer();
  std::vector<float> values;
  for (std::size_t i = 0; i < n; ++i)
    if (core->GetBufferPointer()[i] != 0 && std::isfinite(pixels[i]))
      values.push_back(pixels[i]);
  if (values.empty())
    throw InputError("rough brain mask covers no finite image values");
  auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());

  BrainMaskResult result;
  result.referenceIntensity = *middle;
  if (!(result.referenceIntensity > 0))
    throw InputError("brain mask: median intensity inside the rough mask is " +
                     detail::Text(result.referenceIntensity) + ", expected a positive value");
  result.lowerThreshold = params.lowerThresholdFraction * result.referenceIntensity;
  result.upperThreshold = params.upperThresholdFactor > 0 ? params.upperThresholdFactor * result.referenceIntensity
                                                          : std::numeric_limits<double>::infinity();

  auto search = DilateMm(roughMask, params.searchMarginMm);
  auto mask = NewMaskLike(image);
  for (std::size_t i = 0; i < n; ++i)
  {
    const double v = pixels[i];
    mask->GetBufferPointer()[i] =
      search->GetBufferPointer()[i] != 0 && v >= result.lowerThreshold && v <= result.upperThreshold ? 1 : 0;
  }
  if (params.openingRadiusMm > 0)
    mask = DilateMm(ErodeMm(mask, params.openingRadiusMm), params.openingRadiusMm);
  if (params.keepLargestComponent && CountNonZero(mask) > 0)
    mask = LargestComponents(mask, 1, false);
  if (params.closingRadiusMm > 0)
    mask = ErodeMm(DilateMm(mask, params.closingRadiusMm), params.closingRadiusMm);
  if (params.fillHoles)
  {
    auto fill = itk::BinaryFillholeImageFilter<MaskImage>::New();
    fill->SetInput(mask);
    fill->SetForegroundValue(1);
    fill->SetFullyConnected(false);
    fill->Update();
    mask = fill->GetOutput();
    mask->DisconnectPipeline();
    const auto & spacing = image->GetSpacing();
    const unsigned thick = static_cast<unsigned>(std::max_element(spacing.Begin(), spacing.End()) - spacing.Begin());
    FillHolesPerSlice(mask, thick);
  }
  Intersect(mask, search);

  result.voxels = CountNonZero(mask);
  if (result.voxels == 0)
    throw InputError("brain mask refinement left no voxel: threshold " + detail::Text(result.lowerThreshold) +
                     " against a reference intensity of " + detail::Text(result.referenceIntensity));
  result.volumeMl = static_cast<double>(result.voxels) * VoxelVolumeMl(mask);
  result.mask = mask;
  return result;
}

} // namespace icanscan::filters
