#pragma once

#include "batch/BatchSummary.h"

#include <string>
#include <vector>

namespace icanscan::batch
{

/** \brief batch_report.html: the cohort at a glance. One self-contained page (inline CSS and a small inline script
 * that sorts the table by the clicked column): counts per status, then one row per study with its status, oedema flag
 * (focal/diffuse highlighted), grades, findings and the involved structures, registration QC (suspect/failed
 * highlighted), time and memory, the error or warnings, and a link to the study's report.html (ID/report.html, relative
 * to OUT_ROOT). Failed and partial rows are highlighted. */
std::string BatchReportHtml(const std::vector<SummaryRow> & rows, const std::string & version);

} // namespace icanscan::batch
