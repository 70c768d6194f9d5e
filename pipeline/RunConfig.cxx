#include "pipeline/RunConfig.h"

#include "core/Error.h"

#include <toml++/toml.h>

#include <functional>
#include <map>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
/** One configurable number: its key and where it lives in RunParams. */
struct Setting
{
  const char * section;
  const char * key;
  std::function<double &(RunParams &)> ref;
};

std::vector<Setting> Settings()
{
  return {
    { "detection", "hyper_seed_z", [](RunParams & p) -> double & { return p.detection.hyperSeedZ; } },
    { "detection", "hyper_grow_z", [](RunParams & p) -> double & { return p.detection.hyperGrowZ; } },
    { "detection", "t2_confirm_z", [](RunParams & p) -> double & { return p.detection.t2ConfirmZ; } },
    { "detection", "dwi_seed_z", [](RunParams & p) -> double & { return p.detection.dwiSeedZ; } },
    { "detection", "dwi_grow_z", [](RunParams & p) -> double & { return p.detection.dwiGrowZ; } },
    { "detection", "adc_ratio_max", [](RunParams & p) -> double & { return p.detection.adcRatioMax; } },
    { "detection", "adc_z_max", [](RunParams & p) -> double & { return p.detection.adcZMax; } },
    { "detection", "shine_through_adc_ratio",
      [](RunParams & p) -> double & { return p.detection.shineThroughAdcRatio; } },
    { "detection", "fluid_adc_um2s", [](RunParams & p) -> double & { return p.detection.fluidAdcUm2s; } },
    { "detection", "min_lesion_ml", [](RunParams & p) -> double & { return p.detection.minLesionMl; } },
    { "detection", "min_restricted_native_voxels",
      [](RunParams & p) -> double & { return p.detection.minRestrictedNativeVoxels; } },
    { "detection", "edge_fraction", [](RunParams & p) -> double & { return p.detection.edgeFraction; } },
    { "detection", "wm_deep_grey_ratio_max", [](RunParams & p) -> double & { return p.detection.wmDeepGreyRatioMax; } },
    { "detection", "normal_wm_deep_grey_ratio",
      [](RunParams & p) -> double & { return p.detection.normalWmDeepGreyRatio; } },
    { "detection", "deep_grey_wm_ratio_max", [](RunParams & p) -> double & { return p.detection.deepGreyWmRatioMax; } },
    { "detection", "normal_deep_grey_wm_ratio",
      [](RunParams & p) -> double & { return p.detection.normalDeepGreyWmRatio; } },
    { "involvement", "min_ml", [](RunParams & p) -> double & { return p.involvement.minMl; } },
    { "involvement", "min_fraction", [](RunParams & p) -> double & { return p.involvement.minFraction; } },
    { "involvement", "fraction_cap_ml", [](RunParams & p) -> double & { return p.involvement.fractionCapMl; } },
    { "involvement", "attribution_mm", [](RunParams & p) -> double & { return p.involvement.attributionMm; } },
    { "involvement", "spill_coverage", [](RunParams & p) -> double & { return p.involvement.spillCoverage; } },
    { "oedema", "swelling_pct", [](RunParams & p) -> double & { return p.oedema.swellingPct; } },
    { "oedema", "midline_shift_mm", [](RunParams & p) -> double & { return p.oedema.midlineShiftMm; } },
    { "oedema", "large_midline_shift_mm", [](RunParams & p) -> double & { return p.oedema.largeMidlineShiftMm; } },
    { "oedema", "ventricle_asymmetry_max", [](RunParams & p) -> double & { return p.oedema.ventricleAsymmetryMax; } },
    { "oedema", "ventricle_ratio_max", [](RunParams & p) -> double & { return p.oedema.ventricleRatioMax; } },
    { "oedema", "sulcal_ratio_max", [](RunParams & p) -> double & { return p.oedema.sulcalRatioMax; } },
    { "oedema", "baseline_ventricle_change_pct",
      [](RunParams & p) -> double & { return p.oedema.baselineVentricleChangePct; } },
    { "oedema", "baseline_sulcal_change_pct",
      [](RunParams & p) -> double & { return p.oedema.baselineSulcalChangePct; } },
    { "oedema", "min_ipsilateral_lesion_ml",
      [](RunParams & p) -> double & { return p.oedema.minIpsilateralLesionMl; } },
    { "oedema", "csf_adc_um2s", [](RunParams & p) -> double & { return p.oedema.csfAdcUm2s; } },
    { "oedema", "ventricle_region_mm", [](RunParams & p) -> double & { return p.oedema.ventricleRegionMm; } },
    { "oedema", "ventricle_calibration", [](RunParams & p) -> double & { return p.oedema.ventricleCalibration; } },
    { "oedema", "sulcal_calibration", [](RunParams & p) -> double & { return p.oedema.sulcalCalibration; } },
  };
}

void Validate(const RunParams & p, const std::string & source)
{
  try
  {
    ValidateLesionDetectionParams(p.detection);
    ValidateInvolvementParams(p.involvement);
    ValidateOedemaParams(p.oedema);
  }
  catch (const ConfigError & e)
  {
    throw ConfigError(source + ": " + e.what());
  }
}
} // namespace

RunParams LoadRunConfig(const std::filesystem::path & file)
{
  const std::string name = file.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw ConfigError(name + ": config file not found or not a regular file");
  toml::table table;
  try
  {
    table = toml::parse_file(name);
  }
  catch (const toml::parse_error & e)
  {
    std::ostringstream where;
    where << e.source().begin;
    throw ConfigError(name + ": not a valid TOML config (" + std::string(e.description()) + " at " + where.str() + ")");
  }
  RunParams params;
  const auto settings = Settings();
  for (const auto & [sectionKey, sectionNode] : table)
  {
    const std::string section(sectionKey.str());
    const auto * sectionTable = sectionNode.as_table();
    bool known = false;
    for (const auto & s : settings)
      known = known || section == s.section;
    if (!known || !sectionTable)
      throw ConfigError(name + ": unknown section [" + section + "]; expected [detection], [involvement] or [oedema]");
    for (const auto & [key, node] : *sectionTable)
    {
      const std::string k(key.str());
      const Setting * found = nullptr;
      for (const auto & s : settings)
        if (section == s.section && k == s.key)
          found = &s;
      if (!found)
        throw ConfigError(name + ": unknown key '" + k + "' in [" + section + "] (see docs/config.md)");
      const auto value = node.value<double>();
      if (!value || node.is_boolean() || node.is_string())
        throw ConfigError(name + ": [" + section + "] " + k + " must be a number");
      found->ref(params) = *value;
    }
  }
  Validate(params, name);
  return params;
}

std::string RunConfigToToml(const RunParams & params)
{
  RunParams copy = params;
  std::ostringstream out;
  std::string section;
  for (const auto & s : Settings())
  {
    if (section != s.section)
    {
      section = s.section;
      out << (out.tellp() > 0 ? "\n" : "") << "[" << section << "]\n";
    }
    out << s.key << " = " << toml::value<double>(s.ref(copy)) << "\n";
  }
  return out.str();
}

} // namespace icanscan::pipeline
