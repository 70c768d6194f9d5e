#include "pipeline/baseline/BaselineComparison.h"

#include "core/Structures.h"
#include "filters/MaskMorphology.h"
#include "pipeline/baseline/LesionFilling.h"

#include <chrono>

namespace icanscan::pipeline
{
namespace
{
bool SameFinding(const Finding & a, const Finding & b)
{
  return a.kind == b.kind && a.structure == b.structure;
}

std::vector<Finding> Missing(const std::vector<Finding> & from, const std::vector<Finding> & in)
{
  std::vector<Finding> out;
  for (const auto & f : from)
  {
    bool found = false;
    for (const auto & g : in)
      found = found || SameFinding(f, g);
    if (!found)
      out.push_back(f);
  }
  return out;
}

/** Each scan's structure levels outside its own T2/FLAIR lesions grown by the fill margin. */
StructureLevels LevelsOutsideLesions(const StudyAnalysis & a,
                                     const filters::FloatImage * image,
                                     const LesionFillParams & params)
{
  const auto & seg = a.geometry.segmentation;
  const auto * labels = seg.propagatedLabels ? seg.propagatedLabels.GetPointer() : seg.labels.GetPointer();
  const auto & lesions = a.detection.t2flairExtent;
  const auto grown = lesions ? filters::DilateMm(lesions, params.lesionMarginMm) : nullptr;
  return MeasureStructureLevels(image, labels, grown.GetPointer());
}
} // namespace

BaselineComparison CompareWithBaseline(const StudyAnalysis & event,
                                       const StudyAnalysis & baseline,
                                       const filters::RigidRegistrationParams & rigid,
                                       const filters::RegistrationQcParams & qc)
{
  BaselineComparison c;
  c.newFindings = Missing(event.findings.findings, baseline.findings.findings);
  c.resolvedFindings = Missing(baseline.findings.findings, event.findings.findings);

  const auto & fixedRole = event.geometry.referenceRole;
  const auto * fixed = event.geometry.inReference.at(fixedRole).GetPointer();
  // Same contrast when the baseline has it, else its own reference (mutual information copes with the difference).
  const auto found = baseline.geometry.native.find(fixedRole);
  const auto & movingRole = found != baseline.geometry.native.end() ? fixedRole : baseline.geometry.referenceRole;
  const auto * moving = baseline.geometry.native.at(movingRole).GetPointer();
  const auto start = std::chrono::steady_clock::now();
  const auto result = filters::RegisterRigid(fixed, moving, event.geometry.segmentation.brainMask, nullptr, rigid);
  c.registration.role = "baseline_" + movingRole;
  c.registration.fixedRole = fixedRole;
  c.registration.transform = result.transform;
  c.registration.qc = filters::AssessRegistration(fixed, moving, event.geometry.segmentation.brainMask, nullptr,
                                                  result.transform, result.initial, qc);
  // The follow-up's lesions are filled with their structures' normal level, so the deformation follows the swollen
  // tissue's boundaries; lesions no level is known for stay out of the metric.
  const auto & eventSeg = event.geometry.segmentation;
  const auto * fillLabels =
    eventSeg.propagatedLabels ? eventSeg.propagatedLabels.GetPointer() : eventSeg.labels.GetPointer();
  const LesionFillParams fillParams;
  const auto eventLevels = LevelsOutsideLesions(event, fixed, fillParams);
  const auto levels = NormalLevelsForFilling(
    eventLevels, LevelsOutsideLesions(baseline, baseline.geometry.inReference.at(movingRole), fillParams), fillParams);
  const auto csf = eventLevels.median.find(static_cast<unsigned char>(Structure::LateralVentricles));
  const FillOptions options{ csf != eventLevels.median.end() ? csf->second : 0.0, fillParams.lesionMarginMm,
                             WhiteMatterLevel(eventLevels) };
  auto filled = event.detection.t2flairExtent
                  ? FillLesions(fixed, event.detection.t2flairExtent, fillLabels, levels, options)
                  : FilledImage{ nullptr, nullptr, nullptr };
  c.volumeChange =
    MeasureVolumeChangeSinceBaseline(filled.image ? filled.image.GetPointer() : fixed, moving, result.transform,
                                     eventSeg.labels, eventSeg.brainMask, filled.unfilled, {}, filled.filled);
  c.registration.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return c;
}

nlohmann::json ToJson(const BaselineComparison & c)
{
  nlohmann::json j;
  j["structures"] = nlohmann::json::object();
  for (const auto & [key, pct] : c.volumeChange.changePct)
    j["structures"][key] = { { "volume_change_pct", pct }, { "seen_fraction", c.volumeChange.seenFraction.at(key) } };
  j["new_findings"] = nlohmann::json::array();
  for (const auto & f : c.newFindings)
    j["new_findings"].push_back(ToJson(f));
  j["resolved_findings"] = nlohmann::json::array();
  for (const auto & f : c.resolvedFindings)
    j["resolved_findings"].push_back(ToJson(f));
  j["registration"] = { { "moving", c.registration.role },
                        { "fixed", c.registration.fixedRole },
                        { "status", filters::ToString(c.registration.qc.verdict) },
                        { "messages", c.registration.qc.reasons } };
  return j;
}

} // namespace icanscan::pipeline
