#pragma once

#include "batch/CompletionRecord.h"
#include "batch/StudyList.h"

#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::batch
{

/** \brief Settings of one batch (see `icanscan batch --help`). */
struct BatchParams
{
  std::filesystem::path executable; //!< the icanscan executable whose `run` each study gets
  std::filesystem::path outRoot;    //!< OUT_ROOT: each study's OUT is OUT_ROOT/ID
  int jobs = 1;                     //!< studies at once, >= 1
  int threadsPerStudy = 1;          //!< `run --threads`, >= 1
  std::filesystem::path configFile; //!< `run --config`; empty = defaults
  double timeoutSeconds = 0;        //!< wall-time limit per study (s); 0 = none
  bool resume = false;              //!< reuse studies whose OUT is complete for the same inputs and settings
  bool failFast = false;            //!< start no study after the first failed one
  std::string version;              //!< icanscan version (part of the fingerprint)
  std::string schedulerJob;         //!< recorded with each study (SLURM_JOB_ID under Slurm)
};

/** \brief Counts for the progress line. */
struct BatchProgress
{
  std::size_t total = 0, done = 0, failed = 0, running = 0, reused = 0;
  double elapsedSeconds = 0;
  std::optional<double> etaSeconds; //!< none until a study has finished in this batch
};

/** \brief What the runner tells while it works; the default does nothing. */
class BatchObserver
{
public:
  virtual ~BatchObserver() = default;
  virtual void Started(const std::string & id, const BatchProgress & progress) {}
  /** `reused`: a complete OUT of an earlier batch (`--resume`), not run now. */
  virtual void Finished(const CompletionRecord & record, bool reused, const BatchProgress & progress) {}
  /** About once a second while studies run. */
  virtual void Tick(const BatchProgress & progress) {}
};

/** \brief How a batch ended. */
struct BatchResult
{
  std::vector<CompletionRecord> records; //!< one per study, in the order given
  std::size_t ran = 0;                   //!< studies started in this batch
  std::size_t reused = 0;                //!< studies reused from an earlier batch
  int interruptSignal = 0;               //!< the signal that stopped the batch, 0 when it ran to the end
};

/** \brief The `icanscan run` command line of one study: `run STUDY -o OUT_ROOT/ID --threads N` plus its baseline,
 * clinical.json, config and role overrides. */
std::vector<std::string> RunArguments(const StudyEntry & study, const BatchParams & params);

/** \brief Runs every study as its own `icanscan run` process, `params.jobs` at a time, baselines before their
 * follow-ups (a follow-up whose baseline failed is skipped), and writes a CompletionRecord and a log per study. With
 * `resume`, studies whose OUT is complete for the same inputs and settings are reused. When `*stop` becomes non-zero
 * (a signal handler sets it to the signal number) no study is started any more, the running ones are terminated, their
 * temporary folders removed, and they and the rest are recorded as skipped. Throws OutputError when OUT_ROOT cannot be
 * written; a study's failure never throws. */
BatchResult RunBatch(const std::vector<StudyEntry> & studies,
                     const BatchParams & params,
                     BatchObserver & observer,
                     const volatile std::sig_atomic_t * stop);

} // namespace icanscan::batch
