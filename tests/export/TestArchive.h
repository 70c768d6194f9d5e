#pragma once

// A real DICOM archive for the PACS tests, started by the test on 127.0.0.1 on free ports: Orthanc (Debian
// `orthanc`) with a generated configuration in a temporary folder, read back through its REST API; where Orthanc is
// not installed (never under CI), DCMTK's DcmStorageSCP in a child process of the test, read back from its storage
// folder.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace icanscan::test
{

/** \brief A TCP port on 127.0.0.1 that nothing listens on right now. */
int FreeTcpPort();

/** \brief The reply of a plain HTTP/1.0 GET. */
struct HttpReply
{
  int status = 0;
  std::string body;
};

/** \brief GET http://127.0.0.1:PORT/PATH on POSIX sockets; status 0 when nothing answers. */
HttpReply HttpGet(int port, const std::string & path, int timeoutSeconds = 10);

/** \brief The Orthanc executable, or empty when it is not installed (or ICANSCAN_TEST_NO_ORTHANC=1, to try the
 * DcmStorageSCP fallback on a machine that has Orthanc). */
std::filesystem::path FindOrthanc();

/** \brief How to start a test archive. */
struct ArchiveOptions
{
  std::string aet = "PACSTEST";
  bool checkCalledAet = false; //!< reject associations that call another AE title
  bool rejectSr = false;       //!< refuse to store SR objects (C-STORE failure status)
  /** Storage folder; empty: a new one inside the archive's folder. Reuse it to restart the archive on the same data. */
  std::filesystem::path storage;
  int dicomPort = 0; //!< 0: a free port
  int httpPort = 0;  //!< 0: a free port
};

/** \brief A DICOM archive running for the lifetime of the object; stopped (and waited for) in the destructor, also
 * when the test fails. */
class TestArchive
{
public:
  virtual ~TestArchive() = default;
  virtual int DicomPort() const = 0;
  virtual std::string Aet() const = 0;
  virtual std::string Kind() const = 0; //!< "Orthanc 1.x" or "DcmStorageSCP ... (Orthanc not installed)"
  /** Every stored object of the study with this StudyInstanceUID, written to files in `folder` (Orthanc: downloaded
   * through GET /instances/{id}/file after finding the study with GET /studies?expand). */
  virtual std::vector<std::filesystem::path> Retrieve(const std::string & studyInstanceUid,
                                                      const std::filesystem::path & folder) = 0;
  /** Series of the study as "Modality SeriesInstanceUID" (Orthanc: from its REST API). */
  virtual std::vector<std::string> SeriesOf(const std::string & studyInstanceUid) = 0;
};

/** \brief Starts Orthanc when installed, else DcmStorageSCP (the caller must refuse that under CI).
 * `folder` holds the configuration, log and (by default) storage. Throws std::runtime_error with Orthanc's log when it
 * does not come up within 30 s. */
std::unique_ptr<TestArchive> StartArchive(const ArchiveOptions & options, const std::filesystem::path & folder);

} // namespace icanscan::test
