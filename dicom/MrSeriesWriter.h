#pragma once

#include "itkImage.h"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::dicom
{

/** \brief One more data element to write, e.g. a vendor's private tag: (group,element), VR and the value as DICOM text
 * (numbers as decimal strings, several values separated by a backslash). A private element needs its creator
 * element (gggg,00xx) LO too, given as another MrExtraElement before it. */
struct MrExtraElement
{
  unsigned short group = 0;
  unsigned short element = 0;
  std::string vr;    //!< two letters: "LO", "IS", "DS", "FL", "FD", "SS", "US", "CS", "SH", ...
  std::string value; //!< DICOM text form
};

/** \brief What to write into the headers of a synthetic MR series (see MrSeriesWriter).
 *
 * Defaults describe a 1.5 T T2-weighted spin echo. Strings are written as given (UTF-8; SpecificCharacterSet is set
 * to ISO_IR 192 when any of them is not ASCII). */
struct MrSeriesSpec
{
  std::string studyInstanceUid;  //!< generated when empty (then every Write call starts a new study)
  std::string seriesInstanceUid; //!< generated when empty; pass the same UID to several Write calls for one series
  /** FrameOfReferenceUID; when empty, one UID per StudyInstanceUID is generated and reused for the process lifetime,
   * so series of one study written by one process share their frame of reference. */
  std::string frameOfReferenceUid;
  int seriesNumber = 1;
  std::string seriesDescription;
  std::string protocolName;
  std::vector<std::string> imageType{ "ORIGINAL", "PRIMARY", "M", "ND" };
  std::string scanningSequence = "SE"; //!< (0018,0020), several values separated by a backslash: "SE\\IR"
  std::string sequenceVariant = "SK";  //!< (0018,0021)
  std::string sequenceName;
  std::string mrAcquisitionType = "2D";
  double repetitionTimeMs = 4000;
  double echoTimeMs = 90;
  double inversionTimeMs = 0; //!< 0 = InversionTime absent
  double flipAngleDeg = 90;
  double fieldStrengthT = 1.5;
  std::string manufacturer = "icanscan phantom";
  std::string patientName = "PHANTOM^DEMO";
  std::string patientId = "PHANTOM0001";
  std::string patientBirthDate = "19700101"; //!< DICOM date; empty: written empty (type 2)
  std::string patientAge;                    //!< PatientAge (0010,1010), e.g. "045Y"; empty: absent
  std::string manufacturerModelName = "MrSeriesWriter";
  std::optional<double> bValue;                  //!< s/mm², written as DiffusionBValue (0018,9087) FD
  std::optional<std::array<double, 3>> gradient; //!< LPS unit vector, DiffusionGradientOrientation (0018,9089) FD
  double sliceThickness = 0;                     //!< mm; 0 = use the image's slice spacing
  int firstInstanceNumber = 1;                   //!< InstanceNumber of slice 0; slice k gets firstInstanceNumber + k
  int acquisitionNumber = 1;
  bool storeAsSigned = false;                //!< int16 (PixelRepresentation 1) instead of uint16 storage
  std::vector<MrExtraElement> extraElements; //!< written last, in this order (they may replace standard ones)
};

/** \brief One file written by MrSeriesWriter. */
struct WrittenFile
{
  std::string path; //!< full path (UTF-8 bytes)
  std::string sopInstanceUid;
  unsigned slice = 0; //!< slice index k of the source image
};

/** \brief Writes an ITK float volume as a classic single-frame MR DICOM series (MR Image Storage, one file per slice,
 * Explicit VR Little Endian with a file meta header).
 *
 * Geometry follows the image exactly: ImagePositionPatient of slice k is the LPS position of voxel (0,0,k),
 * ImageOrientationPatient holds direction columns 0 and 1, PixelSpacing is (spacing[1], spacing[0]). The slice
 * normal of the files is row x column direction, so a reader that sorts by position along it returns the same volume
 * only for a right-handed direction matrix (det = +1). Used for the demo study and test fixtures. */
class MrSeriesWriter
{
public:
  using ImageType = itk::Image<float, 3>;

  /** Writes one file per slice into `folder` (created if needed) and returns them in slice order.
   *
   * Values are quantised to 16 bit: when they are all integers that fit the stored type they are stored as is
   * (slope 1, intercept 0); otherwise RescaleSlope/RescaleIntercept are chosen from the value range so every value
   * is reproduced within slope/2 (one slope per call, the same in every file). File names are `fileNamePattern`
   * with "{n}" replaced by the InstanceNumber, so two calls for one series (firstInstanceNumber continuing) do not
   * collide; names may lack an extension and contain spaces or non-ASCII characters. Existing files of the same
   * name are overwritten.
   *
   * Throws InputError for a null or empty image, non-finite voxels or a slice larger than 65535 pixels per side;
   * OutputError naming the file or folder when it cannot be created or written, or when the pattern lacks "{n}"
   * and the image has more than one slice. A file that failed half way is removed. */
  static std::vector<WrittenFile> Write(const ImageType * image,
                                        const MrSeriesSpec & spec,
                                        const std::filesystem::path & folder,
                                        const std::string & fileNamePattern = "IM_{n}");

  /** A new globally unique DICOM UID (DCMTK's generator under its site root), for callers that must share UIDs
   * between Write calls without including DCMTK. */
  static std::string GenerateUid();
};

} // namespace icanscan::dicom
