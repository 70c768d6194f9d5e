#include "viewer/ViewerReport.h"

#include "core/Error.h"
#include "core/Findings.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace icanscan::viewer
{
namespace
{
std::optional<int> OptionalInt(const nlohmann::json & object, const char * key)
{
  if (!object.is_object() || !object.contains(key) || !object[key].is_number())
    return std::nullopt;
  return object[key].get<int>();
}

std::string KindText(const std::string & kind)
{
  const auto parsed = ParseFindingKind(kind);
  return parsed ? DisplayName(*parsed) : kind;
}
} // namespace

ViewerReport ParseViewerReport(const std::string & text, const std::string & source)
{
  nlohmann::json j;
  try
  {
    j = nlohmann::json::parse(text);
  }
  catch (const nlohmann::json::exception & e)
  {
    throw InputError(source + ": not valid JSON (" + e.what() + ")");
  }
  if (!j.is_object())
    throw InputError(source + ": expected a JSON object at the top level");
  ViewerReport report;
  try
  {
    if (j.contains("findings"))
    {
      for (const auto & f : j.at("findings"))
      {
        Finding finding;
        finding.id = f.value("id", static_cast<int>(report.findings.size()) + 1);
        finding.kind = f.value("kind", "");
        finding.structure = f.value("structure", "");
        finding.laterality = f.value("laterality", "");
        finding.volumeMl = f.contains("volume_ml") && f["volume_ml"].is_number() ? f["volume_ml"].get<double>() : 0.0;
        const auto & c = f.at("centroid_mm");
        if (!c.is_array() || c.size() != 3)
          throw InputError(source + ": findings[" + std::to_string(report.findings.size()) +
                           "].centroid_mm: expected an array of 3 numbers");
        for (int k = 0; k < 3; ++k)
          finding.centroidMm[k] = c[k].get<double>();
        report.findings.push_back(finding);
      }
    }
    if (j.contains("oedema") && j["oedema"].is_object())
    {
      const auto & o = j["oedema"];
      report.oedemaFlag = o.value("flag", "");
      if (o.contains("reasons") && o["reasons"].is_array())
        for (const auto & r : o["reasons"])
          report.oedemaReasons.push_back(r.is_string() ? r.get<std::string>() : r.value("text", ""));
    }
    if (j.contains("icans"))
    {
      report.oedemaDomainGrade = OptionalInt(j["icans"], "oedema_domain_grade");
      report.grade = OptionalInt(j["icans"], "grade");
    }
  }
  catch (const nlohmann::json::exception & e)
  {
    throw InputError(source + ": unexpected content (" + e.what() + ")");
  }
  return report;
}

ViewerReport ReadViewerReport(const std::filesystem::path & reportJson)
{
  std::ifstream in(reportJson, std::ios::binary);
  if (!in)
    throw InputError(reportJson.string() + ": cannot be read (expected the report.json of an `icanscan run` output)");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseViewerReport(text.str(), reportJson.string());
}

std::vector<std::string> BannerLines(const ViewerReport & report)
{
  std::vector<std::string> lines;
  lines.push_back("Oedema: " + (report.oedemaFlag.empty() ? std::string("not reported") : report.oedemaFlag));
  for (const auto & reason : report.oedemaReasons)
    lines.push_back("  - " + reason);
  if (report.grade)
    lines.push_back("ICANS grade " + std::to_string(*report.grade) + " (oedema domain " +
                    (report.oedemaDomainGrade ? std::to_string(*report.oedemaDomainGrade) : std::string("n/a")) + ")");
  else if (report.oedemaDomainGrade)
    lines.push_back("imaging only: oedema-domain grade " + std::to_string(*report.oedemaDomainGrade));
  else
    lines.push_back("imaging only: oedema domain not assessable");
  return lines;
}

std::string FindingText(const ViewerReport & report, int index)
{
  if (index < 0 || index >= static_cast<int>(report.findings.size()))
    return "";
  const Finding & f = report.findings[static_cast<std::size_t>(index)];
  char volume[32];
  std::snprintf(volume, sizeof(volume), "%.1f ml", f.volumeMl);
  return "Finding " + std::to_string(index + 1) + "/" + std::to_string(report.findings.size()) + ": " + f.structure +
         ", " + f.laterality + ", " + KindText(f.kind) + ", " + volume;
}

} // namespace icanscan::viewer
