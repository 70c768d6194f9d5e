#include "batch/BidsDerivatives.h"

#include "BatchTestFiles.h"
#include "batch/BidsNaming.h"
#include "core/Error.h"

#include <gtest/gtest.h>

namespace icanscan::batch
{
namespace
{
namespace fs = std::filesystem;
using test::ReadFile;
using test::TempFolder;
using test::WriteFile;

class BidsDerivativesTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    raw = tmp.Path() / "raw";
    for (const char * f : { "sub-01/ses-1/anat/sub-01_ses-1_T2w.nii.gz", "sub-01/ses-1/anat/sub-01_ses-1_T2w.json",
                            "sub-01/ses-1/anat/sub-01_ses-1_FLAIR.nii.gz", "sub-01/ses-1/dwi/sub-01_ses-1_dwi.nii.gz",
                            "sub-01/ses-1/dwi/sub-01_ses-1_dwi.bval", "sub-01/ses-1/dwi/sub-01_ses-1_dwi.bvec" })
      WriteFile(raw / f, f);
    WriteFile(raw / "dataset_description.json", R"({"Name": "cohort", "DatasetVersion": "2"})");
    dataset = ScanBidsDataset(raw, {}, {});
    runOut = tmp.Path() / "runs" / "sub-01_ses-1";
    WriteFile(runOut / "report.json", test::SampleReport().dump());
    WriteFile(runOut / "report.html", "<html>report</html>");
    WriteFile(runOut / "volumes" / "labels.nii.gz", "LABELS");
    WriteFile(runOut / "volumes" / "lesion_t2flair.nii.gz", "T2FLAIR");
  }
  TempFolder tmp;
  fs::path raw, runOut;
  BidsDataset dataset;
};

TEST_F(BidsDerivativesTest, SessionStudyLinksEveryFileAndNamesItsRole)
{
  const auto study = PrepareSessionStudy(dataset.sessions[0], tmp.Path() / "links");
  EXPECT_EQ(study.id, "sub-01_ses-1");
  EXPECT_EQ(study.study, tmp.Path() / "links");
  EXPECT_EQ(study.roles,
            (std::vector<std::string>{ "sub-01_ses-1_FLAIR=FLAIR", "sub-01_ses-1_T2w=T2", "sub-01_ses-1_dwi=DWI" }));
  EXPECT_TRUE(fs::is_symlink(tmp.Path() / "links" / "sub-01_ses-1_dwi.bval"));
  EXPECT_EQ(ReadFile(tmp.Path() / "links" / "sub-01_ses-1_T2w.json"), "sub-01/ses-1/anat/sub-01_ses-1_T2w.json");
  WriteFile(tmp.Path() / "links" / "stale.nii.gz", "");
  PrepareSessionStudy(dataset.sessions[0], tmp.Path() / "links");
  EXPECT_FALSE(fs::exists(tmp.Path() / "links" / "stale.nii.gz")) << "the link folder is made anew";
}

TEST_F(BidsDerivativesTest, DatasetDescriptionFollowsTheDerivativesRules)
{
  const auto d = DerivativeDescription(dataset, "0.1.0");
  EXPECT_EQ(d["Name"], "icanscan ICANS imaging: cohort");
  EXPECT_EQ(d["BIDSVersion"], "1.8.0");
  EXPECT_EQ(d["DatasetType"], "derivative");
  ASSERT_TRUE(d["GeneratedBy"].is_array());
  EXPECT_EQ(d["GeneratedBy"][0]["Name"], "icanscan");
  EXPECT_EQ(d["GeneratedBy"][0]["Version"], "0.1.0");
  ASSERT_TRUE(d["SourceDatasets"].is_array());
  EXPECT_EQ(d["SourceDatasets"][0]["URL"], "file://" + raw.string());
  EXPECT_EQ(d["SourceDatasets"][0]["Version"], "2");
  EXPECT_EQ(d["DatasetLinks"]["raw"], "file://" + raw.string());
}

TEST_F(BidsDerivativesTest, SessionFilesAreNamedByTheRulesAndImagesHaveSidecars)
{
  const fs::path out = tmp.Path() / "derivatives";
  const auto written = WriteSessionDerivatives(out, dataset, dataset.sessions[0], runOut);
  const fs::path anat = out / "sub-01" / "ses-1" / "anat";
  std::vector<std::string> names;
  for (const auto & f : written)
  {
    names.push_back(f.filename().string());
    EXPECT_EQ(CheckBidsName(f.filename().string(), BidsDerivativeSuffixes(), BidsDerivativeExtensions()), "") << f;
    if (f.extension() == ".gz")
    {
      fs::path sidecar = f;
      sidecar.replace_extension().replace_extension(".json");
      EXPECT_TRUE(fs::exists(sidecar)) << f;
    }
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{ "sub-01_ses-1_report.html", "sub-01_ses-1_report.json",
                                              "sub-01_ses-1_space-T2w_dseg.json", "sub-01_ses-1_space-T2w_dseg.nii.gz",
                                              "sub-01_ses-1_space-T2w_dseg.tsv",
                                              "sub-01_ses-1_space-T2w_label-T2FLAIRlesion_mask.json",
                                              "sub-01_ses-1_space-T2w_label-T2FLAIRlesion_mask.nii.gz" }))
    << "no restricted-diffusion mask when diffusion was not assessable";
  EXPECT_EQ(ReadFile(anat / "sub-01_ses-1_space-T2w_dseg.nii.gz"), "LABELS");
  const std::string tsv = ReadFile(anat / "sub-01_ses-1_space-T2w_dseg.tsv");
  EXPECT_EQ(tsv.rfind("index\tname\tcolor\n1\tthalamus_left\t#", 0), 0u) << tsv;
  EXPECT_NE(tsv.find("\n14\tlateral_ventricles\t#"), std::string::npos);
  const auto mask = nlohmann::json::parse(ReadFile(anat / "sub-01_ses-1_space-T2w_label-T2FLAIRlesion_mask.json"));
  EXPECT_EQ(mask["Type"], "Lesion");
  EXPECT_EQ(mask["SpatialReference"], "bids:raw:sub-01/ses-1/anat/sub-01_ses-1_T2w.nii.gz");
  EXPECT_EQ(mask["Sources"].size(), 3u);
  EXPECT_EQ(ReadFile(out / "sub-01" / "ses-1" / "sub-01_ses-1_report.html"), "<html>report</html>");
}

TEST_F(BidsDerivativesTest, FlairReferenceGivesFlairSpaceAndRestrictedMaskWhenPresent)
{
  auto report = test::SampleReport();
  report["reference"]["role"] = "FLAIR";
  WriteFile(runOut / "report.json", report.dump());
  WriteFile(runOut / "volumes" / "lesion_dwi.nii.gz", "DWI");
  const auto written = WriteSessionDerivatives(tmp.Path() / "d", dataset, dataset.sessions[0], runOut);
  std::vector<std::string> names;
  for (const auto & f : written)
    names.push_back(f.filename().string());
  EXPECT_NE(std::find(names.begin(), names.end(), "sub-01_ses-1_space-FLAIR_label-restricted_mask.nii.gz"),
            names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "sub-01_ses-1_space-FLAIR_dseg.nii.gz"), names.end());
  fs::remove(runOut / "report.json");
  EXPECT_THROW(WriteSessionDerivatives(tmp.Path() / "d", dataset, dataset.sessions[0], runOut), InputError);
}

TEST_F(BidsDerivativesTest, GroupTableNamesParticipantAndSession)
{
  SummaryRow row;
  row.record.id = "sub-01_ses-1";
  row.record.status = StudyStatus::Ok;
  row.report = DigestReport(test::SampleReport());
  const std::string tsv = GroupTsv(dataset.sessions, { row });
  EXPECT_EQ(tsv.rfind("participant_id\tsession_id\tstatus\texit_code\t", 0), 0u) << tsv;
  EXPECT_NE(tsv.find("\nsub-01\tses-1\tok\t"), std::string::npos) << tsv;
}

} // namespace
} // namespace icanscan::batch
