#pragma once

// Internal to icanscan_dicom: United Imaging (UIH) EPI mosaics.

#include "dicom/FrameHeader.h"

#include "dcmtk/dcmdata/dcitem.h"

#include <string>
#include <vector>

namespace icanscan::dicom
{

/** \brief True for a UIH image that stores a whole volume as one mosaic: Manufacturer UIH and ImageType with VFRAME
 * (e.g. ORIGINAL\PRIMARY\M\VFRAME). */
bool IsUihMosaic(const FileHeader & file);

/** \brief Expands a UIH mosaic into one frame per slice.
 *
 * (0065,1050) gives the number of slices; they are tiled left to right, then top to bottom, in the order of the items
 * of (0065,1051), each of which holds that slice's ImagePositionPatient (the file itself has none). The tile size is
 * the acquisition matrix (0018,1310) or (0065,1004) when it tiles the frame, else the largest square tile whose grid
 * holds every slice. Returns the reason when the file cannot be expanded (then nothing is added). */
std::string ExpandUihMosaic(DcmItem & dataset, const FrameHeader & whole, std::vector<FrameHeader> & frames);

} // namespace icanscan::dicom
