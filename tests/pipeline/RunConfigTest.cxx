#include "pipeline/RunConfig.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace
{
namespace fs = std::filesystem;
using icanscan::ConfigError;
using icanscan::pipeline::LoadRunConfig;
using icanscan::pipeline::RunConfigToToml;
using icanscan::pipeline::RunParams;

/** One config key, the field it sets and a valid non-default value for it. */
struct Key
{
  std::string section;
  std::string name;
  std::function<double &(RunParams &)> field;
  double value;
};

std::vector<Key> AllKeys()
{
  return {
    { "detection", "hyper_seed_z", [](RunParams & p) -> double & { return p.detection.hyperSeedZ; }, 5.5 },
    { "detection", "hyper_grow_z", [](RunParams & p) -> double & { return p.detection.hyperGrowZ; }, 2.25 },
    { "detection", "t2_confirm_z", [](RunParams & p) -> double & { return p.detection.t2ConfirmZ; }, 1.5 },
    { "detection", "dwi_seed_z", [](RunParams & p) -> double & { return p.detection.dwiSeedZ; }, 4.5 },
    { "detection", "dwi_grow_z", [](RunParams & p) -> double & { return p.detection.dwiGrowZ; }, 2.75 },
    { "detection", "adc_ratio_max", [](RunParams & p) -> double & { return p.detection.adcRatioMax; }, 0.8 },
    { "detection", "adc_z_max", [](RunParams & p) -> double & { return p.detection.adcZMax; }, -2.5 },
    { "detection", "shine_through_adc_ratio",
      [](RunParams & p) -> double & { return p.detection.shineThroughAdcRatio; }, 1.1 },
    { "detection", "fluid_adc_um2s", [](RunParams & p) -> double & { return p.detection.fluidAdcUm2s; }, 2200 },
    { "detection", "min_lesion_ml", [](RunParams & p) -> double & { return p.detection.minLesionMl; }, 0.07 },
    { "detection", "min_restricted_native_voxels",
      [](RunParams & p) -> double & { return p.detection.minRestrictedNativeVoxels; }, 4 },
    { "detection", "edge_fraction", [](RunParams & p) -> double & { return p.detection.edgeFraction; }, 0.3 },
    { "detection", "wm_deep_grey_ratio_max", [](RunParams & p) -> double & { return p.detection.wmDeepGreyRatioMax; },
      1.2 },
    { "detection", "normal_wm_deep_grey_ratio",
      [](RunParams & p) -> double & { return p.detection.normalWmDeepGreyRatio; }, 0.85 },
    { "detection", "deep_grey_wm_ratio_max", [](RunParams & p) -> double & { return p.detection.deepGreyWmRatioMax; },
      1.5 },
    { "detection", "normal_deep_grey_wm_ratio",
      [](RunParams & p) -> double & { return p.detection.normalDeepGreyWmRatio; }, 1.2 },
    { "involvement", "min_ml", [](RunParams & p) -> double & { return p.involvement.minMl; }, 0.3 },
    { "involvement", "min_fraction", [](RunParams & p) -> double & { return p.involvement.minFraction; }, 0.1 },
    { "involvement", "fraction_cap_ml", [](RunParams & p) -> double & { return p.involvement.fractionCapMl; }, 2.0 },
    { "involvement", "attribution_mm", [](RunParams & p) -> double & { return p.involvement.attributionMm; }, 4.0 },
    { "oedema", "swelling_pct", [](RunParams & p) -> double & { return p.oedema.swellingPct; }, 15.0 },
    { "oedema", "midline_shift_mm", [](RunParams & p) -> double & { return p.oedema.midlineShiftMm; }, 3.0 },
    { "oedema", "ventricle_asymmetry_max", [](RunParams & p) -> double & { return p.oedema.ventricleAsymmetryMax; },
      0.65 },
    { "oedema", "ventricle_ratio_max", [](RunParams & p) -> double & { return p.oedema.ventricleRatioMax; }, 0.75 },
    { "oedema", "sulcal_ratio_max", [](RunParams & p) -> double & { return p.oedema.sulcalRatioMax; }, 0.55 },
    { "oedema", "baseline_ventricle_change_pct",
      [](RunParams & p) -> double & { return p.oedema.baselineVentricleChangePct; }, -30.0 },
    { "oedema", "baseline_sulcal_change_pct",
      [](RunParams & p) -> double & { return p.oedema.baselineSulcalChangePct; }, -20.0 },
    { "oedema", "min_ipsilateral_lesion_ml", [](RunParams & p) -> double & { return p.oedema.minIpsilateralLesionMl; },
      2.5 },
  };
}

class RunConfig : public ::testing::Test
{
protected:
  void SetUp() override
  {
    const auto * test = ::testing::UnitTest::GetInstance()->current_test_info();
    m_Folder = fs::temp_directory_path() /
               ("icanscan run config ü " + std::to_string(::getpid()) + " " + std::string(test->name()));
    fs::create_directories(m_Folder);
  }
  void TearDown() override { fs::remove_all(m_Folder); }

  fs::path Write(const std::string & text, const std::string & name = "réglages run.toml")
  {
    const fs::path file = m_Folder / name;
    std::ofstream(file) << text;
    return file;
  }

  /** The ConfigError message of loading `text`; fails the test when nothing is thrown. */
  std::string ErrorOf(const std::string & text)
  {
    const fs::path file = Write(text);
    try
    {
      LoadRunConfig(file);
    }
    catch (const ConfigError & e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find(file.string()), std::string::npos) << "message does not name the file: " << message;
      return message;
    }
    ADD_FAILURE() << "no ConfigError for:\n" << text;
    return {};
  }

  fs::path m_Folder;
};

TEST_F(RunConfig, EmptyFileGivesTheDefaults)
{
  RunParams loaded = LoadRunConfig(Write(""));
  RunParams defaults;
  for (const auto & key : AllKeys())
    EXPECT_EQ(key.field(loaded), key.field(defaults)) << key.name;
}

TEST_F(RunConfig, OverridesOnlyTheGivenKeys)
{
  RunParams loaded = LoadRunConfig(Write("[detection]\nhyper_seed_z = 5.5\n\n[involvement]\nmin_ml = 0.3\n"));
  EXPECT_DOUBLE_EQ(loaded.detection.hyperSeedZ, 5.5);
  EXPECT_DOUBLE_EQ(loaded.involvement.minMl, 0.3);
  RunParams defaults;
  for (const auto & key : AllKeys())
  {
    if (key.name != "hyper_seed_z" && key.name != "min_ml")
    {
      EXPECT_EQ(key.field(loaded), key.field(defaults)) << key.name;
    }
  }
}

TEST_F(RunConfig, IntegerValuesAreNumbers)
{
  RunParams loaded = LoadRunConfig(Write("[detection]\nfluid_adc_um2s = 2500\n[oedema]\nswelling_pct = 20\n"));
  EXPECT_DOUBLE_EQ(loaded.detection.fluidAdcUm2s, 2500.0);
  EXPECT_DOUBLE_EQ(loaded.oedema.swellingPct, 20.0);
}

TEST_F(RunConfig, EveryKeySetsItsOwnField)
{
  std::string text;
  std::string section;
  for (const auto & key : AllKeys())
  {
    if (key.section != section)
      text += "[" + (section = key.section) + "]\n";
    std::ostringstream line;
    line.precision(17);
    line << key.name << " = " << key.value << (key.value == static_cast<long>(key.value) ? ".0" : "") << "\n";
    text += line.str();
  }
  RunParams loaded = LoadRunConfig(Write(text));
  for (const auto & key : AllKeys())
    EXPECT_EQ(key.field(loaded), key.value) << key.section << "." << key.name;
}

TEST_F(RunConfig, UnknownSectionNamesTheFileAndSection)
{
  const auto message = ErrorOf("[detektion]\nhyper_seed_z = 5\n");
  EXPECT_NE(message.find("[detektion]"), std::string::npos) << message;
  // A known name that is a value, not a table, is not a section either.
  EXPECT_NE(ErrorOf("detection = 5\n").find("detection"), std::string::npos);
  // Top-level keys outside every section.
  EXPECT_NE(ErrorOf("hyper_seed_z = 5\n").find("hyper_seed_z"), std::string::npos);
}

TEST_F(RunConfig, UnknownKeyNamesTheFileAndKey)
{
  const auto message = ErrorOf("[detection]\nhyper_seed = 5.0\n");
  EXPECT_NE(message.find("'hyper_seed'"), std::string::npos) << message;
  // A real key in the wrong section is unknown there.
  const auto wrongSection = ErrorOf("[oedema]\nmin_ml = 0.3\n");
  EXPECT_NE(wrongSection.find("'min_ml'"), std::string::npos) << wrongSection;
  EXPECT_NE(wrongSection.find("[oedema]"), std::string::npos) << wrongSection;
}

TEST_F(RunConfig, NonNumericValuesAreRejected)
{
  for (const std::string value : { "\"5\"", "true", "[5.0]", "{ a = 5.0 }", "1979-05-27" })
  {
    const auto message = ErrorOf("[detection]\nhyper_seed_z = " + value + "\n");
    EXPECT_NE(message.find("hyper_seed_z"), std::string::npos) << value << ": " << message;
    EXPECT_NE(message.find("must be a number"), std::string::npos) << value << ": " << message;
  }
}

TEST_F(RunConfig, OutOfRangeValuesAreRejected)
{
  const auto involvement = ErrorOf("[involvement]\nmin_ml = 200.0\n");
  EXPECT_NE(involvement.find("min_ml"), std::string::npos) << involvement;
  EXPECT_NE(involvement.find("200"), std::string::npos) << involvement;
  const auto oedema = ErrorOf("[oedema]\nbaseline_sulcal_change_pct = 10.0\n");
  EXPECT_NE(oedema.find("baseline_sulcal_change_pct"), std::string::npos) << oedema;
  const auto detection = ErrorOf("[detection]\nhyper_seed_z = 50.0\n");
  EXPECT_NE(detection.find("50"), std::string::npos) << detection;
  // Values valid alone but not together: grow above seed.
  ErrorOf("[detection]\nhyper_seed_z = 3.0\nhyper_grow_z = 3.5\n");
  ErrorOf("[detection]\nmin_lesion_ml = nan\n");
  ErrorOf("[detection]\nfluid_adc_um2s = inf\n");
}

TEST_F(RunConfig, OutOfRangeDetectionValueNamesTheConfigKey)
{
  const auto message = ErrorOf("[detection]\nhyper_seed_z = 50.0\n");
  EXPECT_NE(message.find("hyper_seed_z"), std::string::npos) << message;
}

TEST_F(RunConfig, UnparseableFileIsAConfigError)
{
  const auto message = ErrorOf("[detection\nhyper_seed_z = 5.0\n");
  EXPECT_NE(message.find("not a valid TOML"), std::string::npos) << message;
  ErrorOf("[detection]\nhyper_seed_z = \n");
  ErrorOf("[detection]\nhyper_seed_z = 5.0\nhyper_seed_z = 6.0\n"); // duplicate key
}

TEST_F(RunConfig, MissingFileIsAConfigError)
{
  const fs::path file = m_Folder / "does not exist.toml";
  try
  {
    LoadRunConfig(file);
    ADD_FAILURE() << "no ConfigError for a missing file";
  }
  catch (const ConfigError & e)
  {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
}

TEST_F(RunConfig, FolderIsNotAConfigFile)
{
  EXPECT_THROW(LoadRunConfig(m_Folder), ConfigError);
}

TEST_F(RunConfig, TomlRoundTripsTheDefaults)
{
  const std::string text = RunConfigToToml(RunParams{});
  EXPECT_NE(text.find("[detection]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[involvement]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[oedema]\n"), std::string::npos) << text;
  RunParams loaded = LoadRunConfig(Write(text));
  RunParams defaults;
  for (const auto & key : AllKeys())
  {
    EXPECT_EQ(key.field(loaded), key.field(defaults)) << key.name;
    EXPECT_NE(text.find("\n" + key.name + " = "), std::string::npos) << key.name;
  }
}

TEST_F(RunConfig, TomlRoundTripsEveryValueExactly)
{
  RunParams params;
  for (const auto & key : AllKeys())
    key.field(params) = key.value;
  // Values without a short decimal form must survive too.
  params.involvement.minFraction = 1.0 / 3.0;
  params.detection.adcRatioMax = 0.1 + 0.7;
  params.oedema.swellingPct = 12.000000000000002;
  const std::string text = RunConfigToToml(params);
  RunParams loaded = LoadRunConfig(Write(text));
  for (const auto & key : AllKeys())
    EXPECT_EQ(key.field(loaded), key.field(params)) << key.name << " in\n" << text;
  // And the written text is stable.
  EXPECT_EQ(RunConfigToToml(loaded), text);
}

} // namespace
