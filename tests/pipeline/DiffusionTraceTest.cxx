#include "filters/DiffusionTrace.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
using icanscan::filters::DiffusionImage;

DiffusionImage::Pointer Constant(float value)
{
  auto image = DiffusionImage::New();
  DiffusionImage::RegionType region;
  region.SetSize({ 4, 3, 2 });
  image->SetRegions(region);
  image->Allocate();
  image->FillBuffer(value);
  return image;
}

TEST(DiffusionTraceTest, TraceIsGeometricMeanOverDirectionsAndB0IsMean)
{
  const std::vector<DiffusionImage::Pointer> volumes{ Constant(1000), Constant(200), Constant(400), Constant(800),
                                                      Constant(900) };
  const auto result = icanscan::filters::DeriveDiffusionSummaries(volumes, { 0, 1000, 1000, 1000, 0.002 },
                                                                  { false, true, true, true, true });
  ASSERT_TRUE(result.b0);
  EXPECT_EQ(result.b0Count, 2u);
  EXPECT_NEAR(result.b0->GetBufferPointer()[0], 950.0f, 1e-3);
  ASSERT_EQ(result.traces.size(), 1u);
  EXPECT_EQ(result.traces[0].directions, 3u);
  EXPECT_NEAR(result.traces[0].bValue, 1000.0, 1e-9);
  EXPECT_NEAR(result.traces[0].image->GetBufferPointer()[5], std::cbrt(200.0 * 400.0 * 800.0), 1e-2);
}

TEST(DiffusionTraceTest, ScannerTraceWithoutDirectionIsNotDerivedAgain)
{
  const auto result =
    icanscan::filters::DeriveDiffusionSummaries({ Constant(1000), Constant(300) }, { 0, 1000 }, { false, false });
  EXPECT_TRUE(result.traces.empty());
  EXPECT_TRUE(result.b0);
}

TEST(DiffusionTraceTest, TwoShellsGiveTwoTracesAndNonPositiveSignalGivesZero)
{
  auto zero = Constant(0);
  const auto result = icanscan::filters::DeriveDiffusionSummaries(
    { Constant(1000), Constant(500), Constant(500), Constant(500), Constant(100), Constant(100), zero },
    { 0, 500, 510, 490, 2000, 2000, 2000 }, { false, true, true, true, true, true, true });
  ASSERT_EQ(result.traces.size(), 2u);
  EXPECT_NEAR(result.traces[0].bValue, 500.0, 1e-9);
  EXPECT_NEAR(result.traces[0].image->GetBufferPointer()[0], 500.0f, 1e-2);
  EXPECT_EQ(result.traces[1].image->GetBufferPointer()[0], 0.0f);
}

TEST(DiffusionTraceTest, MismatchedInputsThrow)
{
  EXPECT_THROW(icanscan::filters::DeriveDiffusionSummaries({ Constant(1) }, { 0, 1000 }, { false }), icanscan::Error);
}
} // namespace
