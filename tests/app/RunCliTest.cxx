#include "CliRunner.h"

#include "synthetic/DemoStudy.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;

using icanscan::test::CliRun;
using icanscan::test::RunIcanscan;

class RunCliTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    m_Root = fs::temp_directory_path() / ("icanscan-cli " + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_Root);
    fs::create_directories(m_Root);
  }
  void TearDown() override { fs::remove_all(m_Root); }
  fs::path m_Root;
};

TEST_F(RunCliTest, VersionAndHelpExitZero)
{
  const auto version = RunIcanscan({ "--version" });
  EXPECT_EQ(version.code, 0);
  EXPECT_NE(version.out.find("icanscan "), std::string::npos);
  for (const char * sub : { "index", "convert", "demo" })
  {
    const auto help = RunIcanscan({ sub, "--help" });
    EXPECT_EQ(help.code, 0) << sub;
    EXPECT_NE(help.out.find(sub), std::string::npos) << help.out;
  }
}

TEST_F(RunCliTest, UsageErrorsExitTwo)
{
  EXPECT_EQ(RunIcanscan({}).code, 2);
  EXPECT_EQ(RunIcanscan({ "index" }).code, 2);
  EXPECT_EQ(RunIcanscan({ "convert", m_Root.string() }).code, 2) << "missing -o";
  EXPECT_EQ(RunIcanscan({ "frobnicate" }).code, 2);
  const auto badRole = RunIcanscan({ "index", m_Root.string(), "--role", "3=PET" });
  EXPECT_EQ(badRole.code, 2);
  EXPECT_NE(badRole.err.find("3=PET"), std::string::npos) << badRole.err;
}

TEST_F(RunCliTest, NoDicomExitsFourNamingTheFolder)
{
  const auto missing = RunIcanscan({ "index", (m_Root / "nowhere").string() });
  EXPECT_EQ(missing.code, 4);
  EXPECT_NE(missing.err.find("nowhere"), std::string::npos);
  EXPECT_EQ(RunIcanscan({ "index", m_Root.string() }).code, 4) << "empty folder";
  std::ofstream(m_Root / "notes.txt") << "no images here\n";
  const fs::path out = m_Root.parent_path() / (m_Root.filename().string() + "-out"); // OUT inside STUDY is refused
  const auto text = RunIcanscan({ "convert", m_Root.string(), "-o", out.string() });
  EXPECT_EQ(text.code, 4) << text.err;
  EXPECT_FALSE(fs::exists(out / "icanscan_convert_log.tsv")) << "nothing written when nothing is usable";
  fs::remove_all(out);
}

TEST_F(RunCliTest, DemoIndexConvertRoundTrip)
{
  const fs::path study = m_Root / "stüdy with space";
  ASSERT_EQ(RunIcanscan({ "demo", study.string() }).code, 0);
  const auto index = RunIcanscan({ "index", study.string(), "--json" });
  ASSERT_EQ(index.code, 0) << index.err;
  const auto json = nlohmann::json::parse(index.out);
  std::map<std::string, int> roles;
  for (const auto & s : json.at("series"))
    ++roles[s.at("role").get<std::string>()];
  EXPECT_EQ(roles["T2"], 1);
  EXPECT_EQ(roles["FLAIR"], 1);
  EXPECT_EQ(roles["DWI"], 1);
  EXPECT_EQ(roles["ADC"], 1);
  EXPECT_EQ(roles["localizer"], 3);

  const auto overridden = RunIcanscan({ "index", study.string(), "--json", "--role", "1=other" });
  const auto j2 = nlohmann::json::parse(overridden.out);
  EXPECT_EQ(j2.at("series").at(0).at("role"), "other");
  EXPECT_EQ(j2.at("series").at(0).at("role_overridden"), true);

  const auto convert = RunIcanscan({ "convert", study.string(), "-o", (m_Root / "nifti").string() });
  EXPECT_EQ(convert.code, 0) << convert.err;
  std::size_t niftis = 0;
  for (const auto & entry : fs::directory_iterator(m_Root / "nifti"))
    niftis += entry.path().string().find(".nii.gz") != std::string::npos;
  EXPECT_EQ(niftis, json.at("series").size()) << "one NIfTI per accepted volume set";
  EXPECT_NE(convert.out.find("_DWI_"), std::string::npos);
  EXPECT_NE(convert.out.find(".bval"), std::string::npos);
}

TEST_F(RunCliTest, UnwritableOutputExitsSix)
{
  const fs::path study = m_Root / "study";
  ASSERT_EQ(RunIcanscan({ "demo", study.string() }).code, 0);
  std::ofstream(m_Root / "file") << "x";
  const auto result = RunIcanscan({ "convert", study.string(), "-o", (m_Root / "file" / "out").string() });
  EXPECT_EQ(result.code, 6);
  EXPECT_NE(result.err.find("file/out"), std::string::npos) << result.err;
}

TEST_F(RunCliTest, ExecutableSmokeTest)
{
  const std::string command =
    std::string("'") + ICANSCAN_EXECUTABLE + "' --version > '" + (m_Root / "v.txt").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(m_Root / "v.txt");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.rfind("icanscan ", 0), 0u) << line;
  const std::string bad =
    std::string("'") + ICANSCAN_EXECUTABLE + "' index '" + (m_Root / "none").string() + "' 2> /dev/null";
  EXPECT_EQ(WEXITSTATUS(std::system(bad.c_str())), 4);
}
} // namespace
