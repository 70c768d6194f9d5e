#include "app/Commands.h"

#include "core/Error.h"
#include "pipeline/grading/IcansGrading.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace icanscan::app
{
namespace
{
std::vector<std::string> OedemaFlagNames()
{
  std::vector<std::string> names;
  for (const auto value : kAllOedemaFlags)
    names.push_back(ToString(value));
  return names;
}

/** The imaging oedema a report.json records in oedema.flag; not_assessable when it records none. A report that
 * cannot be read, is not JSON or has a malformed oedema entry is corrupt input. */
OedemaFlag ReadReportOedema(const std::string & report, std::string & source)
{
  std::error_code ec;
  if (std::filesystem::is_directory(report, ec))
    throw InputError(report + ": expected a report.json file, found a folder");
  std::ifstream in(report, std::ios::binary);
  if (!in)
    throw InputError(report + ": cannot be read (missing or not readable)");
  const std::string text{ std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
  if (in.bad())
    throw InputError(report + ": read error");
  nlohmann::json json;
  try
  {
    json = nlohmann::json::parse(text);
  }
  catch (const nlohmann::json::parse_error & e)
  {
    throw InputError(report + ": not valid JSON (" + e.what() + ")");
  }
  if (!json.is_object())
    throw InputError(report + ": expected a JSON object (an icanscan report), got " + json.type_name());
  const auto oedema = json.find("oedema");
  if (oedema == json.end() || oedema->is_null())
  {
    source = report + " has no oedema entry";
    return OedemaFlag::NotAssessable;
  }
  if (!oedema->is_object())
    throw InputError(report + ": 'oedema' = " + oedema->dump() + ": expected an object with a 'flag'");
  const auto flag = oedema->find("flag");
  if (flag == oedema->end() || flag->is_null())
  {
    source = report + " has no oedema.flag";
    return OedemaFlag::NotAssessable;
  }
  const auto names = OedemaFlagNames();
  std::string expected;
  for (const auto & name : names)
    expected += (expected.empty() ? "" : ", ") + name;
  const auto parsed = flag->is_string() ? ParseOedemaFlag(flag->get<std::string>()) : std::nullopt;
  if (!parsed)
    throw InputError(report + ": 'oedema.flag' = " + flag->dump() + ": expected one of " + expected);
  source = "read from " + report + " (oedema.flag)";
  return *parsed;
}
} // namespace

void AddGradeCommand(CLI::App & cli, CommandAction & action)
{
  struct Options
  {
    std::string clinical;
    std::string report;
    std::string oedema;
    bool clinicalGiven = false;
    bool reportGiven = false;
    bool oedemaGiven = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App * sub = cli.add_subcommand(
    "grade", "ASTCT ICANS grade (adults) from the bedside assessment and the imaging oedema; prints JSON with the "
             "grade, the grade of each domain and the reasons. Imaging alone gives only the oedema domain");
  CLI::Option * clinical =
    sub->add_option("--clinical", options->clinical,
                    "Bedside assessment (clinical.json): ICE, consciousness, seizure, motor, ICP signs (see "
                    "docs/grading.md)");
  CLI::Option * report =
    sub->add_option("--report", options->report, "An analysis's report.json: its oedema.flag is the imaging oedema");
  CLI::Option * oedema =
    sub->add_option("--oedema", options->oedema, "Imaging oedema, instead of --report (default: not_assessable)")
      ->check(CLI::IsMember(OedemaFlagNames()));
  sub->callback(
    [options, clinical, report, oedema, &action]
    {
      options->clinicalGiven = clinical->count() > 0;
      options->reportGiven = report->count() > 0;
      options->oedemaGiven = oedema->count() > 0;
      action = [options](std::ostream & out, std::ostream &)
      {
        if (options->oedemaGiven && options->reportGiven)
          throw UsageError("grade: give the imaging oedema either with --oedema or with --report, not both");
        OedemaFlag imaging = OedemaFlag::NotAssessable;
        std::string source = "neither --oedema nor --report given";
        if (options->oedemaGiven)
        {
          const auto parsed = ParseOedemaFlag(options->oedema);
          if (!parsed)
            throw UsageError("--oedema '" + options->oedema + "': expected none, focal, diffuse or not_assessable");
          imaging = *parsed;
          source = "given with --oedema";
        }
        else if (options->reportGiven)
        {
          imaging = ReadReportOedema(options->report, source);
        }
        std::optional<pipeline::ClinicalAssessment> assessment;
        if (options->clinicalGiven)
          assessment = pipeline::ReadClinicalAssessment(options->clinical);
        pipeline::IcansGrade grade = pipeline::GradeIcans(imaging, assessment);
        grade.reasons.insert(grade.reasons.begin(), "icp_oedema: imaging oedema " + ToString(imaging) + ": " + source);
        out << pipeline::ToJson(grade).dump(2) << "\n";
        return static_cast<int>(ExitCode::Ok);
      };
    });
}

} // namespace icanscan::app
