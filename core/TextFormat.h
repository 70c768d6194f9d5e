#pragma once

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string>
#include <vector>

namespace icanscan
{

/** \brief `value` with a fixed number of decimals, for messages and reasons ("12.5 %", "0.85"). */
inline std::string FormatFixed(double value, int digits)
{
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << value;
  return out.str();
}

/** \brief `value` as a stream writes it (up to 6 significant digits, no trailing zeros): "0.85", "2000", "-25". */
inline std::string FormatNumber(double value)
{
  std::ostringstream out;
  out << value;
  return out.str();
}

/** \brief `value` as a stream writes it, for any streamable type (numbers in messages, parameter values). */
template<typename T>
std::string ToText(const T & value)
{
  std::ostringstream out;
  out << value;
  return out.str();
}

/** \brief `s` in lower case (ASCII). */
inline std::string ToLower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/** \brief `s` in upper case (ASCII). */
inline std::string ToUpper(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

/** \brief `s` without leading and trailing spaces, tabs and line ends. */
inline std::string Trim(const std::string & s)
{
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

/** \brief The items separated by `separator`: Join({"a", "b"}) is "a, b". */
inline std::string Join(const std::vector<std::string> & items, const std::string & separator = ", ")
{
  std::string joined;
  for (std::size_t i = 0; i < items.size(); ++i)
    joined += (i ? separator : std::string()) + items[i];
  return joined;
}

} // namespace icanscan
