#pragma once

#include "pipeline/report/ReportHtml.h"
#include "pipeline/report/StudyReport.h"

#include <filesystem>
#include <optional>

namespace icanscan::pipeline
{

/** \brief Writes the run's output contract into `out` (a staging folder; the caller commits it):
 * report.json, report.html, findings.csv, timing.tsv, config.toml, volumes/ (every series in reference space, labels,
 * brain mask, tissue classes, lesion_t2flair.nii.gz and lesion_dwi.nii.gz when assessable) and transforms/. */
void WriteRunOutputs(const std::filesystem::path & out,
                     const StudyAnalysis & analysis,
                     const nlohmann::json & report,
                     const std::vector<KeyImageFigure> & figures,
                     const RunParams & params,
                     const std::optional<BaselineComparison> & baseline);

} // namespace icanscan::pipeline
