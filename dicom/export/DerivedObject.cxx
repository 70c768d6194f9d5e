#include "dicom/export/DerivedObject.h"

#include "core/Error.h"
#include "dicom/MrSeriesWriter.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmiod/cielabutil.h"
#include "dcmtk/oflog/oflog.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

namespace icanscan::dicom::detail
{
namespace
{
// Patient, Patient Study, Clinical Trial Subject, General Study and Clinical Trial Study attributes: a PACS files a
// derived object by these, so they must equal the source's.
const DcmTagKey kCopiedTags[] = {
  DCM_PatientName,
  DCM_PatientID,
  DCM_IssuerOfPatientID,
  DCM_IssuerOfPatientIDQualifiersSequence,
  DCM_PatientBirthDate,
  DCM_PatientBirthTime,
  DCM_PatientSex,
  DCM_OtherPatientIDsSequence,
  DCM_PatientAge,
  DCM_PatientSize,
  DCM_PatientWeight,
  DCM_ClinicalTrialSponsorName,
  DCM_ClinicalTrialProtocolID,
  DCM_ClinicalTrialProtocolName,
  DCM_ClinicalTrialSiteID,
  DCM_ClinicalTrialSiteName,
  DCM_ClinicalTrialSubjectID,
  DCM_ClinicalTrialSubjectReadingID,
  DCM_StudyInstanceUID,
  DCM_StudyDate,
  DCM_StudyTime,
  DCM_ReferringPhysicianName,
  DCM_StudyID,
  DCM_AccessionNumber,
  DCM_IssuerOfAccessionNumberSequence,
  DCM_StudyDescription,
  DCM_ClinicalTrialTimePointID,
  DCM_ClinicalTrialTimePointDescription,
};

// Type 2 attributes of the Patient and General Study modules: present (empty if unknown) in every object.
const DcmTagKey kRequiredTags[] = { DCM_PatientName,    DCM_PatientID, DCM_PatientBirthDate,       DCM_PatientSex,
                                    DCM_StudyDate,      DCM_StudyTime, DCM_ReferringPhysicianName, DCM_StudyID,
                                    DCM_AccessionNumber };
} // namespace

void Check(const OFCondition & condition, const std::string & what)
{
  if (condition.bad())
    throw OutputError(what + ": " + condition.text());
}

std::unique_ptr<DcmFileFormat> LoadSourceHeader(const std::string & file)
{
  // DCMTK's warnings (a VR check it cannot do for UTF-8, the pixel data skipped on purpose) are no user messages.
  static const bool quiet = []
  {
    OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
    return true;
  }();
  (void)quiet;
  auto format = std::make_unique<DcmFileFormat>();
  const OFCondition status =
    format->loadFileUntilTag(file.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect, DCM_PixelData);
  if (status.bad())
    throw InputError("cannot read the DICOM header of '" + file + "': " + status.text());
  const OFCondition converted = format->convertToUTF8();
  if (converted.bad())
    throw InputError("cannot convert the text of '" + file + "' to UTF-8 (SpecificCharacterSet): " + converted.text());
  return format;
}

void CopyStudyContext(DcmItem & source, DcmItem & target)
{
  for (const auto & tag : kCopiedTags)
  {
    DcmElement * element = nullptr;
    if (source.findAndGetElement(tag, element).good() && element)
      Check(target.insert(OFstatic_cast(DcmElement *, element->clone()), OFTrue),
            "copy " + std::string(DcmTag(tag).getTagName()));
    else
      target.findAndDeleteElement(tag);
  }
  for (const auto & tag : kRequiredTags)
    if (!target.tagExists(tag))
      Check(target.insertEmptyElement(tag), "insert " + std::string(DcmTag(tag).getTagName()));
  Check(target.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192"), "SpecificCharacterSet");
}

std::pair<std::string, std::string> NowDateTime()
{
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char date[16], time[16];
  std::strftime(date, sizeof(date), "%Y%m%d", &local);
  std::strftime(time, sizeof(time), "%H%M%S", &local);
  return { date, time };
}

void SetDerivedSeries(DcmItem & target, const DerivedSeries & series)
{
  const auto [date, time] = NowDateTime();
  Check(target.putAndInsertString(DCM_SeriesNumber, std::to_string(series.seriesNumber).c_str()), "SeriesNumber");
  Check(target.putAndInsertString(DCM_SeriesDescription, series.seriesDescription.c_str()), "SeriesDescription");
  Check(target.putAndInsertString(DCM_SeriesDate, date.c_str()), "SeriesDate");
  Check(target.putAndInsertString(DCM_SeriesTime, time.c_str()), "SeriesTime");
  Check(target.putAndInsertString(DCM_InstanceNumber, "1"), "InstanceNumber");
  Check(target.putAndInsertString(DCM_Manufacturer, kManufacturer), "Manufacturer");
  Check(target.putAndInsertString(DCM_ManufacturerModelName, kManufacturer), "ManufacturerModelName");
  Check(target.putAndInsertString(DCM_SoftwareVersions, series.softwareVersion.c_str()), "SoftwareVersions");
  Check(target.putAndInsertString(DCM_DeviceSerialNumber, (std::string("icanscan-") + series.softwareVersion).c_str()),
        "DeviceSerialNumber");
}

std::string NewUid()
{
  return MrSeriesWriter::GenerateUid();
}

std::string FormatDecimalString(double value)
{
  if (!std::isfinite(value))
    throw OutputError("cannot write " + std::to_string(value) + " as a DICOM decimal string");
  if (value == 0.0)
    return "0";
  for (int precision = 15; precision >= 1; --precision)
  {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general, precision);
    const std::string text(buffer, result.ptr);
    if (text.size() <= 16)
      return text;
  }
  throw OutputError("cannot write " + std::to_string(value) + " as a DICOM decimal string");
}

void SaveDataset(DcmDataset & dataset, const std::filesystem::path & file)
{
  DcmFileFormat format(&dataset);
  const OFCondition status = format.saveFile(file.string().c_str(), EXS_LittleEndianExplicit);
  if (status.bad())
    throw OutputError("cannot write DICOM file '" + file.string() + "': " + status.text());
}

std::array<std::uint16_t, 3> DicomLab(const std::array<std::uint8_t, 3> & rgb)
{
  double l = 0, a = 0, b = 0;
  IODCIELabUtil::rgb2DicomLab(l, a, b, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
  const auto clamp = [](double v) { return static_cast<std::uint16_t>(std::lround(std::clamp(v, 0.0, 65535.0))); };
  return { clamp(l), clamp(a), clamp(b) };
}

} // namespace icanscan::dicom::detail
