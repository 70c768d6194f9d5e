#include "dicom/SeriesKey.h"

#include <cctype>

namespace icanscan::dicom
{

SeriesKey DwiKey(int b)
{
  return { SeriesRole::DWI, b };
}

std::string ToString(const SeriesKey & key)
{
  if (key.role == SeriesRole::DWI && key.bValue)
    return "DWI_b" + std::to_string(*key.bValue);
  return ToString(key.role);
}

std::optional<SeriesKey> ParseSeriesKey(const std::string & name)
{
  const auto underscore = name.find("_b");
  if (underscore == std::string::npos)
  {
    const auto role = ParseSeriesRole(name);
    if (!role)
      return std::nullopt;
    return SeriesKey{ *role, std::nullopt };
  }
  if (ParseSeriesRole(name.substr(0, underscore)) != SeriesRole::DWI)
    return std::nullopt;
  const std::string digits = name.substr(underscore + 2);
  if (digits.empty() || digits.size() > 5)
    return std::nullopt;
  for (const char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return std::nullopt;
  return DwiKey(std::stoi(digits));
}

std::optional<SeriesKey> HighestDwiTrace(const std::vector<std::string> & names)
{
  std::optional<SeriesKey> best;
  for (const auto & name : names)
  {
    const auto key = ParseSeriesKey(name);
    if (key && key->role == SeriesRole::DWI && key->bValue && *key->bValue > 0 &&
        (!best || *key->bValue > *best->bValue))
      best = key;
  }
  return best;
}

} // namespace icanscan::dicom
