#pragma once

#include "dicom/FrameHeader.h"

#include <string>

namespace icanscan::dicom
{

/** \brief Reads one file's DICOM header (stopping before the pixel data) into frame headers.
 *
 * Classic files give one frame, enhanced multi-frame objects one per frame (per-frame and shared functional groups
 * resolved), Siemens mosaics one per tile with the tile's true position. Never throws for bad input: a file that is
 * not DICOM, not an image (DICOMDIR, presentation state, SR), or damaged returns a skip reason instead.
 *
 * Before DCMTK parses the file, its element structure is walked (CheckDicomStructure): sequences nested too deep,
 * lengths past the end and truncated pixel data skip the file as damaged. Texts are converted to UTF-8 from the
 * file's SpecificCharacterSet. Every value that sizes an allocation is checked first (Rows x Columns x frames against
 * the pixel data present, mosaic tiles against the frame, per-frame items against NumberOfFrames); geometry values
 * that are not finite or not positive are left unset with the reason in FrameHeader::valueProblems. `displayPath` is
 * what messages call the file (the path relative to the study folder); empty = `path`. */
HeaderReadResult ReadFrameHeaders(const std::string & path, const std::string & displayPath = "");

} // namespace icanscan::dicom
