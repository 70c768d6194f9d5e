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

/** A valid value other than the default: the first candidate that passes validation when set alone. */
double OtherValidValue(const icanscan::pipeline::RunSetting & s)
{
  const double d = s.defaultValue;
  for (const double candidate : { d * 1.1, d * 0.9, d + 0.05, d - 0.05, d + 1.0, d - 1.0 })
  {
    RunParams p;
    s.ref(p) = candidate;
    try
    {
      icanscan::pipeline::ValidateRunParams(p);
      if (candidate != d)
        return candidate;
    }
    catch (const ConfigError &)
    {
    }
  }
  ADD_FAILURE() << s.key << ": no valid value near the default " << d;
  return d;
}

/** Every declared setting with a valid non-default value: the declarations are the contract under test. */
std::vector<Key> AllKeys()
{
  std::vector<Key> keys;
  for (const auto & s : icanscan::pipeline::RunSettings())
    keys.push_back({ s.section, s.key, s.ref, OtherValidValue(s) });
  return keys;
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

TEST(RunSettings, KeysAreUniqueAndEachSetsItsOwnMember)
{
  const auto & settings = icanscan::pipeline::RunSettings();
  ASSERT_GE(settings.size(), 20u);
  for (std::size_t a = 0; a < settings.size(); ++a)
    for (std::size_t b = a + 1; b < settings.size(); ++b)
    {
      EXPECT_FALSE(std::string(settings[a].section) == settings[b].section &&
                   std::string(settings[a].key) == settings[b].key)
        << "duplicate key " << settings[a].key;
      RunParams p;
      EXPECT_NE(&settings[a].ref(p), &settings[b].ref(p)) << settings[a].key << " and " << settings[b].key;
    }
}

TEST(RunSettings, DefaultsAreValidAndWhatAParamsStructStartsWith)
{
  RunParams p;
  EXPECT_NO_THROW(icanscan::pipeline::ValidateRunParams(p));
  for (const auto & s : icanscan::pipeline::RunSettings())
    EXPECT_EQ(s.ref(p), s.defaultValue) << s.key;
}

/** The tables of docs/config.md are generated from the declarations (`icanscan config --markdown`): any difference
 * means the doc and the code disagree. */
TEST(RunSettings, DocsConfigTablesMatchTheDeclarations)
{
  const fs::path doc = fs::path(ICANSCAN_SOURCE_DIR) / "docs" / "config.md";
  std::ifstream in(doc);
  ASSERT_TRUE(in) << doc;
  std::ostringstream text;
  text << in.rdbuf();
  for (const auto & section : icanscan::pipeline::RunConfigSections())
  {
    const std::string table = icanscan::pipeline::RunConfigMarkdownTable(section);
    const std::string heading = "## [" + section + "]";
    const auto at = text.str().find(heading);
    ASSERT_NE(at, std::string::npos) << doc << " has no section " << heading;
    const auto start = text.str().find("| key |", at);
    ASSERT_NE(start, std::string::npos) << heading << " has no settings table";
    const auto end = text.str().find("\n\n", start);
    EXPECT_EQ(text.str().substr(start, end - start + 1), table)
      << "docs/config.md " << heading << " differs from the declarations; regenerate it with `icanscan config "
      << "--markdown`";
  }
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
