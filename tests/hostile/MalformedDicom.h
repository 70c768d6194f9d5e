#pragma once

#include "dicom/MrSeriesWriter.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

class DcmDataset;

namespace icanscan::test
{

// A malformed-input corpus generated in code (no stored binaries): each function writes one hostile or broken case
// into a study folder, starting from a small valid series and changing what the case is about, with DCMTK where the
// value is legal DICOM and byte by byte where it is not.

/** A valid axial series of `slices` slices of `size` x `size` pixels (1 x 1 x 4 mm) in `folder`, in the one study
 * every call shares; `edit` (optional) may change the spec before writing (description, study UID, patient...). */
std::vector<dicom::WrittenFile> WriteSmallSeries(const std::filesystem::path & folder,
                                                 int seriesNumber,
                                                 unsigned slices = 5,
                                                 const std::function<void(dicom::MrSeriesSpec &)> & edit = {},
                                                 unsigned size = 16);

/** Loads each file, lets `edit` change its dataset, saves it in place (Explicit VR Little Endian). */
void EditDicom(const std::vector<std::string> & paths, const std::function<void(DcmDataset &)> & edit);

std::vector<std::string> PathsOf(const std::vector<dicom::WrittenFile> & files);

std::vector<std::uint8_t> ReadBytes(const std::filesystem::path & file);
void WriteBytes(const std::filesystem::path & file, const std::vector<std::uint8_t> & bytes);

/** Offset of the top-level PixelData element header (Explicit VR Little Endian files as written here). */
std::size_t PixelDataOffset(const std::vector<std::uint8_t> & bytes);

/** Inserts `depth` sequences nested inside each other (undefined lengths, properly closed) before the PixelData. */
void NestSequences(const std::filesystem::path & file, unsigned depth);

/** Adds `depth` nested ContentSequence items with DCMTK and saves the file in `syntax`: "explicit", "implicit",
 * "big endian" or "deflated" (DCMTK itself recurses, so keep `depth` to a few dozen). */
void NestAndSave(const std::string & path, unsigned depth, const std::string & syntax);

/** Sets the 4-byte length of the PixelData element to `length` (past the end of the file when large). */
void SetPixelDataLength(const std::filesystem::path & file, std::uint32_t length);

/** Replaces the VR of the first (0028,0010) Rows element by `vr` (two bytes that are no VR). */
void CorruptRowsVr(const std::filesystem::path & file, const char vr[2]);

/** A Siemens mosaic header: Manufacturer SIEMENS, ImageType ...\\MOSAIC, NumberOfImagesInMosaic (0019,100A) = tiles. */
void MarkAsMosaic(const std::vector<std::string> & paths, unsigned tiles);

/** An enhanced-looking object declaring `frames` frames (shared functional groups, no per-frame items). With
 * `compress`, the pixel data is re-encoded as RLE first (one fragment). */
void DeclareFrames(const std::string & path, unsigned frames, bool compress);

/** Writes `text` (raw bytes) as SeriesDescription with SpecificCharacterSet `charset` (empty: removed). */
void SetDescriptionBytes(const std::vector<std::string> & paths, const std::string & charset, const std::string & text);

/** Re-encodes a file's pixel data: "RLE", "JPEG-LS" (GDCM, CharLS 2) or "JPEG lossless" (DCMTK). */
void Compress(const std::string & path, const std::string & syntax);

/** XORs `count` bytes of the encapsulated pixel data (after the offset table) with 0xFF, spread by `seed`. */
void FlipCompressedBytes(const std::string & path, unsigned count, unsigned seed);

} // namespace icanscan::test
