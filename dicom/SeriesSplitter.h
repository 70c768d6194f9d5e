#pragma once

#include "dicom/VolumeSet.h"

#include <vector>

namespace icanscan::dicom
{

/** \brief Groups frames by SeriesInstanceUID and SeriesNumber, then splits a series into volume sets where it really
 * holds several: orientation, image dimensions, image type (localizer, derived maps, phase/real/imaginary, field map)
 * and echo.
 *
 * Diffusion weightings and repetitions stay together (they become the 4th dimension), a derived trace included. The
 * biggest part keeps the plain series number as id; the others get "<SeriesNumber>.<k>" and a splitReason. Frames are
 * not sorted here. */
std::vector<VolumeSet> SplitIntoVolumeSets(std::vector<FrameHeader> frames);

/** \brief The image-type tokens that make frames belong to different volume sets (e.g. "LOCALIZER", "PHASE").
 * DERIVED counts, except for a diffusion trace (TRACEW, TRACE), which stays with the b0 it was derived with. */
std::string ImageTypeClass(const std::vector<std::string> & imageType);

} // namespace icanscan::dicom
