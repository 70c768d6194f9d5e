#pragma once

#include <optional>
#include <string>

namespace icanscan::dicom
{

/** \brief What a series is for the pipeline. */
enum class SeriesRole
{
  T2,
  FLAIR,
  DWI,
  ADC,
  T1,
  SWI, //!< SWI or T2*-weighted gradient echo
  Localizer,
  Other,
};

/** \brief Short name used in output file names, JSON and on the command line ("T2", "FLAIR", ...). */
std::string ToString(SeriesRole role);

/** \brief Parses a role name case-insensitively; std::nullopt when unknown. */
std::optional<SeriesRole> ParseSeriesRole(const std::string & name);

} // namespace icanscan::dicom
