#pragma once

#include "dicom/export/ExportTypes.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace icanscan::pipeline
{

/** \brief Segment indices of the export's segmentation: the 14 structures in label order (0-13), then the lesion
 * classes that were assessable. */
struct ExportSegmentIndex
{
  std::optional<std::size_t> t2flair;
  std::optional<std::size_t> restricted;
};

/** \brief The TID 1500 content of a run, from its report.json (schema_version 2), numbers unchanged.
 *
 * One measurement group per structure (its segment): Volume (cm3 = ml), "Volume of T2/FLAIR hyperintensity" and
 * "Volume of restricted diffusion" (private concepts, cm3), mean ADC (um2/s) and "ADC ratio" (private, {ratio}); a
 * report null is written as "Measurement not attempted", fields that never apply to the lateral ventricles are left
 * out. Each structure group also holds its involvement (T2/FLAIR, diffusion) as Present / Absent / Not Evaluated.
 * One group per assessable lesion class (its segment): the total Volume of its connected lesions. Report-level
 * qualitative evaluations: the oedema flag (SCT Edema: Absent / Focal / Diffuse / Not Evaluated), each reason and
 * note as text, the ASTCT oedema-domain grade (and the overall grade with clinical input), each rigid registration's
 * QC verdict (DCM 111237 / 111236 / 111235) with its messages, the run's warnings, and a comment that the results
 * are machine-generated and need review. Wording lives here; the codes in ExportCodes. */
dicom::MeasurementReportContent MeasurementContent(const nlohmann::json & report,
                                                   const ExportSegmentIndex & segments,
                                                   const std::string & version);

/** \brief The notice every exported object carries: machine-generated, not verified, needs review. */
std::string ReviewNotice(const std::string & version);

} // namespace icanscan::pipeline
