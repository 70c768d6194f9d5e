#pragma once

#include "core/OedemaFlag.h"
#include "pipeline/oedema/OedemaMarkers.h"
#include "pipeline/oedema/OedemaParams.h"
#include "pipeline/oedema/OedemaRules.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief One reason of the flag: a counted sign that fired (marker, value, threshold, sentence). */
struct OedemaReason
{
  std::string marker;
  double value = 0;
  double threshold = 0;
  std::string text;
};

/** \brief The flag with its markers, every sign's evidence, the reasons and notes. */
struct OedemaAssessment
{
  OedemaFlag flag = OedemaFlag::NotAssessable;
  OedemaMarkers markers;
  std::vector<OedemaEvidence> evidence;
  std::vector<OedemaReason> reasons;
  std::vector<std::string> notes;
};

/** \brief Markers of the same head measured at baseline, for --baseline. */
struct OedemaBaseline
{
  OedemaMarkers markers;
};

/** \brief Measures the markers (MeasureOedemaMarkers) and decides the flag from them (DecideOedema);
 * not_assessable without T2/FLAIR or registration. Signal alone is never oedema. */
OedemaAssessment AssessOedema(const OedemaInput & input,
                              const OedemaParams & params,
                              const std::optional<OedemaBaseline> & baseline = std::nullopt);

/** \brief Decides the flag again once the per-structure volume change since baseline has been measured in one space
 * (after the baseline registration): the involved structures' change and the fraction of each the registration saw
 * enter the markers (`baselineChangePct`, `baselineSeenFraction`) and DecideOedema runs again. Does nothing to an
 * assessment that measured nothing. */
void ApplyBaselineVolumeChange(OedemaAssessment & assessment,
                               const std::map<std::string, double> & changePct,
                               const std::map<std::string, double> & seenFraction,
                               const OedemaParams & params,
                               const OedemaBaseline & baseline);

nlohmann::json ToJson(const OedemaAssessment & assessment);

} // namespace icanscan::pipeline
