#include "app/Commands.h"
#include "pipeline/input/StudyInput.h"

#include "core/Error.h"
#include "pipeline/baseline/BaselineComparison.h"
#include "pipeline/export/DicomExport.h"
#include "pipeline/report/OutputFiles.h"
#include "pipeline/report/ReportFigures.h"
#include "pipeline/report/RunOutputs.h"
#include "pipeline/report/StudyReport.h"
#include "pipeline/StudyRunStage.h"
#include "viewer/DisplayCheck.h"
#include "viewer/Snapshot.h"
#include "viewer/ViewerScene.h"

#include <spdlog/spdlog.h>

#include "itkMultiThreaderBase.h"

#include <cmath>
#include <fstream>
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
  bool dicomOut = false;
  std::vector<std::string> roles;
};

/** Key images rendered by the viewer (the same pictures `icanscan view --snapshot` makes), when an X display is
 * available; empty otherwise, and the report keeps the pipeline's own renderings. */
std::vector<pipeline::KeyImageFigure> ViewerFigures(const std::filesystem::path & out, const nlohmann::json & report)
{
  std::vector<pipeline::KeyImageFigure> figures;
  if (!viewer::DisplayProblem().empty())
    return figures;
  const auto scene = viewer::ViewerScene::Load(out);
  const std::size_t count = std::min<std::size_t>(report.at("findings").size(), 8);
  for (std::size_t k = 0; k < std::max<std::size_t>(count, 1); ++k)
  {
    viewer::SnapshotParams params;
    params.position = count ? viewer::SnapshotPosition::Finding : viewer::SnapshotPosition::Auto;
    params.finding = static_cast<int>(k) + 1;
    const auto png = out / (".key-image-" + std::to_string(k) + ".png");
    viewer::Snapshot(scene, params).WritePng(png);
    std::ifstream in(png, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    in.close();
    std::filesystem::remove(png);
    pipeline::KeyImageFigure figure;
    if (count)
    {
      const auto & f = report.at("findings").at(k);
      std::ostringstream title;
      title << "Finding " << f.at("id").get<int>() << ": " << f.at("kind").get<std::string>() << ", "
            << f.at("structure").get<std::string>() << " (" << f.at("laterality").get<std::string>() << ")";
      figure.title = title.str();
    }
    else
      figure.title = "No finding: axial " + report.at("reference").at("role").get<std::string>();
    figure.caption = "icanscan view snapshot: red T2/FLAIR hyperintensity, blue restricted diffusion, structure "
                     "outlines; patient left on screen right.";
    figure.png = bytes.str();
    figures.push_back(figure);
  }
  return figures;
}

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
  const pipeline::RunParams params = o.config.empty() ? pipeline::RunParams{} : pipeline::LoadRunConfig(o.config);
  std::optional<pipeline::ClinicalAssessment> clinical;
  if (!o.clinical.empty())
    clinical = pipeline::ReadClinicalAssessment(o.clinical);
  if (o.threads > 0)
    itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(static_cast<itk::ThreadIdType>(o.threads));

  const pipeline::StudyInput input = pipeline::OpenStudy(o.study, o.threads, o.roles);
  const dicom::StudyIndex & index = input.index;
  if (o.dicomOut)
    pipeline::RequireDicomSource(input, o.study);
  std::optional<pipeline::StudyInput> baselineInput;
  if (!o.baseline.empty())
    baselineInput = pipeline::OpenStudy(o.baseline, o.threads, o.roles);
  pipeline::StagedOutputFolder staged(o.output);

  spdlog::info("[  0%] loading the atlas");
  const pipeline::Atlas atlas = pipeline::LoadAtlas();
  const pipeline::StudyRunStage stage(params);
  std::optional<pipeline::StudyAnalysis> baseline;
  std::optional<pipeline::OedemaBaseline> baselineMarkers;
  std::vector<std::string> warnings;
  if (baselineInput)
  {
    spdlog::info("baseline study {}", o.baseline);
    baseline = stage.Run(baselineInput->index, atlas, std::nullopt,
                         [](const std::string & s, double f) { spdlog::info("[{:3.0f}%] baseline: {}", 50 * f, s); });
    baselineMarkers = pipeline::OedemaBaseline{ baseline->oedema.markers };
    for (const auto & w : baseline->warnings)
      warnings.push_back("baseline: " + w);
  }
  const double offset = baseline ? 50 : 0, span = baseline ? 50 : 100;
  pipeline::StudyAnalysis analysis =
    stage.Run(index, atlas, baselineMarkers,
              [&](const std::string & s, double f) { spdlog::info("[{:3.0f}%] {}", offset + span * f, s); });
  std::optional<pipeline::BaselineComparison> comparison;
  if (baseline)
  {
    spdlog::info("[ 97%] baseline comparison");
    comparison = pipeline::CompareWithBaseline(analysis, *baseline, params.geometry.rigid, params.geometry.qc);
    if (comparison->registration.qc.verdict != filters::QcVerdict::Ok)
      warnings.push_back("baseline registration " + filters::ToString(comparison->registration.qc.verdict));
  }

  const auto grade = pipeline::GradeIcans(pipeline::ToImagingOedema(analysis.oedema.flag), clinical);
  pipeline::ReportContext context;
  context.version = ICANSCAN_VERSION;
  context.keepIdentifiers = o.keepIdentifiers;
  context.params = &params;
  context.baseline = comparison;
  context.warnings = warnings;
  const nlohmann::json report = pipeline::BuildReport(index, analysis, grade, context);
  spdlog::info("[ 98%] writing outputs");
  std::vector<pipeline::KeyImageFigure> figures;
  try
  {
    figures = pipeline::MakeReportFigures(analysis);
  }
  catch (const Error & e)
  {
    spdlog::warn("key images not rendered: {}", e.what());
  }
  pipeline::WriteRunOutputs(staged.Path(), analysis, report, figures, params, comparison);
  try
  {
    const auto rendered = ViewerFigures(staged.Path(), report);
    if (!rendered.empty())
      pipeline::WriteTextFileAtomically(staged.Path() / "report.html", pipeline::RenderReportHtml(report, rendered));
  }
  catch (const std::exception & e)
  {
    spdlog::warn("viewer key images not rendered ({}); report.html keeps the pipeline's own", e.what());
  }
  staged.Commit();
  if (o.dicomOut)
    pipeline::ExportDicom(o.output, index, ICANSCAN_VERSION);
  spdlog::info("[100%] done: {}", o.output);
  out << Summary(report);
  return static_cast<int>(analysis.rejectedRoles.empty() ? ExitCode::Ok : ExitCode::PartialSuccess);
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
  sub->add_flag("--dicom-out", o->dicomOut,
                "Also write OUT/dicom/ (SEG, TID 1500 SR, key images, KOS; carries the study's identifiers), as "
                "`icanscan export-dicom OUT STUDY` does; a NIfTI study is refused (exit 4)");
  sub->add_option("--role", o->roles,
                  "Override a series role: ID=ROLE (e.g. 7=FLAIR; for a NIfTI study ID may be a file name)");
  sub->callback([o, &action] { action = [o](std::ostream & out, std::ostream &) { return Run(*o, out); }; });
}

} // namespace icanscan::app
