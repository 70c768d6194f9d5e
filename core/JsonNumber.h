#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>

namespace icanscan
{

/** \brief A measurement for JSON output: the number when finite, null otherwise (NaN and infinity are not JSON, and
 * a value that could not be measured must read as "not assessable", never as 0). */
inline nlohmann::json FiniteOrNull(double value)
{
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

/** \brief An optional value for JSON output: the value, or null when absent. */
template<typename T>
nlohmann::json ValueOrNull(const std::optional<T> & value)
{
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace icanscan
