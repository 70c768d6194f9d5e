#include "pipeline/StudyPipeline.h"

#include "core/Error.h"
#include "core/RuntimeLimits.h"
#include "core/Stopwatch.h"
#include "core/Version.h"
#include "pipeline/baseline/BaselineComparison.h"
#include "pipeline/export/DicomExport.h"
#include "pipeline/input/StudyInput.h"
#include "pipeline/report/OutputFiles.h"
#include "pipeline/report/ReportFigures.h"
#include "pipeline/report/RunOutputs.h"
#include "pipeline/report/StudyReport.h"

#include <spdlog/spdlog.h>

#include "itkMultiThreaderBase.h"

namespace icanscan::pipeline
{
namespace
{
void SetThreads(int threads)
{
  if (threads > 0)
    itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(static_cast<itk::ThreadIdType>(threads));
}

/** A progress callback that maps a sub-run's 0..1 onto [offset, offset + span] of the whole run. */
ProgressCallback Scaled(const ProgressCallback & progress, double offset, double span, const std::string & prefix)
{
  return [=](const std::string & step, double fraction)
  {
    if (progress)
      progress(prefix + step, offset + span * fraction);
  };
}
} // namespace

StudyRunResult RunStudy(const StudyRunRequest & request, const ProgressCallback & progress)
{
  CheckThreadCount(request.threads);
  std::vector<std::string> inputs{ request.study.path.string() };
  if (request.baseline)
    inputs.push_back(request.baseline->path.string());
  CheckOutputOutsideInputs(request.output, inputs);
  StagedOutputFolder staged(request.output); // OUT checked and locked before any work
  SetThreads(request.threads);
  // Every stage is timed (timing.tsv, report.json `timings`) except building and writing the outputs.
  std::vector<StageTiming> timings;
  Stopwatch watch;
  const StudyInput input =
    OpenStudy(request.study.path.string(), request.threads, request.study.roleOverrides, request.study.studyUid);
  if (request.dicomOut)
    RequireDicomSource(input, request.study.path.string());
  std::optional<StudyInput> baselineInput;
  if (request.baseline) // the baseline shares the study's --role options and may lack some of its series
    baselineInput = OpenStudy(request.baseline->path.string(), request.threads, request.baseline->roleOverrides,
                              request.baseline->studyUid, RoleMatch::Optional);
  timings.push_back({ "index_study", watch.Restart() });

  const ProgressCallback report = Scaled(progress, 0, 1, "");
  report("loading the atlas", 0);
  const Atlas atlas = LoadAtlas();
  timings.push_back({ "load_atlas", watch.Restart() });
  const StudyRunStage stage(request.params);

  std::optional<StudyAnalysis> baseline;
  std::vector<std::string> warnings;
  if (baselineInput)
  {
    spdlog::info("baseline study {}", request.baseline->path.string());
    baseline = stage.Run(baselineInput->index, atlas, std::nullopt, Scaled(progress, 0, 0.5, "baseline: "));
    for (const auto & w : baseline->warnings)
      warnings.push_back("baseline: " + w);
    for (const auto & t : baseline->timings)
      timings.push_back({ "baseline_" + t.stage, t.seconds });
  }
  const std::optional<OedemaBaseline> baselineMarkers =
    baseline ? std::optional<OedemaBaseline>(OedemaBaseline{ baseline->oedema.markers }) : std::nullopt;
  const double offset = baseline ? 0.5 : 0.0;
  StudyAnalysis analysis = stage.Run(input.index, atlas, baselineMarkers, Scaled(progress, offset, 1.0 - offset, ""));
  analysis.timings.insert(analysis.timings.begin(), timings.begin(), timings.end());

  std::optional<BaselineComparison> comparison;
  if (baseline)
  {
    report("baseline comparison", 0.97);
    watch.Restart();
    comparison = CompareWithBaseline(analysis, *baseline, request.params.geometry.rigid, request.params.geometry.qc);
    analysis.timings.push_back({ "baseline_comparison", watch.Seconds() });
    if (comparison->registration.qc.verdict != filters::QcVerdict::Ok)
      warnings.push_back("baseline registration " + filters::ToString(comparison->registration.qc.verdict));
    // A failed alignment measures nothing; a suspect one (e.g. the head turned more between the scans) still does,
    // with the warning above for the reader.
    if (comparison->registration.qc.verdict != filters::QcVerdict::Failed)
      ApplyBaselineVolumeChange(analysis.oedema, comparison->volumeChange.changePct,
                                comparison->volumeChange.seenFraction, request.params.oedema, *baselineMarkers);
    else
      analysis.oedema.notes.push_back("baseline registration failed: volume change since baseline not used");
  }

  const IcansGrade grade = GradeIcans(analysis.oedema.flag, request.clinical);
  ReportContext context;
  context.version = kVersion;
  context.keepIdentifiers = request.keepIdentifiers;
  context.params = &request.params;
  context.baseline = comparison;
  context.warnings = warnings;
  StudyRunResult result;
  result.report = BuildReport(input.index, analysis, grade, context);
  result.partial = !analysis.rejectedRoles.empty() || input.index.CountDamaged() > 0;

  report("writing outputs", 0.98);
  std::vector<KeyImageFigure> figures;
  try
  {
    figures = MakeReportFigures(analysis);
  }
  catch (const Error & e)
  {
    spdlog::warn("key images not rendered: {}", e.what());
  }
  WriteRunOutputs(staged.Path(), analysis, result.report, figures, request.params, comparison);
  std::size_t exported = 0;
  if (request.dicomOut)
  {
    report("DICOM export", 0.99);
    exported = ExportDicom(staged.Path(), input.index, kVersion).size();
  }
  staged.Commit();
  if (request.dicomOut)
    spdlog::info("DICOM export: {} objects in {} (they carry the study's patient identifiers)", exported,
                 (request.output / "dicom").string());
  report("done: " + request.output.string(), 1.0);
  return result;
}

SegmentationResult SegmentStudy(const SegmentationRequest & request, const ProgressCallback & progress)
{
  CheckThreadCount(request.threads);
  CheckOutputOutsideInputs(request.output, { request.study.path.string() });
  StagedOutputFolder staged(request.output); // OUT checked and locked before any work
  SetThreads(request.threads);
  const StudyInput input =
    OpenStudy(request.study.path.string(), request.threads, request.study.roleOverrides, request.study.studyUid);
  const ProgressCallback report = Scaled(progress, 0, 1, "");
  report("loading the atlas", 0);
  const Atlas atlas = LoadAtlas();
  report("registering series and atlas", 0.05);
  StudyGeometryParams params;
  params.threads = request.threads;
  const StudyGeometry geometry = StudyGeometryStage(params).Run(input.index, atlas);
  WriteStudyGeometry(geometry, staged.Path());
  SegmentationResult result;
  result.summary = SegmentationSummary(geometry);
  WriteTextFileAtomically(staged.Path() / "segmentation.json", result.summary.dump(2) + "\n");
  staged.Commit();
  result.partial = input.index.CountDamaged() > 0;
  for (const auto & r : geometry.registrations)
    result.partial = result.partial || r.qc.verdict == filters::QcVerdict::Failed;
  report("done: " + request.output.string(), 1.0);
  return result;
}

} // namespace icanscan::pipeline
