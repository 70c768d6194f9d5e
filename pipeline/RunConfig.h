#pragma once

#include "pipeline/detection/LesionDetection.h"
#include "pipeline/oedema/OedemaAssessment.h"
#include "pipeline/detection/StudyFindings.h"
#include "pipeline/geometry/StudyGeometryStage.h"

#include <filesystem>
#include <string>

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

/** \brief Reads a TOML config over the defaults. Sections [detection], [involvement], [oedema]; keys are the snake_case
 * names documented in docs/config.md. Throws ConfigError naming the file, the key and the value on an unknown section
 * or key, a wrong type or an out-of-range value, or when the file cannot be read or parsed. */
RunParams LoadRunConfig(const std::filesystem::path & file);

/** \brief The resolved settings as TOML text (written to OUT for the record, and readable by LoadRunConfig). */
std::string RunConfigToToml(const RunParams & params);

} // namespace icanscan::pipeline
