#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace icanscan::batch
{

/** \brief How one study of a batch ended (batch_summary.tsv `status`). */
enum class StudyStatus
{
  Ok,      //!< `run` exited 0 and its report has no warning
  Warning, //!< `run` exited 0 and its report has warnings (e.g. a suspect registration)
  Partial, //!< `run` exited 7: outputs written, a series was left out (see the error column)
  Failed,  //!< `run` failed, crashed, was killed or timed out: no OUT
  Skipped, //!< not run: its baseline failed, --fail-fast stopped the batch, or the batch was interrupted
};

std::string ToString(StudyStatus status);
std::optional<StudyStatus> ParseStudyStatus(const std::string & text);

/** \brief What the batch keeps of one study (OUT_ROOT/batch_records/ID.json): how it ended and what it was run on.
 * `--resume` reuses a study whose record has the same fingerprint, a status ok/warning/partial and an OUT with a
 * report.json; `--summarise-only` builds the summary from these records. */
struct CompletionRecord
{
  std::string id;
  std::string fingerprint; //!< InputFingerprint at run time; empty when the study was not run
  std::string version;     //!< icanscan version that ran it
  StudyStatus status = StudyStatus::Skipped;
  std::optional<int> exitCode; //!< the run's exit code (128 + signal when a signal ended it); none when not run
  std::string error;           //!< one line: why it failed, was skipped, or the report's warnings
  double seconds = 0;          //!< wall time of the run
  double peakMemoryMb = 0;     //!< peak resident memory of the run (MiB)
  std::string study;           //!< the study path
  std::string baseline;        //!< the baseline path, empty = none
  std::string schedulerJob;    //!< the Slurm job id when run under Slurm (SLURM_JOB_ID), else empty
  std::string finished;        //!< UTC time it ended, ISO 8601
};

nlohmann::json ToJson(const CompletionRecord & record);
/** Throws InputError naming `source` when a field is missing or of the wrong type. */
CompletionRecord RecordFromJson(const nlohmann::json & json, const std::string & source);

/** \brief Where the batch keeps its records and logs under OUT_ROOT. */
std::filesystem::path RecordFolder(const std::filesystem::path & outRoot);
std::filesystem::path RecordPath(const std::filesystem::path & outRoot, const std::string & id);
std::filesystem::path LogPath(const std::filesystem::path & outRoot, const std::string & id);
/** The study list of the last batch into OUT_ROOT (read by `--summarise-only` without INPUT). */
std::filesystem::path StudyListPath(const std::filesystem::path & outRoot);

/** \brief Writes the record atomically; throws OutputError naming the file. */
void WriteRecord(const std::filesystem::path & outRoot, const CompletionRecord & record);

/** \brief The record of `id`; nullopt when there is none or it cannot be read (then the study is simply run again). */
std::optional<CompletionRecord> ReadRecord(const std::filesystem::path & outRoot, const std::string & id);

/** \brief True when the study's OUT can be reused for inputs with `fingerprint`: the record has that fingerprint, a
 * status ok, warning or partial, and OUT_ROOT/ID/report.json exists. */
bool IsComplete(const std::optional<CompletionRecord> & record,
                const std::string & fingerprint,
                const std::filesystem::path & outRoot);

/** \brief Current UTC time as ISO 8601 (e.g. 2024-05-01T12:00:00Z). */
std::string UtcNow();

} // namespace icanscan::batch
