#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::dicom
{

/** \brief Attributes shared by all frames of one DICOM file (header only, read before the pixel data). */
struct FileHeader
{
  std::string path;        //!< file path as found on disk (bytes as the file system gives them)
  std::string displayPath; //!< the path relative to the study folder, valid UTF-8: what messages and outputs name
  std::string transferSyntaxUid;
  std::string sopClassUid;
  std::string sopInstanceUid;
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  int seriesNumber = 0;
  std::string seriesDescription;
  std::string protocolName;
  std::string modality;
  std::string manufacturer;
  std::string manufacturerModel;
  std::string softwareVersions;
  std::string sequenceName;
  std::string scanningSequence; //!< (0018,0020), e.g. "SE", "IR", "GR", "EP"; backslashes kept
  std::string sequenceVariant;  //!< (0018,0021), e.g. "SK\SP"
  std::string scanOptions;
  std::string mrAcquisitionType; //!< "2D" or "3D"
  std::string patientPosition;
  std::string studyDate;
  /** Patient identifiers: only written to outputs with --keep-identifiers. */
  std::string patientName;
  std::string patientId;
  std::string patientBirthDate;
  std::string seriesTime;
  std::vector<std::string> imageType; //!< (0008,0008) values, upper case
  double repetitionTimeMs = 0.0;
  double echoTimeMs = 0.0;
  double inversionTimeMs = 0.0;
  double flipAngleDeg = 0.0;
  double fieldStrengthT = 0.0;
  unsigned rows = 0;
  unsigned columns = 0;
  unsigned bitsAllocated = 0;
  unsigned bitsStored = 0;
  unsigned pixelRepresentation = 0; //!< 0 unsigned, 1 two's complement
  unsigned samplesPerPixel = 1;
  unsigned numberOfFrames = 1;
  std::string photometricInterpretation;
  bool enhanced = false;     //!< enhanced multi-frame object with functional groups
  unsigned mosaicImages = 0; //!< Siemens mosaic: number of slices tiled in the frame (0 = not a mosaic)
  std::optional<std::array<double, 3>> mosaicSliceNormal; //!< Siemens CSA SliceNormalVector (LPS)
  std::uint64_t fileSize = 0;
  std::string textProblem; //!< why the texts could not be converted from their SpecificCharacterSet; empty when fine
};

/** \brief One 2D image (a classic file, a frame of an enhanced object, or a whole Siemens mosaic). */
struct FrameHeader
{
  std::shared_ptr<const FileHeader> file;
  unsigned frameIndex = 0; //!< 0-based frame number inside the file

  std::optional<std::array<double, 3>> position;     //!< ImagePositionPatient, mm, LPS
  std::optional<std::array<double, 6>> orientation;  //!< ImageOrientationPatient: row then column direction cosines
  std::optional<std::array<double, 2>> pixelSpacing; //!< PixelSpacing: row spacing (between rows), column spacing
  double sliceThickness = 0.0;
  double spacingBetweenSlices = 0.0;
  double rescaleSlope = 1.0;
  double rescaleIntercept = 0.0;
  double philipsScaleSlope = 0.0; //!< Philips (2005,100E); 0 when absent

  std::optional<double> bValue;                  //!< s/mm²
  std::optional<std::array<double, 3>> gradient; //!< unit vector in LPS patient coordinates
  std::string diffusionSource;                   //!< which tags gave b and gradient

  int instanceNumber = 0;
  int acquisitionNumber = 0;
  int temporalPosition = 0;
  int echoNumber = 0;
  double echoTimeMs = 0.0;            //!< per-frame echo time (enhanced); else the file's
  int philipsGradientNumber = 0;      //!< (2005,1413)
  int philipsBValueNumber = 0;        //!< (2005,1412)
  std::vector<std::string> frameType; //!< enhanced FrameType, or the file's ImageType
  unsigned rows = 0;                  //!< this 2D image's size (a mosaic tile's size for mosaics)
  unsigned columns = 0;
  int mosaicTile = -1; //!< Siemens mosaic: which tile of the frame holds this slice; -1 otherwise

  /** Values found but unusable (not finite, not positive, not unit vectors...), e.g. "PixelSpacing -0.9\\0.9 is
   * not positive"; the value itself is left unset. A set holding such a frame is rejected with these reasons. */
  std::vector<std::string> valueProblems;
};

/** \brief What reading one file's header produced: its frames, or why it is not an image for us. */
struct HeaderReadResult
{
  std::vector<FrameHeader> frames;
  std::string skipReason; //!< non-empty when the file is skipped (not DICOM, not an image, unreadable)
  bool damaged = false;   //!< skipped because it is damaged (truncated, inconsistent sizes, undecodable structure),
                          //!< not because it is something other than an image
};

} // namespace icanscan::dicom
