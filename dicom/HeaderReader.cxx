#include "dicom/HeaderReader.h"

#include "dicom/DcmtkAttributes.h"
#include "dicom/DiffusionTags.h"
#include "dicom/HeaderChecks.h"
#include "dicom/SiemensCsa.h"
#include "dicom/StructureCheck.h"
#include "dicom/UihMosaic.h"

#include "core/TextEncoding.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcmetinf.h"
#include "dcmtk/dcmdata/dcsequen.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmdata/dcxfer.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace icanscan::dicom
{
namespace
{
using detail::FirstSequenceItem;
using detail::GetInteger;
using detail::GetNumber;
using detail::GetNumbers;
using detail::GetString;
using detail::GetUpperValues;
using detail::GetVector;

constexpr Uint32 kMaxReadLength = 4096; // larger elements stay on disk until asked for
constexpr long kIntMin = -2147483647L - 1;
constexpr long kIntMax = 2147483647L;
const DcmTagKey kSiemensMosaicCount(0x0019, 0x100a);
const DcmTagKey kSiemensCsaImage(0x0029, 0x1010);
const DcmTagKey kPhilipsPrivateFrame(0x2005, 0x140f);
const DcmTagKey kPhilipsScaleSlope(0x2005, 0x100e);
const DcmTagKey kPhilipsBValueNumber(0x2005, 0x1412);
const DcmTagKey kPhilipsGradientNumber(0x2005, 0x1413);

/** Part 10 files carry "DICM" at 128; headerless files start with a group 0002 or 0008 tag. */
bool LooksLikeDicom(std::ifstream & in)
{
  unsigned char head[132] = {};
  in.read(reinterpret_cast<char *>(head), sizeof(head));
  const std::streamsize got = in.gcount();
  if (got >= 132 && std::equal(head + 128, head + 132, "DICM"))
  {
    return true;
  }
  if (got < 8)
  {
    return false;
  }
  const unsigned group = head[0] | (head[1] << 8);
  return group == 0x0002 || group == 0x0008;
}

std::string UidName(const std::string & uid)
{
  const char * name = dcmFindNameOfUID(uid.c_str(), nullptr);
  return name ? std::string(name) + " (" + uid + ")" : uid;
}

void ReadFileAttributes(DcmItem & ds, FileHeader & h)
{
  h.sopClassUid = GetString(ds, DCM_SOPClassUID);
  h.sopInstanceUid = GetString(ds, DCM_SOPInstanceUID);
  h.studyInstanceUid = GetString(ds, DCM_StudyInstanceUID);
  h.seriesInstanceUid = GetString(ds, DCM_SeriesInstanceUID);
  h.seriesNumber = static_cast<int>(GetInteger(ds, DCM_SeriesNumber, kIntMin, kIntMax).value_or(0));
  h.seriesDescription = GetString(ds, DCM_SeriesDescription);
  h.protocolName = GetString(ds, DCM_ProtocolName);
  h.modality = GetString(ds, DCM_Modality);
  h.manufacturer = GetString(ds, DCM_Manufacturer);
  h.manufacturerModel = GetString(ds, DCM_ManufacturerModelName);
  h.softwareVersions = GetString(ds, DCM_SoftwareVersions);
  h.sequenceName = GetString(ds, DCM_SequenceName);
  if (h.sequenceName.empty())
  {
    h.sequenceName = GetString(ds, DCM_PulseSequenceName);
  }
  h.scanningSequence = GetString(ds, DCM_ScanningSequence);
  h.sequenceVariant = GetString(ds, DCM_SequenceVariant);
  h.scanOptions = GetString(ds, DCM_ScanOptions);
  h.mrAcquisitionType = GetString(ds, DCM_MRAcquisitionType);
  h.patientPosition = GetString(ds, DCM_PatientPosition);
  h.studyDate = GetString(ds, DCM_StudyDate);
  h.patientName = GetString(ds, DCM_PatientName);
  h.patientId = GetString(ds, DCM_PatientID);
  h.patientBirthDate = GetString(ds, DCM_PatientBirthDate);
  h.seriesTime = GetString(ds, DCM_SeriesTime);
  h.imageType = GetUpperValues(ds, DCM_ImageType);
  h.repetitionTimeMs = GetNumber(ds, DCM_RepetitionTime).value_or(0.0);
  h.echoTimeMs = GetNumber(ds, DCM_EchoTime).value_or(0.0);
  h.inversionTimeMs = GetNumber(ds, DCM_InversionTime).value_or(0.0);
  h.flipAngleDeg = GetNumber(ds, DCM_FlipAngle).value_or(0.0);
  h.fieldStrengthT = GetNumber(ds, DCM_MagneticFieldStrength).value_or(0.0);
  h.rows = static_cast<unsigned>(GetInteger(ds, DCM_Rows, 0, 65535).value_or(0));
  h.columns = static_cast<unsigned>(GetInteger(ds, DCM_Columns, 0, 65535).value_or(0));
  h.bitsAllocated = static_cast<unsigned>(GetInteger(ds, DCM_BitsAllocated, 0, 65535).value_or(0));
  h.bitsStored = static_cast<unsigned>(GetInteger(ds, DCM_BitsStored, 0, 65535).value_or(h.bitsAllocated));
  h.pixelRepresentation = static_cast<unsigned>(GetInteger(ds, DCM_PixelRepresentation, 0, 65535).value_or(0));
  h.samplesPerPixel = static_cast<unsigned>(GetInteger(ds, DCM_SamplesPerPixel, 0, 65535).value_or(1));
  h.numberOfFrames = static_cast<unsigned>(std::max(1L, GetInteger(ds, DCM_NumberOfFrames, 0, kIntMax).value_or(1)));
  h.photometricInterpretation = GetString(ds, DCM_PhotometricInterpretation);
}

void ReadGeometry(DcmItem & item, FrameHeader & frame)
{
  if (auto v = GetVector<3>(item, DCM_ImagePositionPatient))
    frame.position = v;
  if (auto v = GetVector<6>(item, DCM_ImageOrientationPatient))
    frame.orientation = v;
  if (auto v = GetVector<2>(item, DCM_PixelSpacing))
    frame.pixelSpacing = v;
  if (auto v = GetNumber(item, DCM_SliceThickness))
    frame.sliceThickness = *v;
  if (auto v = GetNumber(item, DCM_SpacingBetweenSlices))
    frame.spacingBetweenSlices = *v;
}

void ReadRescale(DcmItem & item, FrameHeader & frame)
{
  if (auto v = GetNumber(item, DCM_RescaleSlope); v && *v != 0.0)
    frame.rescaleSlope = *v;
  if (auto v = GetNumber(item, DCM_RescaleIntercept))
    frame.rescaleIntercept = *v;
}

/** Resolves a functional group: the per-frame item's copy wins over the shared one. */
DcmItem * GroupItem(DcmItem * perFrame, DcmItem * shared, const DcmTagKey & sequence)
{
  if (perFrame != nullptr)
  {
    if (DcmItem * item = FirstSequenceItem(*perFrame, sequence))
      return item;
  }
  return shared != nullptr ? FirstSequenceItem(*shared, sequence) : nullptr;
}

/** Enhanced MR keeps TR/TI in functional groups and says SPIN/GRADIENT/IR/EPI in its own attributes: map them to
 * the classic ScanningSequence vocabulary so one classifier serves both. */
void ReadEnhancedSequenceAttributes(DcmItem & ds, DcmItem * shared, DcmItem * firstFrame, FileHeader & h)
{
  if (DcmItem * g = GroupItem(firstFrame, shared, DCM_MRTimingAndRelatedParametersSequence))
  {
    if (h.repetitionTimeMs <= 0)
      h.repetitionTimeMs = GetNumber(*g, DCM_RepetitionTime).value_or(0.0);
    if (h.flipAngleDeg <= 0)
      h.flipAngleDeg = GetNumber(*g, DCM_FlipAngle).value_or(0.0);
  }
  if (DcmItem * g = GroupItem(firstFrame, shared, DCM_MRModifierSequence))
  {
    if (h.inversionTimeMs <= 0)
      h.inversionTimeMs = GetNumber(*g, DCM_InversionTimes).value_or(0.0);
  }
  if (!h.scanningSequence.empty())
    return;
  std::vector<std::string> parts;
  const std::string echo = GetString(ds, DCM_EchoPulseSequence);
  if (echo == "SPIN" || echo == "BOTH")
    parts.push_back("SE");
  if (echo == "GRADIENT" || echo == "BOTH")
    parts.push_back("GR");
  if (GetString(ds, DCM_InversionRecovery) == "YES" || h.inversionTimeMs > 0)
    parts.push_back("IR");
  if (GetString(ds, DCM_EchoPlanarPulseSequence) == "YES")
    parts.push_back("EP");
  for (const auto & p : parts)
    h.scanningSequence += (h.scanningSequence.empty() ? "" : "\\") + p;
}

/** The per-frame functional group items, in order; empty with `problem` set when they do not match the frame count. */
std::vector<DcmItem *> PerFrameItems(DcmItem & ds, unsigned frames, std::string & problem)
{
  std::vector<DcmItem *> items;
  DcmSequenceOfItems * sequence = nullptr;
  if (ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, sequence).bad() || sequence == nullptr)
  {
    items.assign(frames, nullptr); // shared groups only
    return items;
  }
  if (sequence->card() != frames)
  {
    problem = "NumberOfFrames is " + std::to_string(frames) + " but PerFrameFunctionalGroupsSequence holds " +
              std::to_string(sequence->card()) + " items (damaged header)";
    return {};
  }
  for (DcmObject * item = sequence->nextInContainer(nullptr); item != nullptr; item = sequence->nextInContainer(item))
    items.push_back(dynamic_cast<DcmItem *>(item));
  return items;
}

void ReadEnhancedFrames(DcmItem & ds, const std::shared_ptr<FileHeader> & file, HeaderReadResult & result)
{
  const std::vector<DcmItem *> perFrameItems = PerFrameItems(ds, file->numberOfFrames, result.skipReason);
  if (!result.skipReason.empty())
  {
    result.damaged = true;
    return;
  }
  DcmItem * shared = FirstSequenceItem(ds, DCM_SharedFunctionalGroupsSequence);
  DcmItem * firstFrame = perFrameItems.empty() ? nullptr : perFrameItems.front();
  ReadEnhancedSequenceAttributes(ds, shared, firstFrame, *file);
  for (unsigned f = 0; f < file->numberOfFrames; ++f)
  {
    DcmItem * perFrame = perFrameItems[f];
    FrameHeader frame;
    frame.file = file;
    frame.frameIndex = f;
    frame.rows = file->rows;
    frame.columns = file->columns;
    frame.frameType = file->imageType;
    frame.echoTimeMs = file->echoTimeMs;
    if (DcmItem * g = GroupItem(perFrame, shared, DCM_PlanePositionSequence))
      ReadGeometry(*g, frame);
    if (DcmItem * g = GroupItem(perFrame, shared, DCM_PlaneOrientationSequence))
      ReadGeometry(*g, frame);
    if (DcmItem * g = GroupItem(perFrame, shared, DCM_PixelMeasuresSequence))
      ReadGeometry(*g, frame);
    if (DcmItem * g = GroupItem(perFrame, shared, DCM_PixelValueTransformationSequence))
      ReadRescale(*g, frame);
    if (DcmItem * g = GroupItem(perFrame, shared, DCM_MRImageFrameTypeSequence))
    {
      const auto type = GetUpperValues(*g, DCM_FrameType);
      if (!type.empty())
        frame.frameType = type;
    }
    if (DcmItem * g = GroupItem(perFrame, shared, DCM_MREchoSequence))
      frame.echoTimeMs = GetNumber(*g, DCM_EffectiveEchoTime).value_or(frame.echoTimeMs);
    if (DcmItem * g = GroupItem(perFrame, shared, DCM_FrameContentSequence))
    {
      frame.temporalPosition =
        static_cast<int>(GetInteger(*g, DCM_TemporalPositionIndex, kIntMin, kIntMax).value_or(0));
    }
    if (DcmItem * g = GroupItem(perFrame, shared, DCM_MRDiffusionSequence))
    {
      ReadStandardDiffusion(*g, frame);
    }
    if (DcmItem * g = GroupItem(perFrame, shared, kPhilipsPrivateFrame))
    {
      if (auto v = GetNumbers(*g, kPhilipsScaleSlope, 4); !v.empty())
        frame.philipsScaleSlope = v.front();
      frame.echoNumber = static_cast<int>(GetInteger(*g, DCM_EchoNumbers, kIntMin, kIntMax).value_or(0));
    }
    frame.instanceNumber = static_cast<int>(GetInteger(ds, DCM_InstanceNumber, kIntMin, kIntMax).value_or(0));
    frame.acquisitionNumber = static_cast<int>(GetInteger(ds, DCM_AcquisitionNumber, kIntMin, kIntMax).value_or(0));
    CheckFrameValues(frame);
    result.frames.push_back(std::move(frame));
  }
}

std::array<double, 3> Cross(const std::array<double, 6> & o)
{
  return { o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3] };
}

/** Siemens mosaic: ImagePositionPatient is the corner of the whole tiled frame; each tile is a slice. */
void ExpandMosaic(const FrameHeader & whole, unsigned tiles, HeaderReadResult & result)
{
  const unsigned perRow = static_cast<unsigned>(std::ceil(std::sqrt(static_cast<double>(tiles))));
  const unsigned rows = whole.file->rows / perRow;
  const unsigned columns = whole.file->columns / perRow;
  std::array<double, 3> normal = Cross(*whole.orientation);
  if (whole.file->mosaicSliceNormal)
  {
    normal = *whole.file->mosaicSliceNormal;
  }
  const double spacing = whole.spacingBetweenSlices > 0 ? whole.spacingBetweenSlices : whole.sliceThickness;
  const auto & o = *whole.orientation;
  const auto & ps = *whole.pixelSpacing;
  const double shiftColumns = (whole.file->columns - columns) / 2.0 * ps[1];
  const double shiftRows = (whole.file->rows - rows) / 2.0 * ps[0];
  for (unsigned k = 0; k < tiles; ++k)
  {
    FrameHeader slice = whole;
    slice.rows = rows;
    slice.columns = columns;
    slice.mosaicTile = static_cast<int>(k);
    std::array<double, 3> p = *whole.position;
    for (int a = 0; a < 3; ++a)
    {
      p[a] += o[a] * shiftColumns + o[3 + a] * shiftRows + normal[a] * spacing * k;
    }
    slice.position = p;
    result.frames.push_back(std::move(slice));
  }
}

void ReadClassicFrame(DcmItem & ds, const std::shared_ptr<FileHeader> & file, HeaderReadResult & result)
{
  FrameHeader frame;
  frame.file = file;
  frame.rows = file->rows;
  frame.columns = file->columns;
  frame.frameType = file->imageType;
  frame.echoTimeMs = file->echoTimeMs;
  ReadGeometry(ds, frame);
  ReadRescale(ds, frame);
  frame.instanceNumber = static_cast<int>(GetInteger(ds, DCM_InstanceNumber, kIntMin, kIntMax).value_or(0));
  frame.acquisitionNumber = static_cast<int>(GetInteger(ds, DCM_AcquisitionNumber, kIntMin, kIntMax).value_or(0));
  frame.temporalPosition =
    static_cast<int>(GetInteger(ds, DCM_TemporalPositionIdentifier, kIntMin, kIntMax).value_or(0));
  frame.echoNumber = static_cast<int>(GetInteger(ds, DCM_EchoNumbers, kIntMin, kIntMax).value_or(0));
  if (auto v = GetNumbers(ds, kPhilipsScaleSlope, 4); !v.empty())
    frame.philipsScaleSlope = v.front();
  frame.philipsBValueNumber = static_cast<int>(GetInteger(ds, kPhilipsBValueNumber, kIntMin, kIntMax).value_or(0));
  frame.philipsGradientNumber = static_cast<int>(GetInteger(ds, kPhilipsGradientNumber, kIntMin, kIntMax).value_or(0));
  ReadDiffusion(ds, *file, frame);
  if (IsUihMosaic(*file))
  {
    result.skipReason = ExpandUihMosaic(ds, frame, result.frames);
    return;
  }

  CheckFrameValues(frame);

  const bool mosaic = std::find(file->imageType.begin(), file->imageType.end(), "MOSAIC") != file->imageType.end();
  if (mosaic && file->mosaicImages > 1)
  {
    result.skipReason = CheckMosaic(*file, file->mosaicImages);
    if (!result.skipReason.empty())
    {
      result.damaged = true;
      return;
    }
    if (frame.position && frame.orientation && frame.pixelSpacing)
    {
      ExpandMosaic(frame, file->mosaicImages, result);
      return;
    }
  }
  result.frames.push_back(std::move(frame));
}

void ReadSiemensCsa(DcmItem & ds, FileHeader & h)
{
  DcmElement * csa = nullptr;
  if (ds.findAndGetElement(kSiemensCsaImage, csa).bad() || csa == nullptr)
    return;
  Uint8 * bytes = nullptr;
  if (csa->getUint8Array(bytes).bad() || bytes == nullptr)
    return;
  const auto tags = ParseSiemensCsa(bytes, csa->getLength());
  if (auto it = tags.find("NumberOfImagesInMosaic"); it != tags.end() && !it->second.empty() && h.mosaicImages == 0)
  {
    const long count = std::strtol(it->second[0].c_str(), nullptr, 10);
    h.mosaicImages = count > 0 && count <= 1000000 ? static_cast<unsigned>(count) : 0u;
  }
  if (auto it = tags.find("SliceNormalVector"); it != tags.end() && it->second.size() == 3)
  {
    std::array<double, 3> n{};
    for (int a = 0; a < 3; ++a)
      n[a] = std::strtod(it->second[a].c_str(), nullptr);
    const double norm = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    if (std::isfinite(norm) && norm > 0.5)
    {
      for (auto & c : n)
        c /= norm;
      h.mosaicSliceNormal = n;
    }
  }
}
} // namespace

HeaderReadResult ReadFrameHeaders(const std::string & path, const std::string & displayPath)
{
  HeaderReadResult result;
  const auto skip = [&result](const std::string & reason, bool damaged)
  {
    result.frames.clear();
    result.skipReason = reason;
    result.damaged = damaged;
    return result;
  };
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec)
    return skip("cannot read file size: " + ec.message(), true);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return skip(std::string("cannot be opened: ") + std::strerror(errno), true);
  if (!LooksLikeDicom(in))
    return skip("not a DICOM file (no DICM marker, no DICOM header)", false);
  in.close();
  // DCMTK parses nested sequences recursively: a hostile nesting depth would overflow the stack. Walk it first.
  const StructureCheckResult structure = CheckDicomStructure(path);
  if (!structure.problem.empty())
    return skip("damaged DICOM structure: " + structure.problem, true);
  DcmFileFormat fileFormat;
  const OFCondition status =
    fileFormat.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, kMaxReadLength, ERM_autoDetect, DCM_PixelData);
  if (status.bad())
    return skip(std::string("unreadable DICOM header: ") + status.text(), true);
  DcmDataset & ds = *fileFormat.getDataset();
  auto file = std::make_shared<FileHeader>();
  file->path = path;
  file->displayPath = MakeValidUtf8(displayPath.empty() ? path : displayPath);
  file->fileSize = size;
  file->textProblem = detail::ConvertTextToUtf8(ds);
  ReadFileAttributes(ds, *file);
  CleanFileValues(*file);
  if (file->sopClassUid.empty())
  {
    file->sopClassUid = GetString(*fileFormat.getMetaInfo(), DCM_MediaStorageSOPClassUID);
  }
  if (file->sopClassUid == UID_MediaStorageDirectoryStorage)
    return skip("DICOMDIR (a directory object; its files are found by scanning)", false);
  const E_TransferSyntax xfer = ds.getOriginalXfer();
  const DcmXfer xferInfo(xfer);
  file->transferSyntaxUid = xferInfo.getXferID();
  if (const FileProblem problem = CheckFileHeader(*file, xferInfo.isEncapsulated(), structure); !problem.reason.empty())
  {
    const bool noImage = problem.reason.rfind("no image", 0) == 0;
    return skip(noImage ? "no image: " + UidName(file->sopClassUid) : problem.reason, problem.damaged);
  }
  file->enhanced =
    ds.tagExists(DCM_PerFrameFunctionalGroupsSequence) || ds.tagExists(DCM_SharedFunctionalGroupsSequence);
  if (!file->enhanced && file->numberOfFrames > 1)
    return skip("NumberOfFrames " + std::to_string(file->numberOfFrames) +
                  " without functional groups: a classic multi-frame layout this reader does not take apart",
                false);
  if (file->manufacturer.find("SIEMENS") != std::string::npos ||
      file->manufacturer.find("Siemens") != std::string::npos)
  {
    const auto count = GetNumbers(ds, kSiemensMosaicCount, 2);
    file->mosaicImages =
      count.empty() || !(count.front() > 0 && count.front() <= 1000000) ? 0u : static_cast<unsigned>(count.front());
    ReadSiemensCsa(ds, *file);
  }
  if (file->enhanced)
  {
    ReadEnhancedFrames(ds, file, result);
  }
  else
  {
    ReadClassicFrame(ds, file, result);
  }
  if (!result.skipReason.empty())
    result.frames.clear();
  return result;
}

} // namespace icanscan::dicom
