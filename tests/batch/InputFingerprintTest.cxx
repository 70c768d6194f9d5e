#include "batch/InputFingerprint.h"

#include "BatchTestFiles.h"

#include <gtest/gtest.h>

namespace icanscan::batch
{
namespace
{
namespace fs = std::filesystem;
using test::TempFolder;
using test::WriteFile;

class InputFingerprintTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    WriteFile(tmp.Path() / "study" / "a" / "1.dcm", "one");
    WriteFile(tmp.Path() / "study" / "2.dcm", "two");
    WriteFile(tmp.Path() / "settings.toml", "[oedema]\nswelling_pct = 15\n");
    study.id = "s";
    study.study = tmp.Path() / "study";
  }
  std::string Print() const { return InputFingerprint(study, config, "1.0"); }
  TempFolder tmp;
  StudyEntry study;
  fs::path config;
};

TEST_F(InputFingerprintTest, SameInputsSameFingerprint)
{
  EXPECT_EQ(Print(), Print());
  EXPECT_EQ(Print().size(), 64u);
  const std::string listing = DescribeFiles(study.study);
  EXPECT_NE(listing.find("2.dcm\t3\t"), std::string::npos) << listing;
  EXPECT_NE(listing.find("a/1.dcm\t3\t"), std::string::npos) << listing;
}

TEST_F(InputFingerprintTest, ChangesWithFilesSettingsAndVersion)
{
  const std::string before = Print();
  const auto file = tmp.Path() / "study" / "2.dcm";
  fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(5));
  const std::string touched = Print();
  EXPECT_NE(touched, before) << "a touched file";
  WriteFile(tmp.Path() / "study" / "3.dcm", "new");
  const std::string added = Print();
  EXPECT_NE(added, touched) << "an added file";
  fs::remove(tmp.Path() / "study" / "3.dcm");
  EXPECT_EQ(Print(), touched) << "removing it again";

  config = tmp.Path() / "settings.toml";
  const std::string configured = Print();
  EXPECT_NE(configured, touched) << "a config file";
  WriteFile(config, "[oedema]\nswelling_pct = 20\n");
  EXPECT_NE(Print(), configured) << "another config value";
  EXPECT_NE(InputFingerprint(study, config, "1.1"), Print()) << "another version";
  study.roles = { "7=FLAIR" };
  EXPECT_NE(Print(), configured) << "a role override";
}

TEST_F(InputFingerprintTest, BaselineAndClinicalCount)
{
  const std::string alone = Print();
  WriteFile(tmp.Path() / "base" / "1.dcm", "b");
  study.baseline = tmp.Path() / "base";
  const std::string withBaseline = Print();
  EXPECT_NE(withBaseline, alone);
  WriteFile(tmp.Path() / "base" / "1.dcm", "bb");
  EXPECT_NE(Print(), withBaseline) << "a baseline file changed size";
  WriteFile(tmp.Path() / "clinical.json", "{\"ice_score\": 8}");
  study.clinical = tmp.Path() / "clinical.json";
  const std::string withClinical = Print();
  WriteFile(tmp.Path() / "clinical.json", "{\"ice_score\": 5}");
  EXPECT_NE(Print(), withClinical) << "clinical content";
  EXPECT_EQ(DescribeFiles(tmp.Path() / "missing"), "missing\n");
}

} // namespace
} // namespace icanscan::batch
