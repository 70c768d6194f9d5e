#include "batch/CompletionRecord.h"

#include "core/Error.h"
#include "pipeline/report/OutputFiles.h"

#include <ctime>
#include <fstream>

namespace icanscan::batch
{
namespace fs = std::filesystem;

std::string ToString(StudyStatus status)
{
  switch (status)
  {
    case StudyStatus::Ok:
      return "ok";
    case StudyStatus::Warning:
      return "warning";
    case StudyStatus::Partial:
      return "partial";
    case StudyStatus::Failed:
      return "failed";
    case StudyStatus::Skipped:
      return "skipped";
  }
  return "failed";
}

std::optional<StudyStatus> ParseStudyStatus(const std::string & text)
{
  for (auto s :
       { StudyStatus::Ok, StudyStatus::Warning, StudyStatus::Partial, StudyStatus::Failed, StudyStatus::Skipped })
    if (ToString(s) == text)
      return s;
  return std::nullopt;
}

nlohmann::json ToJson(const CompletionRecord & r)
{
  return { { "id", r.id },
           { "fingerprint", r.fingerprint },
           { "icanscan_version", r.version },
           { "status", ToString(r.status) },
           { "exit_code", r.exitCode ? nlohmann::json(*r.exitCode) : nlohmann::json(nullptr) },
           { "error", r.error },
           { "seconds", r.seconds },
           { "peak_memory_mb", r.peakMemoryMb },
           { "study", r.study },
           { "baseline", r.baseline },
           { "scheduler_job", r.schedulerJob },
           { "finished", r.finished } };
}

CompletionRecord RecordFromJson(const nlohmann::json & j, const std::string & source)
{
  auto fail = [&](const std::string & what) { throw InputError(source + ": " + what); };
  if (!j.is_object())
    fail("not a JSON object");
  auto text = [&](const char * key)
  {
    if (!j.contains(key) || !j[key].is_string())
      fail(std::string("'") + key + "' missing or not a string");
    return j[key].get<std::string>();
  };
  auto number = [&](const char * key)
  {
    if (!j.contains(key) || !j[key].is_number())
      fail(std::string("'") + key + "' missing or not a number");
    return j[key].get<double>();
  };
  CompletionRecord r;
  r.id = text("id");
  r.fingerprint = text("fingerprint");
  r.version = text("icanscan_version");
  const auto status = ParseStudyStatus(text("status"));
  if (!status)
    fail("unknown status '" + text("status") + "'");
  r.status = *status;
  if (j.contains("exit_code") && j["exit_code"].is_number_integer())
    r.exitCode = j["exit_code"].get<int>();
  r.error = text("error");
  r.seconds = number("seconds");
  r.peakMemoryMb = number("peak_memory_mb");
  r.study = text("study");
  r.baseline = text("baseline");
  r.schedulerJob = j.value("scheduler_job", std::string());
  r.finished = j.value("finished", std::string());
  return r;
}

fs::path RecordFolder(const fs::path & outRoot)
{
  return outRoot / "batch_records";
}

fs::path RecordPath(const fs::path & outRoot, const std::string & id)
{
  return RecordFolder(outRoot) / (id + ".json");
}

fs::path LogPath(const fs::path & outRoot, const std::string & id)
{
  return outRoot / "batch_logs" / (id + ".log");
}

fs::path StudyListPath(const fs::path & outRoot)
{
  return RecordFolder(outRoot) / "studies.json";
}

void WriteRecord(const fs::path & outRoot, const CompletionRecord & record)
{
  pipeline::EnsureWritableFolder(RecordFolder(outRoot));
  pipeline::WriteTextFileAtomically(RecordPath(outRoot, record.id), ToJson(record).dump(2) + "\n");
}

std::optional<CompletionRecord> ReadRecord(const fs::path & outRoot, const std::string & id)
{
  const fs::path file = RecordPath(outRoot, id);
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return std::nullopt;
  const auto j = nlohmann::json::parse(in, nullptr, false);
  try
  {
    return RecordFromJson(j, file.string());
  }
  catch (const Error &)
  {
    return std::nullopt;
  }
}

bool IsComplete(const std::optional<CompletionRecord> & record,
                const std::string & fingerprint,
                const fs::path & outRoot)
{
  if (!record || record->fingerprint.empty() || record->fingerprint != fingerprint)
    return false;
  if (record->status != StudyStatus::Ok && record->status != StudyStatus::Warning &&
      record->status != StudyStatus::Partial)
    return false;
  std::error_code ec;
  return fs::is_regular_file(outRoot / record->id / "report.json", ec);
}

std::string UtcNow()
{
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

} // namespace icanscan::batch
