#include "pipeline/grading/IcansGrading.h"

#include "core/Error.h"
#include "pipeline/input/StrictJson.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

// Reading clinical.json: the text checks (one JSON object, no key twice, numbers JSON can hold) before
// ParseClinicalAssessment reads the values.

namespace icanscan::pipeline
{

ClinicalAssessment ParseClinicalAssessmentText(const std::string & text, const std::string & sourceName)
{
  std::string problem;
  const std::optional<nlohmann::json> json = ParseStrictJson(text, problem);
  if (!json)
    throw ConfigError(sourceName + ": clinical assessment: " + problem);
  return ParseClinicalAssessment(*json, sourceName);
}

ClinicalAssessment ReadClinicalAssessment(const std::filesystem::path & path)
{
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ConfigError(name + ": clinical assessment: expected a JSON file, found a folder");
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw ConfigError(name + ": clinical assessment: not a regular file (a device or FIFO is never read)");
  constexpr std::uintmax_t kMaxBytes = 1u << 20; // a bedside assessment is a few hundred bytes
  if (std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) > kMaxBytes)
    throw ConfigError(name + ": clinical assessment: larger than 1 MiB, not a clinical.json");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError(name + ": clinical assessment: cannot be read (missing or not readable)");
  const std::string text{ std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
  if (in.bad())
    throw ConfigError(name + ": clinical assessment: read error");
  return ParseClinicalAssessmentText(text, name);
}

} // namespace icanscan::pipeline
