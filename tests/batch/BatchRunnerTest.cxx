#include "batch/BatchRunner.h"

#include "BatchTestFiles.h"
#include "batch/InputFingerprint.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <thread>

namespace icanscan::batch
{
namespace
{
namespace fs = std::filesystem;
using nlohmann::json;
using test::MakeFakeStudy;
using test::ReadFile;
using test::TempFolder;

/** Records what the observer was told. */
struct Recorder : BatchObserver
{
  std::vector<std::string> started, finished, reused;
  void Started(const std::string & id, const BatchProgress &) override { started.push_back(id); }
  void Finished(const CompletionRecord & r, bool wasReused, const BatchProgress &) override
  {
    (wasReused ? reused : finished).push_back(r.id);
  }
};

class BatchRunnerTest : public ::testing::Test
{
protected:
  StudyEntry Study(const std::string & id, json behaviour, const std::string & baselineId = {})
  {
    behaviour["trace"] = (tmp.Path() / "trace.txt").string();
    StudyEntry s;
    s.id = id;
    s.study = MakeFakeStudy(tmp.Path() / "in" / id, behaviour);
    if (!baselineId.empty())
    {
      s.baselineId = baselineId;
      s.baseline = tmp.Path() / "in" / baselineId;
    }
    return s;
  }
  BatchParams Params(int jobs = 2)
  {
    BatchParams p;
    p.executable = FAKE_ICANSCAN;
    p.outRoot = tmp.Path() / "out";
    p.jobs = jobs;
    p.version = "test";
    return p;
  }
  std::vector<std::string> Trace() const
  {
    std::vector<std::string> lines;
    std::istringstream in(ReadFile(tmp.Path() / "trace.txt"));
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }
  static const CompletionRecord & Of(const BatchResult & r, const std::string & id)
  {
    for (const auto & rec : r.records)
      if (rec.id == id)
        return rec;
    throw std::runtime_error("no record for " + id);
  }
  TempFolder tmp;
  Recorder observer;
};

TEST_F(BatchRunnerTest, EveryOutcomeIsRecordedAndNoneStopsTheOthers)
{
  const json report = test::SampleReport("none");
  std::vector<StudyEntry> studies{
    Study("ok", { { "report", report } }),
    Study("warned", { { "report", test::SampleReport("none", { "FLAIR registration suspect" }, "suspect") } }),
    Study("partial", { { "exit", 7 }, { "report", test::SampleReport("none", { "FLAIR registration failed" }) } }),
    Study("noref", { { "exit", 4 }, { "error", "no usable T2 or FLAIR reference" } }),
    Study("crash", { { "signal", SIGSEGV }, { "signal_while_staging", true } }),
    Study("slow", { { "sleep", 30 } }),
  };
  BatchParams params = Params(3);
  params.timeoutSeconds = 2;
  const auto result = RunBatch(studies, params, observer, nullptr);
  EXPECT_EQ(result.ran, 6u);
  EXPECT_EQ(Of(result, "ok").status, StudyStatus::Ok);
  EXPECT_EQ(Of(result, "ok").exitCode, 0);
  EXPECT_EQ(Of(result, "warned").status, StudyStatus::Warning);
  EXPECT_EQ(Of(result, "warned").error, "FLAIR registration suspect");
  EXPECT_EQ(Of(result, "partial").status, StudyStatus::Partial);
  EXPECT_EQ(Of(result, "partial").exitCode, 7);
  EXPECT_EQ(Of(result, "noref").status, StudyStatus::Failed);
  EXPECT_EQ(Of(result, "noref").exitCode, 4);
  EXPECT_EQ(Of(result, "noref").error, "no usable T2 or FLAIR reference");
  EXPECT_EQ(Of(result, "crash").status, StudyStatus::Failed);
  EXPECT_EQ(Of(result, "crash").exitCode, 128 + SIGSEGV);
  EXPECT_EQ(Of(result, "slow").status, StudyStatus::Failed);
  EXPECT_EQ(Of(result, "slow").error, "timed out after 2 s (--timeout)");
  EXPECT_LT(Of(result, "slow").seconds, 20);
  for (const auto & r : result.records)
  {
    const auto onDisk = ReadRecord(params.outRoot, r.id);
    ASSERT_TRUE(onDisk) << r.id;
    EXPECT_EQ(onDisk->status, r.status);
    EXPECT_TRUE(fs::exists(LogPath(params.outRoot, r.id))) << r.id;
  }
  EXPECT_NE(ReadFile(LogPath(params.outRoot, "noref")).find("icanscan: error: no usable"), std::string::npos);
  for (const auto & entry : fs::directory_iterator(params.outRoot))
    EXPECT_EQ(entry.path().filename().string().rfind(".partial-", 0), std::string::npos)
      << "a killed run's staging folder was left: " << entry.path();
  EXPECT_EQ(observer.started.size(), 6u);
  EXPECT_EQ(observer.finished.size(), 6u);
}

TEST_F(BatchRunnerTest, RunsAtMostJobsAtOnceAndBaselinesFirst)
{
  std::vector<StudyEntry> studies{
    Study("follow", { { "sleep", 0.2 } }, "base"), Study("a", { { "sleep", 0.3 } }), Study("b", { { "sleep", 0.3 } }),
    Study("base", { { "sleep", 0.3 } }),           Study("c", { { "sleep", 0.3 } }),
  };
  const auto result = RunBatch(studies, Params(2), observer, nullptr);
  int running = 0, most = 0;
  std::size_t baseEnd = 0, followStart = 0;
  const auto trace = Trace();
  for (std::size_t k = 0; k < trace.size(); ++k)
  {
    running += trace[k].rfind("start", 0) == 0 ? 1 : -1;
    most = std::max(most, running);
    if (trace[k] == "end base")
      baseEnd = k;
    if (trace[k] == "start follow")
      followStart = k;
  }
  EXPECT_EQ(most, 2);
  EXPECT_GT(followStart, baseEnd) << "the follow-up started before its baseline ended";
  EXPECT_EQ(Of(result, "follow").status, StudyStatus::Ok);
  const std::string argv = ReadFile(tmp.Path() / "out" / "follow" / "argv.txt");
  EXPECT_NE(argv.find("--baseline\n" + (tmp.Path() / "in" / "base").string()), std::string::npos) << argv;
  ASSERT_EQ(result.records.size(), 5u);
  EXPECT_EQ(result.records.front().id, "follow") << "records come in the order given";
}

TEST_F(BatchRunnerTest, FollowUpOfAFailedBaselineIsSkipped)
{
  std::vector<StudyEntry> studies{ Study("base", { { "exit", 5 }, { "error", "truncated pixel data" } }),
                                   Study("follow", {}, "base") };
  const auto result = RunBatch(studies, Params(), observer, nullptr);
  EXPECT_EQ(Of(result, "base").status, StudyStatus::Failed);
  EXPECT_EQ(Of(result, "follow").status, StudyStatus::Skipped);
  EXPECT_EQ(Of(result, "follow").error, "not run: its baseline 'base' failed");
  EXPECT_FALSE(Of(result, "follow").exitCode);
  EXPECT_EQ(result.ran, 1u);
}

TEST_F(BatchRunnerTest, ResumeRunsOnlyWhatIsMissingChangedOrFailed)
{
  std::vector<StudyEntry> studies{ Study("a", { { "report", test::SampleReport() } }),
                                   Study("b", { { "report", test::SampleReport() } }),
                                   Study("c", { { "report", test::SampleReport() } }),
                                   Study("bad", { { "exit", 4 } }) };
  BatchParams params = Params();
  RunBatch(studies, params, observer, nullptr);
  fs::remove_all(params.outRoot / "b"); // its OUT is gone
  const auto changed = tmp.Path() / "in" / "c" / "fake.json";
  fs::last_write_time(changed, fs::last_write_time(changed) + std::chrono::seconds(10));
  fs::remove(tmp.Path() / "trace.txt");

  params.resume = true;
  Recorder second;
  const auto result = RunBatch(studies, params, second, nullptr);
  EXPECT_EQ(result.reused, 1u);
  EXPECT_EQ(second.reused, std::vector<std::string>{ "a" });
  std::vector<std::string> started = second.started;
  std::sort(started.begin(), started.end());
  EXPECT_EQ(started, (std::vector<std::string>{ "b", "bad", "c" }));
  EXPECT_EQ(Of(result, "a").status, StudyStatus::Ok);

  params.configFile = tmp.Path() / "settings.toml";
  test::WriteFile(params.configFile, "[oedema]\n");
  Recorder third;
  RunBatch(studies, params, third, nullptr);
  EXPECT_EQ(third.started.size(), 4u) << "another config: every study runs again";
}

TEST_F(BatchRunnerTest, FailFastStartsNothingAfterAFailure)
{
  std::vector<StudyEntry> studies{ Study("bad", { { "exit", 4 } }), Study("x", {}), Study("y", {}) };
  BatchParams params = Params(1);
  params.failFast = true;
  const auto result = RunBatch(studies, params, observer, nullptr);
  EXPECT_EQ(result.ran, 1u);
  EXPECT_EQ(Of(result, "x").status, StudyStatus::Skipped);
  EXPECT_EQ(Of(result, "y").error, "not run: --fail-fast stopped the batch after 'bad' failed");
}

TEST_F(BatchRunnerTest, StopFlagTerminatesRunningStudiesCleanly)
{
  std::vector<StudyEntry> studies{ Study("done", {}), Study("long1", { { "sleep", 30 } }),
                                   Study("long2", { { "sleep", 30 } }), Study("never", {}) };
  volatile std::sig_atomic_t stop = 0;
  struct StopWhenLongRuns : Recorder
  {
    volatile std::sig_atomic_t * flag;
    void Started(const std::string & id, const BatchProgress & p) override
    {
      Recorder::Started(id, p);
      if (id == "long2")
        *flag = SIGTERM;
    }
  } stopper;
  stopper.flag = &stop;
  const auto start = std::chrono::steady_clock::now();
  const auto result = RunBatch(studies, Params(2), stopper, &stop);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 15);
  EXPECT_EQ(result.interruptSignal, SIGTERM);
  EXPECT_EQ(Of(result, "done").status, StudyStatus::Ok);
  EXPECT_EQ(Of(result, "long1").status, StudyStatus::Skipped);
  EXPECT_EQ(Of(result, "long1").error, "not finished: the batch was interrupted while it ran");
  EXPECT_EQ(Of(result, "never").status, StudyStatus::Skipped);
  EXPECT_EQ(Of(result, "never").error, "not run: the batch was interrupted (signal 15)");
  EXPECT_FALSE(fs::exists(tmp.Path() / "out" / "long1"));
}

TEST_F(BatchRunnerTest, RunArgumentsCarryEverySetting)
{
  StudyEntry s;
  s.id = "p 1";
  s.study = "/data/p 1";
  s.baseline = "/data/p0";
  s.clinical = "/data/clinical.json";
  s.roles = { "7=FLAIR" };
  BatchParams p = Params();
  p.threadsPerStudy = 3;
  p.configFile = "/cfg.toml";
  const auto args = RunArguments(s, p);
  const std::vector<std::string> expected{
    FAKE_ICANSCAN,         "run",      "/data/p 1",  "-o",       (p.outRoot / "p 1").string(),
    "--threads",           "3",        "--baseline", "/data/p0", "--clinical",
    "/data/clinical.json", "--config", "/cfg.toml",  "--role",   "7=FLAIR"
  };
  EXPECT_EQ(args, expected);
}

} // namespace
} // namespace icanscan::batch
