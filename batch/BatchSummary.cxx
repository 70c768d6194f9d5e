#include "batch/BatchSummary.h"

#include "batch/BatchReportHtml.h"
#include "batch/StudyOutcome.h"
#include "core/Error.h"
#include "core/TextFormat.h"
#include "pipeline/geometry/StructureLabels.h"
#include "pipeline/report/OutputFiles.h"

#include <algorithm>
#include <fstream>
#include <map>

namespace icanscan::batch
{
namespace fs = std::filesystem;

namespace
{
const char * const kQcColumns[] = { "FLAIR", "DWI_b0", "ADC", "baseline" };

std::string Cell(const std::optional<int> & v)
{
  return v ? std::to_string(*v) : std::string();
}

std::string Cell(const std::optional<bool> & v)
{
  return v ? (*v ? "true" : "false") : std::string();
}

std::string Cell(const std::optional<double> & v, int digits)
{
  return v ? FormatFixed(*v, digits) : std::string();
}

const StructureDigest * FindStructure(const ReportDigest & report, const std::string & key)
{
  for (const auto & s : report.structures)
    if (s.key == key)
      return &s;
  return nullptr;
}

/** A TSV cell never holds a tab or a line break. */
std::string Clean(const std::string & text)
{
  std::string out = text;
  std::replace(out.begin(), out.end(), '\t', ' ');
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  return out;
}
} // namespace

std::vector<SummaryRow> CollectSummary(const std::vector<StudyEntry> & studies, const fs::path & outRoot)
{
  std::vector<SummaryRow> rows;
  for (const auto & study : studies)
  {
    SummaryRow row;
    if (auto record = ReadRecord(outRoot, study.id))
      row.record = *record;
    else
    {
      row.record.id = study.id;
      row.record.status = StudyStatus::Skipped;
      row.record.error = "not run";
      row.record.study = study.study.string();
      row.record.baseline = study.baseline.string();
    }
    const auto s = row.record.status;
    if (s == StudyStatus::Ok || s == StudyStatus::Warning || s == StudyStatus::Partial)
    {
      try
      {
        row.report = ReadReportDigest(outRoot / study.id / "report.json");
      }
      catch (const Error & e)
      {
        row.record.error = OneLine(row.record.error.empty() ? e.what() : row.record.error + "; " + e.what());
      }
    }
    rows.push_back(row);
  }
  return rows;
}

std::vector<StudyEntry> StudiesInOutRoot(const fs::path & outRoot)
{
  const fs::path listFile = StudyListPath(outRoot);
  if (std::ifstream in(listFile, std::ios::binary); in)
  {
    const auto json = nlohmann::json::parse(in, nullptr, false);
    return StudyListFromJson(json, listFile.string());
  }
  std::vector<StudyEntry> studies;
  std::error_code ec;
  for (fs::directory_iterator it(RecordFolder(outRoot), ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json")
      if (const auto record = ReadRecord(outRoot, it->path().stem().string()))
      {
        StudyEntry entry;
        entry.id = record->id;
        entry.study = record->study;
        entry.baseline = record->baseline;
        studies.push_back(entry);
      }
  if (studies.empty())
    throw UsageError(outRoot.string() + ": no batch records to summarise (expected " + RecordFolder(outRoot).string() +
                     "/ written by icanscan batch)");
  std::sort(studies.begin(), studies.end(), [](const auto & a, const auto & b) { return a.id < b.id; });
  return studies;
}

std::vector<std::string> StructureColumns(const std::vector<SummaryRow> & rows)
{
  std::vector<std::string> keys;
  for (const auto & info : pipeline::AllStructures())
    keys.push_back(info.key);
  std::vector<std::string> others;
  for (const auto & row : rows)
    if (row.report)
      for (const auto & s : row.report->structures)
        if (std::find(keys.begin(), keys.end(), s.key) == keys.end() &&
            std::find(others.begin(), others.end(), s.key) == others.end())
          others.push_back(s.key);
  std::sort(others.begin(), others.end());
  keys.insert(keys.end(), others.begin(), others.end());
  return keys;
}

std::string SummaryTsv(const std::vector<SummaryRow> & rows)
{
  const auto structures = StructureColumns(rows);
  std::vector<std::string> header{ "id",          "status",           "exit_code",   "error",
                                   "reference",   "reference_series", "oedema_flag", "oedema_domain_grade",
                                   "icans_grade", "findings",         "warnings",    "qc_registration" };
  for (const char * moving : kQcColumns)
    header.push_back(std::string("qc_") + moving);
  header.push_back("rejected_series");
  for (const auto & key : structures)
    for (const char * suffix : { "_ml", "_t2flair", "_restricted" })
      header.push_back(key + suffix);
  header.push_back("seconds");
  header.push_back("peak_memory_mb");

  std::string text;
  for (std::size_t k = 0; k < header.size(); ++k)
    text += (k ? "\t" : "") + header[k];
  text += "\n";
  for (const auto & row : rows)
  {
    const auto & r = row.record;
    std::vector<std::string> cells{ Clean(r.id), ToString(r.status), Cell(r.exitCode), Clean(r.error) };
    const bool ran = r.status != StudyStatus::Skipped;
    if (row.report)
    {
      const auto & d = *row.report;
      cells.insert(cells.end(),
                   { Clean(d.referenceRole), Clean(d.referenceSeriesId), Clean(d.oedemaFlag), Cell(d.oedemaDomainGrade),
                     Cell(d.icansGrade), d.findings ? std::to_string(*d.findings) : std::string(),
                     std::to_string(d.warnings.size()), d.WorstRegistration() });
      for (const char * moving : kQcColumns)
        cells.push_back(d.RegistrationStatus(moving));
      cells.push_back(std::to_string(d.rejectedSeries));
      for (const auto & key : structures)
      {
        const StructureDigest * s = FindStructure(d, key);
        cells.push_back(s ? Cell(s->volumeMl, 3) : std::string());
        cells.push_back(s ? Cell(s->t2flairInvolved) : std::string());
        cells.push_back(s ? Cell(s->diffusionRestricted) : std::string());
      }
    }
    else
      cells.resize(cells.size() + 8 + std::size(kQcColumns) + 1 + 3 * structures.size());
    cells.push_back(ran ? FormatFixed(r.seconds, 1) : std::string());
    cells.push_back(ran ? FormatFixed(r.peakMemoryMb, 0) : std::string());
    for (std::size_t k = 0; k < cells.size(); ++k)
      text += (k ? "\t" : "") + cells[k];
    text += "\n";
  }
  return text;
}

int SummaryExitCode(const std::vector<SummaryRow> & rows)
{
  for (const auto & row : rows)
    if (row.record.status == StudyStatus::Partial || row.record.status == StudyStatus::Failed)
      return static_cast<int>(ExitCode::PartialSuccess);
  return static_cast<int>(ExitCode::Ok);
}

std::string SummaryText(const fs::path & outRoot, const std::vector<SummaryRow> & rows)
{
  std::map<StudyStatus, int> counts;
  for (const auto & row : rows)
    ++counts[row.record.status];
  std::string text = "icanscan batch: " + std::to_string(rows.size()) + " studies:";
  for (auto s :
       { StudyStatus::Ok, StudyStatus::Warning, StudyStatus::Partial, StudyStatus::Failed, StudyStatus::Skipped })
    text += " " + std::to_string(counts[s]) + " " + ToString(s) + (s == StudyStatus::Skipped ? "\n" : ",");
  for (const auto & row : rows)
    if (row.record.status == StudyStatus::Failed || row.record.status == StudyStatus::Partial)
      text += "  " + row.record.id + " " + ToString(row.record.status) +
              (row.record.exitCode ? " (exit " + std::to_string(*row.record.exitCode) + ")" : "") + ": " +
              row.record.error + "\n";
  return text + "summary: " + (outRoot / "batch_summary.tsv").string() +
         "\nreport: " + (outRoot / "batch_report.html").string() + "\n";
}

void WriteSummary(const fs::path & outRoot, const std::vector<SummaryRow> & rows, const std::string & version)
{
  pipeline::EnsureWritableFolder(outRoot);
  pipeline::WriteTextFileAtomically(outRoot / "batch_summary.tsv", SummaryTsv(rows));
  pipeline::WriteTextFileAtomically(outRoot / "batch_report.html", BatchReportHtml(rows, version));
}

} // namespace icanscan::batch
