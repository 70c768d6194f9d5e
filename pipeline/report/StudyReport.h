#pragma once

#include "dicom/StudyIndex.h"
#include "pipeline/baseline/BaselineComparison.h"
#include "pipeline/grading/IcansGrading.h"
#include "pipeline/StudyRunStage.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

constexpr int kReportSchemaVersion = 2;

/** \brief What the report needs besides the analysis. */
struct ReportContext
{
  std::string version;          //!< icanscan version
  bool keepIdentifiers = false; //!< include patient name, ID, birth date, study UID and date
  const RunParams * params = nullptr;
  std::optional<BaselineComparison> baseline;
  std::vector<std::string> warnings; //!< extra warnings from the caller (e.g. the baseline run)
};

/** \brief report.json, schema version 1 (docs/report-schema.md). */
nlohmann::json BuildReport(const dicom::StudyIndex & index,
                           const StudyAnalysis & analysis,
                           const IcansGrade & grade,
                           const ReportContext & context);

/** \brief segmentation.json of `icanscan segment`: reference, registrations with QC, structure volumes (ml). */
nlohmann::json SegmentationSummary(const StudyGeometry & geometry);

/** \brief findings.csv: one row per structure, the report's structure fields as columns (empty = null). */
std::string FindingsCsv(const nlohmann::json & report);

/** \brief SHA-256 of `text` as lower-case hex (used to hash the StudyInstanceUID). */
std::string Sha256Hex(const std::string & text);

} // namespace icanscan::pipeline
