#include "app/Commands.h"
#include "app/BatchCommon.h"

#include "batch/BatchRunner.h"
#include "batch/BatchSummary.h"
#include "batch/JobSlots.h"
#include "batch/OutRootLock.h"
#include "batch/ProgressDisplay.h"
#include "batch/StudyList.h"
#include "core/Error.h"
#include "core/Version.h"
#include "pipeline/RunConfig.h"
#include "pipeline/report/OutputFiles.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace icanscan::app
{
namespace
{
namespace fs = std::filesystem;

struct BatchOptions
{
  std::string input;
  std::string outRoot;
  int jobs = 0;
  int threads = 0;
  bool resume = false;
  std::string config;
  bool failFast = false;
  double timeout = 0;
  std::string only;
  bool list = false;
  std::string summariseOnly;
};

int SummariseOnly(const BatchOptions & o, std::ostream & out)
{
  const fs::path root = o.summariseOnly;
  const std::vector<batch::StudyEntry> studies =
    o.input.empty() ? batch::StudiesInOutRoot(root) : batch::ReadStudyList(o.input, root);
  const auto rows = batch::CollectSummary(studies, root);
  batch::WriteSummary(root, rows, std::string(kVersion));
  out << batch::SummaryText(root, rows);
  return batch::SummaryExitCode(rows);
}

int RunBatchCommand(const BatchOptions & o, std::ostream & out, std::ostream & err)
{
  if (!o.summariseOnly.empty())
  {
    if (o.list || !o.only.empty() || o.resume || o.failFast)
      throw UsageError("--summarise-only reads what is in OUT_ROOT; it takes no --list, --only, --resume or "
                       "--fail-fast");
    return SummariseOnly(o, out);
  }
  if (o.input.empty())
    throw UsageError("batch: INPUT is required (a folder with one study per subfolder, or a CSV/TSV manifest)");
  if (o.list)
  {
    out << batch::StudyListToJson(batch::ReadStudyList(o.input, o.outRoot)).dump(2) << "\n";
    return static_cast<int>(ExitCode::Ok);
  }
  if (o.outRoot.empty())
    throw UsageError("batch: -o OUT_ROOT is required");
  // Settings first: a typo must not cost a whole batch.
  if (!o.config.empty())
    pipeline::LoadRunConfig(o.config);
  std::vector<batch::StudyEntry> studies = batch::ReadStudyList(o.input, o.outRoot);

  batch::BatchParams params;
  params.executable = OwnExecutable();
  params.outRoot = fs::absolute(o.outRoot).lexically_normal();
  const int cores = batch::AvailableCores();
  params.jobs = o.jobs > 0 ? o.jobs : batch::DefaultJobs(cores, batch::PhysicalMemoryMb());
  params.threadsPerStudy = o.threads > 0 ? o.threads : batch::ThreadsPerStudy(cores, params.jobs);
  params.configFile = o.config.empty() ? fs::path() : fs::absolute(o.config);
  params.timeoutSeconds = o.timeout;
  params.resume = o.resume;
  params.failFast = o.failFast;
  params.version = std::string(kVersion);
  if (const char * job = std::getenv("SLURM_JOB_ID"))
    params.schedulerJob = job;

  const bool terminal = &err == &std::cerr && ::isatty(STDERR_FILENO);
  batch::ProgressDisplay display(err, terminal);
  StopSignals signals;
  if (!o.only.empty())
  {
    // One study of the list (a workflow job): no lock, no summary; the exit code is the study's.
    const auto it = std::find_if(studies.begin(), studies.end(), [&](const auto & s) { return s.id == o.only; });
    if (it == studies.end())
      throw UsageError("--only " + o.only + ": no study with that id in " + o.input);
    const auto result = batch::RunBatch({ *it }, params, display, StopSignals::Flag());
    display.Close();
    const auto & r = result.records.front();
    if (result.interruptSignal)
      return 128 + result.interruptSignal;
    if (r.status == batch::StudyStatus::Ok || r.status == batch::StudyStatus::Warning)
      return static_cast<int>(ExitCode::Ok);
    return r.exitCode && *r.exitCode != 0 ? *r.exitCode : static_cast<int>(ExitCode::PartialSuccess);
  }

  batch::OutRootLock lock(params.outRoot);
  pipeline::EnsureWritableFolder(batch::RecordFolder(params.outRoot));
  pipeline::WriteTextFileAtomically(batch::StudyListPath(params.outRoot),
                                    batch::StudyListToJson(studies).dump(2) + "\n");
  err << "icanscan batch: " << studies.size() << " studies, " << params.jobs << " at a time, " << params.threadsPerStudy
      << " thread(s) each" << (params.resume ? ", resuming" : "") << "; logs in "
      << (params.outRoot / "batch_logs").string() << "\n";
  const auto result = batch::RunBatch(studies, params, display, StopSignals::Flag());
  display.Close();
  const auto rows = batch::CollectSummary(studies, params.outRoot);
  batch::WriteSummary(params.outRoot, rows, std::string(kVersion));
  out << batch::SummaryText(params.outRoot, rows);
  if (result.interruptSignal)
  {
    err << "icanscan batch: interrupted by signal " << result.interruptSignal << "; " << result.ran
        << " run(s) started. Rerun with --resume to finish the rest.\n";
    return 128 + result.interruptSignal;
  }
  return batch::SummaryExitCode(rows);
}
} // namespace

void AddBatchCommand(CLI::App & cli, CommandAction & action)
{
  auto o = std::make_shared<BatchOptions>();
  CLI::App * sub = cli.add_subcommand(
    "batch", "Run many studies, each as its own `icanscan run` process (a crash, timeout or out-of-memory in one never "
             "stops the others), baselines before their follow-ups; writes OUT_ROOT/ID per study, "
             "OUT_ROOT/batch_summary.tsv and OUT_ROOT/batch_report.html. Exit 0 when every study is ok or warning, 7 "
             "when any is partial or failed, 128+signal when interrupted (docs/batch.md)");
  sub->add_option("INPUT", o->input,
                  "A folder with one study per subfolder (id = subfolder name), or a CSV/TSV manifest with a header "
                  "line: id, study [, baseline, clinical, roles]");
  sub->add_option("-o,--output", o->outRoot, "OUT_ROOT: each study's OUT is OUT_ROOT/ID");
  sub->add_option("--jobs", o->jobs, "Studies at once (default: one per core, at most one per 1.5 GiB of memory)")
    ->check(CLI::PositiveNumber);
  sub->add_option("--threads", o->threads, "`run --threads` per study (default: the cores divided by --jobs)")
    ->check(CLI::PositiveNumber);
  sub->add_flag("--resume", o->resume,
                "Reuse studies whose OUT is complete for the same inputs, settings and icanscan version; run the rest "
                "(changed, failed, not run)");
  sub->add_option("--config", o->config, "TOML settings for every study (docs/config.md); checked before any run");
  sub->add_flag("--fail-fast", o->failFast, "Start no study after the first one fails (running ones finish)");
  sub->add_option("--timeout", o->timeout, "Wall-time limit per study in seconds (default 0: none)")
    ->check(CLI::NonNegativeNumber);
  sub->add_option("--only", o->only,
                  "Run just the study with this id (a workflow job: no summary, the exit code is the study's)");
  sub->add_flag("--list", o->list, "Print the studies INPUT holds as JSON (ids, paths, baselines) and exit");
  sub->add_option("--summarise-only", o->summariseOnly,
                  "Write batch_summary.tsv and batch_report.html of this OUT_ROOT from what earlier runs left there "
                  "(with INPUT: one row per study of INPUT); runs nothing");
  sub->callback([o, &action]
                { action = [o](std::ostream & out, std::ostream & err) { return RunBatchCommand(*o, out, err); }; });
}

} // namespace icanscan::app
