#include "dicom/SeriesRole.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace icanscan::dicom
{
namespace
{
constexpr std::array<std::pair<SeriesRole, const char *>, 8> kRoleNames{ {
  { SeriesRole::T2, "T2" },
  { SeriesRole::FLAIR, "FLAIR" },
  { SeriesRole::DWI, "DWI" },
  { SeriesRole::ADC, "ADC" },
  { SeriesRole::T1, "T1" },
  { SeriesRole::SWI, "SWI" },
  { SeriesRole::Localizer, "localizer" },
  { SeriesRole::Other, "other" },
} };
} // namespace

std::string ToString(SeriesRole role)
{
  for (const auto & [value, name] : kRoleNames)
  {
    if (value == role)
    {
      return name;
    }
  }
  return "other";
}

std::optional<SeriesRole> ParseSeriesRole(const std::string & name)
{
  auto lower = [](std::string s)
  {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  for (const auto & [value, roleName] : kRoleNames)
  {
    if (lower(roleName) == lower(name))
    {
      return value;
    }
  }
  return std::nullopt;
}

} // namespace icanscan::dicom
