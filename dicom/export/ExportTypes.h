#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::dicom
{

/** \brief A coded concept as DICOM writes it (Code Sequence Macro): code value, coding scheme designator, code
 * meaning. Standard codes come from PS3.16 (SCT, DCM, UCUM); "99ICANSCAN" is icanscan's private scheme. */
struct CodedConcept
{
  // Code Value is SH (at most 16 characters), Code Meaning LO (at most 64).
  std::string value;   //!< e.g. "42695009"
  std::string scheme;  //!< e.g. "SCT"
  std::string meaning; //!< e.g. "Thalamus"
};

/** \brief One stored image, or one frame of a multi-frame image, as another object references it. */
struct ImageReference
{
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string sopClassUid;
  std::string sopInstanceUid;
  unsigned frameNumber = 0; //!< 1-based frame of a multi-frame object; 0 for a single-frame image
};

/** \brief The source series the derived objects are made from: the grid of a segmentation and the images its frames
 * and measurements refer to, as plain data (the caller reads it from its index; nothing here opens the images). */
struct SourceSeries
{
  /** A file of the series: the Patient, General Study and Frame of Reference attributes of the derived objects are
   * copied from its header. */
  std::string headerFile;
  unsigned rows = 0;
  unsigned columns = 0;
  std::array<double, 6> orientation{};  //!< ImageOrientationPatient: row then column direction cosines (LPS)
  std::array<double, 2> pixelSpacing{}; //!< PixelSpacing: between rows, then between columns (mm)
  double sliceThickness = 0.0;          //!< mm
  double sliceSpacing = 0.0;            //!< mm between slice centres
  std::vector<ImageReference> slices;   //!< the image of slice k, in grid order (ascending along the slice normal)
  std::vector<std::array<double, 3>> positions; //!< ImagePositionPatient of slice k (LPS, mm)
};

/** \brief Series-level description of one derived object (new series in the source's study). */
struct DerivedSeries
{
  int seriesNumber = 0;
  std::string seriesDescription; //!< e.g. "icanscan segmentation (automatic, needs review)"
  std::string softwareVersion;   //!< icanscan's version, written as SoftwareVersions and algorithm version
};

/** \brief What was written: enough to reference the object from another one. */
struct WrittenObject
{
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string sopClassUid;
  std::string sopInstanceUid;
  unsigned frames = 0; //!< number of frames (multi-frame objects), else 0
};

/** \brief The voxels of one label volume on the source grid: index x + columns * (y + rows * k), with x the column,
 * y the row and k the slice of SourceSeries::slices. */
struct LabelVolume
{
  std::vector<std::uint8_t> voxels;
};

/** \brief One segment of a DICOM Segmentation: what it is (PS3.16 codes), how it is shown, and which voxels. */
struct SegmentDefinition
{
  std::string label;                          //!< SegmentLabel, at most 64 characters, e.g. "Thalamus left"
  std::string description;                    //!< SegmentDescription (may be empty)
  std::string trackingId;                     //!< TrackingID, also the SR measurement group's tracking identifier
  CodedConcept category;                      //!< Segmented Property Category (CID 7150)
  CodedConcept type;                          //!< Segmented Property Type (CID 7151)
  std::optional<CodedConcept> typeModifier;   //!< e.g. laterality (CID 244)
  std::optional<CodedConcept> anatomicRegion; //!< where a finding lies, e.g. Brain for a lesion class
  std::array<std::uint8_t, 3> rgb{ { 255, 255, 255 } }; //!< display colour (sRGB), written as CIELab
  std::size_t volume = 0;                               //!< index of the LabelVolume holding the segment
  std::uint8_t value = 1; //!< voxels of that volume equal to this value belong to the segment (> 0)
};

/** \brief Everything a segmentation object holds besides the source series. */
struct SegmentationContent
{
  std::vector<LabelVolume> volumes;
  std::vector<SegmentDefinition> segments;
  std::string algorithmName; //!< SegmentAlgorithmName, e.g. "icanscan"
};

/** \brief A written segmentation: its identity and, per segment in the order given, its number and tracking UID. */
struct WrittenSegmentation : WrittenObject
{
  std::vector<std::uint16_t> segmentNumbers;
  std::vector<std::string> trackingUids;
};

/** \brief One numeric measurement of a TID 1500 measurement group (TID 1419 row "Measurement"). */
struct NumericMeasurement
{
  CodedConcept concept;                   //!< CID 7469, e.g. Volume, Apparent Diffusion Coefficient
  std::optional<CodedConcept> derivation; //!< CID 7464, e.g. Mean
  std::optional<double> value;            //!< nullopt: not assessable (NUM with "Measurement not attempted")
  CodedConcept unit;                      //!< UCUM, CID 7181
};

/** \brief A qualitative evaluation (TID 1500 / TID 1411 row "Qualitative Evaluations"): a coded value, or a text
 * when `code` is empty. */
struct QualitativeEvaluation
{
  CodedConcept concept;
  std::optional<CodedConcept> code;
  std::string text;
};

/** \brief One TID 1411 volumetric ROI measurement group, about one segment of the segmentation. */
struct MeasurementGroup
{
  std::string trackingId;
  std::size_t segment = 0; //!< index into SegmentationContent::segments / WrittenSegmentation
  CodedConcept finding;
  CodedConcept findingSite;
  std::optional<CodedConcept> laterality;
  std::vector<NumericMeasurement> measurements;
  std::vector<QualitativeEvaluation> evaluations; //!< about this segment, e.g. involvement
};

/** \brief The content of a TID 1500 measurement report besides the source series and the segmentation. */
struct MeasurementReportContent
{
  std::vector<MeasurementGroup> groups;
  std::vector<QualitativeEvaluation> evaluations; //!< report-level, in order
  std::string deviceName;                         //!< observer device (TID 1004), e.g. "icanscan"
};

/** \brief One key image: 8-bit RGB pixels, row by row, 3 bytes per pixel. */
struct RgbFrame
{
  unsigned columns = 0;
  unsigned rows = 0;
  std::vector<std::uint8_t> rgb;
  std::string title;              //!< e.g. "Finding 1: t2flair hyperintensity, thalamus (bilateral)"
  std::string patientOrientation; //!< PatientOrientation of the screen axes, e.g. "L\\P" (may be empty)
};

/** \brief What a Key Object Selection document points at, with its description. */
struct KeyObjectContent
{
  std::string description; //!< Key Object Description (TEXT)
  std::vector<ImageReference> images;
};

} // namespace icanscan::dicom
