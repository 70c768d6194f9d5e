#include "pipeline/baseline/BaselineComparison.h"

#include "core/Structures.h"
#include "filters/MaskMorphology.h"
#include "pipeline/baseline/LesionFilling.h"

#include "itkCompositeTransform.h"

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

/** The follow-up reference with its T2/FLAIR lesions filled with their structures' normal level (LesionFilling.h), so
 * the deformation follows the swollen tissue's boundaries; lesions no level is known for stay as they are (the caller
 * leaves them out of the metric). All null when the follow-up has no T2/FLAIR lesion mask. */
FilledImage FilledFollowup(const StudyAnalysis & event,
                           const StudyAnalysis & baseline,
                           const std::string & movingRole,
                           const filters::FloatImage * fixed)
{
  if (!event.detection.t2flairExtent)
    return FilledImage{ nullptr, nullptr, nullptr };
  const auto & seg = event.geometry.segmentation;
  const auto * labels = seg.propagatedLabels ? seg.propagatedLabels.GetPointer() : seg.labels.GetPointer();
  const LesionFillParams params;
  const auto eventLevels = LevelsOutsideLesions(event, fixed, params);
  // The baseline's levels from the same contrast on its own reference grid (where its labels are); none without it.
  const auto baselineImage = baseline.geometry.inReference.find(movingRole);
  const auto baselineLevels = baselineImage != baseline.geometry.inReference.end()
                                ? LevelsOutsideLesions(baseline, baselineImage->second, params)
                                : StructureLevels{};
  const auto csf = eventLevels.median.find(static_cast<unsigned char>(Structure::LateralVentricles));
  const FillOptions options{ csf != eventLevels.median.end() ? csf->second : 0.0, params.lesionMarginMm,
                             WhiteMatterLevel(eventLevels) };
  return FillLesions(fixed, event.detection.t2flairExtent, labels,
                     NormalLevelsForFilling(eventLevels, baselineLevels, params), options);
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
  const auto filled = FilledFollowup(event, baseline, movingRole, fixed);
  const auto & eventSeg = event.geometry.segmentation;
  const auto & baselineSeg = baseline.geometry.segmentation;
  const VolumeChangeScan followupScan{ filled.image ? filled.image.GetPointer() : fixed, eventSeg.labels,
                                       eventSeg.brainMask };
  // The baseline side on its own reference grid, where its labels are, in the contrast registered above.
  const VolumeChangeScan baselineScan{ baseline.geometry.inReference.at(movingRole), baselineSeg.labels,
                                       baselineSeg.brainMask };
  const auto maps = MapsToBaselineReference(baseline.geometry, movingRole, result.transform);
  c.volumeChange = MeasureSymmetricVolumeChangeSinceBaseline(followupScan, baselineScan, maps.eventToBaseline,
                                                             maps.baselineToEvent, filled.unfilled, filled.filled);
  c.registration.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return c;
}

BaselineMaps MapsToBaselineReference(const StudyGeometry & baseline,
                                     const std::string & movingRole,
                                     filters::RigidTransform * rigid)
{
  auto toBaseline = itk::CompositeTransform<double, 3>::New();
  auto toEvent = itk::CompositeTransform<double, 3>::New();
  // A composite applies the transform added last first. Rigid transforms always have an inverse.
  const SeriesRegistration * series = nullptr;
  for (const auto & registration : baseline.registrations)
    if (registration.role == movingRole && movingRole != baseline.referenceRole)
      series = &registration;
  if (series)
    toBaseline->AddTransform(series->transform->GetInverseTransform());
  toBaseline->AddTransform(rigid);
  toEvent->AddTransform(rigid->GetInverseTransform());
  if (series)
    toEvent->AddTransform(series->transform);
  return { toBaseline, toEvent };
}

nlohmann::json ToJson(const BaselineComparison & c)
{
  nlohmann::json j;
  j["structures"] = nlohmann::json::object();
  for (const auto & [key, pct] : c.volumeChange.changePct)
  {
    auto & entry = j["structures"][key];
    entry = { { "volume_change_pct", pct }, { "seen_fraction", c.volumeChange.seenFraction.at(key) } };
    const auto forward = c.volumeChange.forwardPct.find(key);
    const auto backward = c.volumeChange.backwardPct.find(key);
    if (forward != c.volumeChange.forwardPct.end() && backward != c.volumeChange.backwardPct.end())
    {
      entry["forward_change_pct"] = forward->second;
      entry["backward_change_pct"] = backward->second;
    }
  }
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
