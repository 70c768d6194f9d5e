#pragma once

#include "pipeline/report/KeyImage.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief One key image of the HTML report. */
struct KeyImageFigure
{
  std::string title;   //!< shown above the caption, e.g. "Axial FLAIR through both thalami"
  std::string caption; //!< what the overlays mean, e.g. "red: T2/FLAIR hyperintensity"
  std::string png;     //!< the PNG file's bytes (EncodePng); empty shows "image not available"
  KeyImagePlane plane = KeyImagePlane::Axial;
  bool radiological = true; //!< as rendered; sets the orientation letters on the image edges
};

/** \brief The self-contained HTML review page of a study report (report.json, schema_version 2).
 *
 * One file with inline CSS and the images as data: URIs: no scripts, no external resources, readable on a laptop
 * and printable. Sections in order: header, summary (oedema flag with its reasons, ICANS grades), findings, key
 * images, structures, series and QC, registration, warnings, methods, baseline comparison (when present). Every
 * string from the report is HTML-escaped. Missing or null parts show "—" (booleans that are null show "not
 * assessable"); nothing in the report's content makes it throw. */
std::string RenderReportHtml(const nlohmann::json & report, const std::vector<KeyImageFigure> & figures);

/** \brief `text` with &, <, >, " and ' replaced by character references, safe in element content and attributes. */
std::string EscapeHtml(const std::string & text);

} // namespace icanscan::pipeline
