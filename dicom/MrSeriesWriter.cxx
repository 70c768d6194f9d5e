#include "dicom/MrSeriesWriter.h"

#include "core/Error.h"
#include "core/TextFormat.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <system_error>

namespace icanscan::dicom
{
namespace
{

using Vec3 = std::array<double, 3>;

/** Slope and intercept as written (already parsed back from their DS text) and the stored value range. */
struct Quantisation
{
  double slope = 1.0;
  double intercept = 0.0;
  std::string slopeText = "1";
  std::string interceptText = "0";
  double low = 0.0;
  double high = 65535.0;
};

/** Formats a decimal string (DS) value in at most 16 characters, as precise as that allows, locale independent. */
std::string FormatDs(double value)
{
  if (value == 0.0)
  {
    return "0";
  }
  for (int precision = 15; precision >= 4; --precision)
  {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general, precision);
    const std::string text(buffer, result.ptr);
    if (text.size() <= 16)
    {
      return text;
    }
  }
  throw InputError("MrSeriesWriter: value " + std::to_string(value) + " cannot be written as a DICOM DS");
}

double ParseDs(const std::string & text)
{
  double value = 0.0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string FormatDsArray(const double * values, std::size_t count)
{
  std::string text;
  for (std::size_t i = 0; i < count; ++i)
  {
    text += (i == 0 ? "" : "\\") + FormatDs(values[i]);
  }
  return text;
}

/** A UUID-derived UID ("2.25." + a random integer below 2^128, DICOM PS3.5 B.2). DCMTK's generator asks the
 * resolver for the host id, which stalls for seconds per UID on machines whose hostname does not resolve. */
std::string NewUid()
{
  static std::mutex mutex;
  static std::mt19937_64 engine{
    std::random_device{}() ^ static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())
  };
  std::lock_guard<std::mutex> lock(mutex);
  std::uniform_int_distribution<int> digit(0, 9);
  std::string uid = "2.25." + std::to_string(1 + digit(engine) % 9);
  for (int i = 0; i < 37; ++i) // 38 digits: always below 2^128 (about 3.4e38)
    uid += static_cast<char>('0' + digit(engine));
  return uid;
}

/** Date and time of the first Write call in this process: every series written by one process shares its study date
 * and time, as the series of one real study do. */
const std::pair<std::string, std::string> & StudyStamp()
{
  static const std::pair<std::string, std::string> stamp = []
  {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char date[16];
    char time[16];
    std::strftime(date, sizeof(date), "%Y%m%d", &local);
    std::strftime(time, sizeof(time), "%H%M%S", &local);
    return std::make_pair(std::string(date), std::string(time));
  }();
  return stamp;
}

std::string SeriesTimeNow()
{
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char time[16];
  std::strftime(time, sizeof(time), "%H%M%S", &local);
  return time;
}

std::string FrameOfReferenceFor(const std::string & studyUid)
{
  static std::mutex mutex;
  static std::map<std::string, std::string> uids;
  const std::lock_guard<std::mutex> lock(mutex);
  auto & uid = uids[studyUid];
  if (uid.empty())
  {
    uid = NewUid();
  }
  return uid;
}

bool IsAscii(const std::string & text)
{
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

Quantisation ChooseQuantisation(double minimum, double maximum, bool allIntegers, bool storeAsSigned)
{
  Quantisation q;
  q.low = storeAsSigned ? -32768.0 : 0.0;
  q.high = storeAsSigned ? 32767.0 : 65535.0;
  if (allIntegers && minimum >= q.low && maximum <= q.high)
  {
    return q;
  }
  const double range = maximum - minimum;
  double slope = 1.0;
  double intercept = minimum;
  if (range > 0.0)
  {
    // One code of margin on each side absorbs the rounding of slope and intercept to their DS text.
    slope = range / (q.high - q.low - 2.0);
    intercept = minimum - (q.low + 1.0) * slope;
  }
  q.slopeText = FormatDs(slope);
  q.interceptText = FormatDs(intercept);
  // Quantise with the values a reader will parse, so the round trip error is bounded by slope/2 exactly.
  q.slope = ParseDs(q.slopeText);
  q.intercept = ParseDs(q.interceptText);
  return q;
}

std::string FileNameFor(const std::string & pattern, int instanceNumber)
{
  static const std::string placeholder = "{n}";
  std::string name = pattern;
  const std::string number = std::to_string(instanceNumber);
  for (auto pos = name.find(placeholder); pos != std::string::npos; pos = name.find(placeholder, pos + number.size()))
  {
    name.replace(pos, placeholder.size(), number);
  }
  return name;
}

void Check(const OFCondition & condition, const std::string & what)
{
  if (condition.bad())
  {
    throw OutputError("MrSeriesWriter: cannot set " + what + ": " + condition.text());
  }
}

void PutString(DcmDataset & dataset, const DcmTagKey & key, const std::string & value, const char * name)
{
  Check(dataset.putAndInsertString(DcmTag(key), value.c_str()), name);
}

Vec3 Cross(const Vec3 & a, const Vec3 & b)
{
  return { a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0] };
}

/** Attributes that are the same in every file of one Write call. */
void PutSeriesAttributes(DcmDataset & ds,
                         const MrSeriesSpec & spec,
                         const std::string & studyUid,
                         const std::string & seriesUid,
                         const std::string & frameUid,
                         const std::string & seriesTime)
{
  const auto & stamp = StudyStamp();
  const bool ascii = IsAscii(spec.seriesDescription) && IsAscii(spec.protocolName) && IsAscii(spec.manufacturer) &&
                     IsAscii(spec.patientName) && IsAscii(spec.patientId) && IsAscii(spec.sequenceName);
  if (!ascii)
  {
    PutString(ds, DCM_SpecificCharacterSet, "ISO_IR 192", "SpecificCharacterSet");
  }
  PutString(ds, DCM_ImageType, Join(spec.imageType, "\\"), "ImageType");
  PutString(ds, DCM_SOPClassUID, UID_MRImageStorage, "SOPClassUID");
  PutString(ds, DCM_StudyDate, stamp.first, "StudyDate");
  PutString(ds, DCM_SeriesDate, stamp.first, "SeriesDate");
  PutString(ds, DCM_AcquisitionDate, stamp.first, "AcquisitionDate");
  PutString(ds, DCM_ContentDate, stamp.first, "ContentDate");
  PutString(ds, DCM_StudyTime, stamp.second, "StudyTime");
  PutString(ds, DCM_SeriesTime, seriesTime, "SeriesTime");
  PutString(ds, DCM_AcquisitionTime, seriesTime, "AcquisitionTime");
  PutString(ds, DCM_ContentTime, seriesTime, "ContentTime");
  PutString(ds, DCM_AccessionNumber, "", "AccessionNumber");
  PutString(ds, DCM_Modality, "MR", "Modality");
  PutString(ds, DCM_Manufacturer, spec.manufacturer, "Manufacturer");
  PutString(ds, DCM_ReferringPhysicianName, "", "ReferringPhysicianName");
  PutString(ds, DCM_StudyDescription, "icanscan synthetic study", "StudyDescription");
  PutString(ds, DCM_SeriesDescription, spec.seriesDescription, "SeriesDescription");
  PutString(ds, DCM_ManufacturerModelName, spec.manufacturerModelName, "ManufacturerModelName");
  PutString(ds, DCM_PatientName, spec.patientName, "PatientName");
  PutString(ds, DCM_PatientID, spec.patientId, "PatientID");
  PutString(ds, DCM_PatientBirthDate, spec.patientBirthDate, "PatientBirthDate");
  if (!spec.patientAge.empty())
  {
    PutString(ds, DCM_PatientAge, spec.patientAge, "PatientAge");
  }
  PutString(ds, DCM_PatientSex, "O", "PatientSex");
  PutString(ds, DCM_ScanningSequence, spec.scanningSequence, "ScanningSequence");
  PutString(ds, DCM_SequenceVariant, spec.sequenceVariant, "SequenceVariant");
  PutString(ds, DCM_ScanOptions, "", "ScanOptions");
  PutString(ds, DCM_MRAcquisitionType, spec.mrAcquisitionType, "MRAcquisitionType");
  PutString(ds, DCM_SequenceName, spec.sequenceName, "SequenceName");
  PutString(ds, DCM_RepetitionTime, FormatDs(spec.repetitionTimeMs), "RepetitionTime");
  PutString(ds, DCM_EchoTime, FormatDs(spec.echoTimeMs), "EchoTime");
  if (spec.inversionTimeMs > 0.0)
  {
    PutString(ds, DCM_InversionTime, FormatDs(spec.inversionTimeMs), "InversionTime");
  }
  PutString(ds, DCM_NumberOfAverages, "1", "NumberOfAverages");
  PutString(ds, DCM_ImagingFrequency, FormatDs(42.577478518 * spec.fieldStrengthT), "ImagingFrequency");
  PutString(ds, DCM_ImagedNucleus, "1H", "ImagedNucleus");
  PutString(ds, DCM_EchoNumbers, "1", "EchoNumbers");
  PutString(ds, DCM_MagneticFieldStrength, FormatDs(spec.fieldStrengthT), "MagneticFieldStrength");
  PutString(ds, DCM_EchoTrainLength, "", "EchoTrainLength");
  PutString(ds, DCM_SoftwareVersions, "icanscan", "SoftwareVersions");
  PutString(ds, DCM_ProtocolName, spec.protocolName, "ProtocolName");
  PutString(ds, DCM_FlipAngle, FormatDs(spec.flipAngleDeg), "FlipAngle");
  PutString(ds, DCM_PatientPosition, "HFS", "PatientPosition");
  PutString(ds, DCM_StudyInstanceUID, studyUid, "StudyInstanceUID");
  PutString(ds, DCM_SeriesInstanceUID, seriesUid, "SeriesInstanceUID");
  PutString(ds, DCM_StudyID, "1", "StudyID");
  PutString(ds, DCM_SeriesNumber, std::to_string(spec.seriesNumber), "SeriesNumber");
  PutString(ds, DCM_AcquisitionNumber, std::to_string(spec.acquisitionNumber), "AcquisitionNumber");
  PutString(ds, DCM_FrameOfReferenceUID, frameUid, "FrameOfReferenceUID");
  PutString(ds, DCM_PositionReferenceIndicator, "", "PositionReferenceIndicator");
  if (spec.bValue)
  {
    Check(ds.putAndInsertFloat64(DCM_DiffusionBValue, *spec.bValue), "DiffusionBValue");
  }
  if (spec.gradient)
  {
    Check(ds.putAndInsertFloat64Array(DCM_DiffusionGradientOrientation, spec.gradient->data(), 3),
          "DiffusionGradientOrientation");
  }
  for (const auto & extra : spec.extraElements)
  {
    const DcmVR vr(extra.vr.c_str());
    if (extra.vr.size() != 2 || vr.getEVR() == EVR_UNKNOWN || vr.getEVR() == EVR_SQ)
    {
      throw OutputError("MrSeriesWriter: extra element (" + std::to_string(extra.group) + "," +
                        std::to_string(extra.element) + ") has an unsupported VR '" + extra.vr + "'");
    }
    Check(ds.putAndInsertString(DcmTag(extra.group, extra.element, vr), extra.value.c_str()),
          "extra element " + extra.vr + " '" + extra.value + "'");
  }
}

} // namespace

std::string MrSeriesWriter::GenerateUid()
{
  return NewUid();
}

std::vector<WrittenFile> MrSeriesWriter::Write(const ImageType * image,
                                               const MrSeriesSpec & spec,
                                               const std::filesystem::path & folder,
                                               const std::string & fileNamePattern)
{
  if (image == nullptr)
  {
    throw InputError("MrSeriesWriter: no image given for series " + std::to_string(spec.seriesNumber));
  }
  const auto region = image->GetBufferedRegion();
  const auto size = region.GetSize();
  const std::size_t nx = size[0];
  const std::size_t ny = size[1];
  const std::size_t nz = size[2];
  if (nx == 0 || ny == 0 || nz == 0 || nx > 65535 || ny > 65535)
  {
    throw InputError("MrSeriesWriter: image size " + std::to_string(nx) + "x" + std::to_string(ny) + "x" +
                     std::to_string(nz) + " of series " + std::to_string(spec.seriesNumber) +
                     " cannot be written; expected 1..65535 columns and rows and at least one slice");
  }
  if (fileNamePattern.find('/') != std::string::npos || (nz > 1 && fileNamePattern.find("{n}") == std::string::npos))
  {
    throw OutputError("MrSeriesWriter: file name pattern '" + fileNamePattern +
                      "' must contain \"{n}\" (the image has several slices) and no '/'");
  }

  const float * buffer = image->GetBufferPointer();
  const std::size_t voxelCount = nx * ny * nz;
  double minimum = buffer[0];
  double maximum = buffer[0];
  bool allIntegers = true;
  for (std::size_t n = 0; n < voxelCount; ++n)
  {
    const double v = buffer[n];
    if (!std::isfinite(v))
    {
      throw InputError("MrSeriesWriter: voxel " + std::to_string(n) + " of series " +
                       std::to_string(spec.seriesNumber) + " is not finite; cannot quantise it to 16 bit");
    }
    minimum = std::min(minimum, v);
    maximum = std::max(maximum, v);
    allIntegers = allIntegers && std::nearbyint(v) == v;
  }
  const Quantisation q = ChooseQuantisation(minimum, maximum, allIntegers, spec.storeAsSigned);

  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec || !std::filesystem::is_directory(folder))
  {
    throw OutputError("MrSeriesWriter: cannot create folder '" + folder.string() + "': " + ec.message());
  }

  const std::string studyUid = spec.studyInstanceUid.empty() ? NewUid() : spec.studyInstanceUid;
  const std::string seriesUid = spec.seriesInstanceUid.empty() ? NewUid() : spec.seriesInstanceUid;
  const std::string frameUid =
    spec.frameOfReferenceUid.empty() ? FrameOfReferenceFor(studyUid) : spec.frameOfReferenceUid;
  const std::string seriesTime = SeriesTimeNow();

  const auto & spacing = image->GetSpacing();
  const auto & direction = image->GetDirection();
  const Vec3 rowDir{ direction[0][0], direction[1][0], direction[2][0] };
  const Vec3 colDir{ direction[0][1], direction[1][1], direction[2][1] };
  const Vec3 normal = Cross(rowDir, colDir);
  const double orientation[6] = { rowDir[0], rowDir[1], rowDir[2], colDir[0], colDir[1], colDir[2] };
  const double pixelSpacing[2] = { spacing[1], spacing[0] };
  const double thickness = spec.sliceThickness > 0.0 ? spec.sliceThickness : spacing[2];
  const double center = 0.5 * (minimum + maximum);
  const double width = std::max(maximum - minimum, 1.0);

  std::vector<WrittenFile> written;
  written.reserve(nz);
  std::vector<Uint16> pixels(nx * ny);
  for (std::size_t k = 0; k < nz; ++k)
  {
    const int instanceNumber = spec.firstInstanceNumber + static_cast<int>(k);
    const std::filesystem::path path = folder / FileNameFor(fileNamePattern, instanceNumber);

    auto index = region.GetIndex();
    index[2] += static_cast<itk::IndexValueType>(k);
    ImageType::PointType corner;
    image->TransformIndexToPhysicalPoint(index, corner);
    const double position[3] = { corner[0], corner[1], corner[2] };
    const double sliceLocation = position[0] * normal[0] + position[1] * normal[1] + position[2] * normal[2];

    const float * slice = buffer + k * nx * ny;
    for (std::size_t n = 0; n < nx * ny; ++n)
    {
      const double stored = std::clamp(std::nearbyint((slice[n] - q.intercept) / q.slope), q.low, q.high);
      pixels[n] = static_cast<Uint16>(static_cast<std::int32_t>(stored) & 0xFFFF); // two's complement when signed
    }

    const std::string sopUid = NewUid();
    DcmFileFormat file;
    DcmDataset & ds = *file.getDataset();
    PutSeriesAttributes(ds, spec, studyUid, seriesUid, frameUid, seriesTime);
    PutString(ds, DCM_SOPInstanceUID, sopUid, "SOPInstanceUID");
    PutString(ds, DCM_InstanceNumber, std::to_string(instanceNumber), "InstanceNumber");
    PutString(ds, DCM_SliceThickness, FormatDs(thickness), "SliceThickness");
    PutString(ds, DCM_SpacingBetweenSlices, FormatDs(spacing[2]), "SpacingBetweenSlices");
    PutString(ds, DCM_ImagePositionPatient, FormatDsArray(position, 3), "ImagePositionPatient");
    PutString(ds, DCM_ImageOrientationPatient, FormatDsArray(orientation, 6), "ImageOrientationPatient");
    PutString(ds, DCM_SliceLocation, FormatDs(sliceLocation), "SliceLocation");
    Check(ds.putAndInsertUint16(DCM_SamplesPerPixel, 1), "SamplesPerPixel");
    PutString(ds, DCM_PhotometricInterpretation, "MONOCHROME2", "PhotometricInterpretation");
    Check(ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(ny)), "Rows");
    Check(ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(nx)), "Columns");
    PutString(ds, DCM_PixelSpacing, FormatDsArray(pixelSpacing, 2), "PixelSpacing");
    Check(ds.putAndInsertUint16(DCM_BitsAllocated, 16), "BitsAllocated");
    Check(ds.putAndInsertUint16(DCM_BitsStored, 16), "BitsStored");
    Check(ds.putAndInsertUint16(DCM_HighBit, 15), "HighBit");
    Check(ds.putAndInsertUint16(DCM_PixelRepresentation, spec.storeAsSigned ? 1 : 0), "PixelRepresentation");
    PutString(ds, DCM_WindowCenter, FormatDs(center), "WindowCenter");
    PutString(ds, DCM_WindowWidth, FormatDs(width), "WindowWidth");
    PutString(ds, DCM_RescaleIntercept, q.interceptText, "RescaleIntercept");
    PutString(ds, DCM_RescaleSlope, q.slopeText, "RescaleSlope");
    PutString(ds, DCM_RescaleType, "US", "RescaleType");
    Check(ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size())),
          "PixelData");

    const OFCondition status = file.saveFile(path.c_str(), EXS_LittleEndianExplicit);
    if (status.bad())
    {
      std::filesystem::remove(path, ec);
      throw OutputError("MrSeriesWriter: cannot write DICOM file '" + path.string() + "': " + status.text());
    }
    written.push_back({ path.string(), sopUid, static_cast<unsigned>(k) });
  }
  return written;
}

} // namespace icanscan::dicom
