#include "pipeline/oedema/OedemaParams.h"

namespace icanscan::pipeline
{

const SettingSection<OedemaParams> & OedemaSettings()
{
  using P = OedemaParams;
  using B = SettingBound<P>;
  static const SettingSection<P> section{
    "oedema",
    { { "swelling_pct", &P::swellingPct, 12.0, B{ 0 }, B{ 200 }, "%",
        "a T2/FLAIR-involved structure at least this much larger than its local atlas expectation, when both sides "
        "are involved: focal" },
      { "contralateral_swelling_pct", &P::contralateralSwellingPct, 15.0, B{ 0 }, B{ 200 }, "%",
        "a T2/FLAIR-involved structure at least this much larger than its uninvolved counterpart: focal" },
      { "midline_shift_mm", &P::midlineShiftMm, 2.0, B{ 0, true }, B{ 50 }, "mm",
        "septum pellucidum (else the registration at the corpus callosum body) shifted at least this away from the "
        "side of a mainly one-sided lesion (`min_ipsilateral_lesion_ml`): focal; towards it: volume loss" },
      { "large_midline_shift_mm", &P::largeMidlineShiftMm, 5.0, B{ 0, true }, B{ 50 }, "mm",
        "a shift at least this counts on its own (focal) unless it points towards a lesion (volume loss)" },
      { "ventricle_asymmetry_max", &P::ventricleAsymmetryMax, 0.7, B{ 0, true }, B{ 1 }, "ratio",
        "smaller / larger lateral ventricle at most this: focal when the smaller is on the lesion side, volume "
        "loss when the larger is" },
      { "ventricle_ratio_max", &P::ventricleRatioMax, 0.7, B{ 0, true }, B{ 1 }, "ratio",
        "lateral ventricles / the atlas's (a young adult's) scaled to this head at most this: one sign of diffuse "
        "oedema" },
      { "sulcal_ratio_max", &P::sulcalRatioMax, 0.6, B{ 0, true }, B{ 1 }, "ratio",
        "sulcal CSF / the atlas's scaled to this head at most this: one sign of diffuse oedema" },
      { "cistern_ratio_max", &P::cisternRatioMax, 0.5, B{ 0, true }, B{ 1 }, "ratio",
        "basal-cistern CSF / the atlas's scaled to this head at most this: effaced cisterns, the sign diffuse "
        "oedema needs together with small ventricles or effaced sulci" },
      { "min_cistern_coverage", &P::minCisternCoverage, 0.6, B{ 0, true }, B{ 1 }, "ratio",
        "the basal-cistern region must lie at least this much inside the imaged brain to be measured" },
      { "baseline_ventricle_change_pct", &P::baselineVentricleChangePct, -25, B{ -100 }, B{ 0, true }, "%",
        "with `--baseline`: ventricles shrank by at least this much (one sign; two of the three baseline signs: "
        "diffuse)" },
      { "baseline_sulcal_change_pct", &P::baselineSulcalChangePct, -25, B{ -100 }, B{ 0, true }, "%",
        "with `--baseline`: sulcal CSF shrank by at least this much (one sign)" },
      { "baseline_cistern_change_pct", &P::baselineCisternChangePct, -30, B{ -100 }, B{ 0, true }, "%",
        "with `--baseline`: basal-cistern CSF shrank by at least this much (one sign)" },
      { "baseline_swelling_pct", &P::baselineSwellingPct, 10, B{ 0, true }, B{ 200 }, "%",
        "with `--baseline`: a T2/FLAIR-involved structure grew at least this much since baseline (measured in one "
        "space through a deformable registration of the baseline): focal; the atlas and contralateral swelling rules "
        "then do not count" },
      { "baseline_min_seen_fraction", &P::baselineMinSeenFraction, 0.5, B{ 0 }, B{ 1 }, "fraction",
        "with `--baseline`: a structure's change since baseline below baseline_swelling_pct rules out swelling only "
        "when at least this fraction of the structure lay outside the follow-up's T2/FLAIR lesions (grown 2 mm); "
        "inside "
        "them the registration follows the filled lesion's boundaries (or, where no normal level was known, the "
        "surrounding tissue), which can confirm swelling but not rule it out" },
      { "min_ipsilateral_lesion_ml", &P::minIpsilateralLesionMl, 2.0, B{ 0 }, B{ 1000 }, "ml",
        "T2/FLAIR lesion that makes a side the lesion side (and at least twice the other side's)" },
      { "volume_loss_csf_ratio", &P::volumeLossCsfRatio, 1.25, B{ 1, true }, B{ 10 }, "ratio",
        "CSF of the lesion side's hemisphere / the other's at least this: volume loss (ex vacuo), not oedema" },
      { "ventricle_region_mm", &P::ventricleRegionMm, 4, B{ 0 }, B{ 20 }, "mm",
        "ventricular CSF: within this of the propagated atlas ventricles" } }
  };
  return section;
}

OedemaParams::OedemaParams()
{
  ApplySettingDefaults(*this, OedemaSettings());
}

void ValidateOedemaParams(const OedemaParams & p)
{
  ValidateSettings(p, OedemaSettings());
}

} // namespace icanscan::pipeline
