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

} // namespace icanscan
