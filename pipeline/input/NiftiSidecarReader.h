#pragma once

#include "dicom/MrSeriesWriter.h"
#include "dicom/SeriesRole.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief What a NIfTI file's JSON sidecar (BIDS or dcm2niix) says, as DICOM header values, and what had to be
 * assumed to read it. */
struct NiftiSidecarReading
{
  dicom::MrSeriesSpec spec;       //!< description, ImageType, sequence, TR/TE/TI in ms, ...
  std::vector<double> bValues;    //!< DiffusionBValue (one number, or one per volume); empty when absent
  std::vector<std::string> notes; //!< what was converted or assumed, naming the sidecar file and the values
};

/** \brief Reads a sidecar (or nothing: then only `name` describes the series). Times are seconds in BIDS; a sidecar
 * whose times are only plausible in milliseconds (see SidecarTimesAreMilliseconds) is read as milliseconds, and a
 * note says so. `sidecarFile` only names the file in notes. */
NiftiSidecarReading ReadNiftiSidecar(const std::optional<nlohmann::json> & sidecar,
                                     const std::string & name,
                                     const std::string & sidecarFile);

/** \brief Whether sidecar times (as written, 0 when absent) can only be milliseconds: in seconds no echo time reaches
 * 1, no repetition time 100 and no inversion time 10, while in milliseconds nearly every echo time exceeds 1. */
bool SidecarTimesAreMilliseconds(double repetitionTime, double echoTime, double inversionTime);

/** \brief A role stated by a file name's BIDS suffix, with the suffix as written. */
struct FileNameRole
{
  dicom::SeriesRole role = dicom::SeriesRole::Other;
  std::string suffix; //!< e.g. "_dwi", "_FLAIR", or the whole name when it has no underscore ("ADC")
};

/** \brief The role a NIfTI file name states by its last underscore-separated part (case-insensitive): dwi and trace
 * DWI, adc ADC, FLAIR, T2w T2, T1w T1; nullopt for anything else. */
std::optional<FileNameRole> RoleFromFileName(const std::string & name);

} // namespace icanscan::pipeline
