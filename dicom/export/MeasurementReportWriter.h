#pragma once

#include "dicom/export/ExportTypes.h"

#include <filesystem>

namespace icanscan::dicom
{

/** \brief Writes a TID 1500 Imaging Measurement Report (Enhanced SR, DCMTK dcmsr/cmr) about a segmentation.
 *
 * Content: language English; observer context: the icanscan device (TID 1004); procedure reported "Imaging
 * procedure"; an image library (TID 1600) with the source slices; one TID 1411 volumetric ROI measurement group per
 * MeasurementGroup (tracking identifier and UID of its segment, referenced segment in `segmentation`, source series
 * for segmentation, finding, finding site with laterality, its numeric measurements, a NUM with the qualifier
 * "Measurement not attempted" where a value is not assessable); then the report-level qualitative evaluations, in
 * order. Preliminary, completion flag COMPLETE, verification flag UNVERIFIED: the results are machine-generated and
 * need review. Every referenced instance (source slices, the segmentation) is listed in the Current Requested
 * Procedure Evidence. Patient and Study attributes come from `source.headerFile`; a new series in its study.
 *
 * Numbers are written as decimal strings of at most 16 characters (as many significant digits as fit).
 * Throws InputError when a group names a missing segment or the header cannot be read, OutputError naming the file
 * or the content item that DCMTK refused. */
WrittenObject WriteMeasurementReport(const SourceSeries & source,
                                     const WrittenSegmentation & segmentation,
                                     const MeasurementReportContent & content,
                                     const DerivedSeries & series,
                                     const std::filesystem::path & file);

} // namespace icanscan::dicom
