// `icanscan bids` for real on a small BIDS dataset made from the e2e fixture's NIfTI study (dcm2niix output):
// sub-01 (T2w, FLAIR, dwi with bval/bvec, scanner ADC) is analysed, sub-02 (dwi only) is reported and skipped,
// sub-03 is left out by --participant-label.
#include "batch/BidsDerivatives.h"
#include "batch/BidsNaming.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace icanscan::batch
{
namespace
{
namespace fs = std::filesystem;

std::string Read(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int Shell(const std::string & command)
{
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class BidsEndToEndTest : public ::testing::Test
{
protected:
  static void SetUpTestSuite()
  {
    const char * e2e = std::getenv("ICANSCAN_E2E_DIR");
    const fs::path nifti = e2e ? fs::path(e2e) / "thalamic_nifti" / "phantom" / "nifti" : fs::path();
    if (nifti.empty() || !fs::exists(nifti / "2_T2_TSE_AX.nii.gz"))
      return;
    work = fs::path(e2e).parent_path() / "bids-e2e";
    fs::remove_all(work);
    const fs::path raw = work / "raw dataset";
    auto place = [&](const std::string & from, const fs::path & to)
    {
      fs::create_directories(to.parent_path());
      fs::copy_file(nifti / from, to);
    };
    const fs::path s1 = raw / "sub-01" / "ses-1";
    for (const char * ext : { ".nii.gz", ".json" })
    {
      place(std::string("2_T2_TSE_AX") + ext, s1 / "anat" / (std::string("sub-01_ses-1_T2w") + ext));
      place(std::string("3_FLAIR_AX") + ext, s1 / "anat" / (std::string("sub-01_ses-1_FLAIR") + ext));
      place(std::string("5_DWI_TRACE_AX_ADC") + ext, s1 / "dwi" / (std::string("sub-01_ses-1_acq-ADC_dwi") + ext));
      place(std::string("3_FLAIR_AX") + ext,
            raw / "sub-03" / "ses-1" / "anat" / (std::string("sub-03_ses-1_FLAIR") + ext));
    }
    for (const char * ext : { ".nii.gz", ".json", ".bval", ".bvec" })
    {
      place(std::string("4_DWI_TRACE_AX") + ext, s1 / "dwi" / (std::string("sub-01_ses-1_dwi") + ext));
      place(std::string("4_DWI_TRACE_AX") + ext,
            raw / "sub-02" / "ses-1" / "dwi" / (std::string("sub-02_ses-1_dwi") + ext));
    }
    std::ofstream(raw / "dataset_description.json")
      << R"({"Name": "ICANS phantoms", "BIDSVersion": "1.8.0", "DatasetDOI": "doi:10.0000/phantom"})";
    const std::string exe = ICANSCAN_EXECUTABLE;
    out = work / "derivatives" / "icanscan";
    code = Shell("'" + exe + "' bids '" + raw.string() + "' '" + out.string() +
                 "' participant --participant-label 01 sub-02 --jobs 2 --threads 1 >'" + (work / "stdout").string() +
                 "' 2>'" + (work / "stderr").string() + "'");
  }
  void SetUp() override
  {
    if (work.empty())
      GTEST_SKIP() << "no e2e fixture NIfTI study (ICANSCAN_E2E_DIR/thalamic_nifti; dcm2niix missing?)";
  }
  static inline fs::path work, out;
  static inline int code = -1;
};

TEST_F(BidsEndToEndTest, IncompleteParticipantIsReportedNotFatal)
{
  EXPECT_EQ(code, 0) << Read(work / "stderr");
  EXPECT_NE(Read(work / "stderr").find("sub-02_ses-1 skipped: no T2w or FLAIR image"), std::string::npos)
    << Read(work / "stderr");
  const std::string group = Read(out / "group_icanscan.tsv");
  EXPECT_EQ(group.rfind("participant_id\tsession_id\tstatus\t", 0), 0u) << group;
  EXPECT_NE(group.find("\nsub-01\tses-1\tok\t0\t"), std::string::npos) << group;
  EXPECT_NE(group.find("\nsub-02\tses-1\tskipped\t\tno T2w or FLAIR image"), std::string::npos) << group;
  EXPECT_EQ(group.find("sub-03"), std::string::npos) << "left out by --participant-label";
  EXPECT_FALSE(fs::exists(out / "sub-03"));
  EXPECT_FALSE(fs::exists(out / "sub-02" / "ses-1" / "anat"));
}

TEST_F(BidsEndToEndTest, DatasetDescriptionFollowsTheDerivativesRules)
{
  const auto d = nlohmann::json::parse(Read(out / "dataset_description.json"));
  EXPECT_TRUE(d["Name"].is_string());
  EXPECT_TRUE(d["BIDSVersion"].is_string());
  EXPECT_EQ(d["DatasetType"], "derivative");
  ASSERT_TRUE(d["GeneratedBy"].is_array() && !d["GeneratedBy"].empty());
  EXPECT_EQ(d["GeneratedBy"][0]["Name"], "icanscan");
  EXPECT_TRUE(d["GeneratedBy"][0]["Version"].is_string());
  ASSERT_TRUE(d["SourceDatasets"].is_array() && !d["SourceDatasets"].empty());
  EXPECT_EQ(d["SourceDatasets"][0]["DOI"], "doi:10.0000/phantom");
}

TEST_F(BidsEndToEndTest, EveryFileIsNamedByTheRulesAndEveryImageHasItsSidecar)
{
  std::vector<std::string> names;
  for (const auto & entry : fs::recursive_directory_iterator(out / "sub-01"))
  {
    if (!entry.is_regular_file())
      continue;
    const std::string name = entry.path().filename().string();
    names.push_back(name);
    EXPECT_EQ(CheckBidsName(name, BidsDerivativeSuffixes(), BidsDerivativeExtensions()), "") << entry.path();
    EXPECT_EQ(name.rfind("sub-01_ses-1_", 0), 0u) << name;
    if (name.size() > 7 && name.substr(name.size() - 7) == ".nii.gz")
    {
      EXPECT_TRUE(fs::exists(entry.path().parent_path() / (name.substr(0, name.size() - 7) + ".json"))) << name;
    }
  }
  const fs::path anat = out / "sub-01" / "ses-1" / "anat";
  for (const char * expected : { "sub-01_ses-1_space-T2w_dseg.nii.gz", "sub-01_ses-1_space-T2w_dseg.tsv",
                                 "sub-01_ses-1_space-T2w_label-T2FLAIRlesion_mask.nii.gz",
                                 "sub-01_ses-1_space-T2w_label-restricted_mask.nii.gz" })
    EXPECT_TRUE(fs::exists(anat / expected)) << expected;
  EXPECT_EQ(Read(anat / "sub-01_ses-1_space-T2w_dseg.tsv").rfind("index\tname\tcolor\n", 0), 0u);
  const fs::path run = out / "runs" / "sub-01_ses-1";
  EXPECT_TRUE(Read(anat / "sub-01_ses-1_space-T2w_dseg.nii.gz") == Read(run / "volumes" / "labels.nii.gz"));
  EXPECT_TRUE(Read(anat / "sub-01_ses-1_space-T2w_label-restricted_mask.nii.gz") ==
              Read(run / "volumes" / "lesion_dwi.nii.gz"));
  const auto report = nlohmann::json::parse(Read(out / "sub-01" / "ses-1" / "sub-01_ses-1_report.json"));
  EXPECT_EQ(report["reference"]["role"], "T2") << "the T2w file was the reference";
  bool adcUsed = false;
  for (const auto & s : report["series"])
    adcUsed |= s["role"] == "ADC" && s["used"] == true;
  EXPECT_TRUE(adcUsed) << "the scanner ADC map (acq-ADC) was used";
  EXPECT_TRUE(fs::exists(out / "sub-01" / "ses-1" / "sub-01_ses-1_report.html"));
  EXPECT_EQ(Read(out / ".bidsignore"), "runs/\n");
}

TEST_F(BidsEndToEndTest, GroupLevelRewritesTheGroupTableWithoutRunning)
{
  const std::string before = Read(out / "group_icanscan.tsv");
  fs::remove(out / "group_icanscan.tsv");
  const std::string exe = ICANSCAN_EXECUTABLE;
  EXPECT_EQ(Shell("'" + exe + "' bids '" + (work / "raw dataset").string() + "' '" + out.string() +
                  "' group --participant-label 01 02 >/dev/null 2>&1"),
            0);
  EXPECT_EQ(Read(out / "group_icanscan.tsv"), before);
}

} // namespace
} // namespace icanscan::batch
