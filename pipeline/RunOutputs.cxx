#include "pipeline/RunOutputs.h"

#include "filters/RigidRegistration.h"
#include "pipeline/NiftiWriter.h"
#include "pipeline/OutputFiles.h"

#include <sstream>

namespace icanscan::pipeline
{
namespace
{
itk::Image<float, 3>::Pointer AsFloat(const itk::Image<unsigned char, 3> * mask)
{
  auto image = itk::Image<float, 3>::New();
  image->CopyInformation(mask);
  image->SetRegions(mask->GetLargestPossibleRegion());
  image->Allocate();
  std::copy_n(mask->GetBufferPointer(), mask->GetLargestPossibleRegion().GetNumberOfPixels(),
              image->GetBufferPointer());
  return image;
}
} // namespace

void WriteRunOutputs(const std::filesystem::path & out,
                     const StudyAnalysis & analysis,
                     const nlohmann::json & report,
                     const std::vector<KeyImageFigure> & figures,
                     const RunParams & params,
                     const std::optional<BaselineComparison> & baseline)
{
  WriteStudyGeometry(analysis.geometry, out);
  if (analysis.detection.t2flair)
    WriteNifti({ AsFloat(analysis.detection.t2flair) }, out / "volumes" / "lesion_t2flair.nii.gz");
  if (analysis.detection.restricted)
    WriteNifti({ AsFloat(analysis.detection.restricted) }, out / "volumes" / "lesion_dwi.nii.gz");
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
