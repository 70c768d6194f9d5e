#include "pipeline/oedema/OedemaRules.h"

#include "core/Structures.h"
#include "core/TextFormat.h"

#include <algorithm>
#include <cmath>

namespace icanscan::pipeline
{
namespace
{
using Context = OedemaRuleContext;

/** The display name of a structure's report key (the key itself when unknown). */
std::string NameOf(const std::string & key)
{
  for (const auto & info : AllStructures())
    if (key == info.key)
      return info.name;
  return key;
}

const char * SideName(int side)
{
  return side == 0 ? "left" : "right";
}

/** Evidence comparing `value` with `threshold`: it fires at or below the threshold when `atMost`, else at or above;
 * the margin is how far beyond (+) or short of (-) the threshold the value lies. */
OedemaEvidence Compare(const std::string & rule,
                       OedemaSign sign,
                       const std::string & marker,
                       double value,
                       double threshold,
                       const std::string & normal,
                       bool atMost)
{
  OedemaEvidence e;
  e.rule = rule;
  e.sign = sign;
  e.marker = marker;
  e.value = value;
  e.threshold = threshold;
  e.normal = normal;
  e.measured = std::isfinite(value);
  e.margin = e.measured ? (atMost ? threshold - value : value - threshold) : NAN;
  e.fired = e.measured && e.margin >= 0.0;
  return e;
}

/** Evidence of `value` <= `threshold` (fires at or below). */
OedemaEvidence AtMost(const std::string & rule,
                      OedemaSign sign,
                      const std::string & marker,
                      double value,
                      double threshold,
                      const std::string & normal)
{
  return Compare(rule, sign, marker, value, threshold, normal, true);
}

/** Evidence of `value` >= `threshold` (fires at or above). */
OedemaEvidence AtLeast(const std::string & rule,
                       OedemaSign sign,
                       const std::string & marker,
                       double value,
                       double threshold,
                       const std::string & normal)
{
  return Compare(rule, sign, marker, value, threshold, normal, false);
}

/** The septum's shift towards `side` (mm; negative: away from it). */
double ShiftTowards(const OedemaMarkers & m, int side)
{
  return side == 0 ? m.midlineShiftMm : -m.midlineShiftMm;
}

double VentricleOn(const OedemaMarkers & m, int side)
{
  return side == 0 ? m.ventricleLeftMl : m.ventricleRightMl;
}

double HemisphereCsfOn(const OedemaMarkers & m, int side)
{
  return side == 0 ? m.hemisphereCsfLeftMl : m.hemisphereCsfRightMl;
}

std::string MidlineWhere(const OedemaMarkers & m)
{
  return m.midlineMethod == "septum" ? "septum pellucidum" : "midline (registration, corpus callosum body)";
}

// Volume loss ---------------------------------------------------------------------------------------------------

std::vector<OedemaEvidence> SeptumTowardsLesion(const Context & c)
{
  const double towards = c.lesionSide < 0 ? NAN : ShiftTowards(c.markers, c.lesionSide);
  auto e = AtLeast("volume_loss.septum_towards_lesion", OedemaSign::VolumeLoss, "midline_shift_mm", towards,
                   c.params.midlineShiftMm, "|shift| < " + FormatFixed(c.params.midlineShiftMm, 1) + " mm");
  if (e.measured)
    e.text = MidlineWhere(c.markers) + " " + FormatFixed(towards, 1) + " mm towards the " + SideName(c.lesionSide) +
             "-sided lesion" + (e.fired ? ": pulled towards it, volume loss (ex vacuo)" : "");
  return { e };
}

std::vector<OedemaEvidence> VentricleLargerOnLesionSide(const Context & c)
{
  const auto & m = c.markers;
  const bool larger = c.lesionSide >= 0 && VentricleOn(m, c.lesionSide) > VentricleOn(m, 1 - c.lesionSide);
  auto e = AtMost("volume_loss.ventricle_larger_on_lesion_side", OedemaSign::VolumeLoss, "ventricle_asymmetry",
                  c.lesionSide >= 0 ? m.ventricleAsymmetry : NAN, c.params.ventricleAsymmetryMax,
                  "> " + FormatFixed(c.params.ventricleAsymmetryMax, 2));
  e.fired = e.fired && larger;
  if (e.measured)
    e.text = std::string(SideName(c.lesionSide)) + " (lesion-side) lateral ventricle " +
             FormatFixed(VentricleOn(m, c.lesionSide), 1) + " ml, the other " +
             FormatFixed(VentricleOn(m, 1 - c.lesionSide), 1) + " ml" +
             (e.fired ? ": enlarged next to the lesion, volume loss (ex vacuo)" : "");
  return { e };
}

std::vector<OedemaEvidence> CsfLargerOnLesionSide(const Context & c)
{
  const auto & m = c.markers;
  const double other = c.lesionSide < 0 ? NAN : HemisphereCsfOn(m, 1 - c.lesionSide);
  const double ratio = other > 0 ? HemisphereCsfOn(m, c.lesionSide) / other : NAN;
  auto e = AtLeast("volume_loss.csf_larger_on_lesion_side", OedemaSign::VolumeLoss, "hemisphere_csf_ratio", ratio,
                   c.params.volumeLossCsfRatio, "< " + FormatFixed(c.params.volumeLossCsfRatio, 2));
  if (e.measured)
    e.text = "CSF of the " + std::string(SideName(c.lesionSide)) + " (lesion-side) hemisphere " +
             FormatFixed(ratio, 2) + " x the other's" +
             (e.fired ? ": widened spaces next to the lesion, volume loss" : "");
  return { e };
}

// Focal ---------------------------------------------------------------------------------------------------------

/** Whether the structure's change since baseline was seen by the registration on the structure's own signal (enough
 * of it outside the follow-up's T2/FLAIR lesions, which are filled or left out; unknown counts as seen). */
bool BaselineSaw(const Context & c, const std::string & key)
{
  const auto it = c.markers.baselineSeenFraction.find(key);
  return it == c.markers.baselineSeenFraction.end() || !(it->second < c.params.baselineMinSeenFraction);
}

/** Baseline first: the change since baseline decides a structure's swelling when it was seen by the registration or
 * shows swelling; a change measured on a filled (or left-out) lesion cannot rule swelling out. */
bool BaselineDecides(const Context & c, const std::string & key)
{
  const auto it = c.markers.baselineChangePct.find(key);
  if (it == c.markers.baselineChangePct.end() || !std::isfinite(it->second))
    return false;
  return BaselineSaw(c, key) || it->second >= c.params.baselineSwellingPct;
}

std::vector<OedemaEvidence> Swelling(const Context & c)
{
  std::vector<OedemaEvidence> out;
  for (const auto & [key, pct] : c.markers.swellingPct)
  {
    if (c.markers.contralateralSwellingPct.count(key))
      continue; // one-sided: judged against the other side
    auto e = AtLeast("focal.swelling", OedemaSign::Focal, "swelling_pct." + key, pct, c.params.swellingPct,
                     "< " + FormatFixed(c.params.swellingPct, 0) + " % above the atlas expectation for this head");
    e.counted = !BaselineDecides(c, key);
    e.text = NameOf(key) + std::string(" involved on both sides, ") + FormatFixed(pct, 1) +
             " % against its local atlas expectation" + (e.fired ? ": swollen" : "");
    out.push_back(e);
  }
  return out;
}

std::vector<OedemaEvidence> BaselineSwelling(const Context & c)
{
  std::vector<OedemaEvidence> out;
  for (const auto & [key, pct] : c.markers.baselineChangePct)
  {
    auto e = AtLeast("focal.baseline_swelling", OedemaSign::Focal, "baseline_swelling_pct." + key, pct,
                     c.params.baselineSwellingPct,
                     "< " + FormatFixed(c.params.baselineSwellingPct, 0) + " % larger than at baseline");
    e.counted = BaselineDecides(c, key);
    e.text = NameOf(key) + std::string(" involved, ") + FormatFixed(pct, 1) +
             " % since baseline (same head, one space)" + (e.fired ? ": swollen" : "");
    if (!BaselineSaw(c, key))
      e.text += "; " + FormatFixed(100.0 * c.markers.baselineSeenFraction.at(key), 0) +
                " % of it outside its T2/FLAIR lesions, so the change was measured on the filled lesion, not on its "
                "own signal" +
                (e.fired ? "" : ": it cannot rule swelling out");
    out.push_back(e);
  }
  return out;
}

std::vector<OedemaEvidence> ContralateralSwelling(const Context & c)
{
  std::vector<OedemaEvidence> out;
  for (const auto & [key, pct] : c.markers.contralateralSwellingPct)
  {
    auto e = AtLeast("focal.contralateral_swelling", OedemaSign::Focal, "contralateral_swelling_pct." + key, pct,
                     c.params.contralateralSwellingPct,
                     "< " + FormatFixed(c.params.contralateralSwellingPct, 0) + " % above the other side");
    e.counted = !BaselineDecides(c, key);
    e.text = NameOf(key) + std::string(" involved alone, ") + FormatFixed(pct, 1) +
             " % against its uninvolved counterpart" + (e.fired ? ": swollen" : "");
    out.push_back(e);
  }
  return out;
}

std::vector<OedemaEvidence> MidlineShiftAway(const Context & c)
{
  const double away = c.lesionSide < 0 ? NAN : -ShiftTowards(c.markers, c.lesionSide);
  auto e = AtLeast("focal.midline_shift_away", OedemaSign::Focal, "midline_shift_mm", away, c.params.midlineShiftMm,
                   "|shift| < " + FormatFixed(c.params.midlineShiftMm, 1) + " mm");
  e.counted = !c.volumeLoss;
  if (e.measured)
    e.text = MidlineWhere(c.markers) + " " + FormatFixed(away, 1) + " mm away from the " + SideName(c.lesionSide) +
             "-sided lesion" + (e.fired ? ": mass effect" : "");
  return { e };
}

std::vector<OedemaEvidence> LargeMidlineShift(const Context & c)
{
  const auto & m = c.markers;
  auto e = AtLeast("focal.large_midline_shift", OedemaSign::Focal, "midline_shift_mm", std::abs(m.midlineShiftMm),
                   c.params.largeMidlineShiftMm, "|shift| < " + FormatFixed(c.params.largeMidlineShiftMm, 1) + " mm");
  const bool towardsLesion = c.lesionSide >= 0 && ShiftTowards(m, c.lesionSide) > 0;
  e.counted = !c.volumeLoss && !towardsLesion;
  if (e.measured)
    e.text = MidlineWhere(m) + " shifted " + FormatFixed(std::abs(m.midlineShiftMm), 1) + " mm towards the subject's " +
             (m.midlineShiftMm > 0 ? "left" : "right") +
             (towardsLesion ? " (towards the lesion: not mass effect)"
              : e.fired     ? ": mass effect"
                            : "");
  return { e };
}

std::vector<OedemaEvidence> VentricleCompressedOnLesionSide(const Context & c)
{
  const auto & m = c.markers;
  const bool smaller = c.lesionSide >= 0 && VentricleOn(m, c.lesionSide) < VentricleOn(m, 1 - c.lesionSide);
  auto e = AtMost("focal.ventricle_compressed_on_lesion_side", OedemaSign::Focal, "ventricle_asymmetry",
                  c.lesionSide >= 0 ? m.ventricleAsymmetry : NAN, c.params.ventricleAsymmetryMax,
                  "> " + FormatFixed(c.params.ventricleAsymmetryMax, 2));
  e.fired = e.fired && smaller;
  e.counted = !c.volumeLoss;
  if (e.measured)
    e.text = std::string(SideName(c.lesionSide)) + " (lesion-side) lateral ventricle " +
             FormatFixed(VentricleOn(m, c.lesionSide), 1) + " ml, the other " +
             FormatFixed(VentricleOn(m, 1 - c.lesionSide), 1) + " ml" + (e.fired ? ": compressed, mass effect" : "");
  return { e };
}

// Diffuse -------------------------------------------------------------------------------------------------------

std::string RatioText(const char * what, double ml, double expected, double ratio, bool fired, const char * verdict)
{
  return std::string(what) + " " + FormatFixed(ml, 1) + " ml, " + FormatFixed(ratio, 2) + " x the " +
         FormatFixed(expected, 1) + " ml of the atlas (a young adult) scaled to this head" +
         (fired ? std::string(": ") + verdict : std::string());
}

std::vector<OedemaEvidence> VentriclesSmall(const Context & c)
{
  const auto & m = c.markers;
  auto e = AtMost("diffuse.ventricles_small", OedemaSign::Diffuse, "ventricle_ratio", m.ventricleRatio,
                  c.params.ventricleRatioMax, "> " + FormatFixed(c.params.ventricleRatioMax, 2));
  if (e.measured)
    e.text = RatioText("lateral ventricles", m.ventricleMl, m.ventricleExpectedMl, m.ventricleRatio, e.fired, "small");
  return { e };
}

std::vector<OedemaEvidence> SulciEffaced(const Context & c)
{
  const auto & m = c.markers;
  auto e = AtMost("diffuse.sulci_effaced", OedemaSign::Diffuse, "sulcal_ratio", m.sulcalRatio, c.params.sulcalRatioMax,
                  "> " + FormatFixed(c.params.sulcalRatioMax, 2));
  if (e.measured)
    e.text = RatioText("sulcal CSF", m.sulcalCsfMl, m.sulcalCsfExpectedMl, m.sulcalRatio, e.fired, "effaced");
  return { e };
}

std::vector<OedemaEvidence> CisternsEffaced(const Context & c)
{
  const auto & m = c.markers;
  auto e = AtMost("diffuse.cisterns_effaced", OedemaSign::Diffuse, "cistern_ratio", m.cisternRatio,
                  c.params.cisternRatioMax, "> " + FormatFixed(c.params.cisternRatioMax, 2));
  e.text = e.measured ? RatioText("basal-cistern CSF", m.cisternCsfMl, m.cisternCsfExpectedMl, m.cisternRatio, e.fired,
                                  "effaced")
                      : "basal cisterns not measured: " + FormatFixed(100 * m.cisternCoverage, 0) +
                          " % of their region in the imaged brain";
  return { e };
}

double ChangePct(double now, double before)
{
  return before > 0 && std::isfinite(now) ? 100.0 * (now / before - 1.0) : NAN;
}

OedemaEvidence BaselineShrank(const Context & c,
                              const char * rule,
                              const char * marker,
                              const char * what,
                              double now,
                              double before,
                              double thresholdPct)
{
  const double change = c.baseline ? ChangePct(now, before) : NAN;
  auto e = AtMost(rule, OedemaSign::Diffuse, marker, change, thresholdPct,
                  c.baseline ? "baseline " + FormatFixed(before, 1) + " ml" : std::string("no baseline"));
  if (e.measured)
    e.text = std::string(what) + " " + FormatFixed(now, 1) + " ml, " + FormatFixed(change, 1) + " % since baseline (" +
             FormatFixed(before, 1) + " ml)" + (e.fired ? ": shrunk" : "");
  return e;
}

std::vector<OedemaEvidence> BaselineVentricles(const Context & c)
{
  return { BaselineShrank(c, "diffuse.baseline_ventricles_shrank", "baseline_ventricle_change_pct",
                          "lateral ventricles", c.markers.ventricleMl, c.baseline ? c.baseline->ventricleMl : NAN,
                          c.params.baselineVentricleChangePct) };
}

std::vector<OedemaEvidence> BaselineSulci(const Context & c)
{
  return { BaselineShrank(c, "diffuse.baseline_sulci_shrank", "baseline_sulcal_change_pct", "sulcal CSF",
                          c.markers.sulcalCsfMl, c.baseline ? c.baseline->sulcalCsfMl : NAN,
                          c.params.baselineSulcalChangePct) };
}

std::vector<OedemaEvidence> BaselineCisterns(const Context & c)
{
  const bool covered = std::isfinite(c.markers.cisternRatio) && c.baseline && std::isfinite(c.baseline->cisternRatio);
  return { BaselineShrank(c, "diffuse.baseline_cisterns_shrank", "baseline_cistern_change_pct", "basal-cistern CSF",
                          covered ? c.markers.cisternCsfMl : NAN, c.baseline ? c.baseline->cisternCsfMl : NAN,
                          c.params.baselineCisternChangePct) };
}
} // namespace

const char * ToString(OedemaSign sign)
{
  switch (sign)
  {
    case OedemaSign::VolumeLoss:
      return "volume_loss";
    case OedemaSign::Focal:
      return "focal";
    case OedemaSign::Diffuse:
      return "diffuse";
  }
  return "diffuse";
}

const std::vector<OedemaRule> & OedemaRules()
{
  static const std::vector<OedemaRule> rules{
    { "volume_loss.septum_towards_lesion", OedemaSign::VolumeLoss, SeptumTowardsLesion },
    { "volume_loss.ventricle_larger_on_lesion_side", OedemaSign::VolumeLoss, VentricleLargerOnLesionSide },
    { "volume_loss.csf_larger_on_lesion_side", OedemaSign::VolumeLoss, CsfLargerOnLesionSide },
    { "focal.swelling", OedemaSign::Focal, Swelling },
    { "focal.contralateral_swelling", OedemaSign::Focal, ContralateralSwelling },
    { "focal.baseline_swelling", OedemaSign::Focal, BaselineSwelling },
    { "focal.midline_shift_away", OedemaSign::Focal, MidlineShiftAway },
    { "focal.large_midline_shift", OedemaSign::Focal, LargeMidlineShift },
    { "focal.ventricle_compressed_on_lesion_side", OedemaSign::Focal, VentricleCompressedOnLesionSide },
    { "diffuse.ventricles_small", OedemaSign::Diffuse, VentriclesSmall },
    { "diffuse.sulci_effaced", OedemaSign::Diffuse, SulciEffaced },
    { "diffuse.cisterns_effaced", OedemaSign::Diffuse, CisternsEffaced },
    { "diffuse.baseline_ventricles_shrank", OedemaSign::Diffuse, BaselineVentricles },
    { "diffuse.baseline_sulci_shrank", OedemaSign::Diffuse, BaselineSulci },
    { "diffuse.baseline_cisterns_shrank", OedemaSign::Diffuse, BaselineCisterns },
  };
  return rules;
}

const std::vector<DiffuseCombination> & DiffuseCombinations()
{
  static const std::vector<DiffuseCombination> combinations{
    { "cisterns and ventricles", { "diffuse.cisterns_effaced", "diffuse.ventricles_small" }, false },
    { "cisterns and sulci", { "diffuse.cisterns_effaced", "diffuse.sulci_effaced" }, false },
    { "ventricles and sulci since baseline",
      { "diffuse.baseline_ventricles_shrank", "diffuse.baseline_sulci_shrank" },
      true },
    { "ventricles and cisterns since baseline",
      { "diffuse.baseline_ventricles_shrank", "diffuse.baseline_cisterns_shrank" },
      true },
    { "sulci and cisterns since baseline",
      { "diffuse.baseline_sulci_shrank", "diffuse.baseline_cisterns_shrank" },
      true },
  };
  return combinations;
}

int LesionSide(const OedemaMarkers & m, const OedemaParams & p)
{
  for (int side : { 0, 1 })
  {
    const double own = side == 0 ? m.lesionLeftMl : m.lesionRightMl;
    const double other = side == 0 ? m.lesionRightMl : m.lesionLeftMl;
    if (own >= p.minIpsilateralLesionMl && own >= 2.0 * other)
      return side;
  }
  return -1;
}

OedemaDecision DecideOedema(const OedemaMarkers & markers, const OedemaParams & params, const OedemaMarkers * baseline)
{
  OedemaDecision d;
  OedemaRuleContext context{ markers, params, baseline, LesionSide(markers, params), false };
  for (const auto & rule : OedemaRules())
  {
    if (rule.sign == OedemaSign::Focal && !context.volumeLoss)
      for (const auto & e : d.evidence)
        context.volumeLoss = context.volumeLoss || (e.sign == OedemaSign::VolumeLoss && e.fired);
    for (auto & e : rule.evaluate(context))
      d.evidence.push_back(std::move(e));
  }
  const auto find = [&](const std::string & rule) -> OedemaEvidence *
  {
    for (auto & e : d.evidence)
      if (e.rule == rule)
        return &e;
    return nullptr;
  };
  const auto measurable = [&](const DiffuseCombination & c)
  { return std::all_of(c.rules.begin(), c.rules.end(), [&](const auto & r) { return find(r) && find(r)->measured; }); };
  const auto fired = [&](const DiffuseCombination & c)
  { return std::all_of(c.rules.begin(), c.rules.end(), [&](const auto & r) { return find(r) && find(r)->fired; }); };

  // Baseline first: when the same head's CSF spaces can be compared, they alone decide diffuse.
  bool baselineDecides = false;
  for (const auto & c : DiffuseCombinations())
    baselineDecides = baselineDecides || (c.baseline && measurable(c));
  bool diffuse = false, diffuseAssessable = false;
  for (const auto & c : DiffuseCombinations())
  {
    if (c.baseline != baselineDecides)
      continue;
    diffuseAssessable = diffuseAssessable || measurable(c);
    if (fired(c))
    {
      diffuse = true;
      d.notes.push_back("diffuse oedema: " + c.name);
    }
  }
  for (auto & e : d.evidence)
    if (e.sign == OedemaSign::Diffuse)
      e.counted = e.rule.rfind("diffuse.baseline_", 0) == 0 ? baselineDecides : !baselineDecides;
  const bool focal =
    std::any_of(d.evidence.begin(), d.evidence.end(),
                [](const OedemaEvidence & e) { return e.sign == OedemaSign::Focal && e.fired && e.counted; });
  if (context.volumeLoss)
    d.notes.push_back("volume loss next to the " + std::string(SideName(context.lesionSide)) +
                      "-sided lesion (ex vacuo): mass-effect signs not counted");
  if (diffuse)
    d.flag = OedemaFlag::Diffuse;
  else if (focal)
    d.flag = OedemaFlag::Focal;
  else if (!diffuseAssessable)
  {
    d.flag = OedemaFlag::NotAssessable;
    d.notes.push_back(
      "diffuse oedema not assessable: " + std::string(baseline ? "neither the baseline comparison nor " : "") +
      "the basal cisterns could be measured (small ventricles and tight sulci alone are a normal "
      "variant)");
  }
  else
  {
    d.flag = OedemaFlag::None;
    d.notes.push_back("no swelling, mass effect or effacement beyond the thresholds (signal change alone is not "
                      "oedema)");
  }
  return d;
}

} // namespace icanscan::pipeline
