#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::test
{

// NIfTI cases of the malformed-input corpus: a small valid file written by ITK, then changed byte by byte.

/** A 16 x 16 x 6 NIfTI-1 volume (1 x 1 x 4 mm, identity orientation, both qform and sform set) written by ITK;
 * `.nii` or `.nii.gz` after the name. With `sidecarJson` non-empty, writes it as the JSON sidecar beside it. */
void WriteSmallNifti(const std::filesystem::path & file, const std::string & sidecarJson = "");

/** The file's bytes, decompressed when it is gzipped; and back (compressed again when the name ends in .gz). */
std::vector<std::uint8_t> ReadNiftiBytes(const std::filesystem::path & file);
void WriteNiftiBytes(const std::filesystem::path & file, const std::vector<std::uint8_t> & bytes);

/** NIfTI-1 header edits (offsets of the standard's nifti_1_header). */
void SetNiftiFloat(const std::filesystem::path & file, std::size_t offset, float value);
void SetNiftiShort(const std::filesystem::path & file, std::size_t offset, std::int16_t value);

constexpr std::size_t kPixdimOffset = 76;     //!< float pixdim[8]
constexpr std::size_t kQformCodeOffset = 252; //!< short
constexpr std::size_t kSformCodeOffset = 254; //!< short
constexpr std::size_t kQuaternBOffset = 256;  //!< float
constexpr std::size_t kSrowXOffset = 280;     //!< float srow_x[4]
constexpr std::size_t kDimOffset = 40;        //!< short dim[8]

/** Keeps the first `fraction` of the file's bytes as stored (a .nii.gz is cut inside its gzip stream). */
void TruncateFileTo(const std::filesystem::path & file, double fraction);

} // namespace icanscan::test
