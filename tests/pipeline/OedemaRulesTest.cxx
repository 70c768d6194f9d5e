#include "pipeline/oedema/OedemaRules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace
{
using icanscan::OedemaFlag;
using icanscan::pipeline::DecideOedema;
using icanscan::pipeline::DiffuseCombinations;
using icanscan::pipeline::LesionSide;
using icanscan::pipeline::OedemaDecision;
using icanscan::pipeline::OedemaEvidence;
using icanscan::pipeline::OedemaMarkers;
using icanscan::pipeline::OedemaParams;
using icanscan::pipeline::OedemaRules;

/** The markers of a normal adult head: every CSF space as the atlas's, symmetric, no lesion, septum in the middle. */
OedemaMarkers Normal()
{
  OedemaMarkers m;
  m.intracranialMl = 1200;
  m.ventricleMl = 20;
  m.ventricleExpectedMl = 20;
  m.ventricleRatio = 1.0;
  m.ventricleLeftMl = 10;
  m.ventricleRightMl = 10.5;
  m.ventricleAsymmetry = 10.0 / 10.5;
  m.sulcalCsfMl = 80;
  m.sulcalCsfExpectedMl = 80;
  m.sulcalRatio = 1.0;
  m.cisternCsfMl = 8;
  m.cisternCsfExpectedMl = 8;
  m.cisternRatio = 1.0;
  m.cisternCoverage = 1.0;
  m.hemisphereCsfLeftMl = 50;
  m.hemisphereCsfRightMl = 50;
  m.lesionLeftMl = 0;
  m.lesionRightMl = 0;
  m.midlineShiftMm = 0.3;
  m.midlineMethod = "septum";
  return m;
}

/** A right-sided lesion of 20 ml. */
OedemaMarkers RightLesion()
{
  auto m = Normal();
  m.lesionRightMl = 20;
  return m;
}

const OedemaEvidence & Find(const OedemaDecision & d, const std::string & rule, const std::string & marker = "")
{
  for (const auto & e : d.evidence)
    if (e.rule == rule && (marker.empty() || e.marker == marker))
      return e;
  static const OedemaEvidence missing{};
  ADD_FAILURE() << "no evidence of " << rule << " " << marker;
  return missing;
}

bool Fired(const OedemaDecision & d, const std::string & rule)
{
  const auto & e = Find(d, rule);
  return e.measured && e.fired;
}

TEST(OedemaRules, ANormalHeadIsNoneAndNoSignFires)
{
  const auto d = DecideOedema(Normal(), {});
  EXPECT_EQ(d.flag, OedemaFlag::None);
  for (const auto & e : d.evidence)
    EXPECT_FALSE(e.fired) << e.rule;
  EXPECT_TRUE(Find(d, "diffuse.cisterns_effaced").measured);
  EXPECT_GT(Find(d, "diffuse.cisterns_effaced").margin, -1.0);
  EXPECT_LT(Find(d, "diffuse.cisterns_effaced").margin, 0.0); // short of the threshold by 0.5
}

TEST(OedemaRules, EveryRuleIdIsUniqueAndGivesEvidence)
{
  std::set<std::string> ids;
  for (const auto & rule : OedemaRules())
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
  auto m = RightLesion();
  m.swellingPct["thalamus_left"] = 3;
  m.contralateralSwellingPct["hippocampus_right"] = 4;
  m.baselineChangePct["thalamus_left"] = 2;
  const auto d = DecideOedema(m, {}, &m);
  for (const auto & id : ids)
    EXPECT_TRUE(std::any_of(d.evidence.begin(), d.evidence.end(), [&](const auto & e) { return e.rule == id; })) << id;
  for (const auto & c : DiffuseCombinations())
    for (const auto & r : c.rules)
      EXPECT_TRUE(ids.count(r)) << c.name << ": " << r;
}

TEST(OedemaRules, LesionSideNeedsVolumeAndDominance)
{
  OedemaParams p;
  auto m = Normal();
  EXPECT_EQ(LesionSide(m, p), -1);
  m.lesionLeftMl = 5;
  EXPECT_EQ(LesionSide(m, p), 0);
  m.lesionRightMl = 3; // less than twice
  EXPECT_EQ(LesionSide(m, p), -1);
  m.lesionRightMl = 1;
  m.lesionLeftMl = 1.5; // below min_ipsilateral_lesion_ml
  EXPECT_EQ(LesionSide(m, p), -1);
  EXPECT_EQ(LesionSide(RightLesion(), p), 1);
}

// Volume loss ---------------------------------------------------------------------------------------------------

TEST(OedemaRules, SeptumTowardsTheLesionIsVolumeLossAndSilencesTheShift)
{
  auto m = RightLesion();
  m.midlineShiftMm = -6.0; // towards the subject's right, the lesion side
  const auto d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "volume_loss.septum_towards_lesion"));
  EXPECT_NEAR(Find(d, "volume_loss.septum_towards_lesion").margin, 4.0, 1e-9);
  EXPECT_TRUE(Fired(d, "focal.large_midline_shift"));
  EXPECT_FALSE(Find(d, "focal.large_midline_shift").counted);
  EXPECT_EQ(d.flag, OedemaFlag::None);

  m.midlineShiftMm = -1.0;
  EXPECT_FALSE(Fired(DecideOedema(m, {}), "volume_loss.septum_towards_lesion"));
  m.midlineShiftMm = 3.0; // away from the lesion
  EXPECT_FALSE(Fired(DecideOedema(m, {}), "volume_loss.septum_towards_lesion"));
  EXPECT_FALSE(Find(DecideOedema(Normal(), {}), "volume_loss.septum_towards_lesion").measured);
}

TEST(OedemaRules, LargerVentricleOnTheLesionSideIsVolumeLoss)
{
  auto m = RightLesion();
  m.ventricleRightMl = 20;
  m.ventricleLeftMl = 9;
  m.ventricleAsymmetry = 9.0 / 20.0;
  const auto d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "volume_loss.ventricle_larger_on_lesion_side"));
  EXPECT_FALSE(Fired(d, "focal.ventricle_compressed_on_lesion_side"));
  EXPECT_EQ(d.flag, OedemaFlag::None);
  m.ventricleAsymmetry = 0.8; // within the normal asymmetry
  EXPECT_FALSE(Fired(DecideOedema(m, {}), "volume_loss.ventricle_larger_on_lesion_side"));
}

TEST(OedemaRules, WiderCsfOnTheLesionSideIsVolumeLoss)
{
  auto m = RightLesion();
  m.hemisphereCsfRightMl = 70;
  EXPECT_TRUE(Fired(DecideOedema(m, {}), "volume_loss.csf_larger_on_lesion_side"));
  m.hemisphereCsfRightMl = 55;
  EXPECT_FALSE(Fired(DecideOedema(m, {}), "volume_loss.csf_larger_on_lesion_side"));
}

// Focal ---------------------------------------------------------------------------------------------------------

TEST(OedemaRules, BilateralSwellingAgainstTheAtlasIsFocal)
{
  auto m = Normal();
  m.swellingPct["thalamus_left"] = 18;
  m.swellingPct["thalamus_right"] = 5;
  auto d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "focal.swelling"));
  EXPECT_EQ(d.flag, OedemaFlag::Focal);
  m.swellingPct["thalamus_left"] = 8;
  d = DecideOedema(m, {});
  EXPECT_FALSE(Fired(d, "focal.swelling"));
  EXPECT_EQ(d.flag, OedemaFlag::None);
}

TEST(OedemaRules, OneSidedSwellingIsJudgedAgainstTheOtherSide)
{
  auto m = Normal();
  m.swellingPct["thalamus_left"] = 30;             // the atlas reads it swollen ...
  m.contralateralSwellingPct["thalamus_left"] = 5; // ... but it matches the other side: normal variation
  auto d = DecideOedema(m, {});
  EXPECT_FALSE(Fired(d, "focal.contralateral_swelling"));
  EXPECT_EQ(d.flag, OedemaFlag::None);
  m.contralateralSwellingPct["thalamus_left"] = 22;
  d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "focal.contralateral_swelling"));
  EXPECT_EQ(d.flag, OedemaFlag::Focal);
}

TEST(OedemaRules, SwellingSinceBaselineIsFocalAndComesBeforeTheAtlas)
{
  const auto before = Normal();
  auto m = Normal();
  m.swellingPct["thalamus_left"] = 30;      // the atlas reads it swollen ...
  m.baselineChangePct["thalamus_left"] = 3; // ... the same head says it is not
  auto d = DecideOedema(m, {}, &before);
  EXPECT_FALSE(Fired(d, "focal.baseline_swelling"));
  EXPECT_TRUE(Fired(d, "focal.swelling"));
  EXPECT_FALSE(Find(d, "focal.swelling").counted);
  EXPECT_EQ(d.flag, OedemaFlag::None);
  m.baselineChangePct["thalamus_left"] = 16;
  d = DecideOedema(m, {}, &before);
  EXPECT_TRUE(Fired(d, "focal.baseline_swelling"));
  EXPECT_NEAR(Find(d, "focal.baseline_swelling").margin, 6.0, 1e-9);
  EXPECT_EQ(d.flag, OedemaFlag::Focal);
}

TEST(OedemaRules, AChangeSinceBaselineInterpolatedInsideTheLesionConfirmsSwellingButCannotRuleItOut)
{
  const auto before = Normal();
  auto m = Normal();
  m.swellingPct["thalamus_left"] = 30;           // the atlas reads it swollen ...
  m.baselineChangePct["thalamus_left"] = 3;      // ... the baseline registration reads no change ...
  m.baselineSeenFraction["thalamus_left"] = 0.1; // ... but saw only a tenth of it (the rest lesion)
  auto d = DecideOedema(m, {}, &before);
  EXPECT_TRUE(Find(d, "focal.swelling").counted);
  EXPECT_FALSE(Find(d, "focal.baseline_swelling").counted);
  EXPECT_EQ(d.flag, OedemaFlag::Focal);
  m.baselineSeenFraction["thalamus_left"] = 0.8; // seen: the baseline decides
  d = DecideOedema(m, {}, &before);
  EXPECT_FALSE(Find(d, "focal.swelling").counted);
  EXPECT_EQ(d.flag, OedemaFlag::None);
  m.swellingPct["thalamus_left"] = 5; // unseen but swollen since baseline: confirmed
  m.baselineChangePct["thalamus_left"] = 14;
  m.baselineSeenFraction["thalamus_left"] = 0.1;
  d = DecideOedema(m, {}, &before);
  EXPECT_TRUE(Find(d, "focal.baseline_swelling").counted);
  EXPECT_EQ(d.flag, OedemaFlag::Focal);
}

TEST(OedemaRules, ShiftAwayFromTheLesionIsFocal)
{
  auto m = RightLesion();
  m.midlineShiftMm = 3.0; // towards the left, away from the right-sided lesion
  auto d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "focal.midline_shift_away"));
  EXPECT_EQ(d.flag, OedemaFlag::Focal);
  m.midlineShiftMm = 1.0;
  EXPECT_FALSE(Fired(DecideOedema(m, {}), "focal.midline_shift_away"));
  EXPECT_EQ(DecideOedema(m, {}).flag, OedemaFlag::None);
}

TEST(OedemaRules, ALargeShiftCountsAloneUnlessTowardsALesion)
{
  auto m = Normal();
  m.midlineShiftMm = -5.5;
  auto d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "focal.large_midline_shift"));
  EXPECT_TRUE(Find(d, "focal.large_midline_shift").counted);
  EXPECT_EQ(d.flag, OedemaFlag::Focal);
  m.midlineShiftMm = -4.5;
  EXPECT_FALSE(Fired(DecideOedema(m, {}), "focal.large_midline_shift"));
}

TEST(OedemaRules, SmallerVentricleOnTheLesionSideIsFocal)
{
  auto m = RightLesion();
  m.ventricleRightMl = 5;
  m.ventricleLeftMl = 11;
  m.ventricleAsymmetry = 5.0 / 11.0;
  auto d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "focal.ventricle_compressed_on_lesion_side"));
  EXPECT_EQ(d.flag, OedemaFlag::Focal);
  m.ventricleAsymmetry = 0.8;
  EXPECT_FALSE(Fired(DecideOedema(m, {}), "focal.ventricle_compressed_on_lesion_side"));
  // The same asymmetry without a lesion on either side is not mass effect.
  auto noLesion = Normal();
  noLesion.ventricleAsymmetry = 0.4;
  EXPECT_FALSE(Find(DecideOedema(noLesion, {}), "focal.ventricle_compressed_on_lesion_side").measured);
}

TEST(OedemaRules, VolumeLossSilencesEveryMassEffectSign)
{
  auto m = RightLesion();
  m.hemisphereCsfRightMl = 80; // ex vacuo on the right
  m.midlineShiftMm = 3.0;      // would be a shift away
  const auto d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "focal.midline_shift_away"));
  EXPECT_FALSE(Find(d, "focal.midline_shift_away").counted);
  EXPECT_EQ(d.flag, OedemaFlag::None);
}

// Diffuse -------------------------------------------------------------------------------------------------------

TEST(OedemaRules, SmallVentriclesAndTightSulciAloneAreANormalVariant)
{
  auto m = Normal();
  m.ventricleRatio = 0.3;
  m.sulcalRatio = 0.3;
  const auto d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "diffuse.ventricles_small"));
  EXPECT_TRUE(Fired(d, "diffuse.sulci_effaced"));
  EXPECT_EQ(d.flag, OedemaFlag::None);
}

TEST(OedemaRules, EffacedCisternsAloneAreNotDiffuse)
{
  auto m = Normal();
  m.cisternRatio = 0.2;
  const auto d = DecideOedema(m, {});
  EXPECT_TRUE(Fired(d, "diffuse.cisterns_effaced"));
  EXPECT_EQ(d.flag, OedemaFlag::None);
}

TEST(OedemaRules, EffacedCisternsWithSmallVentriclesOrTightSulciAreDiffuse)
{
  auto m = Normal();
  m.cisternRatio = 0.2;
  m.ventricleRatio = 0.4;
  EXPECT_EQ(DecideOedema(m, {}).flag, OedemaFlag::Diffuse);
  m.ventricleRatio = 1.0;
  m.sulcalRatio = 0.4;
  EXPECT_EQ(DecideOedema(m, {}).flag, OedemaFlag::Diffuse);
  m.swellingPct["thalamus_left"] = 40; // focal signs too: diffuse wins
  EXPECT_EQ(DecideOedema(m, {}).flag, OedemaFlag::Diffuse);
}

TEST(OedemaRules, WithoutCisternsOrBaselineDiffuseIsNotAssessable)
{
  auto m = Normal();
  m.cisternRatio = NAN;
  m.cisternCoverage = 0.3;
  auto d = DecideOedema(m, {});
  EXPECT_EQ(d.flag, OedemaFlag::NotAssessable);
  EXPECT_FALSE(Find(d, "diffuse.cisterns_effaced").measured);
  // A focal sign is still a finding.
  m.midlineShiftMm = 6;
  EXPECT_EQ(DecideOedema(m, {}).flag, OedemaFlag::Focal);
  // The baseline decides without cisterns.
  m.midlineShiftMm = 0;
  const auto before = Normal();
  EXPECT_EQ(DecideOedema(m, {}, &before).flag, OedemaFlag::None);
}

TEST(OedemaRules, TheBaselineDecidesBeforeTheNormativeSigns)
{
  const auto before = Normal();
  auto m = Normal();
  m.ventricleMl = 12; // -40 %
  m.sulcalCsfMl = 56; // -30 %
  auto d = DecideOedema(m, {}, &before);
  EXPECT_TRUE(Fired(d, "diffuse.baseline_ventricles_shrank"));
  EXPECT_TRUE(Fired(d, "diffuse.baseline_sulci_shrank"));
  EXPECT_NEAR(Find(d, "diffuse.baseline_ventricles_shrank").value, -40.0, 1e-9);
  EXPECT_EQ(d.flag, OedemaFlag::Diffuse);

  // Normatively effaced, but unchanged since baseline: the same head says none.
  auto small = Normal();
  small.cisternRatio = 0.2;
  small.ventricleRatio = 0.3;
  EXPECT_EQ(DecideOedema(small, {}).flag, OedemaFlag::Diffuse);
  d = DecideOedema(small, {}, &small);
  EXPECT_EQ(d.flag, OedemaFlag::None);
  EXPECT_FALSE(Find(d, "diffuse.cisterns_effaced").counted);
}

TEST(OedemaRules, CisternsShrinkingSinceBaselineCountWithOneOtherSpace)
{
  const auto before = Normal();
  auto m = Normal();
  m.cisternCsfMl = 4; // -50 %
  auto d = DecideOedema(m, {}, &before);
  EXPECT_TRUE(Fired(d, "diffuse.baseline_cisterns_shrank"));
  EXPECT_EQ(d.flag, OedemaFlag::None);
  m.sulcalCsfMl = 50;
  EXPECT_EQ(DecideOedema(m, {}, &before).flag, OedemaFlag::Diffuse);
}

} // namespace
