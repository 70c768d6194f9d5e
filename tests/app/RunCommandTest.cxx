// `icanscan run` and `icanscan grade` on bad input: each fails fast, with its documented exit code, a message naming
// the file, and nothing written to OUT. (Whole runs on phantom studies are the end-to-end tests, tests/e2e.)
#include "CliRunner.h"

#include "synthetic/DemoStudy.h"

#include "itkImageFileReader.h"
#include "itkRGBPixel.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using icanscan::test::RunIcanscan;

class RunCommandTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    m_Root = fs::temp_directory_path() / ("icanscan-run ü " + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_Root);
    fs::create_directories(m_Root);
  }
  void TearDown() override { fs::remove_all(m_Root); }

  /** The demo study (T2, FLAIR, DWI, ADC, localizers) in m_Root/study. */
  fs::path DemoStudy()
  {
    const fs::path study = m_Root / "study";
    icanscan::synthetic::WriteDemoStudy(study);
    return study;
  }
  fs::path m_Root;
};

TEST_F(RunCommandTest, EmptyFolderExitsFour)
{
  fs::create_directories(m_Root / "empty");
  const auto r = RunIcanscan({ "run", (m_Root / "empty").string(), "-o", (m_Root / "out").string() });
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(m_Root / "out"));
}

TEST_F(RunCommandTest, NonDicomFilesOnlyExitFour)
{
  fs::create_directories(m_Root / "docs");
  std::ofstream(m_Root / "docs" / "notes.txt") << "not an image\n";
  std::ofstream(m_Root / "docs" / "scan.dcm") << "DICM? no, just text pretending\n";
  const auto r = RunIcanscan({ "run", (m_Root / "docs").string(), "-o", (m_Root / "out").string() });
  EXPECT_EQ(r.code, 4);
  EXPECT_FALSE(fs::exists(m_Root / "out"));
}

// Files named as NIfTI that cannot be read are damaged input (exit 5, README), not an absence of images (exit 4).
TEST_F(RunCommandTest, NiftiFolderWithOnlyDamagedFilesExitsFiveNamingEachFile)
{
  fs::create_directories(m_Root / "nifti");
  std::ofstream(m_Root / "nifti" / "sub-01_T2w.nii.gz") << "x";
  std::ofstream(m_Root / "nifti" / "sub-01_FLAIR.nii") << "not an image either";
  const auto r = RunIcanscan({ "run", (m_Root / "nifti").string(), "-o", (m_Root / "out").string() });
  EXPECT_EQ(r.code, 5) << r.err;
  EXPECT_NE(r.err.find("none can be used"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sub-01_T2w.nii.gz"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sub-01_FLAIR.nii"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(m_Root / "out"));
}

TEST_F(RunCommandTest, RejectedReferenceSeriesExitsFour)
{
  const fs::path study = DemoStudy();
  // The only T2/FLAIR left has lost a middle slice: its geometry is rejected, so there is no reference.
  fs::remove_all(study / "2_FLAIR_AX");
  std::vector<fs::path> t2;
  for (const auto & e : fs::directory_iterator(study / "1_T2_TSE_AX"))
    t2.push_back(e.path());
  ASSERT_GE(t2.size(), 5u);
  std::sort(t2.begin(), t2.end());
  fs::remove(t2[t2.size() / 2]);
  const auto index = RunIcanscan({ "index", study.string(), "--json" });
  ASSERT_EQ(index.code, 0);
  const auto json = nlohmann::json::parse(index.out);
  EXPECT_EQ(json.at("series").at(0).at("verdict"), "rejected") << "the gapped T2 must be rejected";
  const auto r = RunIcanscan({ "run", study.string(), "-o", (m_Root / "out").string() });
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("no usable T2 or FLAIR"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(m_Root / "out"));
}

TEST_F(RunCommandTest, UnwritableOutputExitsSixBeforeAnyWork)
{
  const fs::path study = DemoStudy();
  std::ofstream(m_Root / "file") << "x";
  const auto r = RunIcanscan({ "run", study.string(), "-o", (m_Root / "file" / "out").string() });
  EXPECT_EQ(r.code, 6);
  EXPECT_NE(r.err.find("file"), std::string::npos) << r.err;
}

TEST_F(RunCommandTest, BadConfigAndClinicalInputExitThreeNamingTheFile)
{
  const fs::path study = DemoStudy();
  std::ofstream(m_Root / "bad.toml") << "[detection]\nhyper_seed_z = 99\n";
  const auto config =
    RunIcanscan({ "run", study.string(), "-o", (m_Root / "out").string(), "--config", (m_Root / "bad.toml").string() });
  EXPECT_EQ(config.code, 3);
  EXPECT_NE(config.err.find("bad.toml"), std::string::npos) << config.err;
  EXPECT_NE(config.err.find("hyper_seed_z"), std::string::npos) << config.err;
  std::ofstream(m_Root / "clinical.json") << R"({"ice_score": 11})";
  const auto clinical = RunIcanscan(
    { "run", study.string(), "-o", (m_Root / "out").string(), "--clinical", (m_Root / "clinical.json").string() });
  EXPECT_EQ(clinical.code, 3);
  EXPECT_NE(clinical.err.find("clinical.json"), std::string::npos) << clinical.err;
  EXPECT_FALSE(fs::exists(m_Root / "out"));
}

TEST_F(RunCommandTest, GradeCombinesClinicalInputWithTheReport)
{
  std::ofstream(m_Root / "report.json") << R"({"oedema": {"flag": "focal"}})";
  std::ofstream(m_Root / "clinical.json") << R"({"ice_score": 8, "seizure": "none"})";
  const auto r = RunIcanscan(
    { "grade", "--report", (m_Root / "report.json").string(), "--clinical", (m_Root / "clinical.json").string() });
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("oedema_domain_grade"), 3);
  EXPECT_EQ(j.at("grade"), 3);
  const auto imagingOnly = nlohmann::json::parse(RunIcanscan({ "grade", "--oedema", "diffuse" }).out);
  EXPECT_EQ(imagingOnly.at("oedema_domain_grade"), 4);
  EXPECT_TRUE(imagingOnly.at("grade").is_null());
  EXPECT_EQ(RunIcanscan({ "grade", "--oedema", "severe" }).code, 2);
}

TEST_F(RunCommandTest, ViewShowsADicomStudyAsAcquired)
{
  if (std::getenv("DISPLAY") == nullptr)
    GTEST_SKIP() << "no X display (ctest runs under xvfb-run -a)";
  const fs::path study = DemoStudy();
  const fs::path png = m_Root / "study.png";
  const auto r = RunIcanscan({ "view", study.string(), "--snapshot", png.string(), "--plane", "axial" });
  ASSERT_EQ(r.code, 0) << r.err;
  using Rgb = itk::Image<itk::RGBPixel<unsigned char>, 2>;
  auto reader = itk::ImageFileReader<Rgb>::New();
  reader->SetFileName(png.string());
  reader->Update();
  const auto * image = reader->GetOutput();
  std::size_t bright = 0;
  for (std::size_t i = 0; i < image->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    bright += image->GetBufferPointer()[i][0] > 60;
  EXPECT_GT(bright, image->GetLargestPossibleRegion().GetNumberOfPixels() / 20) << "the T2 slice is drawn";
  EXPECT_NE(r.err.find("shown as acquired"), std::string::npos) << r.err;
  EXPECT_EQ(RunIcanscan({ "view", (m_Root / "nothing here").string(), "--snapshot", png.string() }).code, 4);
}

} // namespace
