#include "pipeline/input/ConvertStage.h"

#include "core/Error.h"
#include "synthetic/DemoStudy.h"
#include "dicom/VolumeReader.h"

#include "itkImageFileReader.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;

class ConvertStageTest : public ::testing::Test
{
protected:
  static void SetUpTestSuite()
  {
    s_Root = fs::temp_directory_path() / ("icanscan convert ünïcode " + std::to_string(::getpid()));
    fs::remove_all(s_Root);
    synthetic::WriteDemoStudy(s_Root / "study", 3);
    s_Index = dicom::BuildStudyIndex(s_Root / "study");
  }
  static void TearDownTestSuite() { fs::remove_all(s_Root); }

  static const dicom::VolumeSet & SetWithRole(dicom::SeriesRole role)
  {
    for (const auto & set : s_Index.volumeSets)
      if (set.role == role)
        return set;
    throw std::runtime_error("no set with role " + dicom::ToString(role));
  }

  static fs::path s_Root;
  static dicom::StudyIndex s_Index;
};
fs::path ConvertStageTest::s_Root;
dicom::StudyIndex ConvertStageTest::s_Index;

TEST_F(ConvertStageTest, WritesNamedVolumesSidecarsAndDiffusionFiles)
{
  pipeline::ConvertParams params;
  params.outputFolder = s_Root / "out";
  const auto result = pipeline::ConvertStage(params).Run(s_Index);
  EXPECT_TRUE(result.failures.empty());
  EXPECT_EQ(result.converted, s_Index.CountUsable());

  const auto & dwi = SetWithRole(dicom::SeriesRole::DWI);
  const fs::path stem = params.outputFolder / pipeline::ConvertStage::OutputStem(dwi);
  EXPECT_EQ(stem.filename().string().rfind("3_DWI_", 0), 0u) << stem;
  std::ifstream bval(stem.string() + ".bval");
  double b0 = -1, b1 = -1;
  bval >> b0 >> b1;
  EXPECT_EQ(b0, 0.0);
  EXPECT_EQ(b1, 1000.0);

  using Image4 = itk::Image<float, 4>;
  auto reader = itk::ImageFileReader<Image4>::New();
  reader->SetFileName(stem.string() + ".nii.gz");
  reader->Update();
  EXPECT_EQ(reader->GetOutput()->GetLargestPossibleRegion().GetSize()[3], 2u) << "b0 + b1000 as one 4D image";

  std::ifstream sidecar(stem.string() + ".json");
  const auto json = nlohmann::json::parse(sidecar);
  EXPECT_EQ(json.at("IcanscanRole"), "DWI");
  EXPECT_FALSE(json.contains("PatientName"));
  EXPECT_FALSE(json.contains("PatientID"));
}

TEST_F(ConvertStageTest, WrittenVoxelsEqualDecodedDicom)
{
  const auto & t2 = SetWithRole(dicom::SeriesRole::T2);
  const auto volumes = dicom::ReadVolumes(t2);
  pipeline::ConvertParams params;
  params.outputFolder = s_Root / "out-values";
  pipeline::ConvertStage(params).Run(s_Index);
  auto reader = itk::ImageFileReader<dicom::VolumeImage>::New();
  reader->SetFileName((params.outputFolder / (pipeline::ConvertStage::OutputStem(t2) + ".nii.gz")).string());
  reader->Update();
  const auto * written = reader->GetOutput();
  ASSERT_EQ(written->GetLargestPossibleRegion().GetSize(), volumes[0]->GetLargestPossibleRegion().GetSize());
  const std::size_t n = written->GetLargestPossibleRegion().GetNumberOfPixels();
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i)
    worst = std::max(worst, std::abs(double(written->GetBufferPointer()[i]) - volumes[0]->GetBufferPointer()[i]));
  EXPECT_LE(worst, 1e-3);
  for (unsigned d = 0; d < 3; ++d)
  {
    EXPECT_NEAR(written->GetOrigin()[d], volumes[0]->GetOrigin()[d], 1e-3);
    EXPECT_NEAR(written->GetSpacing()[d], volumes[0]->GetSpacing()[d], 1e-4);
    for (unsigned e = 0; e < 3; ++e)
      EXPECT_NEAR(written->GetDirection()(d, e), volumes[0]->GetDirection()(d, e), 1e-5);
  }
}

TEST_F(ConvertStageTest, LogListsSkippedFilesAndRejectedSets)
{
  dicom::StudyIndex index = s_Index;
  index.skipped.push_back({ "/some/notes.txt", "not a DICOM file", false, {} });
  index.volumeSets.front().verdict = dicom::Verdict::Rejected;
  index.volumeSets.front().messages = { "missing slice(s): test" };
  pipeline::ConvertParams params;
  params.outputFolder = s_Root / "out-log";
  const auto result = pipeline::ConvertStage(params).Run(index);
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_FALSE(result.failures[0].corruptInput);
  std::ifstream log(result.log);
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("skipped_file\t/some/notes.txt\tnot a DICOM file"), std::string::npos) << text;
  EXPECT_NE(text.find("rejected_series\t" + index.volumeSets.front().id), std::string::npos) << text;
}

TEST_F(ConvertStageTest, UnwritableOutputThrowsOutputError)
{
  const fs::path blocker = s_Root / "a-file";
  std::ofstream(blocker) << "x";
  pipeline::ConvertParams params;
  params.outputFolder = blocker / "sub";
  EXPECT_THROW(pipeline::ConvertStage(params).Run(s_Index), OutputError);
}
} // namespace
