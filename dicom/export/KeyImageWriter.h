#pragma once

#include "dicom/export/ExportTypes.h"

#include <filesystem>
#include <vector>

namespace icanscan::dicom
{

/** \brief Writes key images as one Multi-frame True Color Secondary Capture object (8-bit RGB, one frame per image).
 *
 * Frames of different sizes are centred on the largest size, on black. Frame titles go to ImageComments (one line per
 * frame, "k: title"); PatientOrientation is the frames' common orientation (empty when they differ); conversion type
 * WSD (workstation), burned-in annotation NO (the pictures hold no identifying text). With several frames, Page Number
 * Vector 1..n is the frame increment pointer. Patient and Study attributes come from `source.headerFile`; a new series
 * in its study. Throws InputError for no frame, an empty frame or a pixel buffer that does not match its size;
 * OutputError naming the file when it cannot be written. */
WrittenObject WriteKeyImages(const SourceSeries & source,
                             const std::vector<RgbFrame> & frames,
                             const DerivedSeries & series,
                             const std::filesystem::path & file);

/** \brief Writes a Key Object Selection document (title "Of Interest", DCM 113000) that points at `content.images`
 * (frames where a frame number is given), with the Key Object Description text. Every referenced instance is listed
 * in the Current Requested Procedure Evidence. Patient and Study attributes come from `source.headerFile`; a new
 * series in its study. Throws InputError when there is nothing to point at, OutputError naming the file. */
WrittenObject WriteKeyObjectSelection(const SourceSeries & source,
                                      const KeyObjectContent & content,
                                      const DerivedSeries & series,
                                      const std::filesystem::path & file);

} // namespace icanscan::dicom
