#pragma once

#include "batch/CompletionRecord.h"
#include "batch/ReportDigest.h"
#include "batch/StudyList.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::batch
{

/** \brief One study in the batch summary: how it ended and, when it has an OUT, what its report says. */
struct SummaryRow
{
  CompletionRecord record;
  std::optional<ReportDigest> report; //!< none for failed and skipped studies, or when report.json is unreadable
};

/** \brief The summary of `studies` from what is on disk under OUT_ROOT: each study's record (none = skipped, "not
 * run") and report.json. The same code serves `icanscan batch` and `--summarise-only`. */
std::vector<SummaryRow> CollectSummary(const std::vector<StudyEntry> & studies, const std::filesystem::path & outRoot);

/** \brief The studies `--summarise-only` summarises when no INPUT is given: the study list the last batch saved in
 * OUT_ROOT, else every record found there (sorted by id). Throws UsageError when OUT_ROOT holds neither. */
std::vector<StudyEntry> StudiesInOutRoot(const std::filesystem::path & outRoot);

/** \brief The structure keys of the rows' reports: the icanscan structures in label order, then any other key. */
std::vector<std::string> StructureColumns(const std::vector<SummaryRow> & rows);

/** \brief batch_summary.tsv: a header line, then one line per study (columns in docs/batch.md). Empty cell = null,
 * not applicable or not run. */
std::string SummaryTsv(const std::vector<SummaryRow> & rows);

/** \brief 0 when every study is ok or warning (skipped ones aside), 7 when any is partial or failed. */
int SummaryExitCode(const std::vector<SummaryRow> & rows);

/** \brief What the batch prints at the end: counts per status, each failed or partial study with its reason, and where
 * the summary files are. */
std::string SummaryText(const std::filesystem::path & outRoot, const std::vector<SummaryRow> & rows);

/** \brief Writes OUT_ROOT/batch_summary.tsv and OUT_ROOT/batch_report.html atomically; throws OutputError. */
void WriteSummary(const std::filesystem::path & outRoot,
                  const std::vector<SummaryRow> & rows,
                  const std::string & version);

} // namespace icanscan::batch
