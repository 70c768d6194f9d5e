#include "pipeline/detection/StudyFindings.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace
{
using icanscan::ConfigError;
using icanscan::FindingKind;
using icanscan::InputError;
using icanscan::Laterality;
using icanscan::pipeline::Finding;
using icanscan::pipeline::InvolvementParams;
using icanscan::pipeline::LesionDetectionResult;
using icanscan::pipeline::Structure;
using icanscan::pipeline::StructureBase;
using icanscan::pipeline::StudyFindings;
using icanscan::pipeline::SummariseFindings;
using icanscan::pipeline::TissuePool;
using icanscan::pipeline::ToJson;
using icanscan::pipeline::ValidateInvolvementParams;
using Mask = LesionDetectionResult::Mask;
using Image = LesionDetectionResult::Image;

constexpr unsigned kNx = 30;
constexpr unsigned kNy = 20;
constexpr unsigned kNz = 10;

/** Half-open voxel box [x0, x1) x [y0, y1) x [z0, z1). */
struct Box
{
  unsigned x0, x1, y0, y1, z0, z1;
  std::size_t Voxels() const { return std::size_t{ x1 - x0 } * (y1 - y0) * (z1 - z0); }
};

template<typename TImage>
typename TImage::Pointer NewImage(double spacingZ = 1.0)
{
  auto image = TImage::New();
  typename TImage::RegionType region;
  region.SetSize({ kNx, kNy, kNz });
  image->SetRegions(region);
  typename TImage::SpacingType spacing;
  spacing[0] = 1.0;
  spacing[1] = 1.0;
  spacing[2] = spacingZ;
  image->SetSpacing(spacing);
  image->Allocate(true);
  return image;
}

template<typename TImage>
void Fill(TImage * image, const Box & box, typename TImage::PixelType value)
{
  for (unsigned z = box.z0; z < box.z1; ++z)
    for (unsigned y = box.y0; y < box.y1; ++y)
      for (unsigned x = box.x0; x < box.x1; ++x)
        image->SetPixel({ x, y, z }, value);
}

constexpr unsigned char Label(Structure s)
{
  return static_cast<unsigned char>(s);
}

// 1 mm voxels (0.001 ml). Thalami of 8 x 10 x 5 voxels (0.4 ml) either side of the ventricles (LPS: +x is left), the
// corpus callosum body behind them; everything else unlabelled.
constexpr Box kThalamusRight{ 4, 12, 5, 15, 2, 7 };
constexpr Box kVentricles{ 12, 16, 5, 15, 2, 7 };
constexpr Box kThalamusLeft{ 16, 24, 5, 15, 2, 7 };
constexpr Box kCallosumBody{ 10, 20, 16, 19, 2, 7 };

Mask::Pointer Labels(double spacingZ = 1.0)
{
  auto labels = NewImage<Mask>(spacingZ);
  Fill<Mask>(labels, kThalamusRight, Label(Structure::ThalamusRight));
  Fill<Mask>(labels, kVentricles, Label(Structure::LateralVentricles));
  Fill<Mask>(labels, kThalamusLeft, Label(Structure::ThalamusLeft));
  Fill<Mask>(labels, kCallosumBody, Label(Structure::CorpusCallosumBody));
  return labels;
}

/** A detection result with empty T2/FLAIR and restriction masks (both assessed, nothing found). */
LesionDetectionResult EmptyDetection(double spacingZ = 1.0)
{
  LesionDetectionResult d;
  d.t2flair = NewImage<Mask>(spacingZ);
  d.restricted = NewImage<Mask>(spacingZ);
  d.shineThrough = NewImage<Mask>(spacingZ);
  d.hyperintensitySequence = "FLAIR";
  return d;
}

/** Involvement by volume only: 0.02 ml (20 voxels); no attribution. */
InvolvementParams ByVolume()
{
  InvolvementParams p;
  p.minMl = 0.02;
  p.minFraction = 0.0;
  p.fractionCapMl = 1000.0;
  p.attributionMm = 0.0;
  return p;
}

StudyFindings Summarise(const LesionDetectionResult & d,
                        const Mask * labels,
                        const InvolvementParams & params,
                        const Mask * propagated = nullptr,
                        const Image * hyperintensity = nullptr)
{
  return SummariseFindings(d, labels, propagated, hyperintensity, params);
}

std::vector<Finding> OfKind(const StudyFindings & f, FindingKind kind)
{
  std::vector<Finding> out;
  for (const auto & finding : f.findings)
    if (finding.kind == kind)
      out.push_back(finding);
  return out;
}

TEST(StudyFindings, InvolvementNeedsTheMinimumVolume)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  Fill<Mask>(d.t2flair, { 17, 22, 6, 9, 3, 4 }, 1); // 15 voxels: 0.015 ml
  auto below = Summarise(d, labels, ByVolume());
  const auto & left = below.structures.at("thalamus_left");
  EXPECT_DOUBLE_EQ(left.volumeMl, 0.4);
  ASSERT_TRUE(left.hyperintenseMl);
  EXPECT_NEAR(*left.hyperintenseMl, 0.015, 1e-12);
  ASSERT_TRUE(left.t2flairInvolved);
  EXPECT_FALSE(*left.t2flairInvolved);
  EXPECT_TRUE(below.findings.empty());
  ASSERT_EQ(below.lesions.size(), 1u); // the lesion is listed, just not a finding
  EXPECT_EQ(below.lesions[0].mainStructure, "thalamus_left");
  EXPECT_EQ(below.lesions[0].kind, FindingKind::T2FlairHyperintensity);
  EXPECT_NEAR(below.lesions[0].volumeMl, 0.015, 1e-12);

  Fill<Mask>(d.t2flair, { 17, 22, 6, 11, 3, 4 }, 1); // 25 voxels: 0.025 ml
  auto above = Summarise(d, labels, ByVolume());
  ASSERT_TRUE(above.structures.at("thalamus_left").t2flairInvolved);
  EXPECT_TRUE(*above.structures.at("thalamus_left").t2flairInvolved);
  EXPECT_FALSE(*above.structures.at("thalamus_right").t2flairInvolved);
  ASSERT_EQ(above.findings.size(), 1u);
  const auto & f = above.findings[0];
  EXPECT_EQ(f.id, 1);
  EXPECT_EQ(f.kind, FindingKind::T2FlairHyperintensity);
  EXPECT_EQ(f.structure, "thalamus");
  EXPECT_EQ(f.laterality, Laterality::Left);
  EXPECT_NEAR(f.volumeMl, 0.025, 1e-12);
  EXPECT_DOUBLE_EQ(f.centroidMm[0], 19.0);
  EXPECT_DOUBLE_EQ(f.centroidMm[1], 8.0);
  EXPECT_DOUBLE_EQ(f.centroidMm[2], 3.0);
}

TEST(StudyFindings, InvolvementByFractionIsCappedInMillilitres)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  Fill<Mask>(d.t2flair, { 17, 24, 6, 11, 3, 4 }, 1); // 35 voxels: 0.035 ml of a 0.4 ml thalamus (8.75 %)
  InvolvementParams fraction = ByVolume();
  fraction.minMl = 0.0;
  fraction.minFraction = 0.1; // 0.04 ml
  EXPECT_FALSE(*Summarise(d, labels, fraction).structures.at("thalamus_left").t2flairInvolved);
  InvolvementParams capped = fraction;
  capped.fractionCapMl = 0.03; // min(0.04, 0.03)
  EXPECT_TRUE(*Summarise(d, labels, capped).structures.at("thalamus_left").t2flairInvolved);
  Fill<Mask>(d.t2flair, { 17, 24, 6, 12, 3, 4 }, 1); // 42 voxels
  EXPECT_TRUE(*Summarise(d, labels, fraction).structures.at("thalamus_left").t2flairInvolved);
  // The minimum volume still applies above the fraction.
  InvolvementParams both = fraction;
  both.minMl = 0.05;
  EXPECT_FALSE(*Summarise(d, labels, both).structures.at("thalamus_left").t2flairInvolved);
}

TEST(StudyFindings, StructureWithoutLesionIsNeverInvolved)
{
  const auto labels = Labels();
  const auto d = EmptyDetection(); // T2/FLAIR assessed, nothing found
  InvolvementParams byFraction = ByVolume();
  byFraction.minMl = 0.0;
  byFraction.minFraction = 0.1;
  const auto out = Summarise(d, labels, byFraction);
  EXPECT_FALSE(*out.structures.at("thalamus_left").t2flairInvolved);
  EXPECT_FALSE(*out.structures.at("hippocampus_left").t2flairInvolved); // not in the labels: volume 0; gets true
  EXPECT_TRUE(out.findings.empty());                                    // gets a "bilateral" finding of 0 ml per base

  InvolvementParams zero = byFraction;
  zero.minFraction = 0.0;
  EXPECT_FALSE(*Summarise(d, labels, zero).structures.at("thalamus_left").t2flairInvolved); // gets true
}

TEST(StudyFindings, BothSidesMergeIntoOneBilateralFinding)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  Fill<Mask>(d.t2flair, { 17, 22, 6, 11, 3, 4 }, 1); // 25 voxels left, centroid x 19
  Fill<Mask>(d.t2flair, { 6, 11, 6, 11, 3, 5 }, 1);  // 50 voxels right, centroid x 8
  const auto out = Summarise(d, labels, ByVolume());
  EXPECT_TRUE(*out.structures.at("thalamus_left").t2flairInvolved);
  EXPECT_TRUE(*out.structures.at("thalamus_right").t2flairInvolved);
  ASSERT_EQ(out.findings.size(), 1u);
  const auto & f = out.findings[0];
  EXPECT_EQ(f.structure, "thalamus");
  EXPECT_EQ(f.laterality, Laterality::Bilateral);
  EXPECT_NEAR(f.volumeMl, 0.075, 1e-12);
  EXPECT_NEAR(f.centroidMm[0], (25 * 19.0 + 50 * 8.0) / 75.0, 1e-9);
  EXPECT_EQ(out.lesions.size(), 2u); // two separate lesions
}

TEST(StudyFindings, OneSideIsLeftOrRight)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  Fill<Mask>(d.t2flair, { 6, 11, 6, 11, 3, 4 }, 1);
  const auto out = Summarise(d, labels, ByVolume());
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].structure, "thalamus");
  EXPECT_EQ(out.findings[0].laterality, Laterality::Right);
  EXPECT_EQ(out.lesions.at(0).mainStructure, "thalamus_right");
}

TEST(StudyFindings, CorpusCallosumIsMidline)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  Fill<Mask>(d.t2flair, { 11, 19, 16, 19, 3, 4 }, 1); // 24 voxels
  const auto out = Summarise(d, labels, ByVolume());
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].structure, "corpus_callosum_body");
  EXPECT_EQ(out.findings[0].laterality, Laterality::Midline);
  EXPECT_TRUE(*out.structures.at("corpus_callosum_body").t2flairInvolved);
}

TEST(StudyFindings, RestrictedDiffusionIsItsOwnFinding)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  Fill<Mask>(d.restricted, { 6, 11, 6, 11, 3, 4 }, 1);
  Fill<Mask>(d.shineThrough, { 17, 22, 6, 8, 3, 4 }, 1); // 10 voxels in the left thalamus
  const auto out = Summarise(d, labels, ByVolume());
  const auto & right = out.structures.at("thalamus_right");
  EXPECT_TRUE(*right.diffusionRestricted);
  EXPECT_NEAR(*right.restrictedMl, 0.025, 1e-12);
  EXPECT_FALSE(*right.t2flairInvolved);
  EXPECT_NEAR(*out.structures.at("thalamus_left").shineThroughMl, 0.010, 1e-12);
  EXPECT_FALSE(*out.structures.at("thalamus_left").diffusionRestricted);
  EXPECT_TRUE(OfKind(out, FindingKind::T2FlairHyperintensity).empty());
  const auto restricted = OfKind(out, FindingKind::RestrictedDiffusion);
  ASSERT_EQ(restricted.size(), 1u);
  EXPECT_EQ(restricted[0].laterality, Laterality::Right);
  ASSERT_EQ(out.lesions.size(), 1u);
  EXPECT_EQ(out.lesions[0].kind, FindingKind::RestrictedDiffusion);
}

TEST(StudyFindings, MissingSequencesGiveNullNotFalse)
{
  const auto labels = Labels();
  LesionDetectionResult none; // neither T2/FLAIR nor diffusion assessable
  const auto out = Summarise(none, labels, ByVolume());
  ASSERT_EQ(out.structures.size(), 14u);
  for (const auto & [key, m] : out.structures)
  {
    EXPECT_FALSE(m.t2flairInvolved.has_value()) << key;
    EXPECT_FALSE(m.diffusionRestricted.has_value()) << key;
    EXPECT_FALSE(m.hyperintenseMl.has_value()) << key;
    EXPECT_FALSE(m.restrictedMl.has_value()) << key;
    EXPECT_FALSE(m.shineThroughMl.has_value()) << key;
    EXPECT_FALSE(m.adcMeanUm2s.has_value()) << key;
    EXPECT_FALSE(m.zMedian.has_value()) << key;
  }
  EXPECT_TRUE(out.findings.empty());
  EXPECT_TRUE(out.lesions.empty());
  const auto json = ToJson(out.structures.at("thalamus_left"));
  EXPECT_TRUE(json.at("t2flair_involved").is_null());
  EXPECT_TRUE(json.at("diffusion_restricted").is_null());
  EXPECT_DOUBLE_EQ(json.at("volume_ml").get<double>(), 0.4);

  // Hyperintensity assessed (empty), diffusion not: false on one side, null on the other.
  LesionDetectionResult t2Only;
  t2Only.t2flair = NewImage<Mask>();
  const auto half = Summarise(t2Only, labels, ByVolume());
  const auto & m = half.structures.at("thalamus_left");
  ASSERT_TRUE(m.t2flairInvolved.has_value());
  EXPECT_FALSE(*m.t2flairInvolved);
  EXPECT_FALSE(m.diffusionRestricted.has_value());
  EXPECT_TRUE(ToJson(m).at("t2flair_involved").is_boolean());
  // The ventricles are never a lesion site.
  EXPECT_FALSE(half.structures.at("lateral_ventricles").t2flairInvolved.has_value());
}

TEST(StudyFindings, UnlabelledLesionNextToAStructureIsAttributedWithinTheDistance)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  // y 0..4 just in front of the left thalamus (y >= 5): y 2..4 within 3 mm, y 0..1 farther. 5 x 5 x 2 = 50 voxels.
  Fill<Mask>(d.t2flair, { 17, 22, 0, 5, 3, 5 }, 1);
  InvolvementParams params = ByVolume();
  params.attributionMm = 3.0;
  const auto near = Summarise(d, labels, params);
  EXPECT_NEAR(*near.structures.at("thalamus_left").hyperintenseMl, 0.030, 1e-12);
  EXPECT_TRUE(*near.structures.at("thalamus_left").t2flairInvolved);
  ASSERT_EQ(near.lesions.size(), 1u);
  EXPECT_EQ(near.lesions[0].mainStructure, "thalamus_left"); // 30 attributed voxels against 20 unlabelled
  ASSERT_EQ(near.findings.size(), 1u);
  EXPECT_NEAR(near.findings[0].volumeMl, 0.030, 1e-12);
  // Own volumes do not change with attribution.
  EXPECT_DOUBLE_EQ(near.structures.at("thalamus_left").volumeMl, 0.4);

  params.attributionMm = 2.0;
  EXPECT_NEAR(*Summarise(d, labels, params).structures.at("thalamus_left").hyperintenseMl, 0.020, 1e-12);
  params.attributionMm = 0.0;
  const auto none = Summarise(d, labels, params);
  EXPECT_NEAR(*none.structures.at("thalamus_left").hyperintenseMl, 0.0, 1e-12);
  EXPECT_EQ(none.lesions.at(0).mainStructure, "other");
  EXPECT_TRUE(none.findings.empty());
}

TEST(StudyFindings, AttributionDistanceIsInMillimetresOnAnisotropicGrids)
{
  const auto labels = Labels(3.0); // thalami span z 2..6
  auto d = EmptyDetection(3.0);
  Fill<Mask>(d.t2flair, { 17, 22, 6, 11, 7, 10 }, 1); // 25 voxels per layer at 3, 6 and 9 mm above the left thalamus
  InvolvementParams params = ByVolume();
  params.attributionMm = 3.0;
  const auto out = Summarise(d, labels, params);
  EXPECT_NEAR(*out.structures.at("thalamus_left").hyperintenseMl, 25 * 0.003, 1e-12); // gets 75 * 0.003
}

TEST(StudyFindings, InPlaneAttributionStopsAtTheDistanceOnAnisotropicGrids)
{
  const auto labels = Labels(3.0);
  auto d = EmptyDetection(3.0);
  Fill<Mask>(d.t2flair, { 17, 22, 0, 5, 3, 5 }, 1); // as in the isotropic case: y 2..4 within 3 mm
  InvolvementParams params = ByVolume();
  params.attributionMm = 3.0;
  const auto out = Summarise(d, labels, params);
  EXPECT_NEAR(*out.structures.at("thalamus_left").hyperintenseMl, 30 * 0.003, 1e-12);
}

TEST(StudyFindings, PropagatedLabelsAttributeLesionsOutsideTheRefinedLabels)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  constexpr Box farAway{ 26, 30, 15, 20, 7, 10 }; // 60 voxels, more than 3 mm from every structure
  Fill<Mask>(d.t2flair, farAway, 1);
  InvolvementParams params = ByVolume();
  params.attributionMm = 3.0;
  const auto alone = Summarise(d, labels, params);
  EXPECT_EQ(alone.lesions.at(0).mainStructure, "other");
  EXPECT_NEAR(*alone.structures.at("thalamus_left").hyperintenseMl, 0.0, 1e-12);

  auto propagated = NewImage<Mask>();
  Fill<Mask>(propagated, farAway, Label(Structure::ThalamusLeft));
  const auto withAtlas = Summarise(d, labels, params, propagated);
  EXPECT_NEAR(*withAtlas.structures.at("thalamus_left").hyperintenseMl, 0.060, 1e-12);
  EXPECT_EQ(withAtlas.lesions.at(0).mainStructure, "thalamus_left");
  EXPECT_DOUBLE_EQ(withAtlas.structures.at("thalamus_left").volumeMl, 0.4);

  // A propagated ventricle label is not a lesion site.
  Fill<Mask>(propagated, farAway, Label(Structure::LateralVentricles));
  EXPECT_EQ(Summarise(d, labels, params, propagated).lesions.at(0).mainStructure, "other");
}

TEST(StudyFindings, LesionOnTheVentricleLabelGoesToTheAdjacentStructure)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  Fill<Mask>(d.t2flair, { 15, 16, 6, 11, 3, 7 }, 1); // 20 voxels of the ventricle label touching the left thalamus
  InvolvementParams params = ByVolume();
  params.attributionMm = 1.0;
  const auto out = Summarise(d, labels, params);
  EXPECT_NEAR(*out.structures.at("thalamus_left").hyperintenseMl, 0.020, 1e-12);
  EXPECT_FALSE(out.structures.at("lateral_ventricles").hyperintenseMl.has_value());
  EXPECT_EQ(out.lesions.at(0).mainStructure, "thalamus_left");
}

TEST(StudyFindings, AdcMeanAndRatioAgainstTheNormalReference)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  d.adcUm2s = NewImage<Image>();
  Fill<Image>(d.adcUm2s, kThalamusLeft, 700.0f);
  Fill<Image>(d.adcUm2s, { 16, 24, 5, 6, 2, 7 }, 3000.0f); // fluid: left out of the mean
  d.references["ADC"][static_cast<std::size_t>(TissuePool::DeepGrey)].stats.median = 800.0;
  const auto out = Summarise(d, labels, ByVolume());
  const auto & m = out.structures.at("thalamus_left");
  ASSERT_TRUE(m.adcMeanUm2s);
  EXPECT_DOUBLE_EQ(*m.adcMeanUm2s, 700.0);
  ASSERT_TRUE(m.adcRatio);
  EXPECT_DOUBLE_EQ(*m.adcRatio, 0.875);
  EXPECT_FALSE(out.structures.at("thalamus_right").adcMeanUm2s.has_value()); // ADC 0 there
}

TEST(StudyFindings, HyperintensityZMedianAgainstThePoolReference)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  auto & dg = d.references["FLAIR"][static_cast<std::size_t>(TissuePool::DeepGrey)].stats;
  dg.median = 100.0;
  dg.sigma = 10.0;
  dg.count = 1000;
  auto flair = NewImage<Image>();
  Fill<Image>(flair, kThalamusLeft, 130.0f);
  Fill<Image>(flair, kThalamusRight, 95.0f);
  const auto out = Summarise(d, labels, ByVolume(), nullptr, flair);
  ASSERT_TRUE(out.structures.at("thalamus_left").zMedian);
  EXPECT_NEAR(*out.structures.at("thalamus_left").zMedian, 3.0, 1e-6);
  EXPECT_NEAR(*out.structures.at("thalamus_right").zMedian, -0.5, 1e-6);
  EXPECT_FALSE(out.structures.at("white_matter_left").zMedian.has_value()); // not in the labels
}

TEST(StudyFindings, MasksOffTheLabelGridAreRejected)
{
  const auto labels = Labels();
  auto d = EmptyDetection();
  d.t2flair = NewImage<Mask>(2.0);
  EXPECT_THROW(Summarise(d, labels, ByVolume()), InputError);
  d = EmptyDetection();
  d.restricted = NewImage<Mask>(2.0);
  EXPECT_THROW(Summarise(d, labels, ByVolume()), InputError);
  d = EmptyDetection();
  const auto propagated = NewImage<Mask>(2.0);
  EXPECT_THROW(Summarise(d, labels, ByVolume(), propagated), InputError);
  EXPECT_THROW(Summarise(d, nullptr, ByVolume()), InputError);
}

TEST(StudyFindings, RejectsEveryOutOfRangeInvolvementParameter)
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  using Set = std::function<void(InvolvementParams &)>;
  const std::vector<std::pair<std::string, Set>> cases{
    { "min_ml", [](InvolvementParams & p) { p.minMl = -0.1; } },
    { "min_ml", [](InvolvementParams & p) { p.minMl = 100.1; } },
    { "min_ml", [nan](InvolvementParams & p) { p.minMl = nan; } },
    { "min_fraction", [](InvolvementParams & p) { p.minFraction = -0.1; } },
    { "min_fraction", [](InvolvementParams & p) { p.minFraction = 1.1; } },
    { "fraction_cap_ml", [](InvolvementParams & p) { p.fractionCapMl = -1; } },
    { "fraction_cap_ml", [](InvolvementParams & p) { p.fractionCapMl = 1000.1; } },
    { "attribution_mm", [](InvolvementParams & p) { p.attributionMm = -1; } },
    { "attribution_mm", [](InvolvementParams & p) { p.attributionMm = 20.1; } },
  };
  const auto labels = Labels();
  for (const auto & [name, set] : cases)
  {
    InvolvementParams params;
    set(params);
    EXPECT_THROW(ValidateInvolvementParams(params), ConfigError) << name;
    EXPECT_THROW(Summarise(EmptyDetection(), labels, params), ConfigError) << name;
    try
    {
      ValidateInvolvementParams(params);
    }
    catch (const ConfigError & e)
    {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(ValidateInvolvementParams({}));
}

TEST(StudyFindings, StructureBaseDropsOnlyTheSide)
{
  EXPECT_EQ(StructureBase("thalamus_left"), "thalamus");
  EXPECT_EQ(StructureBase("white_matter_right"), "white_matter");
  EXPECT_EQ(StructureBase("basal_ganglia_left"), "basal_ganglia");
  EXPECT_EQ(StructureBase("corpus_callosum_body"), "corpus_callosum_body");
  EXPECT_EQ(StructureBase("lateral_ventricles"), "lateral_ventricles");
  EXPECT_EQ(StructureBase("_left"), "_left");
  EXPECT_EQ(StructureBase(""), "");
}

} // namespace
