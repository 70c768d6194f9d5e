#pragma once

#include "core/Error.h"
#include "core/TextFormat.h"

#include <cmath>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief One end of a setting's valid range: a number, or another setting of the same section (e.g. the growth
 * threshold at most the seed threshold). `open` excludes the end itself. */
template<typename TParams>
struct SettingBound
{
  double value = 0;
  bool open = false;
  double TParams::*other = nullptr; //!< when set, the bound is this member's value instead of `value`
  const char * otherKey = nullptr;  //!< its key, for messages and docs
};

/** \brief A configurable number of a stage, declared once: its TOML key, the member it sets, its default, its valid
 * range, its unit and a one-line meaning. The stage's Params constructor, its validation, the TOML reader and writer,
 * `icanscan config` and the tables in docs/config.md all come from these declarations. */
template<typename TParams>
struct Setting
{
  const char * key;           //!< snake_case TOML key
  double TParams::*member;    //!< where the value lives
  double defaultValue;        //!< the built-in default
  SettingBound<TParams> low;  //!< smallest valid value
  SettingBound<TParams> high; //!< largest valid value
  const char * unit;          //!< e.g. "robust z", "ml", "%"
  const char * doc;           //!< one line: what the value means (docs/config.md says why its default)
};

/** \brief The settings of one config section ("detection", "involvement", "oedema"). */
template<typename TParams>
struct SettingSection
{
  const char * name;
  std::vector<Setting<TParams>> settings;
};

/** \brief "[1, 20]", "(0, 1]" or "[0.5, `hyper_seed_z`]" (docs); with `params`, a bound that is another setting
 * also shows that setting's value: "[0.5, hyper_seed_z = 4]" (messages). */
template<typename TParams>
std::string RangeText(const Setting<TParams> & s, const TParams * params = nullptr)
{
  auto end = [params](const SettingBound<TParams> & b)
  {
    if (!b.other)
      return FormatNumber(b.value);
    return params ? std::string(b.otherKey) + " = " + FormatNumber(params->*b.other)
                  : "`" + std::string(b.otherKey) + "`";
  };
  return std::string(s.low.open ? "(" : "[") + end(s.low) + ", " + end(s.high) + (s.high.open ? ")" : "]");
}

/** \brief Sets every declared member of `params` to its default. */
template<typename TParams>
void ApplySettingDefaults(TParams & params, const SettingSection<TParams> & section)
{
  for (const auto & s : section.settings)
    params.*s.member = s.defaultValue;
}

/** \brief Throws ConfigError "<section> parameter <key> = <value>: expected a value in <range>" for the first
 * declared member outside its range (NaN and infinity fail every range). */
template<typename TParams>
void ValidateSettings(const TParams & params, const SettingSection<TParams> & section)
{
  for (const auto & s : section.settings)
  {
    const double v = params.*s.member;
    const double lo = s.low.other ? params.*s.low.other : s.low.value;
    const double hi = s.high.other ? params.*s.high.other : s.high.value;
    const bool aboveLow = s.low.open ? v > lo : v >= lo;
    const bool belowHigh = s.high.open ? v < hi : v <= hi;
    if (!(std::isfinite(v) && aboveLow && belowHigh))
      throw ConfigError(std::string(section.name) + " parameter " + s.key + " = " + FormatNumber(v) +
                        ": expected a value in " + RangeText(s, &params));
  }
}

} // namespace icanscan::pipeline
