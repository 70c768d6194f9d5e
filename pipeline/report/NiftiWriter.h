#pragma once

#include "itkImage.h"

#include <filesystem>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Writes one volume (3D) or several volumes of one grid (4D) as NIfTI (.nii or .nii.gz), atomically.
 *
 * Values that are all integers within the int16 range are stored as INT16 (what dcm2niix stores for such data);
 * anything else as FLOAT32. The affine comes from the ITK (LPS) geometry. Throws OutputError naming the file. */
void WriteNifti(const std::vector<itk::Image<float, 3>::Pointer> & volumes, const std::filesystem::path & file);

/** \brief Writes a label map or mask (stored as INT16 by WriteNifti's rule), atomically. */
void WriteLabelNifti(const itk::Image<unsigned char, 3> * labels, const std::filesystem::path & file);

} // namespace icanscan::pipeline
