#include "batch/BidsNaming.h"

#include <gtest/gtest.h>

namespace icanscan::batch
{
namespace
{
TEST(BidsNamingTest, FileNamePutsEntitiesInTheSpecificationOrder)
{
  BidsName name;
  name.subject = "01";
  name.session = "pre";
  name.entities = { { "desc", "icanscan" }, { "label", "restricted" }, { "space", "T2w" } };
  name.suffix = "mask";
  name.extension = ".nii.gz";
  EXPECT_EQ(name.FileName(), "sub-01_ses-pre_space-T2w_label-restricted_desc-icanscan_mask.nii.gz");
  name.session.clear();
  name.entities = {};
  name.suffix = "report";
  name.extension = ".html";
  EXPECT_EQ(name.FileName(), "sub-01_report.html");
  EXPECT_EQ(name.Prefix(), "sub-01");
}

TEST(BidsNamingTest, ParsesNames)
{
  const auto name = ParseBidsName("sub-02_ses-1_acq-ADC_run-2_dwi.nii.gz");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->subject, "02");
  EXPECT_EQ(name->session, "1");
  ASSERT_EQ(name->entities.size(), 2u);
  EXPECT_EQ(name->entities[0], (std::pair<std::string, std::string>{ "acq", "ADC" }));
  EXPECT_EQ(name->suffix, "dwi");
  EXPECT_EQ(name->extension, ".nii.gz");
  EXPECT_FALSE(ParseBidsName("T2w.nii.gz"));
  EXPECT_FALSE(ParseBidsName("ses-1_sub-01_T2w.nii"));
  EXPECT_FALSE(ParseBidsName("sub-01_acq_T2w.nii"));
  EXPECT_FALSE(ParseBidsName("sub-01"));
}

TEST(BidsNamingTest, ChecksDerivativeNames)
{
  const std::vector<std::string> suffixes{ "dseg", "mask" }, extensions{ ".nii.gz", ".json", ".tsv" };
  EXPECT_EQ(CheckBidsName("sub-01_ses-1_space-T2w_dseg.nii.gz", suffixes, extensions), "");
  EXPECT_EQ(CheckBidsName("sub-01_space-FLAIR_label-T2FLAIRlesion_mask.json", suffixes, extensions), "");
  EXPECT_NE(CheckBidsName("sub-01_label-x_space-T2w_mask.nii.gz", suffixes, extensions), "") << "order";
  EXPECT_NE(CheckBidsName("sub-01_colour-red_mask.nii.gz", suffixes, extensions), "") << "unknown entity";
  EXPECT_NE(CheckBidsName("sub-01_space-T2w_probseg.nii.gz", suffixes, extensions), "") << "suffix";
  EXPECT_NE(CheckBidsName("sub-01_space-T2w_dseg.nii", suffixes, extensions), "") << "extension";
  EXPECT_NE(CheckBidsName("sub-0_1_dseg.tsv", suffixes, extensions), "");
  EXPECT_NE(CheckBidsName("sub-01_space-T2_w_dseg.tsv", suffixes, extensions), "");
  EXPECT_NE(CheckBidsName("sub-01_ses-_dseg.tsv", suffixes, extensions), "") << "empty session label";
  EXPECT_NE(CheckBidsName("dseg.tsv", suffixes, extensions), "");
  EXPECT_TRUE(IsBidsLabel("T2FLAIRlesion"));
  EXPECT_FALSE(IsBidsLabel("T2-FLAIR"));
}

} // namespace
} // namespace icanscan::batch
