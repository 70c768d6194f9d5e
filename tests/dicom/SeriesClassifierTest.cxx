#include "dicom/SeriesClassifier.h"

#include <gtest/gtest.h>

namespace
{
using namespace icanscan::dicom;

struct Tags
{
  std::vector<std::string> imageType{ "ORIGINAL", "PRIMARY", "M", "ND" };
  std::string scanningSequence = "SE";
  double tr = 0, te = 0, ti = 0;
  std::string description;
  std::vector<double> bValues;
};

VolumeSet MakeSet(const Tags & tags)
{
  auto file = std::make_shared<FileHeader>();
  file->imageType = tags.imageType;
  file->scanningSequence = tags.scanningSequence;
  file->repetitionTimeMs = tags.tr;
  file->echoTimeMs = tags.te;
  file->inversionTimeMs = tags.ti;
  file->seriesDescription = tags.description;
  VolumeSet set;
  FrameHeader frame;
  frame.file = file;
  frame.frameType = tags.imageType;
  frame.echoTimeMs = tags.te;
  frame.diffusionSource = "(0018,9087)";
  set.frames.push_back(frame);
  for (double b : tags.bValues)
    set.diffusion.push_back({ b, {}, false });
  ClassifySeries(set);
  return set;
}

SeriesRole RoleOf(const Tags & tags)
{
  return MakeSet(tags).role;
}

TEST(SeriesClassifierTest, RolesFromIdentifyingTags)
{
  EXPECT_EQ(RoleOf({ {}, "SE", 4000, 100, 0, "ax", {} }), SeriesRole::T2);
  EXPECT_EQ(RoleOf({ {}, "SE\\IR", 9000, 120, 2500, "ax", {} }), SeriesRole::FLAIR);
  EXPECT_EQ(RoleOf({ {}, "IR", 11000, 140, 2800, "", {} }), SeriesRole::FLAIR);
  EXPECT_EQ(RoleOf({ {}, "SE\\IR", 5000, 30, 150, "", {} }), SeriesRole::Other) << "STIR";
  EXPECT_EQ(RoleOf({ {}, "GR\\IR", 2300, 3, 900, "", {} }), SeriesRole::T1) << "MPRAGE";
  EXPECT_EQ(RoleOf({ {}, "SE", 500, 12, 0, "", {} }), SeriesRole::T1);
  EXPECT_EQ(RoleOf({ {}, "GR", 800, 20, 0, "", {} }), SeriesRole::SWI);
  EXPECT_EQ(RoleOf({ { "ORIGINAL", "PRIMARY", "SWI", "NONE" }, "GR", 28, 20, 0, "", {} }), SeriesRole::SWI);
  EXPECT_EQ(RoleOf({ {}, "EP", 6000, 90, 0, "ax", { 0, 1000 } }), SeriesRole::DWI);
  EXPECT_EQ(RoleOf({ { "DERIVED", "PRIMARY", "DIFFUSION", "ADC" }, "EP", 6000, 90, 0, "", {} }), SeriesRole::ADC);
  EXPECT_EQ(RoleOf({ { "DERIVED", "PRIMARY", "DIFFUSION", "FA" }, "EP", 6000, 90, 0, "", {} }), SeriesRole::Other);
  EXPECT_EQ(RoleOf({ { "ORIGINAL", "PRIMARY", "LOCALIZER" }, "GR", 8, 4, 0, "t2 flair", {} }), SeriesRole::Localizer);
  EXPECT_EQ(RoleOf({ {}, "EP", 3000, 30, 0, "REST1 fMRI", {} }), SeriesRole::Other) << "'rest1' does not mention t1";
}

TEST(SeriesClassifierTest, TagsWinOverMisleadingDescription)
{
  const VolumeSet set = MakeSet({ {}, "SE\\IR", 9000, 120, 2500, "T2 axial", {} });
  EXPECT_EQ(set.role, SeriesRole::FLAIR);
  ASSERT_FALSE(set.roleReasons.empty());
  EXPECT_NE(set.roleReasons[0].find("TI 2500"), std::string::npos) << set.roleReasons[0];
}

TEST(SeriesClassifierTest, DescriptionOnlyDecidesWhenTagsDoNotAndSaysSo)
{
  const VolumeSet set = MakeSet({ {}, "", 0, 0, 0, "Ax FLAIR 5mm", {} });
  EXPECT_EQ(set.role, SeriesRole::FLAIR);
  EXPECT_NE(set.roleReasons[0].find("description"), std::string::npos);
  EXPECT_EQ(RoleOf({ {}, "", 0, 0, 0, "ADC map", {} }), SeriesRole::ADC);
  EXPECT_EQ(RoleOf({ {}, "", 0, 0, 0, "something", {} }), SeriesRole::Other);
}

TEST(SeriesClassifierTest, LowBValuesAloneAreNotDiffusionWeighted)
{
  EXPECT_NE(RoleOf({ {}, "SE", 4000, 100, 0, "", { 0, 0.001 } }), SeriesRole::DWI);
}

TEST(SeriesClassifierTest, RoleNamesRoundTrip)
{
  for (SeriesRole role : { SeriesRole::T2, SeriesRole::FLAIR, SeriesRole::DWI, SeriesRole::ADC, SeriesRole::T1,
                           SeriesRole::SWI, SeriesRole::Localizer, SeriesRole::Other })
    EXPECT_EQ(ParseSeriesRole(ToString(role)), role);
  EXPECT_EQ(ParseSeriesRole("flair"), SeriesRole::FLAIR);
  EXPECT_FALSE(ParseSeriesRole("PET").has_value());
}
} // namespace
