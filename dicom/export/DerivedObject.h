#pragma once

// Internal to icanscan_dicom: what every derived object (SEG, SR, SC, KOS) shares. DCMTK types stay inside dicom/.

#include "dicom/export/ExportTypes.h"

#include "dcmtk/dcmdata/dcdatset.h"
#include "dcmtk/dcmdata/dcfilefo.h"

#include <filesystem>
#include <memory>
#include <string>

namespace icanscan::dicom::detail
{

/** icanscan's private coding scheme designator (PS3.3 8.2: private schemes begin with "99"). */
constexpr const char * kPrivateScheme = "99ICANSCAN";
constexpr const char * kManufacturer = "icanscan";

/** Throws OutputError "what: condition text" when `condition` is bad. */
void Check(const OFCondition & condition, const std::string & what);

/** The header (up to the pixel data) of a source file, its text converted to UTF-8; throws InputError naming the
 * file when it cannot be read or converted. */
std::unique_ptr<DcmFileFormat> LoadSourceHeader(const std::string & file);

/** Copies the Patient, Patient Study, Clinical Trial Subject/Study and General Study attributes of `source` into
 * `target` (replacing), the type 2 ones empty when the source lacks them; sets SpecificCharacterSet to UTF-8. */
void CopyStudyContext(DcmItem & source, DcmItem & target);

/** Series number and description, equipment (manufacturer, model, software version, serial), series and content
 * date and time (now), InstanceNumber 1. */
void SetDerivedSeries(DcmItem & target, const DerivedSeries & series);

/** A new DICOM UID. */
std::string NewUid();

/** `value` as a DICOM decimal string (at most 16 characters, as many significant digits as fit). */
std::string FormatDecimalString(double value);

/** Writes `dataset` to `file` with a file meta header, Explicit VR Little Endian; throws OutputError naming it. */
void SaveDataset(DcmDataset & dataset, const std::filesystem::path & file);

/** DICOM CIELab (0..65535 each) of an sRGB colour. */
std::array<std::uint16_t, 3> DicomLab(const std::array<std::uint8_t, 3> & rgb);

/** Current date (YYYYMMDD) and time (HHMMSS). */
std::pair<std::string, std::string> NowDateTime();

} // namespace icanscan::dicom::detail
