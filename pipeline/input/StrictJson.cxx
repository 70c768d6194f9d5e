#include "pipeline/input/StrictJson.h"

#include <set>
#include <vector>

namespace icanscan::pipeline
{
namespace
{
/** Thrown from the parser callback to stop at the first problem. */
struct Refused
{
  std::string problem;
};
} // namespace

std::optional<nlohmann::json> ParseStrictJson(const std::string & text, std::string & problem, unsigned maxDepth)
{
  std::vector<std::set<std::string>> keysPerObject; // one entry per open object; arrays hold an empty marker
  std::vector<bool> isObject;
  const nlohmann::json::parser_callback_t strict =
    [&](int, nlohmann::json::parse_event_t event, nlohmann::json & parsed)
  {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start || event == Event::array_start)
    {
      isObject.push_back(event == Event::object_start);
      keysPerObject.emplace_back();
      if (isObject.size() > maxDepth)
        throw Refused{ "nested more than " + std::to_string(maxDepth) + " levels deep" };
    }
    else if ((event == Event::object_end || event == Event::array_end) && !isObject.empty())
    {
      isObject.pop_back();
      keysPerObject.pop_back();
    }
    else if (event == Event::key && !isObject.empty() && isObject.back() && parsed.is_string() &&
             !keysPerObject.back().insert(parsed.get<std::string>()).second)
      throw Refused{ "key '" + parsed.get<std::string>() + "' is given twice in one object" };
    return true;
  };
  try
  {
    return nlohmann::json::parse(text, strict);
  }
  catch (const Refused & refused)
  {
    problem = refused.problem;
  }
  catch (const nlohmann::json::exception & e)
  {
    problem = std::string("not valid JSON (") + e.what() + ")";
  }
  return std::nullopt;
}

} // namespace icanscan::pipeline
