#pragma once

#include "dicom/MrSeriesWriter.h"
#include "dicom/StudyIndex.h"

#include "itkImage.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::test
{

using FixtureImage = itk::Image<float, 3>;
/** Row-major 3x3 matrix whose columns are the row direction, column direction and slice normal (as in VolumeSet). */
using Direction = std::array<double, 9>;

/** A new empty folder under std::filesystem::temp_directory_path(), unique per call and process; `name` (spaces and
 * non-ASCII allowed) is part of the folder name. */
std::filesystem::path MakeTempDir(const std::string & name);

/** Removes a folder made by MakeTempDir, unless the environment sets ICANSCAN_KEEP_TEMP (for debugging). */
void RemoveTempDir(const std::filesystem::path & folder);

Direction IdentityDirection();

/** Right-handed rotation Rz * Ry * Rx with angles in degrees. */
Direction RotationDirection(double xDeg, double yDeg, double zDeg);

/** An image with a smooth, non-integer pattern that differs along every axis (so swapped or flipped axes and
 * misordered slices are detected) plus `offset`. */
FixtureImage::Pointer MakeTestVolume(unsigned nx,
                                     unsigned ny,
                                     unsigned nz,
                                     const std::array<double, 3> & spacing,
                                     const Direction & direction,
                                     const std::array<double, 3> & origin = { -101.5, 80.25, -32.0 },
                                     double offset = 0.0);

/** A T2-like spec (SE, TR 4000, TE 90) with a neutral description and fresh study/series UIDs, so that several
 * Write calls with it form one series. */
dicom::MrSeriesSpec MakeTestSpec(int seriesNumber, const std::string & description = "series");

/** MrSeriesWriter::Write with the test default file names "IM_{n}.dcm". */
std::vector<dicom::WrittenFile> WriteSeries(const FixtureImage * image,
                                            const dicom::MrSeriesSpec & spec,
                                            const std::filesystem::path & folder,
                                            const std::string & pattern = "IM_{n}.dcm");

/** Deletes the file of one slice; returns its path. */
std::string DeleteSliceFile(const std::vector<dicom::WrittenFile> & files, unsigned slice);

/** Copies one slice file to `copyPath` with a new SOPInstanceUID (same position, same InstanceNumber, as when a
 * slice is sent twice); returns the new UID. */
std::string DuplicateSlice(const dicom::WrittenFile & file, const std::filesystem::path & copyPath);

/** One series whose InstanceNumbers alternate between an axial stack (odd) and a coronal stack (even) of
 * `slicesPerOrientation` slices each, both of size nx x ny. Returns the axial files, then the coronal files. */
std::vector<dicom::WrittenFile> WriteAlternatingOrientationSeries(const std::filesystem::path & folder,
                                                                  const dicom::MrSeriesSpec & spec,
                                                                  unsigned slicesPerOrientation);

/** Shears ImagePositionPatient along the column direction by tan(tiltDeg) * z, z being the distance of the slice
 * from the first file along the slice normal, as a CT gantry tilt does; orientation is left as is. */
void ApplyGantryTilt(const std::vector<dicom::WrittenFile> & files, double tiltDeg = 15.0);

struct SeriesWithLocalizer
{
  std::vector<dicom::WrittenFile> main;
  dicom::WrittenFile localizer;
};

/** An axial series of `slices` slices plus one sagittal slice with the same SeriesInstanceUID and ImageType
 * ORIGINAL\PRIMARY\LOCALIZER (InstanceNumber 1; the main slices follow). */
SeriesWithLocalizer WriteSeriesWithLocalizer(const std::filesystem::path & folder,
                                             const dicom::MrSeriesSpec & spec,
                                             unsigned slices);

/** Permutes the InstanceNumbers among the files (never the identity), keeping file names and positions. */
void ShuffleInstanceNumbers(const std::vector<dicom::WrittenFile> & files, unsigned seed = 7);

/** Cuts a file in the middle of its pixel data. Returns the new size in bytes. */
std::uintmax_t TruncateInPixelData(const std::string & path);

/** Writes a small text file (not DICOM); returns its path. */
std::string WriteTextFile(const std::filesystem::path & path, const std::string & text = "not a DICOM file\n");

/** Removes an attribute, named as in the DCMTK dictionary ("ImagePositionPatient"), from every file. */
void RemoveAttribute(const std::vector<std::string> & paths, const std::string & attributeName);

/** Sets a US attribute ("Rows", "Columns") in every file, leaving the pixel data as it is. */
void SetUint16Attribute(const std::vector<std::string> & paths, const std::string & attributeName, std::uint16_t value);

/** Sets the string value of an attribute (IS, DS, CS, UI, ...) in every file. */
void SetStringAttribute(const std::vector<std::string> & paths,
                        const std::string & attributeName,
                        const std::string & value);

/** Reads one attribute (meta header attributes too) as a string, all values backslash separated; empty when absent. */
std::string ReadStringAttribute(const std::string & path, const std::string & attributeName);

/** RescaleSlope of a file (1 when absent). */
double ReadRescaleSlope(const std::string & path);

std::vector<std::string> Paths(const std::vector<dicom::WrittenFile> & files);

// Looking things up in a StudyIndex.

/** Case-insensitive substring test: "Missing slice" and "missing slice" state the same thing. */
bool ContainsWord(const std::string & text, const std::string & word);

bool AnyMessageContains(const dicom::VolumeSet & set, const std::string & word);

/** Every set (id, verdict, role, size, split reason, messages) and every skipped file, for failure output. */
std::string Describe(const dicom::StudyIndex & index);

/** Equal strings, or the same file on disk. */
bool SamePath(const std::string & a, const std::string & b);

/** The skipped entry of `path`, or nullptr. */
const dicom::SkippedFile * FindSkipped(const dicom::StudyIndex & index, const std::string & path);

/** The sets whose frames come from `path`. */
std::vector<const dicom::VolumeSet *> SetsWithFile(const dicom::StudyIndex & index, const std::string & path);

/** The sets whose files carry this SeriesNumber. */
std::vector<const dicom::VolumeSet *> SetsOfSeries(const dicom::StudyIndex & index, int seriesNumber);

} // namespace icanscan::test
