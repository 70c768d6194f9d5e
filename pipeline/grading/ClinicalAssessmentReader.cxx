#include "pipeline/grading/IcansGrading.h"

#include "core/Error.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

// Reading clinical.json: the text checks (one JSON object, no key twice, numbers JSON can hold) before
// ParseClinicalAssessment reads the values.

namespace icanscan::pipeline
{

ClinicalAssessment ParseClinicalAssessmentText(const std::string & text, const std::string & sourceName)
{
  // A key given twice would silently take its last value: refuse it, as a number nlohmann cannot hold (1e400).
  std::vector<std::set<std::string>> keysPerObject;
  std::string duplicate;
  const nlohmann::json::parser_callback_t noDuplicates =
    [&](int, nlohmann::json::parse_event_t event, nlohmann::json & parsed)
  {
    if (event == nlohmann::json::parse_event_t::object_start)
      keysPerObject.emplace_back();
    else if (event == nlohmann::json::parse_event_t::object_end && !keysPerObject.empty())
      keysPerObject.pop_back();
    else if (event == nlohmann::json::parse_event_t::key && !keysPerObject.empty() && parsed.is_string() &&
             !keysPerObject.back().insert(parsed.get<std::string>()).second && duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  nlohmann::json json;
  try
  {
    json = nlohmann::json::parse(text, noDuplicates);
  }
  catch (const nlohmann::json::exception & e)
  {
    throw ConfigError(sourceName + ": clinical assessment: not valid JSON (" + e.what() + ")");
  }
  if (!duplicate.empty())
    throw ConfigError(sourceName + ": clinical assessment: key '" + duplicate +
                      "' is given twice; give each item once");
  return ParseClinicalAssessment(json, sourceName);
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
