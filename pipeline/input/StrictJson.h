#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace icanscan::pipeline
{

/** \brief Parses JSON that a user or another program gave us (clinical.json, a report.json, a sidecar) more strictly
 * than nlohmann's defaults: a key given twice in one object (nlohmann keeps the last, silently), nesting deeper
 * than `maxDepth` (printing such a value in a message would recurse until the stack overflows) and numbers JSON
 * cannot hold (1e400) are refused. Returns nullopt with `problem` saying what is wrong. */
std::optional<nlohmann::json> ParseStrictJson(const std::string & text, std::string & problem, unsigned maxDepth = 32);

} // namespace icanscan::pipeline
