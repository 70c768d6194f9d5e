#pragma once

// Internal to icanscan_dicom: validation of the values read from a header, before anything is allocated from them.

#include "dicom/FrameHeader.h"
#include "dicom/StructureCheck.h"

#include <string>

namespace icanscan::dicom
{

/** \brief Why a file cannot be an image volume for us, and whether that is damage or just another kind of object. */
struct FileProblem
{
  std::string reason; //!< empty when the file can be used
  bool damaged = false;
};

/** \brief Checks the pixel description of a file against itself and the bytes present: type-1 attributes (Rows,
 * Columns, BitsAllocated, PixelData, the study and series UIDs), BitsAllocated 8/16/32, BitsStored and
 * PixelRepresentation, one sample per pixel, and Rows x Columns x frames x bytes against the pixel data's length
 * (native) or the number of fragments and the file size (encapsulated), before any frame is allocated. */
FileProblem CheckFileHeader(const FileHeader & file, bool encapsulated, const StructureCheckResult & structure);

/** \brief Checks a Siemens mosaic: its `tiles` slices must fit the frame's tile grid with tiles of at least 2 x 2
 * pixels. Empty when they do. */
std::string CheckMosaic(const FileHeader & file, unsigned tiles);

/** \brief Non-finite timing values (TR, TE, TI, flip angle, field strength) are unknown (0). */
void CleanFileValues(FileHeader & file);

/** \brief Geometry, rescale and diffusion values of one frame: a position or orientation that is not finite, a pixel
 * spacing that is not finite and positive, a rescale slope or intercept that is not finite, a b-value that is not
 * finite or negative, a gradient that is not finite: unset, with the reason in frame.valueProblems. Non-finite or
 * negative slice thickness and spacing between slices become unknown (0). */
void CheckFrameValues(FrameHeader & frame);

} // namespace icanscan::dicom
