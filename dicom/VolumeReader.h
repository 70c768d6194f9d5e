#pragma once

#include "dicom/VolumeSet.h"

#include "itkImage.h"

#include <vector>

namespace icanscan::dicom
{

using VolumeImage = itk::Image<float, 3>;

/** \brief Decodes the pixel data of a volume set into float images, one per volume.
 *
 * Voxel values are the stored values with RescaleSlope/Intercept applied per frame (and Philips' precise scale
 * (2005,100E) where present, as dcm2niix does by default). Origin, spacing and direction are in ITK's LPS frame.
 * Registers DCMTK's JPEG, JPEG-LS and RLE decoders. Throws InputError(CorruptInput) naming the file when a frame
 * cannot be decoded (truncated, unsupported transfer syntax such as JPEG 2000, inconsistent size). */
std::vector<VolumeImage::Pointer> ReadVolumes(const VolumeSet & set, int threads = 0);

} // namespace icanscan::dicom
