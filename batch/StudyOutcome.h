#pragma once

#include "batch/CompletionRecord.h"
#include "batch/ProcessPool.h"
#include "batch/ReportDigest.h"

#include <optional>
#include <string>

namespace icanscan::batch
{

/** \brief The status of a finished `icanscan run`: exit 0 is ok, or warning when its report has warnings or a suspect
 * registration; exit 7 is partial; anything else (another code, a signal, a timeout) is failed, and so is an exit 0 or
 * 7 without a readable report. A run ended by an interrupted batch is skipped (it is not the study's fault). */
StudyStatus ClassifyRun(const ProcessEnd & end, const std::optional<ReportDigest> & report);

/** \brief One line for the summary's error column: for a failed run the reason (timeout, signal, or the run's own
 * "icanscan: error: ..." line from its log, else the log's last line); for a partial or warning run the report's
 * warnings joined with "; "; empty when ok. Never holds a tab or line break; at most 400 characters. */
std::string DescribeOutcome(StudyStatus status,
                            const ProcessEnd & end,
                            const std::string & log,
                            const std::optional<ReportDigest> & report,
                            double timeoutSeconds);

/** \brief `text` with tabs and line breaks made spaces, cut to `limit` characters (with "..."). */
std::string OneLine(const std::string & text, std::size_t limit = 400);

/** \brief The last "icanscan: error: ..." message of a log (without the prefix), else its last non-empty line. */
std::string LastErrorLine(const std::string & log);

} // namespace icanscan::batch
