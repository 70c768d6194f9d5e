#pragma once

#include "pipeline/Settings.h"
#include "pipeline/oedema/BasalCisterns.h"
#include "pipeline/oedema/SeptumMidline.h"

namespace icanscan::pipeline
{

/** \brief Thresholds of the cerebral-oedema flag (section [oedema]), declared in OedemaSettings(); why each default:
 * docs/oedema.md. */
struct OedemaParams
{
  OedemaParams();

  double swellingPct;                //!< swelling_pct
  double contralateralSwellingPct;   //!< contralateral_swelling_pct
  double midlineShiftMm;             //!< midline_shift_mm
  double largeMidlineShiftMm;        //!< large_midline_shift_mm
  double ventricleAsymmetryMax;      //!< ventricle_asymmetry_max
  double ventricleRatioMax;          //!< ventricle_ratio_max
  double sulcalRatioMax;             //!< sulcal_ratio_max
  double cisternRatioMax;            //!< cistern_ratio_max
  double minCisternCoverage;         //!< min_cistern_coverage
  double baselineVentricleChangePct; //!< baseline_ventricle_change_pct
  double baselineSulcalChangePct;    //!< baseline_sulcal_change_pct
  double baselineCisternChangePct;   //!< baseline_cistern_change_pct
  double baselineSwellingPct;        //!< baseline_swelling_pct
  double baselineMinSeenFraction;    //!< baseline_min_seen_fraction
  double minIpsilateralLesionMl;     //!< min_ipsilateral_lesion_ml
  double volumeLossCsfRatio;         //!< volume_loss_csf_ratio
  double ventricleRegionMm;          //!< ventricle_region_mm
  SeptumMidlineParams septum;        //!< how the septum is found (fixed; not in the config file)
  BasalCisternBox cisterns;          //!< where the basal cisterns are looked for (fixed; not in the config file)
};

/** \brief The [oedema] settings: key, member, default, range, unit and meaning of each. */
const SettingSection<OedemaParams> & OedemaSettings();

void ValidateOedemaParams(const OedemaParams & params);

} // namespace icanscan::pipeline
