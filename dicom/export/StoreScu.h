#pragma once

#include <string>
#include <vector>

namespace icanscan::dicom
{

/** \brief Where to send DICOM objects by C-STORE, and how. */
struct StoreDestination
{
  std::string calledAet;               //!< the peer's AE title (1-16 characters)
  std::string host;                    //!< host name or address
  int port = 104;                      //!< TCP port, 1-65535
  std::string callingAet = "ICANSCAN"; //!< our AE title (1-16 characters)
  int timeoutSeconds = 30;             //!< connection, association and each DIMSE exchange (s), >= 1

  /** "AET@HOST:PORT", the form `--to` takes and the send log records. */
  std::string ToString() const;
};

/** \brief Parses "AET@HOST:PORT" (e.g. "ORTHANC@127.0.0.1:4242"); throws UsageError naming the text and what is
 * wrong (empty or too long AE title, missing host, port outside 1-65535). */
StoreDestination ParseStoreDestination(const std::string & text);

/** \brief Throws UsageError naming the setting when a destination cannot be used: an AE title that is empty, longer
 * than 16 characters or holds a backslash or control character, a port outside 1-65535, a timeout below 1 s. */
void CheckStoreDestination(const StoreDestination & destination);

/** \brief What happened to one file of a C-STORE run. */
struct StoreResult
{
  std::string file;
  std::string sopClassUid;
  std::string sopInstanceUid;
  bool stored = false; //!< the peer answered success (0000) or a warning (Bxxx): it holds the object
  std::string status;  //!< e.g. "0000 success", "A700 out of resources", "no presentation context accepted for ..."
};

/** \brief Sends `files` to `destination` by C-STORE (DCMTK DcmStorageSCU) and returns one result per file, in order.
 *
 * Each SOP class is proposed with the file's own transfer syntax and the uncompressed ones (explicit and implicit
 * VR little endian), so the peer picks one it accepts; a file whose SOP class or transfer syntax the peer accepts in
 * no presentation context is reported as not stored. Files that are not DICOM are reported as not stored without
 * being sent. Throws NetworkError when the peer cannot be reached (refused, unknown host, timeout) or rejects the
 * association, naming the destination, the reason DCMTK gives and every file that did not go. */
std::vector<StoreResult> StoreFiles(const std::vector<std::string> & files, const StoreDestination & destination);

} // namespace icanscan::dicom
