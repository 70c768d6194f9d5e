#include "pipeline/oedema/OedemaAssessment.h"

#include "core/JsonNumber.h"

#include <cmath>

namespace icanscan::pipeline
{

namespace
{
/** What the measurement itself says: how CSF was measured, how (or whether) the midline was. */
std::vector<std::string> MeasurementNotes(const OedemaMarkers & m)
{
  std::vector<std::string> notes{ m.csfMethod };
  if (m.midlineMethod == "registration")
    notes.push_back("septum pellucidum not seen on enough rows (" + std::to_string(m.septumRows) +
                    "): midline shift from the atlas registration at the corpus callosum body");
  else if (m.midlineMethod.empty())
    notes.push_back("midline shift not measured: septum not seen and no deformable atlas registration");
  return notes;
}

/** Decides the flag from a.markers and fills evidence, reasons and notes. */
void Decide(OedemaAssessment & a, const OedemaParams & params, const OedemaMarkers * baseline)
{
  auto decision = DecideOedema(a.markers, params, baseline);
  a.flag = decision.flag;
  a.reasons.clear();
  for (const auto & e : decision.evidence)
  {
    const bool decides = e.fired && e.counted &&
                         ((decision.flag == OedemaFlag::Diffuse && e.sign == OedemaSign::Diffuse) ||
                          (decision.flag == OedemaFlag::Focal && e.sign == OedemaSign::Focal));
    if (decides)
      a.reasons.push_back({ e.marker, e.value, e.threshold, e.text });
  }
  a.evidence = std::move(decision.evidence);
  a.notes = MeasurementNotes(a.markers);
  a.notes.insert(a.notes.end(), decision.notes.begin(), decision.notes.end());
}
} // namespace

OedemaAssessment AssessOedema(const OedemaInput & in,
                              const OedemaParams & params,
                              const std::optional<OedemaBaseline> & baseline)
{
  ValidateOedemaParams(params);
  OedemaAssessment result;
  if (!in.labels || !in.tissue || !in.brainMask || !in.subjectToAtlas || !in.atlas)
  {
    result.notes.push_back("no structure segmentation: oedema not assessable");
    return result;
  }
  if (!in.hyperintense)
  {
    result.notes.push_back("no usable T2 or FLAIR: oedema not assessable");
    return result;
  }
  result.markers = MeasureOedemaMarkers(in, params);
  Decide(result, params, baseline ? &baseline->markers : nullptr);
  return result;
}

void ApplyBaselineVolumeChange(OedemaAssessment & assessment,
                               const std::map<std::string, double> & changePct,
                               const std::map<std::string, double> & seenFraction,
                               const OedemaParams & params,
                               const OedemaBaseline & baseline)
{
  if (!std::isfinite(assessment.markers.intracranialMl))
    return;                                                      // not assessed: nothing to decide again
  for (const auto & [key, pct] : assessment.markers.swellingPct) // the involved structures
  {
    const auto it = changePct.find(key);
    if (it == changePct.end() || !std::isfinite(it->second))
      continue;
    assessment.markers.baselineChangePct[key] = it->second;
    const auto seen = seenFraction.find(key);
    if (seen != seenFraction.end())
      assessment.markers.baselineSeenFraction[key] = seen->second;
  }
  Decide(assessment, params, &baseline.markers);
}

nlohmann::json ToJson(const OedemaAssessment & a)
{
  const auto & m = a.markers;
  nlohmann::json markers = { { "intracranial_ml", FiniteOrNull(m.intracranialMl) },
                             { "lateral_ventricles_ml", FiniteOrNull(m.ventricleMl) },
                             { "lateral_ventricles_expected_ml", FiniteOrNull(m.ventricleExpectedMl) },
                             { "ventricle_ratio", FiniteOrNull(m.ventricleRatio) },
                             { "lateral_ventricle_left_ml", FiniteOrNull(m.ventricleLeftMl) },
                             { "lateral_ventricle_right_ml", FiniteOrNull(m.ventricleRightMl) },
                             { "ventricle_asymmetry", FiniteOrNull(m.ventricleAsymmetry) },
                             { "sulcal_csf_ml", FiniteOrNull(m.sulcalCsfMl) },
                             { "sulcal_csf_expected_ml", FiniteOrNull(m.sulcalCsfExpectedMl) },
                             { "sulcal_ratio", FiniteOrNull(m.sulcalRatio) },
                             { "cistern_csf_ml", FiniteOrNull(m.cisternCsfMl) },
                             { "cistern_csf_expected_ml", FiniteOrNull(m.cisternCsfExpectedMl) },
                             { "cistern_ratio", FiniteOrNull(m.cisternRatio) },
                             { "cistern_coverage", FiniteOrNull(m.cisternCoverage) },
                             { "hemisphere_csf_left_ml", FiniteOrNull(m.hemisphereCsfLeftMl) },
                             { "hemisphere_csf_right_ml", FiniteOrNull(m.hemisphereCsfRightMl) },
                             { "lesion_left_ml", FiniteOrNull(m.lesionLeftMl) },
                             { "lesion_right_ml", FiniteOrNull(m.lesionRightMl) },
                             { "midline_shift_mm", FiniteOrNull(m.midlineShiftMm) },
                             { "midline_shift_method",
                               m.midlineMethod.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.midlineMethod) },
                             { "midline_shift_registration_mm", FiniteOrNull(m.midlineShiftRegistrationMm) },
                             { "septum_rows", m.septumRows },
                             { "grey_white_contrast", FiniteOrNull(m.greyWhiteContrast) } };
  for (const auto & [key, pct] : m.swellingPct)
    markers["swelling_pct"][key] = FiniteOrNull(pct);
  for (const auto & [key, pct] : m.contralateralSwellingPct)
    markers["contralateral_swelling_pct"][key] = FiniteOrNull(pct);
  for (const auto & [key, pct] : m.baselineChangePct)
    markers["baseline_change_pct"][key] = FiniteOrNull(pct);
  for (const auto & [key, fraction] : m.baselineSeenFraction)
    markers["baseline_seen_fraction"][key] = FiniteOrNull(fraction);
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto & e : a.evidence)
    evidence.push_back({ { "rule", e.rule },
                         { "sign", ToString(e.sign) },
                         { "marker", e.marker },
                         { "value", FiniteOrNull(e.value) },
                         { "threshold", FiniteOrNull(e.threshold) },
                         { "normal", e.normal },
                         { "measured", e.measured },
                         { "fired", e.fired },
                         { "counted", e.counted },
                         { "margin", FiniteOrNull(e.margin) },
                         { "text", e.text } });
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto & r : a.reasons)
    reasons.push_back(
      { { "marker", r.marker }, { "value", FiniteOrNull(r.value) }, { "threshold", r.threshold }, { "text", r.text } });
  return { { "flag", ToString(a.flag) },
           { "markers", markers },
           { "evidence", evidence },
           { "reasons", reasons },
           { "notes", a.notes } };
}

} // namespace icanscan::pipeline
