#include "pipeline/oedema/OedemaAssessment.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace
{
using icanscan::ConfigError;
using icanscan::pipeline::AssessOedema;
using icanscan::pipeline::Atlas;
using icanscan::pipeline::OedemaAssessment;
using icanscan::OedemaFlag;
using icanscan::pipeline::OedemaInput;
using icanscan::pipeline::OedemaParams;
using icanscan::pipeline::ToJson;
using icanscan::pipeline::ValidateOedemaParams;
using Mask = OedemaInput::Mask;
using Transform = itk::CompositeTransform<double, 3>;

Mask::Pointer SmallMask()
{
  auto mask = Mask::New();
  Mask::RegionType region;
  region.SetSize({ 8, 8, 8 });
  mask->SetRegions(region);
  mask->Allocate(true);
  return mask;
}

bool HasNote(const OedemaAssessment & a, const std::string & text)
{
  for (const auto & note : a.notes)
    if (note.find(text) != std::string::npos)
      return true;
  return false;
}

/** Every input present except what the test removes. The atlas and transform are empty: AssessOedema must not reach
 * them when it returns not assessable. */
struct Inputs
{
  Mask::Pointer labels = SmallMask();
  Mask::Pointer tissue = SmallMask();
  Mask::Pointer brain = SmallMask();
  Mask::Pointer hyperintense = SmallMask();
  Transform::Pointer transform = Transform::New();
  Atlas atlas;

  OedemaInput Input() const
  {
    OedemaInput in;
    in.labels = labels;
    in.tissue = tissue;
    in.brainMask = brain;
    in.hyperintense = hyperintense;
    in.subjectToAtlas = transform;
    in.atlas = &atlas;
    return in;
  }
};

TEST(OedemaAssessment, WithoutHyperintensityMaskItIsNotAssessable)
{
  const Inputs inputs;
  auto in = inputs.Input();
  in.hyperintense = nullptr;
  const auto result = AssessOedema(in, {});
  EXPECT_EQ(result.flag, OedemaFlag::NotAssessable);
  EXPECT_TRUE(HasNote(result, "no usable T2 or FLAIR"));
  EXPECT_TRUE(result.reasons.empty());
  EXPECT_TRUE(std::isnan(result.markers.ventricleMl));
  const auto json = ToJson(result);
  EXPECT_EQ(json.at("flag"), "not_assessable");
  EXPECT_TRUE(json.at("markers").at("lateral_ventricles_ml").is_null());
  EXPECT_TRUE(json.at("reasons").empty());
}

TEST(OedemaAssessment, WithoutSegmentationItIsNotAssessable)
{
  const Inputs inputs;
  for (const auto & remove :
       std::vector<std::function<void(OedemaInput &)>>{
         [](OedemaInput & in) { in.labels = nullptr; }, [](OedemaInput & in) { in.tissue = nullptr; },
         [](OedemaInput & in) { in.brainMask = nullptr; }, [](OedemaInput & in) { in.subjectToAtlas = nullptr; },
         [](OedemaInput & in) { in.atlas = nullptr; },
         [](OedemaInput & in)
         {
           in.labels = nullptr;
           in.hyperintense = nullptr;
         } })
  {
    auto in = inputs.Input();
    remove(in);
    const auto result = AssessOedema(in, {});
    EXPECT_EQ(result.flag, OedemaFlag::NotAssessable);
    EXPECT_TRUE(HasNote(result, "no structure segmentation"));
    EXPECT_TRUE(result.reasons.empty());
  }
}

TEST(OedemaAssessment, AcceptsTheDefaultsAndTheEdgesOfEveryRange)
{
  EXPECT_NO_THROW(ValidateOedemaParams({}));
  OedemaParams low;
  low.swellingPct = 0;
  low.midlineShiftMm = 0.001;
  low.ventricleAsymmetryMax = 0.001;
  low.ventricleRatioMax = 0.001;
  low.sulcalRatioMax = 0.001;
  low.baselineVentricleChangePct = -100;
  low.baselineSulcalChangePct = -100;
  low.minIpsilateralLesionMl = 0;
  EXPECT_NO_THROW(ValidateOedemaParams(low));
  OedemaParams high;
  high.swellingPct = 200;
  high.midlineShiftMm = 50;
  high.ventricleAsymmetryMax = 1;
  high.ventricleRatioMax = 1;
  high.sulcalRatioMax = 1;
  high.baselineVentricleChangePct = -0.001;
  high.baselineSulcalChangePct = -0.001;
  high.minIpsilateralLesionMl = 1000;
  EXPECT_NO_THROW(ValidateOedemaParams(high));
}

TEST(OedemaAssessment, RejectsEveryOutOfRangeParameterNamingIt)
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  using Set = std::function<void(OedemaParams &)>;
  const std::vector<std::pair<std::string, Set>> cases{
    { "swelling_pct", [](OedemaParams & p) { p.swellingPct = -1; } },
    { "swelling_pct", [](OedemaParams & p) { p.swellingPct = 201; } },
    { "swelling_pct", [nan](OedemaParams & p) { p.swellingPct = nan; } },
    { "midline_shift_mm", [](OedemaParams & p) { p.midlineShiftMm = 0; } },
    { "midline_shift_mm", [](OedemaParams & p) { p.midlineShiftMm = 51; } },
    { "ventricle_asymmetry_max", [](OedemaParams & p) { p.ventricleAsymmetryMax = 0; } },
    { "ventricle_asymmetry_max", [](OedemaParams & p) { p.ventricleAsymmetryMax = 1.01; } },
    { "ventricle_ratio_max", [](OedemaParams & p) { p.ventricleRatioMax = 0; } },
    { "ventricle_ratio_max", [](OedemaParams & p) { p.ventricleRatioMax = 1.01; } },
    { "sulcal_ratio_max", [](OedemaParams & p) { p.sulcalRatioMax = -0.5; } },
    { "sulcal_ratio_max", [nan](OedemaParams & p) { p.sulcalRatioMax = nan; } },
    { "baseline_ventricle_change_pct", [](OedemaParams & p) { p.baselineVentricleChangePct = 0; } },
    { "baseline_ventricle_change_pct", [](OedemaParams & p) { p.baselineVentricleChangePct = -101; } },
    { "baseline_sulcal_change_pct", [](OedemaParams & p) { p.baselineSulcalChangePct = 5; } },
    { "baseline_sulcal_change_pct", [](OedemaParams & p) { p.baselineSulcalChangePct = -100.5; } },
    { "min_ipsilateral_lesion_ml", [](OedemaParams & p) { p.minIpsilateralLesionMl = -0.1; } },
    { "min_ipsilateral_lesion_ml", [](OedemaParams & p) { p.minIpsilateralLesionMl = 1000.5; } },
  };
  const Inputs inputs;
  for (const auto & [name, set] : cases)
  {
    OedemaParams params;
    set(params);
    EXPECT_THROW(ValidateOedemaParams(params), ConfigError) << name;
    // Rejected before anything else, even when the oedema would not be assessable.
    auto in = inputs.Input();
    in.hyperintense = nullptr;
    EXPECT_THROW(AssessOedema(in, params), ConfigError) << name;
    try
    {
      ValidateOedemaParams(params);
    }
    catch (const ConfigError & e)
    {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

} // namespace
