#pragma once

#include "dicom/SeriesRole.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::dicom
{

/** \brief The key of one volume of a study: its role, and for a DWI volume its b-value. Written as the role name, or
 * "DWI_b<B>" for diffusion ("T2", "ADC", "DWI_b0", "DWI_b1000"): the names of the volumes in OUT/volumes and of
 * the viewer's base series. */
struct SeriesKey
{
  SeriesRole role = SeriesRole::Other;
  std::optional<int> bValue; //!< set only for SeriesRole::DWI

  bool operator==(const SeriesKey & other) const { return role == other.role && bValue == other.bValue; }
};

/** \brief The DWI volume at b-value `b` (b = 0: the b0). */
SeriesKey DwiKey(int b);

/** \brief "T2", "DWI_b1000", ... */
std::string ToString(const SeriesKey & key);

/** \brief Parses a key written by ToString (role names case-insensitive); std::nullopt when it is not one. */
std::optional<SeriesKey> ParseSeriesKey(const std::string & name);

/** \brief Among `names`, the DWI trace with the highest b-value above 0; std::nullopt when there is none. */
std::optional<SeriesKey> HighestDwiTrace(const std::vector<std::string> & names);

/** \brief The names (keys) of a map keyed by series key names. */
template<typename T>
std::vector<std::string> KeyNames(const std::map<std::string, T> & byName)
{
  std::vector<std::string> names;
  for (const auto & entry : byName)
    names.push_back(entry.first);
  return names;
}

} // namespace icanscan::dicom
