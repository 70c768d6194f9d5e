#pragma once

// Internal to icanscan_dicom: diffusion weighting from standard and vendor tags.

#include "dicom/FrameHeader.h"

#include "dcmtk/dcmdata/dcitem.h"

namespace icanscan::dicom
{

/** Reads (0018,9087) DiffusionBValue and (0018,9076)>(0018,9089) or (0018,9089) DiffusionGradientOrientation. */
void ReadStandardDiffusion(DcmItem & item, FrameHeader & frame);

/** Standard tags first; then the vendor's private tags (Siemens (0019,100C/100E), GE (0043,1039) with
 * (0019,10BB-BD), Philips (2001,1003) with (2005,10B0-B2), UIH (0065,1009) with (0065,1037), Canon's direction in
 * ImageComments). Gradients end up as LPS unit vectors; a zero vector (b0, trace or isotropic image) is none. */
void ReadDiffusion(DcmItem & dataset, const FileHeader & file, FrameHeader & frame);

} // namespace icanscan::dicom
