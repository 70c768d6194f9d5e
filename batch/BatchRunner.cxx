#include "batch/BatchRunner.h"

#include "batch/InputFingerprint.h"
#include "batch/ProcessPool.h"
#include "batch/ReportDigest.h"
#include "batch/StudyOutcome.h"
#include "core/Error.h"
#include "pipeline/report/OutputFiles.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace icanscan::batch
{
namespace fs = std::filesystem;

namespace
{
constexpr double kTerminateGraceSeconds = 10;

std::string ReadText(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

enum class State
{
  Pending,
  Running,
  Done,
};

struct Slot
{
  const StudyEntry * study = nullptr;
  std::string fingerprint;
  State state = State::Pending;
  CompletionRecord record;
  pid_t pid = 0;
};

/** The scheduling state of a batch: which study can start, and the counts for the progress line. */
class BatchState
{
public:
  BatchState(const std::vector<StudyEntry> & studies, const BatchParams & params)
    : m_Params(params)
    , m_Start(std::chrono::steady_clock::now())
  {
    for (const auto & s : studies)
    {
      Slot slot;
      slot.study = &s;
      slot.fingerprint = InputFingerprint(s, params.configFile, params.version);
      m_Index[s.id] = m_Slots.size();
      m_Slots.push_back(slot);
    }
  }

  std::vector<Slot> & Slots() { return m_Slots; }
  Slot & ById(const std::string & id) { return m_Slots.at(m_Index.at(id)); }

  /** The baseline slot of `slot` when the baseline is a study of this batch. */
  Slot * BaselineOf(const Slot & slot)
  {
    const auto it = m_Index.find(slot.study->baselineId);
    return it == m_Index.end() ? nullptr : &m_Slots[it->second];
  }

  void Finish(Slot & slot, const CompletionRecord & record, bool reused)
  {
    slot.state = State::Done;
    slot.record = record;
    if (reused)
      ++m_Reused;
    else if (record.exitCode)
    {
      m_RunSeconds += record.seconds;
      ++m_RunCount;
    }
  }

  BatchProgress Progress() const
  {
    BatchProgress p;
    p.total = m_Slots.size();
    p.reused = m_Reused;
    std::size_t pending = 0;
    for (const auto & s : m_Slots)
    {
      if (s.state == State::Done)
      {
        ++p.done;
        if (s.record.status == StudyStatus::Failed)
          ++p.failed;
      }
      else if (s.state == State::Running)
        ++p.running;
      else
        ++pending;
    }
    p.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_Start).count();
    if (m_RunCount > 0)
    {
      const double mean = m_RunSeconds / static_cast<double>(m_RunCount);
      const double work = mean * (static_cast<double>(pending) + 0.5 * static_cast<double>(p.running));
      p.etaSeconds = work / static_cast<double>(std::max(1, m_Params.jobs));
    }
    return p;
  }

private:
  const BatchParams & m_Params;
  std::vector<Slot> m_Slots;
  std::map<std::string, std::size_t> m_Index;
  std::chrono::steady_clock::time_point m_Start;
  std::size_t m_Reused = 0, m_RunCount = 0;
  double m_RunSeconds = 0;
};

CompletionRecord BaseRecord(const Slot & slot, const BatchParams & params)
{
  CompletionRecord r;
  r.id = slot.study->id;
  r.version = params.version;
  r.study = slot.study->study.string();
  r.baseline = slot.study->baseline.string();
  r.schedulerJob = params.schedulerJob;
  r.finished = UtcNow();
  return r;
}

CompletionRecord SkippedRecord(const Slot & slot, const BatchParams & params, const std::string & why)
{
  CompletionRecord r = BaseRecord(slot, params);
  r.status = StudyStatus::Skipped;
  r.error = why;
  return r;
}

CompletionRecord RunRecord(const Slot & slot, const BatchParams & params, const ProcessEnd & end)
{
  CompletionRecord r = BaseRecord(slot, params);
  std::optional<ReportDigest> report;
  const fs::path reportFile = params.outRoot / slot.study->id / "report.json";
  if (!end.stopped && (end.exitCode == 0 || end.exitCode == 7))
  {
    try
    {
      report = ReadReportDigest(reportFile);
    }
    catch (const Error &)
    {
    }
  }
  r.status = ClassifyRun(end, report);
  r.error = DescribeOutcome(r.status, end, ReadText(LogPath(params.outRoot, r.id)), report, params.timeoutSeconds);
  r.exitCode = end.ShellCode();
  r.seconds = end.seconds;
  r.peakMemoryMb = end.peakMemoryMb;
  if (r.status != StudyStatus::Skipped)
    r.fingerprint = slot.fingerprint;
  return r;
}

/** A run killed by a signal cannot remove its staging folder (docs/report-schema.md, "Atomic write"). */
void RemoveStagingFolder(const fs::path & outRoot, const std::string & id, pid_t pid)
{
  std::error_code ec;
  fs::remove_all(outRoot / (".partial-" + id + "-" + std::to_string(pid)), ec);
}

/** Why `slot` cannot start now: empty when it can; "wait" while its baseline runs; else the reason it is skipped. */
std::string BlockedBy(BatchState & state, const Slot & slot)
{
  const Slot * baseline = state.BaselineOf(slot);
  if (!baseline)
    return {};
  if (baseline->state != State::Done)
    return "wait";
  if (baseline->record.status == StudyStatus::Failed)
    return "not run: its baseline '" + baseline->study->id + "' failed";
  if (baseline->record.status == StudyStatus::Skipped)
    return "not run: its baseline '" + baseline->study->id + "' was not run";
  return {};
}
} // namespace

std::vector<std::string> RunArguments(const StudyEntry & study, const BatchParams & params)
{
  std::vector<std::string> args{ params.executable.string(),
                                 "run",
                                 study.study.string(),
                                 "-o",
                                 (params.outRoot / study.id).string(),
                                 "--threads",
                                 std::to_string(std::max(1, params.threadsPerStudy)) };
  if (!study.baseline.empty())
    args.insert(args.end(), { "--baseline", study.baseline.string() });
  if (!study.clinical.empty())
    args.insert(args.end(), { "--clinical", study.clinical.string() });
  if (!params.configFile.empty())
    args.insert(args.end(), { "--config", params.configFile.string() });
  for (const auto & role : study.roles)
    args.insert(args.end(), { "--role", role });
  return args;
}

BatchResult RunBatch(const std::vector<StudyEntry> & studies,
                     const BatchParams & params,
                     BatchObserver & observer,
                     const volatile std::sig_atomic_t * stop)
{
  pipeline::EnsureWritableFolder(params.outRoot);
  pipeline::EnsureWritableFolder(RecordFolder(params.outRoot));
  pipeline::EnsureWritableFolder(LogPath(params.outRoot, "x").parent_path());
  const std::vector<StudyEntry> ordered = OrderBaselinesFirst(studies);
  BatchState state(ordered, params);
  BatchResult result;

  if (params.resume)
    for (auto & slot : state.Slots())
    {
      const auto record = ReadRecord(params.outRoot, slot.study->id);
      if (IsComplete(record, slot.fingerprint, params.outRoot))
      {
        state.Finish(slot, *record, true);
        ++result.reused;
        observer.Finished(*record, true, state.Progress());
      }
    }

  ProcessPool pool;
  std::string failFastReason;
  auto lastTick = std::chrono::steady_clock::now();
  auto finishRun = [&](const std::string & id, const ProcessEnd & end)
  {
    Slot & slot = state.ById(id);
    if (end.signal != 0)
      RemoveStagingFolder(params.outRoot, id, slot.pid);
    const CompletionRecord record = RunRecord(slot, params, end);
    WriteRecord(params.outRoot, record);
    state.Finish(slot, record, false);
    if (record.status == StudyStatus::Failed && params.failFast && failFastReason.empty())
      failFastReason = "not run: --fail-fast stopped the batch after '" + id + "' failed";
    observer.Finished(record, false, state.Progress());
  };

  while (true)
  {
    if (stop && *stop != 0)
    {
      result.interruptSignal = *stop;
      for (const auto & [id, end] : pool.TerminateAll(kTerminateGraceSeconds))
        finishRun(id, end);
      break;
    }
    bool pending = false;
    for (auto & slot : state.Slots())
    {
      if (slot.state != State::Pending)
        continue;
      if (!failFastReason.empty())
        continue;
      const std::string blocked = BlockedBy(state, slot);
      if (blocked == "wait")
      {
        pending = true;
        continue;
      }
      if (!blocked.empty())
      {
        const CompletionRecord record = SkippedRecord(slot, params, blocked);
        WriteRecord(params.outRoot, record);
        state.Finish(slot, record, false);
        observer.Finished(record, false, state.Progress());
        continue;
      }
      pending = true;
      if (pool.Running() >= static_cast<std::size_t>(std::max(1, params.jobs)))
        continue;
      std::error_code ec;
      fs::remove(RecordPath(params.outRoot, slot.study->id), ec);
      ProcessSpec spec;
      spec.argv = RunArguments(*slot.study, params);
      spec.log = LogPath(params.outRoot, slot.study->id);
      spec.timeoutSeconds = params.timeoutSeconds;
      slot.pid = pool.Start(slot.study->id, spec);
      slot.state = State::Running;
      ++result.ran;
      observer.Started(slot.study->id, state.Progress());
    }
    for (const auto & [id, end] : pool.Reap())
      finishRun(id, end);
    if (pool.Running() == 0 && (!pending || !failFastReason.empty()))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (std::chrono::steady_clock::now() - lastTick >= std::chrono::seconds(1))
    {
      lastTick = std::chrono::steady_clock::now();
      observer.Tick(state.Progress());
    }
  }

  // Studies never started: skipped, unless an earlier batch left a complete OUT for the same inputs.
  const std::string notRun = result.interruptSignal ? "not run: the batch was interrupted (signal " +
                                                        std::to_string(result.interruptSignal) + ")"
                                                    : failFastReason;
  for (auto & slot : state.Slots())
  {
    if (slot.state == State::Done)
      continue;
    const auto earlier = ReadRecord(params.outRoot, slot.study->id);
    if (IsComplete(earlier, slot.fingerprint, params.outRoot))
    {
      state.Finish(slot, *earlier, true);
      continue;
    }
    const CompletionRecord record = SkippedRecord(slot, params, notRun.empty() ? "not run" : notRun);
    WriteRecord(params.outRoot, record);
    state.Finish(slot, record, false);
  }
  for (const auto & s : studies)
    result.records.push_back(state.ById(s.id).record);
  return result;
}

} // namespace icanscan::batch
