#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace icanscan::pipeline
{

/** \brief What CheckNiftiFile found. */
struct NiftiFileCheck
{
  std::string problem;            //!< empty when the file can be read; else why not, naming the field and value
  std::uint64_t voxelBytes = 0;   //!< bytes of voxel data the header declares
  std::uint64_t bytesPresent = 0; //!< bytes after the header offset (decompressed for .nii.gz)
};

/** \brief Checks a NIfTI-1 or NIfTI-2 file (.nii, or .nii.gz read to the end of its gzip stream) before ITK reads
 * it: the magic, the dimensions (1 to 7, none zero), the data type, the spatial voxel size pixdim[1..3] (finite and
 * positive: ITK would silently turn 0 or NaN into 1 mm), scl_slope and scl_inter (finite), an orientation (qform or
 * sform code > 0, finite values, a non-singular sform), vox_offset, and that the file holds every byte of voxel data
 * it declares (a truncated .nii, or a .nii.gz cut short, whose missing voxels ITK would read as zeros). Never
 * throws. */
NiftiFileCheck CheckNiftiFile(const std::filesystem::path & file);

} // namespace icanscan::pipeline
