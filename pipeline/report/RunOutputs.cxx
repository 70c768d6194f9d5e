#include "pipeline/report/RunOutputs.h"

#include "filters/RigidRegistration.h"
#include "pipeline/report/NiftiWriter.h"
#include "pipeline/report/OutputFiles.h"

#include <sstream>

namespace icanscan::pipeline
{
void WriteRunOutputs(const std::filesystem::path & out,
                     const StudyAnalysis & analysis,
                     const nlohmann::json & report,
                     const std::vector<KeyImageFigure> & figures,
                     const RunParams & params,
                     const std::optional<BaselineComparison> & baseline)
{
  WriteStudyGeometry(analysis.geometry, out);
  if (analysis.detection.t2flair)
    WriteLabelNifti(analysis.detection.t2flair, out / "volumes" / "lesion_t2flair.nii.gz");
  if (analysis.detection.restricted)
    WriteLabelNifti(analysis.detection.restricted, out / "volumes" / "lesion_dwi.nii.gz");
  if (baseline)
    filters::WriteTransform(baseline->registration.transform, out / "transforms" / "baseline_to_reference.tfm");
  WriteTextFileAtomically(out / "report.json", report.dump(2) + "\n");
  WriteTextFileAtomically(out / "report.html", RenderReportHtml(report, figures));
  WriteTextFileAtomically(out / "findings.csv", FindingsCsv(report));
  WriteTextFileAtomically(out / "config.toml", RunConfigToToml(params));
  std::ostringstream timing;
  timing << "stage\tseconds\n";
  for (const auto & t : analysis.timings)
    timing << t.stage << "\t" << t.seconds << "\n";
  WriteTextFileAtomically(out / "timing.tsv", timing.str());
}

} // namespace icanscan::pipeline
