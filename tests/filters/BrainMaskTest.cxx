#include "SyntheticHead.h"

#include "filters/BrainMask.h"
#include "filters/ImageSimilarity.h"
#include "filters/MaskMorphology.h"

#include "core/Error.h"

#include <gtest/gtest.h>

namespace icanscan::filters
{
namespace
{

test::HeadGrid ThickGrid()
{
  test::HeadGrid grid;
  grid.spacing = { 1.2, 1.2, 5.0 };
  grid.size = { 150, 175, 32 };
  return grid;
}

TEST(BrainMaskTest, RecoversTheBrainFromATooLargeRoughMask)
{
  const auto grid = ThickGrid();
  const auto image = test::MakeHead(grid, test::kT2, nullptr, 0.02, 4);
  const auto truth = test::MakeIntracranialMask(grid);
  const auto rough = DilateMm(truth, 4.0); // into the skull; with the search margin it reaches the scalp
  const auto result = RefineBrainMask(image, rough);
  const double roughDice = Dice(rough, truth);
  const double refinedDice = Dice(result.mask, truth);
  EXPECT_GT(refinedDice, 0.9);
  EXPECT_GT(refinedDice, roughDice + 0.02) << "rough " << roughDice;
  EXPECT_EQ(result.voxels, CountNonZero(result.mask));
  EXPECT_NEAR(result.volumeMl, result.voxels * 1.2 * 1.2 * 5.0 / 1000.0, 1e-9);
  EXPECT_GT(result.referenceIntensity, 0.3);
  EXPECT_NEAR(result.lowerThreshold, BrainMaskParams{}.lowerThresholdFraction * result.referenceIntensity, 1e-12);
}

TEST(BrainMaskTest, RecoversTheBrainFromATooSmallRoughMask)
{
  const auto grid = ThickGrid();
  const auto image = test::MakeHead(grid, test::kT2, nullptr, 0.02, 6);
  const auto truth = test::MakeIntracranialMask(grid);
  const auto rough = ErodeMm(truth, 4.0);
  const auto result = RefineBrainMask(image, rough);
  EXPECT_GT(Dice(result.mask, truth), 0.9);
  EXPECT_GT(Dice(result.mask, truth), Dice(rough, truth) + 0.02);
}

TEST(BrainMaskTest, OnFlairFindsTheBrainSurfaceAndFillsTheDarkVentricles)
{
  // On FLAIR the CSF is as dark as bone: the mask is the brain surface, with the dark ventricles filled in.
  const auto grid = ThickGrid();
  const auto image = test::MakeHead(grid, test::kFlair, nullptr, 0.02, 5);
  const auto truth = test::MakeBrainMask(grid);
  const auto rough = DilateMm(truth, 4.0);
  const auto result = RefineBrainMask(image, rough);
  EXPECT_GT(Dice(result.mask, truth), 0.9);
  EXPECT_GT(Dice(result.mask, truth), Dice(rough, truth) + 0.02);
  BrainMaskParams noFill;
  noFill.fillHoles = false;
  noFill.closingRadiusMm = 0;
  // Without hole filling the ventricles stay out: the filling is doing work.
  EXPECT_LT(RefineBrainMask(image, rough, noFill).voxels, result.voxels);
}

TEST(BrainMaskTest, RejectsBadParametersAndUnusableInputs)
{
  auto expectReject = [](auto change)
  {
    BrainMaskParams params;
    change(params);
    EXPECT_THROW(ValidateBrainMaskParams(params), ConfigError);
  };
  expectReject([](auto & p) { p.searchMarginMm = -1.0; });
  expectReject([](auto & p) { p.searchMarginMm = 31.0; });
  expectReject([](auto & p) { p.statisticsErosionMm = -1.0; });
  expectReject([](auto & p) { p.statisticsErosionMm = 21.0; });
  expectReject([](auto & p) { p.lowerThresholdFraction = 0.0; });
  expectReject([](auto & p) { p.lowerThresholdFraction = 1.0; });
  expectReject([](auto & p) { p.upperThresholdFactor = 0.5; });
  expectReject([](auto & p) { p.upperThresholdFactor = 101.0; });
  expectReject([](auto & p) { p.openingRadiusMm = -1.0; });
  expectReject([](auto & p) { p.openingRadiusMm = 11.0; });
  expectReject([](auto & p) { p.closingRadiusMm = -1.0; });
  expectReject([](auto & p) { p.closingRadiusMm = 11.0; });

  test::HeadGrid grid;
  grid.spacing = { 4, 4, 5 };
  grid.size = { 45, 52, 32 };
  const auto image = test::MakeHead(grid, test::kT2);
  const auto mask = test::MakeIntracranialMask(grid);
  EXPECT_THROW(RefineBrainMask(nullptr, mask), InputError);
  EXPECT_THROW(RefineBrainMask(image, nullptr), InputError);
  test::HeadGrid other = grid;
  other.size = { 45, 52, 31 };
  EXPECT_THROW(RefineBrainMask(image, test::MakeIntracranialMask(other)), InputError);
  auto empty = NewMaskLike(image);
  EXPECT_THROW(RefineBrainMask(image, empty), InputError);
}

} // namespace
} // namespace icanscan::filters
