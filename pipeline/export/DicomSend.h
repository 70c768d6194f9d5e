#pragma once

#include "dicom/export/StoreScu.h"

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief What one `icanscan send` did. */
struct SendSummary
{
  std::vector<dicom::StoreResult> results; //!< the objects sent this time, in manifest order
  std::vector<std::string> alreadyStored;  //!< files skipped: send_log.tsv records them as stored at this destination
};

/** \brief Sends the objects of OUT/dicom (manifest order) to `destination` by C-STORE.
 *
 * Objects that OUT/dicom/send_log.tsv records as stored at the same destination (AET@HOST:PORT) are skipped unless
 * `resendAll`, so a rerun after a failure sends what is missing. Every outcome is added to send_log.tsv (tab
 * separated: time, destination, file, SOP instance UID, stored yes/no, status). Throws NetworkError, after logging,
 * when the peer cannot be reached, rejects the association, or any object was not stored, naming each object that
 * did not go and why; InputError as ReadExportManifest when OUT has no DICOM export. */
SendSummary SendExportedDicom(const std::filesystem::path & out,
                              const dicom::StoreDestination & destination,
                              bool resendAll);

} // namespace icanscan::pipeline
