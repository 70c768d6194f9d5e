#include "batch/StudyOutcome.h"

#include "core/TextFormat.h"

#include <csignal>
#include <cstring>
#include <sstream>

namespace icanscan::batch
{

StudyStatus ClassifyRun(const ProcessEnd & end, const std::optional<ReportDigest> & report)
{
  if (end.stopped)
    return StudyStatus::Skipped;
  if (end.signal != 0 || end.timedOut)
    return StudyStatus::Failed;
  if (end.exitCode == 7)
    return report ? StudyStatus::Partial : StudyStatus::Failed;
  if (end.exitCode != 0 || !report)
    return StudyStatus::Failed;
  const bool suspect = report->WorstRegistration() == "suspect" || report->WorstRegistration() == "failed";
  return report->warnings.empty() && !suspect ? StudyStatus::Ok : StudyStatus::Warning;
}

std::string OneLine(const std::string & text, std::size_t limit)
{
  std::string line;
  for (char c : text)
    line += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
  while (!line.empty() && line.back() == ' ')
    line.pop_back();
  if (line.size() > limit)
    line = line.substr(0, limit - 3) + "...";
  return line;
}

std::string LastErrorLine(const std::string & log)
{
  static const std::string prefix = "icanscan: error: ";
  std::istringstream in(log);
  std::string line, lastError, lastLine;
  while (std::getline(in, line))
  {
    if (line.rfind(prefix, 0) == 0)
      lastError = line.substr(prefix.size());
    if (line.find_first_not_of(" \t\r") != std::string::npos)
      lastLine = line;
  }
  return lastError.empty() ? lastLine : lastError;
}

std::string DescribeOutcome(StudyStatus status,
                            const ProcessEnd & end,
                            const std::string & log,
                            const std::optional<ReportDigest> & report,
                            double timeoutSeconds)
{
  if (status == StudyStatus::Ok)
    return {};
  if (end.stopped)
    return "not finished: the batch was interrupted while it ran";
  if (status == StudyStatus::Warning || status == StudyStatus::Partial)
  {
    std::string joined;
    if (report)
      for (const auto & w : report->warnings)
        joined += (joined.empty() ? "" : "; ") + w;
    if (joined.empty() && report && !report->WorstRegistration().empty())
      joined = "a registration is " + report->WorstRegistration();
    return OneLine(joined);
  }
  if (end.timedOut)
    return OneLine("timed out after " + FormatFixed(timeoutSeconds, 0) + " s (--timeout)");
  if (end.signal != 0)
  {
    const char * name = ::sigdescr_np(end.signal);
    std::string why = std::string("killed by signal ") + std::to_string(end.signal) + " (" + (name ? name : "?") + ")";
    if (end.signal == SIGKILL)
      why += ": out of memory, or killed from outside";
    return OneLine(why);
  }
  if ((end.exitCode == 0 || end.exitCode == 7) && !report)
    return OneLine("exit " + std::to_string(end.exitCode) + " but no readable report.json in OUT");
  const std::string line = LastErrorLine(log);
  return OneLine(line.empty() ? "exit " + std::to_string(end.exitCode) + " with no message" : line);
}

} // namespace icanscan::batch
