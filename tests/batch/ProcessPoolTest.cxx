#include "batch/ProcessPool.h"

#include "BatchTestFiles.h"
#include "core/Error.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace icanscan::batch
{
namespace
{
using test::ReadFile;
using test::TempFolder;

std::vector<std::pair<std::string, ProcessEnd>> WaitAll(ProcessPool & pool)
{
  std::vector<std::pair<std::string, ProcessEnd>> ended;
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (pool.Running() > 0 && std::chrono::steady_clock::now() < limit)
  {
    for (auto & e : pool.Reap())
      ended.push_back(e);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ended;
}

ProcessEnd EndOf(const std::vector<std::pair<std::string, ProcessEnd>> & ended, const std::string & key)
{
  for (const auto & [k, e] : ended)
    if (k == key)
      return e;
  ADD_FAILURE() << key << " did not end";
  return {};
}

TEST(ProcessPoolTest, ReportsExitCodesSignalsAndLogs)
{
  TempFolder tmp;
  ProcessPool pool;
  pool.Start("ok", { { "/bin/sh", "-c", "echo out; echo err >&2; exit 0" }, tmp.Path() / "ok.log" });
  pool.Start("four", { { "/bin/sh", "-c", "exit 4" }, tmp.Path() / "four.log" });
  pool.Start("crash", { { "/bin/sh", "-c", "kill -SEGV $$" }, tmp.Path() / "crash.log" });
  pool.Start("missing", { { "/nonexistent/icanscan", "run" }, tmp.Path() / "missing.log" });
  EXPECT_EQ(pool.Running(), 4u);
  const auto ended = WaitAll(pool);
  EXPECT_EQ(EndOf(ended, "ok").exitCode, 0);
  EXPECT_EQ(ReadFile(tmp.Path() / "ok.log"), "out\nerr\n");
  EXPECT_EQ(EndOf(ended, "four").exitCode, 4);
  EXPECT_EQ(EndOf(ended, "crash").signal, SIGSEGV);
  EXPECT_EQ(EndOf(ended, "crash").ShellCode(), 128 + SIGSEGV);
  EXPECT_EQ(EndOf(ended, "missing").exitCode, 127);
  EXPECT_NE(ReadFile(tmp.Path() / "missing.log").find("cannot execute /nonexistent/icanscan"), std::string::npos);
}

TEST(ProcessPoolTest, MeasuresPeakMemoryAndTime)
{
  TempFolder tmp;
  ProcessPool pool;
  test::WriteFile(tmp.Path() / "fake.json", R"({"allocate_mb": 200, "sleep": 0.3})");
  pool.Start("big", { { FAKE_ICANSCAN, "run", tmp.Path().string(), "-o", (tmp.Path() / "out").string() },
                      tmp.Path() / "big.log" });
  const auto end = EndOf(WaitAll(pool), "big");
  EXPECT_EQ(end.exitCode, 0) << ReadFile(tmp.Path() / "big.log");
  EXPECT_GT(end.peakMemoryMb, 190);
  EXPECT_LT(end.peakMemoryMb, 400);
  EXPECT_GE(end.seconds, 0.3);
}

TEST(ProcessPoolTest, TimeoutTerminatesTheWholeProcessGroup)
{
  TempFolder tmp;
  ProcessPool pool;
  // The shell waits for its sleep child: both must go, the group is signalled.
  pool.Start("slow", { { "/bin/sh", "-c", "sleep 30; exit 0" }, tmp.Path() / "slow.log", 0.5 });
  pool.Start("fast", { { "/bin/sh", "-c", "exit 3" }, tmp.Path() / "fast.log", 0.5 });
  const auto start = std::chrono::steady_clock::now();
  const auto ended = WaitAll(pool);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10);
  EXPECT_TRUE(EndOf(ended, "slow").timedOut);
  EXPECT_EQ(EndOf(ended, "slow").signal, SIGTERM);
  EXPECT_FALSE(EndOf(ended, "fast").timedOut);
  EXPECT_EQ(EndOf(ended, "fast").exitCode, 3);
}

TEST(ProcessPoolTest, TerminateAllStopsEveryChild)
{
  TempFolder tmp;
  ProcessPool pool;
  pool.Start("a", { { "/bin/sh", "-c", "sleep 30" }, tmp.Path() / "a.log" });
  // ignores SIGTERM: killed after the grace time
  pool.Start("b", { { "/bin/sh", "-c", "trap '' TERM; sleep 30 & wait; sleep 30" }, tmp.Path() / "b.log" });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto ended = pool.TerminateAll(0.5);
  EXPECT_EQ(pool.Running(), 0u);
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_TRUE(EndOf(ended, "a").stopped);
  EXPECT_EQ(EndOf(ended, "a").signal, SIGTERM);
  EXPECT_EQ(EndOf(ended, "b").signal, SIGKILL);
}

TEST(ProcessPoolTest, RejectsBadStarts)
{
  TempFolder tmp;
  ProcessPool pool;
  EXPECT_THROW(pool.Start("empty", { {}, tmp.Path() / "e.log" }), UsageError);
  EXPECT_THROW(pool.Start("nolog", { { "/bin/true" }, tmp.Path() / "missing" / "x.log" }), OutputError);
  pool.Start("twice", { { "/bin/sh", "-c", "sleep 5" }, tmp.Path() / "t.log" });
  EXPECT_NE(pool.PidOf("twice"), 0);
  EXPECT_THROW(pool.Start("twice", { { "/bin/true" }, tmp.Path() / "t2.log" }), UsageError);
  pool.TerminateAll(1);
}

} // namespace
} // namespace icanscan::batch
