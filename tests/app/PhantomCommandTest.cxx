#include "CliRunner.h"

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

class PhantomCommandTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    m_Root = fs::temp_directory_path() / ("icanscan-phantom-cli " + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_Root);
  }
  void TearDown() override { fs::remove_all(m_Root); }
  fs::path m_Root;
};

TEST_F(PhantomCommandTest, UnknownCaseExitsTwoListingTheCases)
{
  const auto run = RunIcanscan({ "phantom", "thalamus", "-o", (m_Root / "out").string() });
  EXPECT_EQ(run.code, 2) << run.err;
  EXPECT_NE(run.err.find("thalamic_bilateral"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("baseline_followup"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(m_Root / "out"));
}

TEST_F(PhantomCommandTest, BadGeometryOrMissingOutputExitsTwo)
{
  EXPECT_EQ(RunIcanscan({ "phantom", "normal", "-o", m_Root.string(), "--geometry", "2d" }).code, 2);
  EXPECT_EQ(RunIcanscan({ "phantom", "normal" }).code, 2);
}

TEST_F(PhantomCommandTest, MissingAtlasExitsThreeNamingTheFile)
{
  const auto run =
    RunIcanscan({ "phantom", "normal", "-o", (m_Root / "out").string(), "--atlas", (m_Root / "no atlas").string() });
  EXPECT_EQ(run.code, 3) << run.err;
  EXPECT_NE(run.err.find("ch2.nii.gz"), std::string::npos) << run.err;
}

TEST_F(PhantomCommandTest, BadAnatomyOrVendorExitsWithItsCodeNamingTheFile)
{
  const auto missing =
    RunIcanscan({ "phantom", "normal", "-o", (m_Root / "out").string(), "--anatomy", (m_Root / "nö.toml").string() });
  EXPECT_EQ(missing.code, 2) << missing.err;
  EXPECT_NE(missing.err.find("nö.toml"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(m_Root / "out"));
  EXPECT_EQ(RunIcanscan({ "phantom", "normal", "-o", m_Root.string(), "--vendor", "canon" }).code, 2);
  EXPECT_EQ(RunIcanscan({ "phantom", "normal", "-o", m_Root.string(), "--variability", "maybe" }).code, 2);
  // A descriptor whose images are not there: exit code 4, naming the missing image.
  fs::create_directories(m_Root);
  std::ofstream(m_Root / "a.toml") << "format = \"icanscan-anatomy-1\"\nname = \"a\"\n[t1]\nfile = \"t1.nii.gz\"\n"
                                      "[brain_mask]\nfile = \"m.nii.gz\"\n[tissue]\nfile = \"t.nii.gz\"\ncsf = 1\n"
                                      "gm = 2\nwm = 3\n[labels.x]\nfile = \"l.nii.gz\"\n";
  const auto absent =
    RunIcanscan({ "phantom", "normal", "-o", (m_Root / "out").string(), "--anatomy", (m_Root / "a.toml").string() });
  EXPECT_EQ(absent.code, 4) << absent.err;
  EXPECT_NE(absent.err.find("t1.nii.gz"), std::string::npos) << absent.err;
}

TEST_F(PhantomCommandTest, WritesAStudyOnceIntoAFolder)
{
  if (!fs::exists("/usr/share/mricron/templates/ch2.nii.gz"))
    GTEST_SKIP() << "/usr/share/mricron/templates is absent (Debian package mricron-data)";
  const fs::path out = m_Root / "stüdy";
  const auto run = RunIcanscan({ "phantom", "normal", "-o", out.string(), "--seed", "9" });
  ASSERT_EQ(run.code, 0) << run.err;
  std::ifstream in(out / "truth" / "truth.json");
  const auto truth = nlohmann::json::parse(in);
  EXPECT_EQ(truth.at("case"), "normal");
  EXPECT_EQ(truth.at("seed"), 9);
  EXPECT_EQ(truth.at("series").size(), 4u);
  for (const char * file : { "labels.nii.gz", "lesion_t2flair.nii.gz", "lesion_dwi.nii.gz", "T2_true_transform.tfm",
                             "FLAIR_true_transform.tfm", "DWI_true_transform.tfm", "ADC_true_transform.tfm" })
    EXPECT_TRUE(fs::exists(out / "truth" / file)) << file;
  // A second study into the same folder would mix series: refused as an output problem.
  EXPECT_EQ(RunIcanscan({ "phantom", "normal", "-o", out.string() }).code, 6);
}

} // namespace
