#include "dicom/export/StoreScu.h"

#include "core/Error.h"

#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmnet/diutil.h"
#include "dcmtk/dcmnet/dstorscu.h"
#include "dcmtk/oflog/oflog.h"

#include <charconv>
#include <cstdio>
#include <map>

namespace icanscan::dicom
{
namespace
{
/** DcmStorageSCU that records the peer's answer for every instance it sent. */
class RecordingStorageScu : public DcmStorageSCU
{
public:
  std::map<std::string, std::pair<bool, std::string>> answers; //!< SOP instance UID -> stored, status text

protected:
  void notifySOPInstanceSent(const TransferEntry & entry) override
  {
    const Uint16 code = entry.ResponseStatusCode;
    char hex[8];
    std::snprintf(hex, sizeof(hex), "%04X", static_cast<unsigned>(code));
    const bool stored = code == STATUS_Success || (code & 0xF000) == 0xB000;
    std::string text = DU_cstoreStatusString(code);
    if (code >= 0xFF00) // DCMTK's pseudo codes: not sent at all
      text = "not sent: the peer accepted no presentation context for its SOP class and transfer syntax";
    answers[entry.SOPInstanceUID.c_str()] = { stored, std::string(hex) + " " + text };
  }
};

bool ValidAet(const std::string & aet)
{
  if (aet.empty() || aet.size() > 16)
    return false;
  for (const char c : aet)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
      return false;
  return aet.find_first_not_of(' ') != std::string::npos;
}

std::string NotSentList(const std::vector<std::string> & files)
{
  std::string list;
  for (const auto & f : files)
    list += "\n  not sent: " + f;
  return list;
}

[[noreturn]] void ThrowAssociationFailure(const OFCondition & status,
                                          const StoreDestination & d,
                                          const std::vector<std::string> & files)
{
  std::string why;
  if (status == DUL_ASSOCIATIONREJECTED)
    why = "the peer rejected the association (check that it knows calling AE title '" + d.callingAet +
          "' and is called '" + d.calledAet + "')";
  else if (status == NET_EC_NoAcceptablePresentationContexts)
    why = "the peer accepted none of the proposed SOP classes and transfer syntaxes";
  else if (status == DUL_READTIMEOUT)
    why = "no answer within " + std::to_string(d.timeoutSeconds) + " s";
  else
    why =
      "cannot connect (peer unreachable, port closed or no answer within " + std::to_string(d.timeoutSeconds) + " s)";
  throw NetworkError("C-STORE to " + d.ToString() + ": " + why + " [DCMTK: " + status.text() + "]" +
                     NotSentList(files));
}
} // namespace

std::string StoreDestination::ToString() const
{
  return calledAet + "@" + host + ":" + std::to_string(port);
}

StoreDestination ParseStoreDestination(const std::string & text)
{
  const auto at = text.find('@');
  const auto colon = text.rfind(':');
  const std::string expected = " (expected AET@HOST:PORT, e.g. ORTHANC@127.0.0.1:4242)";
  if (at == std::string::npos || colon == std::string::npos || colon < at)
    throw UsageError("--to '" + text + "': not of the form AET@HOST:PORT" + expected);
  StoreDestination d;
  d.calledAet = text.substr(0, at);
  d.host = text.substr(at + 1, colon - at - 1);
  const std::string port = text.substr(colon + 1);
  if (!ValidAet(d.calledAet))
    throw UsageError("--to '" + text + "': AE title '" + d.calledAet +
                     "' must have 1 to 16 printable characters and no backslash" + expected);
  if (d.host.empty())
    throw UsageError("--to '" + text + "': no host" + expected);
  int value = 0;
  const auto parsed = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || parsed.ec != std::errc() || parsed.ptr != port.data() + port.size() || value < 1 || value > 65535)
    throw UsageError("--to '" + text + "': port '" + port + "' is not a number from 1 to 65535" + expected);
  d.port = value;
  return d;
}

void CheckStoreDestination(const StoreDestination & d)
{
  if (!ValidAet(d.calledAet))
    throw UsageError("called AE title '" + d.calledAet + "': must have 1 to 16 printable characters and no backslash");
  if (!ValidAet(d.callingAet))
    throw UsageError("--calling-aet '" + d.callingAet + "': must have 1 to 16 printable characters and no backslash");
  if (d.host.empty() || d.port < 1 || d.port > 65535)
    throw UsageError("destination '" + d.ToString() + "': needs a host and a port from 1 to 65535");
  if (d.timeoutSeconds < 1)
    throw UsageError("--timeout " + std::to_string(d.timeoutSeconds) + ": must be at least 1 second");
}

std::vector<StoreResult> StoreFiles(const std::vector<std::string> & files, const StoreDestination & destination)
{
  CheckStoreDestination(destination);
  // DCMTK's own log would print to the console; the outcome is reported through the results and errors instead.
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);

  std::vector<StoreResult> results(files.size());
  RecordingStorageScu scu;
  scu.setAETitle(destination.callingAet.c_str());
  scu.setPeerAETitle(destination.calledAet.c_str());
  scu.setPeerHostName(destination.host.c_str());
  scu.setPeerPort(static_cast<Uint16>(destination.port));
  scu.setConnectionTimeout(destination.timeoutSeconds);
  scu.setACSETimeout(static_cast<Uint32>(destination.timeoutSeconds));
  scu.setDIMSETimeout(static_cast<Uint32>(destination.timeoutSeconds));
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  scu.setHaltOnUnsuccessfulStoreMode(OFFalse);

  std::vector<std::string> toSend;
  for (std::size_t i = 0; i < files.size(); ++i)
  {
    results[i].file = files[i];
    DcmFileFormat header;
    const OFCondition read = header.loadFileUntilTag(files[i].c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength,
                                                     ERM_autoDetect, DCM_PixelData);
    OFString sopClass, sopInstance;
    if (read.good())
    {
      header.getDataset()->findAndGetOFString(DCM_SOPClassUID, sopClass);
      header.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, sopInstance);
    }
    results[i].sopClassUid = sopClass.c_str();
    results[i].sopInstanceUid = sopInstance.c_str();
    const OFCondition added = read.good() ? scu.addDicomFile(files[i].c_str(), ERM_fileOnly, OFFalse) : read;
    if (added.bad())
      results[i].status = std::string("not sent: not a readable DICOM object (") + added.text() + ")";
    else
      toSend.push_back(files[i]);
  }
  if (toSend.empty())
    return results;

  OFCondition status;
  bool sentAny = false, networkReady = false;
  while (scu.getNumberOfSOPInstancesToBeSent() > 0)
  {
    status = scu.addPresentationContexts();
    if (status.bad())
      break;
    if (!networkReady)
    {
      status = scu.initNetwork();
      if (status.bad())
        throw NetworkError("C-STORE to " + destination.ToString() +
                           ": cannot initialise the network: " + status.text() + NotSentList(toSend));
      networkReady = true;
    }
    status = scu.negotiateAssociation();
    if (status == NET_EC_NoAcceptablePresentationContexts && sentAny)
      continue; // the instances of this association are marked as not sent; go on with the rest
    if (status.bad())
    {
      if (!sentAny)
        ThrowAssociationFailure(status, destination, toSend);
      break;
    }
    status = scu.sendSOPInstances();
    sentAny = true;
    scu.releaseAssociation();
    if (status.bad())
      break;
  }
  for (auto & r : results)
  {
    if (!r.status.empty())
      continue;
    const auto answer = scu.answers.find(r.sopInstanceUid);
    if (answer != scu.answers.end())
    {
      r.stored = answer->second.first;
      r.status = answer->second.second;
    }
    else
      r.status = status.bad() ? std::string("not sent: ") + status.text()
                              : "not sent: the peer accepted no presentation context for its SOP class and "
                                "transfer syntax";
  }
  return results;
}

} // namespace icanscan::dicom
