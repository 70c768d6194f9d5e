#include "pipeline/StudyRunStage.h"

#include "core/Stopwatch.h"
#include "core/TextFormat.h"
#include "dicom/SeriesKey.h"
#include "filters/ImageTypes.h"
#include "pipeline/detection/TissuePools.h"

#include <cmath>

namespace icanscan::pipeline
{
namespace
{
/** The highest-b trace in reference space ("DWI_b1000" ...) and its b-value (0: none). */
std::pair<const itk::Image<float, 3> *, double> HighestTrace(const StudyGeometry & g)
{
  const auto key = dicom::HighestDwiTrace(dicom::KeyNames(g.inReference));
  if (!key)
    return { nullptr, 0.0 };
  return { g.inReference.at(dicom::ToString(*key)).GetPointer(), static_cast<double>(*key->bValue) };
}
} // namespace

StudyRunStage::StudyRunStage(RunParams params)
  : m_Params(std::move(params))
{
  ValidateRunParams(m_Params);
}

StudyAnalysis StudyRunStage::Run(const dicom::StudyIndex & index,
                                 const Atlas & atlas,
                                 const std::optional<OedemaBaseline> & baseline,
                                 const ProgressCallback & progress) const
{
  auto report = [&](const std::string & stage, double fraction)
  {
    if (progress)
      progress(stage, fraction);
  };
  StudyAnalysis a;
  Stopwatch watch;
  report("registration and atlas segmentation", 0.05);
  a.geometry = StudyGeometryStage(m_Params.geometry).Run(index, atlas);
  a.timings.push_back({ "registration_and_segmentation", watch.Seconds() });

  // A series whose alignment failed QC would put lesions in the wrong place: leave it out, say so.
  std::map<std::string, bool> usable;
  for (const auto & [role, image] : a.geometry.inReference)
    usable[role] = true;
  for (const auto & r : a.geometry.registrations)
  {
    if (r.qc.verdict != filters::QcVerdict::Failed)
    {
      if (r.qc.verdict == filters::QcVerdict::Suspect)
        a.warnings.push_back(r.role + ": registration to " + r.fixedRole + " is suspect; findings from it need review");
      continue;
    }
    const bool dwi = r.role.rfind("DWI", 0) == 0;
    for (auto & [role, ok] : usable)
      if (role == r.role || (dwi && role.rfind("DWI", 0) == 0))
        ok = false;
    a.rejectedRoles.push_back(r.role);
    a.warnings.push_back(r.role + ": registration to " + r.fixedRole +
                         " failed QC; left out of detection (its findings are not assessable)");
  }
  auto image = [&](const std::string & role) -> const itk::Image<float, 3> *
  {
    const auto it = a.geometry.inReference.find(role);
    return it != a.geometry.inReference.end() && usable[role] ? it->second.GetPointer() : nullptr;
  };

  watch.Restart();
  report("lesion detection", 0.85);
  LesionDetectionInput input;
  input.t2 = image("T2");
  input.flair = image("FLAIR");
  input.dwiB0 = image("DWI_b0");
  const auto [trace, b] = HighestTrace(a.geometry);
  input.dwiHigh = trace && usable["DWI_b" + std::to_string(std::lround(b))] ? trace : nullptr;
  input.dwiB = b > 0 ? b : 1000;
  if (const auto native = a.geometry.native.find(TraceRole(a.geometry.diffusion)); native != a.geometry.native.end())
    input.dwiVoxelMl =
      native->second->GetSpacing()[0] * native->second->GetSpacing()[1] * native->second->GetSpacing()[2] / 1000;
  input.adc = image("ADC");
  const auto & seg = a.geometry.segmentation;
  input.labels = seg.labels;
  input.propagatedLabels = seg.propagatedLabels;
  input.tissue = seg.tissue;
  input.brainMask = seg.brainMask;
  a.detection = LesionDetectionStage(m_Params.detection).Run(input);
  if (const std::size_t removed = RemoveLesionFromVentricles(seg.labels, a.detection.t2flairExtent))
    a.detection.notes.push_back(FormatFixed(static_cast<double>(removed) * filters::VoxelVolumeMl(seg.labels), 1) +
                                " ml of T2/FLAIR lesion taken out of the lateral ventricles (CSF-bright on T2)");
  if (!a.detection.restricted)
    a.warnings.push_back(DiffusionNotAssessedWarning(a.geometry.diffusion, a.rejectedRoles));
  const itk::Image<float, 3> * hyperImage = input.flair ? input.flair : input.t2;
  a.findings = SummariseFindings(a.detection, seg.labels, seg.propagatedLabels, hyperImage, m_Params.involvement);
  a.timings.push_back({ "lesion_detection", watch.Seconds() });

  watch.Restart();
  report("oedema markers", 0.95);
  OedemaInput oedema;
  oedema.labels = seg.labels;
  oedema.tissue = seg.tissue;
  oedema.brainMask = seg.brainMask;
  oedema.hyperintense = a.detection.t2flairExtent;
  oedema.propagatedLabels = seg.propagatedLabels;
  oedema.adcUm2s = a.detection.adcUm2s;
  oedema.csfImage = input.t2 ? input.t2 : input.flair;
  oedema.csfImageBright = input.t2 != nullptr;
  oedema.csfImageSequence = input.t2 ? "T2" : "FLAIR";
  oedema.subjectToAtlas = seg.subjectToAtlas;
  oedema.atlas = &atlas;
  const auto refs = a.detection.references.find(a.detection.hyperintensitySequence);
  if (refs != a.detection.references.end())
  {
    const double dg = refs->second[static_cast<std::size_t>(TissuePool::DeepGrey)].stats.median;
    const double wm = refs->second[static_cast<std::size_t>(TissuePool::WhiteMatter)].stats.median;
    if (dg + wm > 0)
      oedema.greyWhiteContrast = (dg - wm) / (dg + wm);
  }
  for (const auto & [key, m] : a.findings.structures)
    oedema.involved[key] = m.t2flairInvolved.value_or(false);
  a.oedema = AssessOedema(oedema, m_Params.oedema, baseline);
  a.timings.push_back({ "oedema_assessment", watch.Seconds() });
  return a;
}

} // namespace icanscan::pipeline
