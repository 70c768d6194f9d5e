#include "app/Commands.h"

#include "core/Error.h"
#include "pipeline/StudyPipeline.h"

#include <spdlog/spdlog.h>

#include <iomanip>
#include <sstream>

namespace icanscan::app
{
namespace
{
struct RunOptions
{
  std::string study;
  std::string output;
  std::string baseline;
  std::string clinical;
  std::string config;
  int threads = 0;
  bool keepIdentifiers = false;
  std::vector<std::string> roles;
};

/** The console summary: reference, oedema flag with its reasons, grade, findings, warnings. */
std::string Summary(const nlohmann::json & r)
{
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  out << "icanscan run: reference " << r["reference"]["role"].get<std::string>() << " (series "
      << r["reference"]["series_number"] << ")\n";
  out << "oedema: " << r["oedema"]["flag"].get<std::string>() << "\n";
  for (const auto & reason : r["oedema"]["reasons"])
    out << "  - " << reason["text"].get<std::string>() << "\n";
  const auto & icans = r["icans"];
  if (!icans["grade"].is_null())
    out << "ICANS grade: " << icans["grade"] << "\n";
  else if (!icans["oedema_domain_grade"].is_null())
    out << "ICANS: imaging only, oedema-domain grade " << icans["oedema_domain_grade"] << " (overall grade needs "
        << "clinical input)\n";
  else
    out << "ICANS: oedema domain not assessable from imaging\n";
  out << "findings: " << r["findings"].size() << "\n";
  for (const auto & f : r["findings"])
    out << "  " << f["id"] << ". " << f["kind"].get<std::string>() << ": " << f["structure"].get<std::string>() << " ("
        << f["laterality"].get<std::string>() << "), " << f["volume_ml"].get<double>() << " ml\n";
  for (const auto & w : r["warnings"])
    out << "warning: " << w.get<std::string>() << "\n";
  return out.str();
}

int Run(const RunOptions & o, std::ostream & out)
{
  // Settings and clinical input first: a typo there must not cost a whole registration.
  pipeline::StudyRunRequest request;
  request.params = o.config.empty() ? pipeline::RunParams{} : pipeline::LoadRunConfig(o.config);
  if (!o.clinical.empty())
    request.clinical = pipeline::ReadClinicalAssessment(o.clinical);
  request.study = { o.study, o.roles };
  if (!o.baseline.empty())
    request.baseline = pipeline::StudySource{ o.baseline, o.roles };
  request.output = o.output;
  request.threads = o.threads;
  request.keepIdentifiers = o.keepIdentifiers;
  const auto result = pipeline::RunStudy(request, ProgressLogger());
  out << Summary(result.report);
  return static_cast<int>(result.partial ? ExitCode::PartialSuccess : ExitCode::Ok);
}
} // namespace

void AddRunCommand(CLI::App & cli, CommandAction & action)
{
  auto o = std::make_shared<RunOptions>();
  CLI::App * sub = cli.add_subcommand(
    "run", "The main job: register the series, segment the ICANS structures, detect T2/FLAIR hyperintensity and "
           "restricted diffusion, flag cerebral oedema and grade its ASTCT domain; writes report.json, report.html, "
           "findings.csv, volumes/ and transforms/ to OUT atomically");
  sub
    ->add_option("STUDY", o->study,
                 "DICOM folder (any depth, mixed series) or folder of NIfTI files with JSON sidecars")
    ->required();
  sub->add_option("-o,--output", o->output, "Output folder (written atomically)")->required();
  sub->add_option("--baseline", o->baseline,
                  "An earlier study of the same patient: volume change, new and resolved "
                  "findings");
  sub->add_option("--clinical", o->clinical, "clinical.json with the ICE score and clinical domains (docs/grading.md)");
  sub->add_option("--config", o->config, "TOML file with algorithm settings (docs/config.md)");
  sub->add_option("--threads", o->threads, "Threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  sub->add_flag("--keep-identifiers", o->keepIdentifiers,
                "Write patient name, ID, birth date, StudyInstanceUID and study date into report.json");
  sub->add_option("--role", o->roles,
                  "Override a series role: ID=ROLE (e.g. 7=FLAIR; for a NIfTI study ID may be a file name)");
  sub->callback([o, &action] { action = [o](std::ostream & out, std::ostream &) { return Run(*o, out); }; });
}

} // namespace icanscan::app
