#pragma once

#include "dicom/export/ExportTypes.h"

#include <filesystem>

namespace icanscan::dicom
{

/** \brief Writes a binary DICOM Segmentation (Segmentation Storage, DCMTK dcmseg) on the grid of a source series.
 *
 * One segment per SegmentDefinition, in order (segment numbers 1, 2, ...), with its category, type, type modifier,
 * anatomic region, CIELab display colour, tracking ID and a new tracking UID; algorithm type AUTOMATIC. Frames are
 * the slices of the source grid where the segment has voxels (a segment without voxels gets one empty frame, so that
 * "assessed, nothing found" stays visible); each frame carries the position of its source slice, a derivation
 * reference to that slice's image ("Source image for image processing operation") and the dimension index
 * (segment number, slice). Orientation, pixel spacing and slice thickness come from the source; Patient, Study and
 * Frame of Reference from `source.headerFile`. A new series in the source's study.
 *
 * Throws InputError when the label volumes do not match the source grid, a segment names a missing volume or value
 * 0, or the header file cannot be read; OutputError naming the file when it cannot be written. */
WrittenSegmentation WriteSegmentation(const SourceSeries & source,
                                      const SegmentationContent & content,
                                      const DerivedSeries & series,
                                      const std::filesystem::path & file);

} // namespace icanscan::dicom
