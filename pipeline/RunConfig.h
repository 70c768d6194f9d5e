#pragma once

#include "pipeline/detection/LesionDetection.h"
#include "pipeline/oedema/OedemaAssessment.h"
#include "pipeline/detection/StudyFindings.h"
#include "pipeline/geometry/StudyGeometryStage.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Every algorithm setting of `icanscan run`, with its defaults (docs/config.md says why). */
struct RunParams
{
  StudyGeometryParams geometry;
  LesionDetectionParams detection;
  InvolvementParams involvement;
  OedemaParams oedema;
};

/** \brief One setting of `run` seen through RunParams: what the TOML reader and writer, `icanscan config` and the
 * docs need (the typed declaration is the stage's SettingSection). */
struct RunSetting
{
  const char * section;
  const char * key;
  std::function<double &(RunParams &)> ref;
  double defaultValue;
  std::string range; //!< as docs/config.md shows it, e.g. "(0, 1]"
  const char * unit;
  const char * doc;
};

/** \brief Every setting of every section, in file order. */
const std::vector<RunSetting> & RunSettings();

/** \brief The config file's sections in order: "detection", "involvement", "oedema". Their settings are declared once,
 * by the stages (LesionDetectionSettings, InvolvementSettings, OedemaSettings); everything here is derived from them.
 */
std::vector<std::string> RunConfigSections();

/** \brief Checks every setting of every section; throws ConfigError naming the first bad one. */
void ValidateRunParams(const RunParams & params);

/** \brief Reads a TOML config over the defaults: the sections of RunConfigSections(), keys as declared. Throws
 * ConfigError naming the file, the key and the value on an unknown section or key, a wrong type or an out-of-range
 * value, or when the file cannot be read or parsed. */
RunParams LoadRunConfig(const std::filesystem::path & file);

/** \brief The resolved settings as TOML text (written to OUT for the record, and readable by LoadRunConfig). */
std::string RunConfigToToml(const RunParams & params);

/** \brief The Markdown table of one section's settings (key, default, valid range, unit, meaning), as docs/config.md
 * shows it. Throws UsageError for an unknown section. */
std::string RunConfigMarkdownTable(const std::string & section);

} // namespace icanscan::pipeline
