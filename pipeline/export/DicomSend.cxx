#include "pipeline/export/DicomSend.h"

#include "core/Error.h"
#include "pipeline/export/DicomExport.h"
#include "pipeline/report/OutputFiles.h"

#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
namespace fs = std::filesystem;

constexpr const char * kLogHeader = "time\tdestination\tfile\tsop_instance_uid\tstored\tstatus\n";

std::string ReadLog(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return kLogHeader;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str().empty() ? kLogHeader : text.str();
}

/** SOP instance UIDs the log records as stored at `destination`. */
std::set<std::string> StoredAt(const std::string & log, const std::string & destination)
{
  std::set<std::string> stored;
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line))
  {
    std::vector<std::string> fields;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, '\t'))
      fields.push_back(cell);
    if (fields.size() >= 5 && fields[1] == destination && fields[4] == "yes")
      stored.insert(fields[3]);
  }
  return stored;
}

std::string Now()
{
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &local);
  return text;
}

std::string Clean(std::string s)
{
  for (auto & c : s)
    if (c == '\t' || c == '\n' || c == '\r')
      c = ' ';
  return s;
}
} // namespace

SendSummary SendExportedDicom(const fs::path & out, const dicom::StoreDestination & destination, bool resendAll)
{
  const auto objects = ReadExportManifest(out);
  const fs::path logFile = out / "dicom" / "send_log.tsv";
  std::string log = ReadLog(logFile);
  const auto stored = resendAll ? std::set<std::string>() : StoredAt(log, destination.ToString());

  SendSummary summary;
  std::vector<std::string> files;
  for (const auto & o : objects)
  {
    if (stored.count(o.sopInstanceUid))
      summary.alreadyStored.push_back(o.file);
    else
      files.push_back((out / "dicom" / o.file).string());
  }
  if (files.empty())
    return summary;

  summary.results = dicom::StoreFiles(files, destination); // throws when nothing could be sent at all
  const std::string time = Now();
  std::string failures;
  for (const auto & r : summary.results)
  {
    log += time + "\t" + destination.ToString() + "\t" + fs::path(r.file).filename().string() + "\t" +
           r.sopInstanceUid + "\t" + (r.stored ? "yes" : "no") + "\t" + Clean(r.status) + "\n";
    if (!r.stored)
      failures += "\n  not stored: " + r.file + " (" + r.sopInstanceUid + "): " + r.status;
  }
  WriteTextFileAtomically(logFile, log);
  if (!failures.empty())
    throw NetworkError("C-STORE to " + destination.ToString() +
                       ": some objects were not stored (run the same "
                       "command again to send what is missing):" +
                       failures);
  return summary;
}

} // namespace icanscan::pipeline
