#pragma once

#include "core/OedemaFlag.h"
#include "pipeline/oedema/OedemaMarkers.h"
#include "pipeline/oedema/OedemaParams.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief What a sign speaks for. */
enum class OedemaSign
{
  VolumeLoss, //!< ex vacuo: tissue lost, CSF took its place; never oedema, and it silences mass-effect signs
  Focal,      //!< local swelling or mass effect pointing away from a lesion
  Diffuse,    //!< one sign of diffuse swelling; the flag needs a combination (DiffuseCombinations)
};

const char * ToString(OedemaSign sign);

/** \brief One sign read from the markers: the marker and its value, the threshold and normal range (or the baseline
 * value), whether it could be measured, whether it fired, and how far from its threshold it lies. */
struct OedemaEvidence
{
  std::string rule; //!< e.g. "diffuse.cisterns_effaced" (one rule may give one evidence per structure)
  OedemaSign sign = OedemaSign::Focal;
  std::string marker; //!< the marker in oedema.markers, e.g. "cistern_ratio"
  double value = NAN;
  double threshold = NAN;
  std::string normal;    //!< the normal range (or the baseline value) in words
  bool measured = false; //!< false: the marker could not be measured (the sign neither fires nor clears)
  bool fired = false;
  bool counted = true; //!< false: fired or not, it does not decide (volume loss on that side; baseline first)
  double margin = NAN; //!< beyond (+) or short of (-) the threshold, in the marker's unit
  std::string text;    //!< one sentence
};

/** \brief What a rule reads besides the markers: the side of a mainly one-sided lesion and whether volume loss was
 * found (mass-effect rules then stay silent). */
struct OedemaRuleContext
{
  const OedemaMarkers & markers;
  const OedemaParams & params;
  const OedemaMarkers * baseline = nullptr; //!< the same head's markers at baseline, when --baseline
  int lesionSide = -1;                      //!< 0 left, 1 right, -1 none (see LesionSide)
  bool volumeLoss = false;
};

/** \brief A rule: its id, what it speaks for, and how it reads the markers (one evidence, or one per structure). */
struct OedemaRule
{
  std::string id;
  OedemaSign sign;
  std::function<std::vector<OedemaEvidence>(const OedemaRuleContext &)> evaluate;
};

/** \brief Every rule, in evaluation order: volume loss first (it silences mass effect), then focal, then diffuse. */
const std::vector<OedemaRule> & OedemaRules();

/** \brief Diffuse oedema needs all signs of one combination. Normative combinations pair the effaced basal cisterns
 * (visible in every normal adult) with small ventricles or effaced sulci (alone, a normal variant of young adults);
 * baseline combinations pair two CSF spaces shrinking since baseline. */
struct DiffuseCombination
{
  std::string name;
  std::vector<std::string> rules;
  bool baseline = false;
};

const std::vector<DiffuseCombination> & DiffuseCombinations();

/** \brief 0 (left) or 1 (right) when the T2/FLAIR lesion is mainly on that side (min_ipsilateral_lesion_ml and at
 * least twice the other side's), else -1. */
int LesionSide(const OedemaMarkers & markers, const OedemaParams & params);

/** \brief The decision: the flag, every sign's evidence, the reasons (the counted signs that fired) and notes. */
struct OedemaDecision
{
  OedemaFlag flag = OedemaFlag::NotAssessable;
  std::vector<OedemaEvidence> evidence;
  std::vector<std::string> notes;
};

/** \brief Decides the flag from the markers alone:
 * - diffuse when every sign of a combination fired (with a baseline whose combinations can be measured, only the
 *   baseline combinations count: the same head before any normative range);
 * - else focal when a counted focal sign fired;
 * - else not_assessable when no diffuse combination could be measured (e.g. cisterns outside the field of view and
 *   no baseline), none otherwise. */
OedemaDecision DecideOedema(const OedemaMarkers & markers,
                            const OedemaParams & params,
                            const OedemaMarkers * baseline = nullptr);

} // namespace icanscan::pipeline
