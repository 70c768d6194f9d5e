#pragma once

#include "dicom/VolumeSet.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace icanscan::pipeline
{

/** \brief BIDS-style sidecar of a volume set (times in seconds as BIDS wants), plus icanscan's role, reasons and
 * verdict. No patient identifiers. */
nlohmann::json MakeSidecar(const dicom::VolumeSet & set);

/** \brief Gradient of one volume in FSL's bvec convention for an image written with `direction` (ITK LPS
 * row-major 3x3, columns = voxel axes): components along the voxel axes, x negated when the NIfTI affine has a
 * positive determinant (FSL's radiological convention). */
std::array<double, 3> ToFslBvec(const std::array<double, 3> & gradientLps, const std::array<double, 9> & direction);

/** \brief Writes `<stem>.bval` and `<stem>.bvec` (FSL format, 3 rows) atomically. */
void WriteBvalBvec(const dicom::VolumeSet & set, const std::filesystem::path & stem);

} // namespace icanscan::pipeline
