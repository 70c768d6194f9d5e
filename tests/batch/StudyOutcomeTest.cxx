#include "batch/StudyOutcome.h"

#include "BatchTestFiles.h"

#include <gtest/gtest.h>

#include <csignal>

namespace icanscan::batch
{
namespace
{
ProcessEnd Exited(int code)
{
  ProcessEnd end;
  end.exitCode = code;
  return end;
}

TEST(StudyOutcomeTest, ClassifiesByExitCodeAndReport)
{
  const auto clean = DigestReport(test::SampleReport("none"));
  const auto warned = DigestReport(test::SampleReport("none", { "1 file skipped while indexing" }));
  const auto suspect = DigestReport(test::SampleReport("none", nlohmann::json::array(), "suspect"));
  EXPECT_EQ(ClassifyRun(Exited(0), clean), StudyStatus::Ok);
  EXPECT_EQ(ClassifyRun(Exited(0), warned), StudyStatus::Warning);
  EXPECT_EQ(ClassifyRun(Exited(0), suspect), StudyStatus::Warning);
  EXPECT_EQ(ClassifyRun(Exited(7), clean), StudyStatus::Partial);
  EXPECT_EQ(ClassifyRun(Exited(0), std::nullopt), StudyStatus::Failed) << "exit 0 without a report";
  EXPECT_EQ(ClassifyRun(Exited(7), std::nullopt), StudyStatus::Failed);
  EXPECT_EQ(ClassifyRun(Exited(4), std::nullopt), StudyStatus::Failed);
  ProcessEnd killed;
  killed.signal = SIGKILL;
  EXPECT_EQ(ClassifyRun(killed, std::nullopt), StudyStatus::Failed);
  ProcessEnd timedOut = killed;
  timedOut.signal = SIGTERM;
  timedOut.timedOut = true;
  EXPECT_EQ(ClassifyRun(timedOut, std::nullopt), StudyStatus::Failed);
  ProcessEnd stopped = timedOut;
  stopped.timedOut = false;
  stopped.stopped = true;
  EXPECT_EQ(ClassifyRun(stopped, std::nullopt), StudyStatus::Skipped)
    << "an interrupted batch is not the study's fault";
}

TEST(StudyOutcomeTest, DescribesWhyInOneLine)
{
  const std::string log = "icanscan: [  0%] loading\nicanscan: error: /data/p1: no usable T2 or FLAIR reference\n"
                          "trailing line\n";
  EXPECT_EQ(DescribeOutcome(StudyStatus::Failed, Exited(4), log, std::nullopt, 0),
            "/data/p1: no usable T2 or FLAIR reference");
  EXPECT_EQ(DescribeOutcome(StudyStatus::Failed, Exited(5), "Segmentation fault\n\n", std::nullopt, 0),
            "Segmentation fault");
  EXPECT_EQ(DescribeOutcome(StudyStatus::Failed, Exited(3), "", std::nullopt, 0), "exit 3 with no message");
  ProcessEnd killed;
  killed.signal = SIGKILL;
  EXPECT_NE(DescribeOutcome(StudyStatus::Failed, killed, log, std::nullopt, 0).find("signal 9"), std::string::npos);
  EXPECT_NE(DescribeOutcome(StudyStatus::Failed, killed, log, std::nullopt, 0).find("out of memory"),
            std::string::npos);
  ProcessEnd timedOut;
  timedOut.signal = SIGTERM;
  timedOut.timedOut = true;
  EXPECT_EQ(DescribeOutcome(StudyStatus::Failed, timedOut, log, std::nullopt, 600),
            "timed out after 600 s (--timeout)");
  const auto warned = DigestReport(test::SampleReport("none", { "FLAIR registration failed", "2 files skipped" }));
  EXPECT_EQ(DescribeOutcome(StudyStatus::Partial, Exited(7), log, warned, 0),
            "FLAIR registration failed; 2 files skipped");
  EXPECT_EQ(DescribeOutcome(StudyStatus::Ok, Exited(0), log, warned, 0), "");
}

TEST(StudyOutcomeTest, OneLineHasNoTabsOrBreaksAndIsBounded)
{
  EXPECT_EQ(OneLine("a\tb\nc\r\n"), "a b c");
  const std::string longLine = OneLine(std::string(1000, 'x'), 50);
  EXPECT_EQ(longLine.size(), 50u);
  EXPECT_EQ(longLine.substr(47), "...");
}

} // namespace
} // namespace icanscan::batch
