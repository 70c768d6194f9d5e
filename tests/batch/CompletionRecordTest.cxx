#include "batch/CompletionRecord.h"

#include "BatchTestFiles.h"
#include "core/Error.h"

#include <gtest/gtest.h>

namespace icanscan::batch
{
namespace
{
using test::TempFolder;
using test::WriteFile;

CompletionRecord Sample()
{
  CompletionRecord r;
  r.id = "p01";
  r.fingerprint = "abc";
  r.version = "0.1.0";
  r.status = StudyStatus::Partial;
  r.exitCode = 7;
  r.error = "FLAIR registration failed";
  r.seconds = 31.5;
  r.peakMemoryMb = 812;
  r.study = "/data/p01";
  r.schedulerJob = "42";
  return r;
}

TEST(CompletionRecordTest, RoundTripsThroughTheFile)
{
  TempFolder tmp;
  WriteRecord(tmp.Path(), Sample());
  const auto back = ReadRecord(tmp.Path(), "p01");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, StudyStatus::Partial);
  EXPECT_EQ(back->exitCode, 7);
  EXPECT_EQ(back->error, "FLAIR registration failed");
  EXPECT_DOUBLE_EQ(back->seconds, 31.5);
  EXPECT_EQ(back->schedulerJob, "42");
  EXPECT_FALSE(ReadRecord(tmp.Path(), "other"));
}

TEST(CompletionRecordTest, StatusNamesRoundTrip)
{
  for (auto s :
       { StudyStatus::Ok, StudyStatus::Warning, StudyStatus::Partial, StudyStatus::Failed, StudyStatus::Skipped })
    EXPECT_EQ(ParseStudyStatus(ToString(s)), s);
  EXPECT_FALSE(ParseStudyStatus("done"));
}

TEST(CompletionRecordTest, RejectsMalformedRecords)
{
  auto json = ToJson(Sample());
  json["status"] = "finished";
  EXPECT_THROW(RecordFromJson(json, "r.json"), InputError);
  json = ToJson(Sample());
  json.erase("fingerprint");
  EXPECT_THROW(RecordFromJson(json, "r.json"), InputError);
  EXPECT_THROW(RecordFromJson(nlohmann::json::array(), "r.json"), InputError);
  TempFolder tmp;
  WriteFile(RecordPath(tmp.Path(), "bad"), "{ not json");
  EXPECT_FALSE(ReadRecord(tmp.Path(), "bad")) << "an unreadable record means: run the study again";
}

TEST(CompletionRecordTest, CompleteOnlyWithSameFingerprintUsableStatusAndReport)
{
  TempFolder tmp;
  CompletionRecord r = Sample();
  EXPECT_FALSE(IsComplete(r, "abc", tmp.Path())) << "no report.json in OUT";
  WriteFile(tmp.Path() / "p01" / "report.json", "{}");
  EXPECT_TRUE(IsComplete(r, "abc", tmp.Path()));
  EXPECT_FALSE(IsComplete(r, "abd", tmp.Path())) << "inputs changed";
  EXPECT_FALSE(IsComplete(std::nullopt, "abc", tmp.Path()));
  r.status = StudyStatus::Failed;
  EXPECT_FALSE(IsComplete(r, "abc", tmp.Path())) << "failed studies run again";
  r.status = StudyStatus::Skipped;
  EXPECT_FALSE(IsComplete(r, "abc", tmp.Path()));
  r.status = StudyStatus::Ok;
  r.fingerprint.clear();
  EXPECT_FALSE(IsComplete(r, "", tmp.Path()));
}

} // namespace
} // namespace icanscan::batch
