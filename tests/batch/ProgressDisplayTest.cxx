#include "batch/ProgressDisplay.h"

#include <gtest/gtest.h>

#include <sstream>

namespace icanscan::batch
{
namespace
{
BatchProgress Progress()
{
  BatchProgress p;
  p.total = 12;
  p.done = 7;
  p.failed = 1;
  p.running = 2;
  p.elapsedSeconds = 185;
  p.etaSeconds = 130;
  return p;
}

CompletionRecord Failed()
{
  CompletionRecord r;
  r.id = "p3";
  r.status = StudyStatus::Failed;
  r.exitCode = 4;
  r.seconds = 2;
  r.error = "no usable T2 or FLAIR reference";
  return r;
}

TEST(ProgressDisplayTest, FormatsTheProgressLine)
{
  EXPECT_EQ(ProgressDisplay::ProgressLine(Progress()), "7/12 done, 1 failed, 2 running, elapsed 3m05s, ETA 2m10s");
  BatchProgress p = Progress();
  p.etaSeconds.reset();
  p.reused = 3;
  EXPECT_EQ(ProgressDisplay::ProgressLine(p), "7/12 done (3 reused), 1 failed, 2 running, elapsed 3m05s, ETA ?");
  EXPECT_EQ(ProgressDisplay::FormatDuration(7265), "2h01m");
  EXPECT_EQ(ProgressDisplay::FormatDuration(-1), "0s");
}

TEST(ProgressDisplayTest, PlainLogLinesWithoutATerminal)
{
  std::ostringstream out;
  ProgressDisplay display(out, false);
  display.Started("p3", Progress());
  display.Tick(Progress());
  display.Finished(Failed(), false, Progress());
  display.Close();
  EXPECT_EQ(out.str(), "batch: started p3 (2 running)\n"
                       "batch: [7/12] p3 failed (exit 4, 2s, 0 MiB): no usable T2 or FLAIR reference\n");
}

TEST(ProgressDisplayTest, TerminalRedrawsOneLineAndPrintsFailures)
{
  std::ostringstream out;
  ProgressDisplay display(out, true);
  display.Tick(Progress());
  display.Finished(Failed(), false, Progress());
  display.Close();
  const std::string text = out.str();
  EXPECT_EQ(text.find("started"), std::string::npos);
  EXPECT_NE(text.find("\rbatch: 7/12 done"), std::string::npos);
  EXPECT_NE(text.find("\n\rbatch: 7/12 done"), std::string::npos) << "failure line, then the progress line again";
  EXPECT_NE(text.find("p3 failed"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
}

} // namespace
} // namespace icanscan::batch
