#include "pipeline/detection/LesionDetection.h"

#include "SyntheticBrain.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <string>
#include <vector>

namespace
{
using icanscan::pipeline::LesionDetectionParams;
using icanscan::pipeline::TissuePool;
using namespace icanscan::pipeline::test;

constexpr auto kWhiteMatter = static_cast<std::size_t>(TissuePool::WhiteMatter);

// White-matter block for diffusion lesions, inside the right cerebral white matter and away from every other structure.
constexpr Box kWhiteMatterBlock{ 10, 16, 36, 44, 3, 9 };

TEST(LesionDetection, RestrictedDiffusionIsDetected)
{
  Study study;
  Scale(study.dwi, kWhiteMatterBlock, 1.8f);
  Scale(study.adc, kWhiteMatterBlock, 0.5f);
  const auto result = Detect(study.Input());
  ASSERT_TRUE(result.restricted);
  ASSERT_TRUE(result.shineThrough);
  const auto truth = BoxMask(kWhiteMatterBlock);
  EXPECT_GT(Dice(result.restricted, truth), 0.8);
  EXPECT_GE(CountIn(result.restricted, truth), 280u); // of 288
  EXPECT_EQ(Count(result.shineThrough), 0u);
  EXPECT_EQ(Count(result.t2flair), 0u); // FLAIR and T2 are untouched
}

/** A restricted core's extent is the DWI-bright tissue it touches whose ADC is below the shine-through ratio (a rim
 * whose measured ADC partial volume has raised towards normal); shine-through beside it does not join, and such a
 * rim alone starts nothing. */
TEST(LesionDetection, RestrictionGrowsThroughBrightTissueBelowTheShineThroughRatio)
{
  Study study;
  constexpr Box rim{ 10, 16, 44, 47, 3, 9 };         // beside the core, ADC 0.93 x normal
  constexpr Box shineBeside{ 10, 16, 33, 36, 3, 9 }; // beside the core, ADC 1.2 x normal
  constexpr Box rimAlone{ 44, 50, 36, 44, 3, 9 };    // ADC 0.93 x normal, no core
  Scale(study.dwi, kWhiteMatterBlock, 1.8f);
  Scale(study.adc, kWhiteMatterBlock, 0.5f);
  for (const Box & box : { rim, shineBeside, rimAlone })
    Scale(study.dwi, box, 1.8f);
  Scale(study.adc, rim, 0.93f);
  Scale(study.adc, rimAlone, 0.93f);
  Scale(study.adc, shineBeside, 1.2f);
  const auto result = Detect(study.Input());
  ASSERT_TRUE(result.restricted);
  EXPECT_GE(CountIn(result.restricted, BoxMask(kWhiteMatterBlock)), 280u); // of 288
  EXPECT_GE(CountIn(result.restricted, BoxMask(rim)), 100u);               // of 108
  EXPECT_EQ(CountIn(result.restricted, BoxMask(shineBeside)), 0u);
  EXPECT_EQ(CountIn(result.restricted, BoxMask(rimAlone)), 0u);
  EXPECT_GE(CountIn(result.shineThrough, BoxMask(shineBeside)), 100u);
}

TEST(LesionDetection, RestrictionSpanningFewerThanThreeNativeDwiVoxelsIsDropped)
{
  Study study;
  Scale(study.dwi, kWhiteMatterBlock, 1.8f);
  Scale(study.adc, kWhiteMatterBlock, 0.5f);
  auto in = study.Input();
  const auto found = Detect(in);
  const auto & spacing = found.restricted->GetSpacing();
  const double lesionMl = static_cast<double>(Count(found.restricted)) * spacing[0] * spacing[1] * spacing[2] / 1000;
  in.dwiVoxelMl = 1.1 * lesionMl / 3; // coarse DWI: the whole lesion is under 3 of its voxels
  EXPECT_EQ(Count(Detect(in).restricted), 0u);
  in.dwiVoxelMl = 0.9 * lesionMl / 3;
  EXPECT_EQ(Count(Detect(in).restricted), Count(found.restricted));
}

/** At DWI resolution the cortical pool's ADC is mostly cortex-CSF mixture (here 1.86 x white matter): against that
 * median a DWI-bright hippocampus with the ADC of normal cortex would read "restricted". The cortical reference is
 * capped at the normal cortex / white-matter ratio (1.27, Helenius 2002): the normal-ADC hippocampus is shine-through,
 * the truly restricted one is still found. */
TEST(LesionDetection, CorticalAdcInflatedByCsfPartialVolumeIsCappedAtTheNormalRatioToWhiteMatter)
{
  Study study;
  constexpr Levels partialVolume{ kAdcUm2s.csf, 1300, kAdcUm2s.deep, kAdcUm2s.wm };
  study.adc = study.brain.Render(partialVolume, kAdcNoise, 4);
  const auto normalAdc = BoxMask(SyntheticBrain::kHippocampusLeft);
  const auto restrictedAdc = BoxMask(SyntheticBrain::kHippocampusRight);
  for (const auto * box : { &normalAdc, &restrictedAdc })
    Scale(study.dwi, *box, 1.8f);
  Scale(study.adc, normalAdc, 850.0f / 1300.0f);
  Scale(study.adc, restrictedAdc, 600.0f / 1300.0f);
  const auto result = Detect(study.Input());
  ASSERT_TRUE(result.restricted);
  const auto & cortex = result.references.at("ADC")[static_cast<std::size_t>(TissuePool::CorticalGrey)];
  EXPECT_TRUE(cortex.substituted);
  EXPECT_NEAR(cortex.stats.median, 1.27 * result.references.at("ADC")[kWhiteMatter].stats.median, 1.0);
  EXPECT_EQ(CountIn(result.restricted, normalAdc), 0u);
  EXPECT_GT(CountIn(result.restricted, restrictedAdc),
            0.9 * static_cast<double>(std::count(restrictedAdc.begin(), restrictedAdc.end(), 1)));
  // Without the cap (a ratio no adult cortex reaches) the normal-ADC hippocampus reads restricted.
  auto uncapped = Unshaded();
  uncapped.cortexWmAdcRatioMax = 3.0;
  const auto inflated = Detect(study.Input(), uncapped);
  EXPECT_FALSE(inflated.references.at("ADC")[static_cast<std::size_t>(TissuePool::CorticalGrey)].substituted);
  EXPECT_GT(CountIn(inflated.restricted, normalAdc), 0u);
}

/** A class whose ADC spread is wide (partial volume at DWI resolution, here sigma 150 µm²/s in the cortical pool) does
 * not hide a restriction the ratio shows: a DWI-bright hippocampus at 0.75 x normal ADC is found by default; the
 * optional z rule (`adc_z_max` -2) would ask for 0.65 x and lose it. */
TEST(LesionDetection, RestrictionInAClassWithAWideAdcSpreadIsFoundByTheRatio)
{
  Study study;
  study.adc = study.brain.Render(kAdcUm2s, 150.0f, 4);
  const auto lesion = BoxMask(SyntheticBrain::kHippocampusLeft);
  Scale(study.dwi, lesion, 1.8f);
  Scale(study.adc, lesion, 0.75f);
  const auto found = Detect(study.Input());
  ASSERT_TRUE(found.restricted);
  EXPECT_GT(CountIn(found.restricted, lesion), 0.5 * static_cast<double>(std::count(lesion.begin(), lesion.end(), 1)));
  EXPECT_EQ(Count(found.restricted), CountIn(found.restricted, lesion));
  auto withZ = Unshaded();
  withZ.adcZMax = -2.0;
  EXPECT_LT(CountIn(Detect(study.Input(), withZ).restricted, lesion), CountIn(found.restricted, lesion) / 4);
}

/** Grey matter no structure label names may be deep grey beyond its propagated label (a swollen thalamus grows past
 * it): a seed there must be restricted against the lower of the cortical and deep-grey normal ADC. The same ADC in a
 * named hippocampus is judged against cortex. */
TEST(LesionDetection, UnnamedGreyMatterSeedsAgainstTheLowerOfCortexAndDeepGrey)
{
  Study study;
  constexpr Levels partialVolume{ kAdcUm2s.csf, 1000, kAdcUm2s.deep, kAdcUm2s.wm };
  study.adc = study.brain.Render(partialVolume, kAdcNoise, 4); // cortical reference capped at 1.27 x 700 = 889
  constexpr Box unnamedGrey{ 3, 8, 20, 30, 3, 9 };             // cortex rim, no structure label
  const auto unnamed = BoxMask(unnamedGrey);
  const auto hippocampus = BoxMask(SyntheticBrain::kHippocampusLeft);
  for (const auto * box : { &unnamed, &hippocampus })
  {
    Scale(study.dwi, *box, 1.8f);
    Scale(study.adc, *box, 740.0f / 1000.0f); // 0.83 x cortex, 0.95 x deep grey (780)
  }
  const auto result = Detect(study.Input());
  ASSERT_TRUE(result.restricted);
  EXPECT_EQ(CountIn(result.restricted, unnamed), 0u);
  EXPECT_GT(CountIn(result.restricted, hippocampus),
            0.9 * static_cast<double>(std::count(hippocampus.begin(), hippocampus.end(), 1)));
}

TEST(LesionDetection, ShineThroughIsNotRestriction)
{
  Study study;
  Scale(study.dwi, kWhiteMatterBlock, 1.8f);
  Scale(study.adc, kWhiteMatterBlock, 1.5f);
  const auto result = Detect(study.Input());
  ASSERT_TRUE(result.restricted);
  ASSERT_TRUE(result.shineThrough);
  const auto truth = BoxMask(kWhiteMatterBlock);
  EXPECT_EQ(CountIn(result.restricted, truth), 0u);
  EXPECT_EQ(Count(result.restricted), 0u);
  EXPECT_GT(Dice(result.shineThrough, truth), 0.8);
}
class LesionDetectionAdcUnit : public ::testing::TestWithParam<double>
{
};

TEST_P(LesionDetectionAdcUnit, ScannerAdcInAnyUnitGivesTheSameResult)
{
  Study study;
  Scale(study.dwi, kWhiteMatterBlock, 1.8f);
  Scale(study.adc, kWhiteMatterBlock, 0.5f);
  const auto reference = Detect(study.Input());
  EXPECT_NE(reference.adcSource.find("1e-6 mm²/s"), std::string::npos) << reference.adcSource;

  const double toUnit = GetParam(); // µm²/s -> the scanner's unit
  auto scanner = NewImage<Image>();
  const std::size_t n = scanner->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    scanner->GetBufferPointer()[i] = static_cast<float>(study.adc->GetBufferPointer()[i] * toUnit);
  auto in = study.Input();
  in.adc = scanner;
  const auto result = Detect(in);
  ASSERT_TRUE(result.adcUm2s);
  EXPECT_NE(result.adcSource.find(toUnit == 1e-6 ? "unit mm²/s" : "unit 1e-3 mm²/s"), std::string::npos)
    << result.adcSource;
  for (std::size_t i = 0; i < n; ++i)
    ASSERT_NEAR(result.adcUm2s->GetBufferPointer()[i], study.adc->GetBufferPointer()[i], 1e-3) << "voxel " << i;
  ASSERT_TRUE(result.restricted);
  EXPECT_EQ(Count(result.restricted), Count(reference.restricted));
  EXPECT_EQ(CountIn(result.restricted, BoxMask(kWhiteMatterBlock)),
            CountIn(reference.restricted, BoxMask(kWhiteMatterBlock)));
  EXPECT_GT(Dice(result.restricted, BoxMask(kWhiteMatterBlock)), 0.8);
  EXPECT_NEAR(result.references.at("ADC")[kWhiteMatter].stats.median, kAdcUm2s.wm, 3.0);
}

INSTANTIATE_TEST_SUITE_P(LesionDetectionScanner, LesionDetectionAdcUnit, ::testing::Values(1e-6, 1e-3));

TEST(LesionDetection, AdcIsComputedFromB0AndTraceWithoutAScannerMap)
{
  Study study;
  Scale(study.dwi, kWhiteMatterBlock, 1.8f);
  Scale(study.adc, kWhiteMatterBlock, 0.5f);
  const double b = 1000;
  auto b0 = NewImage<Image>();
  const std::size_t n = b0->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    b0->GetBufferPointer()[i] =
      static_cast<float>(study.dwi->GetBufferPointer()[i] * std::exp(b * study.adc->GetBufferPointer()[i] * 1e-6));
  auto in = study.Input();
  in.adc = nullptr;
  in.dwiB0 = b0;
  in.dwiB = b;
  const auto result = Detect(in);
  ASSERT_TRUE(result.adcUm2s);
  EXPECT_NE(result.adcSource.find("computed"), std::string::npos) << result.adcSource;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (study.brain.Brain()->GetBufferPointer()[i] && study.dwi->GetBufferPointer()[i] > 0)
    {
      ASSERT_NEAR(result.adcUm2s->GetBufferPointer()[i], study.adc->GetBufferPointer()[i], 1.0) << "voxel " << i;
    }
  }
  EXPECT_GT(Dice(result.restricted, BoxMask(kWhiteMatterBlock)), 0.8);
}
} // namespace
