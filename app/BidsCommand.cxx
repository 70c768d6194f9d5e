#include "app/BatchCommon.h"
#include "app/Commands.h"

#include "batch/BatchRunner.h"
#include "batch/BatchSummary.h"
#include "batch/BidsDataset.h"
#include "batch/BidsDerivatives.h"
#include "batch/JobSlots.h"
#include "batch/OutRootLock.h"
#include "batch/ProgressDisplay.h"
#include "core/Error.h"
#include "core/Version.h"
#include "pipeline/RunConfig.h"
#include "pipeline/report/OutputFiles.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace icanscan::app
{
namespace
{
namespace fs = std::filesystem;

struct BidsOptions
{
  std::string bidsDir;
  std::string out;
  std::string level;
  std::vector<std::string> participants;
  std::vector<std::string> sessions;
  int jobs = 0;
  int threads = 0;
  std::string config;
  bool resume = false;
  double timeout = 0;
};

std::vector<batch::StudyEntry> SessionEntries(const std::vector<batch::BidsSession> & sessions)
{
  std::vector<batch::StudyEntry> entries;
  for (const auto & s : sessions)
  {
    batch::StudyEntry e;
    e.id = s.Id();
    e.study = s.folder;
    entries.push_back(e);
  }
  return entries;
}

/** Runs every complete session; an incomplete one is recorded as skipped with its reason. Returns the interrupt
 * signal, 0 when the batch ran to the end. */
int RunSessions(const BidsOptions & o, const batch::BidsDataset & dataset, const fs::path & runs, std::ostream & err)
{
  batch::BatchParams params;
  params.executable = OwnExecutable();
  params.outRoot = runs;
  const int cores = batch::AvailableCores();
  params.jobs = o.jobs > 0 ? o.jobs : batch::DefaultJobs(cores, batch::PhysicalMemoryMb());
  params.threadsPerStudy = o.threads > 0 ? o.threads : batch::ThreadsPerStudy(cores, params.jobs);
  params.configFile = o.config.empty() ? fs::path() : fs::absolute(o.config);
  params.timeoutSeconds = o.timeout;
  params.resume = o.resume;
  params.version = std::string(kVersion);

  std::vector<batch::StudyEntry> studies;
  for (const auto & session : dataset.sessions)
  {
    const std::string incomplete = session.Incomplete();
    if (incomplete.empty())
    {
      studies.push_back(batch::PrepareSessionStudy(session, runs / ".inputs" / session.Id()));
      continue;
    }
    err << "icanscan bids: " << session.Id() << " skipped: " << incomplete << "\n";
    batch::CompletionRecord record;
    record.id = session.Id();
    record.version = std::string(kVersion);
    record.status = batch::StudyStatus::Skipped;
    record.error = incomplete;
    record.study = session.folder.string();
    record.finished = batch::UtcNow();
    batch::WriteRecord(runs, record);
  }
  if (studies.empty())
    return 0;
  err << "icanscan bids: " << studies.size() << " session(s) to analyse, " << params.jobs << " at a time\n";
  batch::ProgressDisplay display(err, &err == &std::cerr && ::isatty(STDERR_FILENO));
  StopSignals signals;
  const auto result = batch::RunBatch(studies, params, display, StopSignals::Flag());
  display.Close();
  return result.interruptSignal;
}

int RunBids(const BidsOptions & o, std::ostream & out, std::ostream & err)
{
  if (o.level != "participant" && o.level != "group")
    throw UsageError("analysis level '" + o.level + "': expected participant or group");
  const fs::path bidsDir = fs::absolute(o.bidsDir).lexically_normal();
  const fs::path outDir = fs::absolute(o.out).lexically_normal();
  if (outDir == bidsDir)
    throw UsageError(o.out + ": the output folder cannot be the BIDS dataset itself (use e.g. " +
                     (bidsDir / "derivatives" / "icanscan").string() + ")");
  if (!o.config.empty())
    pipeline::LoadRunConfig(o.config);
  const batch::BidsDataset dataset = batch::ScanBidsDataset(bidsDir, o.participants, o.sessions);
  const fs::path runs = outDir / "runs";

  int interrupted = 0;
  if (o.level == "participant")
  {
    batch::WriteDerivativeDataset(outDir, dataset, std::string(kVersion));
    batch::OutRootLock lock(runs);
    interrupted = RunSessions(o, dataset, runs, err);
  }
  const auto rows = batch::CollectSummary(SessionEntries(dataset.sessions), runs);
  for (std::size_t k = 0; k < rows.size(); ++k)
  {
    const auto status = rows[k].record.status;
    if (o.level != "participant" || !rows[k].report ||
        (status != batch::StudyStatus::Ok && status != batch::StudyStatus::Warning &&
         status != batch::StudyStatus::Partial))
      continue;
    try
    {
      batch::WriteSessionDerivatives(outDir, dataset, dataset.sessions[k], runs / rows[k].record.id);
    }
    catch (const Error & e)
    {
      err << "icanscan bids: " << rows[k].record.id << ": derivatives not written: " << e.what() << "\n";
    }
  }
  batch::WriteSummary(runs, rows, std::string(kVersion));
  pipeline::WriteTextFileAtomically(outDir / "group_icanscan.tsv", batch::GroupTsv(dataset.sessions, rows));
  out << batch::SummaryText(runs, rows) << "group table: " << (outDir / "group_icanscan.tsv").string() << "\n";
  if (interrupted)
    return 128 + interrupted;
  return batch::SummaryExitCode(rows);
}
} // namespace

void AddBidsCommand(CLI::App & cli, CommandAction & action)
{
  auto o = std::make_shared<BidsOptions>();
  CLI::App * sub = cli.add_subcommand(
    "bids", "BIDS App: run every session of a BIDS dataset (sub-*/[ses-*/]anat/*_T2w, *_FLAIR, dwi/*_dwi and scanner "
            "ADC/trace) and write BIDS derivatives to OUT: segmentation (dseg), lesion masks, report per session, "
            "group table. A session without T2w or FLAIR is reported and skipped (docs/batch.md)");
  sub->add_option("BIDS_DIR", o->bidsDir, "The BIDS dataset (raw)")->required();
  sub->add_option("OUT", o->out, "Output folder of the derivatives (e.g. BIDS_DIR/derivatives/icanscan)")->required();
  sub
    ->add_option("LEVEL", o->level,
                 "participant: analyse the sessions and write the derivatives; group: rewrite the group table from "
                 "what OUT holds")
    ->required();
  sub->add_option("--participant-label", o->participants, "Only these participants (labels, with or without sub-)");
  sub->add_option("--session-label", o->sessions, "Only these sessions (labels, with or without ses-)");
  sub->add_option("--jobs", o->jobs, "Sessions at once (default: one per core, at most one per 1.5 GiB of memory)")
    ->check(CLI::PositiveNumber);
  sub->add_option("--threads", o->threads, "`run --threads` per session (default: the cores divided by --jobs)")
    ->check(CLI::PositiveNumber);
  sub->add_option("--config", o->config, "TOML settings for every session (docs/config.md)");
  sub->add_flag("--resume", o->resume, "Reuse sessions already analysed with the same inputs and settings");
  sub->add_option("--timeout", o->timeout, "Wall-time limit per session in seconds (default 0: none)")
    ->check(CLI::NonNegativeNumber);
  sub->callback([o, &action]
                { action = [o](std::ostream & out, std::ostream & err) { return RunBids(*o, out, err); }; });
}

} // namespace icanscan::app
