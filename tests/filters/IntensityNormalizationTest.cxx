#include "SyntheticHead.h"

#include "filters/IntensityNormalization.h"

#include "core/Error.h"

#include "itkImageRegionIteratorWithIndex.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace icanscan::filters
{
namespace
{

test::HeadGrid Grid()
{
  test::HeadGrid grid;
  grid.spacing = { 2.0, 2.0, 5.0 };
  grid.size = { 90, 105, 32 };
  return grid;
}

/** Brain parenchyma (grey, white, deep grey) of the synthetic head: where normalisation statistics come from. */
MaskImage::Pointer ParenchymaMask(const test::HeadGrid & grid)
{
  const auto reference = test::MakeGridImage(grid);
  auto mask = MaskImage::New();
  mask->CopyInformation(reference);
  mask->SetRegions(reference->GetLargestPossibleRegion());
  mask->Allocate(true);
  itk::ImageRegionIteratorWithIndex<MaskImage> it(mask, mask->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it)
  {
    itk::Point<double, 3> p;
    mask->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    const int tissue = test::TissueAt({ p[0], p[1], p[2] });
    it.Set(tissue == 4 || tissue == 5 || tissue == 7 ? 1 : 0);
  }
  return mask;
}

double MaskedMedian(const FloatImage * image, const MaskImage * mask)
{
  std::vector<float> values;
  for (std::size_t i = 0; i < image->GetBufferedRegion().GetNumberOfPixels(); ++i)
    if (mask->GetBufferPointer()[i])
      values.push_back(image->GetBufferPointer()[i]);
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

double MaskedMean(const FloatImage * image, const MaskImage * mask)
{
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < image->GetBufferedRegion().GetNumberOfPixels(); ++i)
    if (mask->GetBufferPointer()[i])
    {
      sum += image->GetBufferPointer()[i];
      ++n;
    }
  return sum / n;
}

TEST(IntensityNormalizationTest, MapsTheMaskMedianToTheTarget)
{
  const auto grid = Grid();
  const auto image = test::MakeHead(grid, test::kT2, nullptr, 0.03, 3);
  const auto mask = ParenchymaMask(grid);
  const auto result = NormalizeIntensity(image, mask);
  EXPECT_NEAR(MaskedMedian(result.image, mask), 1.0, 1e-5);
  EXPECT_NEAR(result.scale * MaskedMedian(image, mask), 1.0, 1e-5);
  EXPECT_GT(result.maskVoxels, 1000u);

  IntensityNormalizationParams params;
  params.targetValue = 1000;
  const auto scaled = NormalizeIntensity(image, mask, params);
  EXPECT_NEAR(MaskedMedian(scaled.image, mask), 1000.0, 1e-2);
  // The whole image is scaled, not only the mask.
  FloatImage::IndexType corner{ { 0, 0, 0 } };
  EXPECT_NEAR(scaled.image->GetPixel(corner), image->GetPixel(corner) * scaled.scale, 1e-4);
}

TEST(IntensityNormalizationTest, MedianIsUnaffectedByAFivePercentBrightLesion)
{
  const auto grid = Grid();
  const auto clean = test::MakeHead(grid, test::kT2, nullptr, 0.03, 3);
  const auto mask = ParenchymaMask(grid);
  // Make 5 % of the parenchyma a lesion at three times the median intensity.
  auto lesioned = test::MakeHead(grid, test::kT2, nullptr, 0.03, 3);
  const double median = MaskedMedian(clean, mask);
  std::size_t inMask = 0;
  for (std::size_t i = 0; i < mask->GetBufferedRegion().GetNumberOfPixels(); ++i)
    inMask += mask->GetBufferPointer()[i];
  const std::size_t lesionVoxels = inMask / 20;
  std::size_t made = 0;
  for (std::size_t i = 0; i < mask->GetBufferedRegion().GetNumberOfPixels() && made < lesionVoxels; ++i)
    if (mask->GetBufferPointer()[i] && (i / 97) % 3 == 0)
    {
      lesioned->GetBufferPointer()[i] = static_cast<float>(3 * median);
      ++made;
    }
  ASSERT_EQ(made, lesionVoxels);

  const double cleanScale = NormalizeIntensity(clean, mask).scale;
  const double lesionScale = NormalizeIntensity(lesioned, mask).scale;
  EXPECT_LT(std::abs(lesionScale / cleanScale - 1.0), 0.02);
  // A mean-based scale would have moved by ~10 %: the lesion is big enough to matter.
  EXPECT_GT(MaskedMean(lesioned, mask) / MaskedMean(clean, mask) - 1.0, 0.08);
}

TEST(IntensityNormalizationTest, PercentileRangeMapsP1AndP99ToZeroAndOne)
{
  test::HeadGrid grid;
  grid.spacing = { 1, 1, 1 };
  grid.size = { 101, 1, 1 };
  auto ramp = test::MakeGridImage(grid);
  for (unsigned i = 0; i < 101; ++i)
    ramp->GetBufferPointer()[i] = static_cast<float>(10 + 2 * i); // 10..210, p1 = 12, p99 = 208
  IntensityNormalizationParams params;
  params.mode = NormalizationMode::PercentileRange;
  auto result = NormalizeIntensity(ramp, nullptr, params);
  EXPECT_NEAR(result.lowValue, 12.0, 1e-9);
  EXPECT_NEAR(result.highValue, 208.0, 1e-9);
  EXPECT_NEAR(result.image->GetBufferPointer()[1], 0.0, 1e-6);
  EXPECT_NEAR(result.image->GetBufferPointer()[99], 1.0, 1e-6);
  EXPECT_LT(result.image->GetBufferPointer()[0], 0.0f);
  params.clip = true;
  result = NormalizeIntensity(ramp, nullptr, params);
  EXPECT_EQ(result.image->GetBufferPointer()[0], 0.0f);
  EXPECT_EQ(result.image->GetBufferPointer()[100], 1.0f);
}

TEST(IntensityNormalizationTest, RejectsBadParametersAndUnusableInputs)
{
  auto expectReject = [](auto change)
  {
    IntensityNormalizationParams params;
    change(params);
    EXPECT_THROW(ValidateIntensityNormalizationParams(params), ConfigError);
  };
  expectReject([](auto & p) { p.referencePercentile = 0.5; });
  expectReject([](auto & p) { p.referencePercentile = 99.5; });
  expectReject([](auto & p) { p.targetValue = 0.0; });
  expectReject([](auto & p) { p.targetValue = -1.0; });
  expectReject([](auto & p) { p.targetValue = 2e6; });
  expectReject([](auto & p) { p.lowPercentile = -1.0; });
  expectReject([](auto & p) { p.lowPercentile = 50.0; });
  expectReject([](auto & p) { p.highPercentile = 50.0; });
  expectReject([](auto & p) { p.highPercentile = 101.0; });

  const auto grid = Grid();
  const auto image = test::MakeHead(grid, test::kT2);
  auto empty = MaskImage::New();
  empty->CopyInformation(image);
  empty->SetRegions(image->GetLargestPossibleRegion());
  empty->Allocate(true);
  EXPECT_THROW(NormalizeIntensity(image, empty), InputError);
  EXPECT_THROW(NormalizeIntensity(nullptr, empty), InputError);
  test::HeadGrid other = grid;
  other.size = { 10, 10, 10 };
  EXPECT_THROW(NormalizeIntensity(image, test::MakeIntracranialMask(other)), InputError);
  auto constant = test::MakeGridImage(grid);
  constant->FillBuffer(5.0f);
  IntensityNormalizationParams range;
  range.mode = NormalizationMode::PercentileRange;
  EXPECT_THROW(NormalizeIntensity(constant, nullptr, range), InputError);
  constant->FillBuffer(-5.0f);
  EXPECT_THROW(NormalizeIntensity(constant, nullptr), InputError); // median not positive
}

} // namespace
} // namespace icanscan::filters
