#include "batch/BidsDataset.h"

#include "BatchTestFiles.h"
#include "core/Error.h"

#include <gtest/gtest.h>

namespace icanscan::batch
{
namespace
{
namespace fs = std::filesystem;
using test::TempFolder;
using test::WriteFile;

class BidsDatasetTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    const fs::path r = tmp.Path();
    WriteFile(r / "dataset_description.json", R"({"Name": "CAR-T cohort", "BIDSVersion": "1.8.0",
                                                  "DatasetDOI": "doi:10.1/x"})");
    for (const char * f :
         { "sub-01/ses-pre/anat/sub-01_ses-pre_T2w.nii.gz", "sub-01/ses-pre/anat/sub-01_ses-pre_T2w.json",
           "sub-01/ses-pre/anat/sub-01_ses-pre_FLAIR.nii.gz", "sub-01/ses-pre/anat/sub-01_ses-pre_T1w.nii.gz",
           "sub-01/ses-pre/dwi/sub-01_ses-pre_dwi.nii.gz", "sub-01/ses-pre/dwi/sub-01_ses-pre_dwi.bval",
           "sub-01/ses-pre/dwi/sub-01_ses-pre_dwi.bvec", "sub-01/ses-pre/dwi/sub-01_ses-pre_dwi.json",
           "sub-01/ses-pre/dwi/sub-01_ses-pre_acq-ADC_dwi.nii.gz", "sub-01/ses-pre/dwi/sub-01_ses-pre_TRACEW.nii.gz",
           "sub-01/ses-post/anat/sub-01_ses-post_FLAIR.nii", "sub-01/ses-post/dwi/sub-01_ses-post_ADC.nii.gz",
           "sub-02/dwi/sub-02_dwi.nii.gz", "sub-02/anat/sub-02_T1w.nii.gz", "derivatives/x/sub-09/a" })
      WriteFile(r / f, "");
  }
  TempFolder tmp;
};

TEST_F(BidsDatasetTest, FindsSessionsImagesRolesAndCompanions)
{
  const auto d = ScanBidsDataset(tmp.Path(), {}, {});
  EXPECT_EQ(d.name, "CAR-T cohort");
  EXPECT_EQ(d.doi, "doi:10.1/x");
  ASSERT_EQ(d.sessions.size(), 3u);
  const auto & post = d.sessions[0];
  EXPECT_EQ(post.Id(), "sub-01_ses-post");
  EXPECT_EQ(post.Images("FLAIR").size(), 1u) << "plain .nii too";
  EXPECT_EQ(post.Images("ADC").size(), 1u) << "suffix ADC";
  const auto & pre = d.sessions[1];
  EXPECT_EQ(pre.Id(), "sub-01_ses-pre");
  EXPECT_EQ(pre.folder, tmp.Path() / "sub-01" / "ses-pre");
  ASSERT_EQ(pre.Images("T2").size(), 1u);
  EXPECT_EQ(pre.Images("T2")[0]->companions.size(), 1u) << "its .json";
  EXPECT_EQ(pre.Images("FLAIR").size(), 1u);
  ASSERT_EQ(pre.Images("DWI").size(), 2u) << "the dwi series and the scanner trace";
  const auto * dwi = pre.Images("DWI")[1];
  EXPECT_EQ(dwi->file.filename(), "sub-01_ses-pre_dwi.nii.gz");
  EXPECT_EQ(dwi->companions.size(), 3u) << "json, bval, bvec";
  ASSERT_EQ(pre.Images("ADC").size(), 1u);
  EXPECT_EQ(pre.Images("ADC")[0]->file.filename(), "sub-01_ses-pre_acq-ADC_dwi.nii.gz");
  EXPECT_EQ(pre.images.size(), 5u) << "T1w not used";
  EXPECT_TRUE(pre.Incomplete().empty());
  const auto & s2 = d.sessions[2];
  EXPECT_EQ(s2.Id(), "sub-02");
  EXPECT_TRUE(s2.session.empty());
  EXPECT_NE(s2.Incomplete().find("no T2w or FLAIR"), std::string::npos);
}

TEST_F(BidsDatasetTest, FiltersByLabelsWithOrWithoutPrefix)
{
  EXPECT_EQ(ScanBidsDataset(tmp.Path(), { "sub-02" }, {}).sessions.size(), 1u);
  const auto pre = ScanBidsDataset(tmp.Path(), { "01" }, { "ses-pre" });
  ASSERT_EQ(pre.sessions.size(), 1u);
  EXPECT_EQ(pre.sessions[0].session, "pre");
  EXPECT_THROW(ScanBidsDataset(tmp.Path(), { "03" }, {}), UsageError);
  EXPECT_THROW(ScanBidsDataset(tmp.Path(), {}, { "followup" }), UsageError);
}

TEST_F(BidsDatasetTest, RejectsWhatIsNotABidsDataset)
{
  EXPECT_THROW(ScanBidsDataset(tmp.Path() / "missing", {}, {}), UsageError);
  EXPECT_THROW(ScanBidsDataset(tmp.Path() / "derivatives", {}, {}), UsageError);
}

} // namespace
} // namespace icanscan::batch
