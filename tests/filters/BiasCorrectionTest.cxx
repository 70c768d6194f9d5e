#include "SyntheticHead.h"

#include "filters/BiasCorrection.h"

#include "core/Error.h"

#include "itkImageRegionIteratorWithIndex.h"

#include <gtest/gtest.h>

#include <cmath>

namespace icanscan::filters
{
namespace
{

/** A smooth multiplicative field of about +-30 % over the head, as a receive coil gives. */
double TrueBias(const itk::Point<double, 3> & p)
{
  return std::exp(0.25 * p[0] / 80.0 - 0.15 * (p[1] / 100.0) * (p[1] / 100.0) + 0.12 * p[2] / 70.0);
}

struct BiasedHead
{
  FloatImage::Pointer image;
  MaskImage::Pointer brain; //!< intracranial: the N4 mask
  MaskImage::Pointer white; //!< uniform white matter core: where the CV is measured
  FloatImage::Pointer bias; //!< the applied field
};

BiasedHead MakeBiasedHead()
{
  test::HeadGrid grid;
  grid.spacing = { 1.5, 1.5, 5.0 }; // thick slices
  grid.size = { 120, 140, 32 };
  BiasedHead head;
  head.image = test::MakeHead(grid, test::kT2, nullptr, 0.01, 7);
  head.brain = test::MakeIntracranialMask(grid);
  head.bias = test::MakeGridImage(grid);
  head.white = MaskImage::New();
  head.white->CopyInformation(head.image);
  head.white->SetRegions(head.image->GetLargestPossibleRegion());
  head.white->Allocate(true);
  itk::ImageRegionIteratorWithIndex<FloatImage> it(head.image, head.image->GetLargestPossibleRegion());
  std::size_t i = 0;
  for (; !it.IsAtEnd(); ++it, ++i)
  {
    itk::Point<double, 3> p;
    head.image->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    const double b = TrueBias(p);
    head.bias->GetBufferPointer()[i] = static_cast<float>(b);
    it.Set(static_cast<float>(it.Get() * b));
    // White matter well inside, away from partial volume with thick slices.
    bool white = true;
    for (double dz : { -2.5, 0.0, 2.5 })
    {
      const int tissue = test::TissueAt({ p[0], p[1], p[2] + dz });
      white = white && tissue == 5;
    }
    head.white->GetBufferPointer()[i] = white ? 1 : 0;
  }
  return head;
}

double CoefficientOfVariation(const FloatImage * image, const MaskImage * mask)
{
  double s = 0, ss = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < image->GetBufferedRegion().GetNumberOfPixels(); ++i)
    if (mask->GetBufferPointer()[i])
    {
      const double v = image->GetBufferPointer()[i];
      s += v;
      ss += v * v;
      ++n;
    }
  const double mean = s / n;
  return std::sqrt(std::max(0.0, ss / n - mean * mean)) / mean;
}

TEST(BiasCorrectionTest, RemovesAKnownMultiplicativeFieldOnThickSlices)
{
  const auto head = MakeBiasedHead();
  BiasCorrectionParams params;
  params.iterationsPerLevel = { 20, 20, 20 }; // fewer than the defaults: the test must stay fast
  const auto result = CorrectBias(head.image, head.brain, params);

  // The 5 mm axis is not shrunk, the 1.5 mm axes are.
  EXPECT_EQ(result.shrinkFactors[2], 1u);
  EXPECT_EQ(result.shrinkFactors[0], 3u);
  EXPECT_EQ(result.shrinkFactors[1], 3u);
  ASSERT_EQ(result.iterationsPerLevel.size(), 3u);
  EXPECT_GT(result.iterationsPerLevel[0], 0u);

  // Full resolution output on the input grid.
  EXPECT_EQ(result.corrected->GetLargestPossibleRegion().GetSize(), head.image->GetLargestPossibleRegion().GetSize());
  EXPECT_EQ(result.corrected->GetSpacing(), head.image->GetSpacing());
  EXPECT_EQ(result.biasField->GetOrigin(), head.image->GetOrigin());

  const double before = CoefficientOfVariation(head.image, head.white);
  const double after = CoefficientOfVariation(result.corrected, head.white);
  EXPECT_GT(before, 0.08); // the field is strong enough to matter
  EXPECT_LT(after, 0.4 * before) << "CV before " << before << " after " << after;

  // The estimated field follows the true one (up to the arbitrary global scale N4 cannot know).
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < head.brain->GetBufferedRegion().GetNumberOfPixels(); ++i)
    if (head.brain->GetBufferPointer()[i])
    {
      const double x = std::log(head.bias->GetBufferPointer()[i]);
      const double y = std::log(result.biasField->GetBufferPointer()[i]);
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      ++n;
    }
  const double correlation = (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  EXPECT_GT(correlation, 0.95);
  // Geometric mean 1 inside the mask: the corrected image keeps the input's scale.
  EXPECT_NEAR(sy / n, 0.0, 1e-4);

  // Reproducible: the same image gives the same field, voxel for voxel (N4's fit runs single-threaded).
  const auto again = CorrectBias(head.image, head.brain, params);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < again.biasField->GetBufferedRegion().GetNumberOfPixels(); ++i)
    differing += again.biasField->GetBufferPointer()[i] != result.biasField->GetBufferPointer()[i];
  EXPECT_EQ(differing, 0u);
}

TEST(BiasCorrectionTest, RejectsBadParametersAndUnusableInputs)
{
  auto expectReject = [](auto change)
  {
    BiasCorrectionParams params;
    change(params);
    EXPECT_THROW(ValidateBiasCorrectionParams(params), ConfigError);
  };
  expectReject([](auto & p) { p.shrinkSpacingMm = 0.4; });
  expectReject([](auto & p) { p.shrinkSpacingMm = 25.0; });
  expectReject([](auto & p) { p.maxShrinkFactor = 0; });
  expectReject([](auto & p) { p.maxShrinkFactor = 9; });
  expectReject([](auto & p) { p.iterationsPerLevel = {}; });
  expectReject([](auto & p) { p.iterationsPerLevel = std::vector<unsigned>(9, 10); });
  expectReject([](auto & p) { p.iterationsPerLevel = { 50, 0 }; });
  expectReject([](auto & p) { p.iterationsPerLevel = { 1001 }; });
  expectReject([](auto & p) { p.convergenceThreshold = 0.0; });
  expectReject([](auto & p) { p.convergenceThreshold = 0.2; });
  expectReject([](auto & p) { p.initialMeshSpacingMm = 10.0; });
  expectReject([](auto & p) { p.initialMeshSpacingMm = 2000.0; });
  expectReject([](auto & p) { p.splineOrder = 1; });
  expectReject([](auto & p) { p.splineOrder = 4; });
  expectReject([](auto & p) { p.histogramBins = 10; });
  expectReject([](auto & p) { p.histogramBins = 2000; });
  expectReject([](auto & p) { p.wienerFilterNoise = 0.0; });
  expectReject([](auto & p) { p.wienerFilterNoise = 1.5; });
  expectReject([](auto & p) { p.biasFieldFwhm = 0.0; });
  expectReject([](auto & p) { p.biasFieldFwhm = 2.0; });

  test::HeadGrid grid;
  grid.spacing = { 3, 3, 5 };
  grid.size = { 60, 70, 3 }; // too few slices for N4's B-spline
  const auto thin = test::MakeHead(grid, test::kT2);
  EXPECT_THROW(CorrectBias(thin, nullptr), InputError);
  EXPECT_THROW(CorrectBias(nullptr, nullptr), InputError);
  grid.size = { 60, 70, 30 };
  const auto image = test::MakeHead(grid, test::kT2);
  test::HeadGrid other = grid;
  other.size = { 60, 70, 29 };
  EXPECT_THROW(CorrectBias(image, test::MakeIntracranialMask(other)), InputError);
  auto empty = test::MakeIntracranialMask(grid);
  empty->FillBuffer(0);
  EXPECT_THROW(CorrectBias(image, empty), InputError);
}

} // namespace
} // namespace icanscan::filters
