#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::viewer
{

/** \brief One entry of report.json `findings[]` as the viewer shows it. */
struct Finding
{
  int id = 0;
  std::string kind;       //!< t2flair_hyperintensity, restricted_diffusion, ...
  std::string structure;  //!< e.g. thalamus
  std::string laterality; //!< left, right, bilateral, midline
  double volumeMl = 0.0;
  std::array<double, 3> centroidMm{ { 0.0, 0.0, 0.0 } }; //!< LPS physical mm
};

/** \brief What the viewer needs from report.json (schema: docs/report-schema.md). */
struct ViewerReport
{
  std::vector<Finding> findings;
  std::string oedemaFlag;                 //!< none, focal, diffuse, not_assessable ("" when absent)
  std::vector<std::string> oedemaReasons; //!< the `text` of each oedema reason
  std::optional<int> oedemaDomainGrade;   //!< icans.oedema_domain_grade
  std::optional<int> grade;               //!< icans.grade: null without clinical input
};

/** \brief Reads report.json; throws InputError (corrupt input) naming the file and the field when it cannot be
 * parsed or a finding lacks its centroid. Missing optional sections give empty fields. */
ViewerReport ReadViewerReport(const std::filesystem::path & reportJson);

/** \brief Parses the text of a report.json; `source` names it in error messages. */
ViewerReport ParseViewerReport(const std::string & text, const std::string & source);

/** \brief The banner lines: the oedema flag, each reason, and the grade ("imaging only: oedema-domain grade N"
 * when the overall grade is null). */
std::vector<std::string> BannerLines(const ViewerReport & report);

/** \brief "Finding K/N: thalamus, bilateral, T2/FLAIR hyperintensity, 16.7 ml"; "" when `index` is out of range. */
std::string FindingText(const ViewerReport & report, int index);

} // namespace icanscan::viewer
