#pragma once

#include <sstream>
#include <string>

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

} // namespace icanscan
