#pragma once

#include "dicom/FrameHeader.h"

#include <string>

namespace icanscan::dicom
{

/** \brief Reads one file's DICOM header (stopping before the pixel data) into frame headers.
 *
 * Classic files give one frame, enhanced multi-frame objects one per frame (per-frame and shared functional groups
 * resolved), Siemens mosaics one per tile with the tile's true position. Never throws for bad input: a file that is
 * not DICOM, not an image (DICOMDIR, presentation state, SR), or damaged returns a skip reason instead. */
HeaderReadResult ReadFrameHeaders(const std::string & path);

} // namespace icanscan::dicom
