#include "pipeline/baseline/BaselineVolumeChange.h"
#include "pipeline/baseline/LesionFilling.h"

#include "core/Structures.h"

#include "itkTranslationTransform.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

namespace
{
using icanscan::Structure;
using icanscan::filters::ByteLabelImage;
using icanscan::filters::FloatImage;
using icanscan::pipeline::MeasureSymmetricVolumeChangeSinceBaseline;
using icanscan::pipeline::MeasureVolumeChangeSinceBaseline;
using icanscan::pipeline::VolumeChangeScan;

constexpr double kSpacing = 2.0;
constexpr unsigned kSize = 64;

/** A head: a brain ball (intensity 100) holding two bright balls (`ball`, 200 by default) left and right of the
 * middle, of radii `left` and `right` mm, and a dark ventricle (30) between them; 2 mm voxels. */
FloatImage::Pointer Head(double left, double right, float ball = 200.0f)
{
  auto image = FloatImage::New();
  FloatImage::RegionType region;
  region.SetSize({ kSize, kSize, kSize });
  image->SetRegions(region);
  image->SetSpacing(kSpacing);
  image->Allocate(true);
  const double c = (kSize - 1) * kSpacing / 2;
  for (unsigned z = 0; z < kSize; ++z)
    for (unsigned y = 0; y < kSize; ++y)
      for (unsigned x = 0; x < kSize; ++x)
      {
        const double px = x * kSpacing - c, py = y * kSpacing - c, pz = z * kSpacing - c;
        const double r = std::sqrt(px * px + py * py + pz * pz);
        const double dl = std::sqrt((px - 22) * (px - 22) + py * py + pz * pz);
        const double dr = std::sqrt((px + 22) * (px + 22) + py * py + pz * pz);
        const double dv = std::sqrt(px * px + (py - 20) * (py - 20) + pz * pz);
        float v = r < 58 ? 100.0f : 0.0f;
        if (dv < 8)
          v = 30.0f;
        if (dl < left || dr < right)
          v = ball;
        // A gentle gradient gives the metric something to hold on to everywhere in the brain.
        if (v == 100.0f)
          v += static_cast<float>(0.2 * (px + py));
        image->SetPixel({ { x, y, z } }, v);
      }
  return image;
}

/** Labels of the follow-up's bright balls: thalamus left (x > 0, LPS) and right, and the brain mask. */
std::pair<ByteLabelImage::Pointer, ByteLabelImage::Pointer> Labels(const FloatImage * followup)
{
  auto labels = ByteLabelImage::New();
  labels->CopyInformation(followup);
  labels->SetRegions(followup->GetLargestPossibleRegion());
  labels->Allocate(true);
  auto brain = ByteLabelImage::New();
  brain->CopyInformation(followup);
  brain->SetRegions(followup->GetLargestPossibleRegion());
  brain->Allocate(true);
  const std::size_t n = followup->GetLargestPossibleRegion().GetNumberOfPixels();
  const double c = (kSize - 1) * kSpacing / 2;
  for (std::size_t i = 0; i < n; ++i)
  {
    const auto index = followup->ComputeIndex(i);
    const double px = index[0] * kSpacing - c;
    brain->GetBufferPointer()[i] = followup->GetBufferPointer()[i] > 0 ? 1 : 0;
    if (followup->GetBufferPointer()[i] >= 200.0f)
      labels->GetBufferPointer()[i] =
        static_cast<unsigned char>(px > 0 ? Structure::ThalamusLeft : Structure::ThalamusRight);
  }
  return { labels, brain };
}

TEST(BaselineVolumeChange, ReadsASwollenStructureInOneSpaceAndAnUnchangedOneAsUnchanged)
{
  // Follow-up: the left ball 20 % larger by volume than at baseline; the right one unchanged.
  const double r0 = 12.0, r1 = r0 * std::cbrt(1.2);
  const auto baseline = Head(r0, r0);
  const auto followup = Head(r1, r0);
  const auto [labels, brain] = Labels(followup);
  const auto change = MeasureVolumeChangeSinceBaseline(followup, baseline, nullptr, labels, brain).changePct;
  ASSERT_TRUE(change.count("thalamus_left"));
  ASSERT_TRUE(change.count("thalamus_right"));
  EXPECT_GT(change.at("thalamus_left"), 12.0);
  EXPECT_LT(change.at("thalamus_left"), 28.0);
  EXPECT_LT(std::abs(change.at("thalamus_right")), 5.0);
  EXPECT_FALSE(change.count("hippocampus_left")); // no voxels: left out
}

TEST(BaselineVolumeChange, TheSameHeadTwiceIsUnchanged)
{
  const auto head = Head(12.0, 12.0);
  const auto [labels, brain] = Labels(head);
  const auto change = MeasureVolumeChangeSinceBaseline(head, head, nullptr, labels, brain).changePct;
  // The stochastic optimiser moves the control points a little even from the solution (measured: 2.4 and 2.7 %),
  // well below baseline_swelling_pct (10 %).
  for (const auto & [key, pct] : change)
    EXPECT_LT(std::abs(pct), 4.0) << key;
}

TEST(BaselineVolumeChange, BothDirectionsAreMeasuredAndCombinedByTheirGeometricMean)
{
  const double r0 = 12.0, r1 = r0 * std::cbrt(1.2);
  const auto baseline = Head(r0, r0);
  const auto followup = Head(r1, r0);
  const auto [labels, brain] = Labels(followup);
  const auto [baselineLabels, baselineBrain] = Labels(baseline);
  const auto oneWay = MeasureVolumeChangeSinceBaseline(followup, baseline, nullptr, labels, brain);
  const auto both = MeasureSymmetricVolumeChangeSinceBaseline(
    VolumeChangeScan{ followup, labels, brain }, VolumeChangeScan{ baseline, baselineLabels, baselineBrain }, nullptr,
    nullptr);
  for (const std::string key : { "thalamus_left", "thalamus_right" })
  {
    ASSERT_TRUE(both.forwardPct.count(key) && both.backwardPct.count(key)) << key;
    EXPECT_DOUBLE_EQ(both.forwardPct.at(key), oneWay.changePct.at(key)) << key << ": forward is the one-way reading";
    const double f = 1 + both.forwardPct.at(key) / 100, b = 1 + both.backwardPct.at(key) / 100;
    EXPECT_NEAR(both.changePct.at(key), 100 * (std::sqrt(f * b) - 1), 1e-9) << key;
    std::cout << key << ": forward " << both.forwardPct.at(key) << " %, backward " << both.backwardPct.at(key)
              << " %, combined " << both.changePct.at(key) << " %\n";
  }
  // On this sharply bounded ball the baseline-fixed direction reads much less than the follow-up-fixed one
  // (measured +5.5 % against +22.2 %, combined +13.5 %): with the small ball fixed, the mismatch lies in the large
  // brain class of the fixed image, where mutual information gains little from resolving it. The combination still
  // confirms the swelling (baseline_swelling_pct, 10 %). On the phantoms, whose thalami have almost no contrast
  // against white matter, the two directions err by similar amounts in opposite senses (docs/oedema.md).
  EXPECT_GT(both.changePct.at("thalamus_left"), 10.0);
  EXPECT_LT(both.changePct.at("thalamus_left"), 28.0);
  EXPECT_GT(both.backwardPct.at("thalamus_left"), 0.0) << "the baseline fixed reads a growth too";
  EXPECT_LT(std::abs(both.changePct.at("thalamus_right")), 5.0);
  EXPECT_EQ(both.seenFraction, oneWay.seenFraction);
}

TEST(BaselineVolumeChange, TheBaselineMayLieElsewhereInSpace)
{
  // The baseline 4 mm (two voxels) to the left in the scanner: the two maps carry the shift, in opposite directions.
  const double r0 = 12.0, r1 = r0 * std::cbrt(1.2);
  const auto baseline = Head(r0, r0);
  const auto shifted = Head(r0, r0);
  auto origin = shifted->GetOrigin();
  origin[0] += 4.0;
  shifted->SetOrigin(origin);
  const auto followup = Head(r1, r0);
  const auto [labels, brain] = Labels(followup);
  const auto [baselineLabels, baselineBrain] = Labels(baseline);
  const auto [shiftedLabels, shiftedBrain] = Labels(shifted);
  auto toBaseline = itk::TranslationTransform<double, 3>::New();
  auto toFollowup = itk::TranslationTransform<double, 3>::New();
  itk::Vector<double, 3> shift(0.0);
  shift[0] = 4.0;
  toBaseline->SetOffset(shift);
  toFollowup->SetOffset(-shift);
  const VolumeChangeScan now{ followup, labels, brain };
  const auto here = MeasureSymmetricVolumeChangeSinceBaseline(
    now, VolumeChangeScan{ baseline, baselineLabels, baselineBrain }, nullptr, nullptr);
  const auto there = MeasureSymmetricVolumeChangeSinceBaseline(
    now, VolumeChangeScan{ shifted, shiftedLabels, shiftedBrain }, toBaseline, toFollowup);
  for (const std::string key : { "thalamus_left", "thalamus_right" })
  {
    EXPECT_NEAR(there.forwardPct.at(key), here.forwardPct.at(key), 0.5) << key;
    EXPECT_NEAR(there.backwardPct.at(key), here.backwardPct.at(key), 0.5) << key;
  }
}

TEST(BaselineVolumeChange, SaysHowMuchOfEachStructureTheRegistrationSaw)
{
  // The left ball is the follow-up's lesion: the metric leaves it out (grown 2 mm), so its change is interpolated.
  const auto baseline = Head(12.0, 12.0);
  const auto followup = Head(12.0 * std::cbrt(1.2), 12.0);
  const auto [labels, brain] = Labels(followup);
  auto lesions = ByteLabelImage::New();
  lesions->CopyInformation(labels);
  lesions->SetRegions(labels->GetLargestPossibleRegion());
  lesions->Allocate(true);
  for (std::size_t i = 0; i < labels->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    lesions->GetBufferPointer()[i] =
      labels->GetBufferPointer()[i] == static_cast<unsigned char>(Structure::ThalamusLeft);
  const auto withLesion = MeasureVolumeChangeSinceBaseline(followup, baseline, nullptr, labels, brain, lesions);
  EXPECT_DOUBLE_EQ(withLesion.seenFraction.at("thalamus_left"), 0.0);
  EXPECT_DOUBLE_EQ(withLesion.seenFraction.at("thalamus_right"), 1.0);
  const auto without = MeasureVolumeChangeSinceBaseline(followup, baseline, nullptr, labels, brain);
  EXPECT_DOUBLE_EQ(without.seenFraction.at("thalamus_left"), 1.0);
}

/** `labels` with the brain's other voxels (intensity 60-140) as white matter, left (x > 0, LPS) and right. */
ByteLabelImage::Pointer WithWhiteMatter(const FloatImage * head, ByteLabelImage::Pointer labels)
{
  const double c = (kSize - 1) * kSpacing / 2;
  for (std::size_t i = 0; i < labels->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
  {
    const float v = head->GetBufferPointer()[i];
    if (labels->GetBufferPointer()[i] == 0 && v > 60.0f && v < 140.0f)
      labels->GetBufferPointer()[i] = static_cast<unsigned char>(
        head->ComputeIndex(i)[0] * kSpacing - c > 0 ? Structure::WhiteMatterLeft : Structure::WhiteMatterRight);
  }
  return labels;
}

TEST(BaselineVolumeChange, AFilledLesionIsReadByItsBoundaries)
{
  // Follow-up: both balls hyperintense (300 against 200 at baseline), the left one also 20 % larger: a swollen
  // thalamus and an unswollen one whose signal changed. The labels are the baseline-sized balls (a propagated label
  // that did not follow the swelling).
  const double r0 = 12.0, r1 = r0 * std::cbrt(1.2);
  const auto baseline = Head(r0, r0);
  const auto followup = Head(r1, r0, 300.0f);
  auto [labels, brain] = Labels(baseline);
  labels = WithWhiteMatter(followup, labels);
  auto lesions = ByteLabelImage::New();
  lesions->CopyInformation(followup);
  lesions->SetRegions(followup->GetLargestPossibleRegion());
  lesions->Allocate(true);
  for (std::size_t i = 0; i < followup->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    lesions->GetBufferPointer()[i] = followup->GetBufferPointer()[i] >= 300.0f ? 1 : 0;
  const auto baselineLabels = WithWhiteMatter(baseline, Labels(baseline).first);
  using namespace icanscan::pipeline;
  const auto levels = NormalLevelsForFilling(MeasureStructureLevels(followup, labels, lesions),
                                             MeasureStructureLevels(baseline, baselineLabels, nullptr));
  ASSERT_TRUE(levels.count(static_cast<unsigned char>(Structure::ThalamusLeft)));
  EXPECT_NEAR(levels.at(static_cast<unsigned char>(Structure::ThalamusLeft)), 200.0, 5.0);
  const auto filled = FillLesions(followup, lesions, labels, levels);
  const auto change = MeasureVolumeChangeSinceBaseline(filled.image, baseline, nullptr, labels, brain, filled.unfilled,
                                                       {}, filled.filled);
  EXPECT_NEAR(change.changePct.at("thalamus_left"), 20.0, 5.0);
  EXPECT_LT(std::abs(change.changePct.at("thalamus_right")), 5.0) << "filled and not swollen: unchanged";
  // Filled, the lesions drive the metric by their boundaries but do not count as seen (their own signal changed).
  EXPECT_DOUBLE_EQ(change.seenFraction.at("thalamus_left"), 0.0);
  EXPECT_DOUBLE_EQ(change.seenFraction.at("thalamus_right"), 0.0);
  EXPECT_GT(change.seenFraction.at("white_matter_left"), 0.8) << "only the white matter within 2 mm of them is not";
  // Left out of the metric instead, the change inside is interpolated from the unchanged surroundings.
  const auto masked = MeasureVolumeChangeSinceBaseline(followup, baseline, nullptr, labels, brain, lesions);
  std::cout << "filled " << change.changePct.at("thalamus_left") << " %, left out "
            << masked.changePct.at("thalamus_left") << " %\n";
  EXPECT_LT(masked.changePct.at("thalamus_left"), change.changePct.at("thalamus_left") - 5.0);
}

} // namespace
