#include "pipeline/input/StudyIndexJson.h"

#include "core/TextEncoding.h"

#include <cmath>
#include <iomanip>
#include <set>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
std::vector<double> DistinctBValues(const dicom::VolumeSet & set)
{
  std::set<long> seen;
  std::vector<double> values;
  for (double b : set.BValues())
  {
    if (seen.insert(std::lround(b)).second)
      values.push_back(std::round(b * 1000.0) / 1000.0);
  }
  return values;
}
} // namespace

nlohmann::json StudyIndexToJson(const dicom::StudyIndex & index)
{
  nlohmann::json j;
  j["files_scanned"] = index.filesScanned;
  j["series"] = nlohmann::json::array();
  for (const auto & set : index.volumeSets)
  {
    const auto & h = set.Header();
    nlohmann::json s;
    s["id"] = set.id;
    s["series_number"] = h.seriesNumber;
    s["series_description"] = h.seriesDescription;
    s["role"] = dicom::ToString(set.role);
    s["role_reasons"] = set.roleReasons;
    s["role_overridden"] = set.roleOverridden;
    s["dims"] = { set.columns, set.rows, set.slices, set.volumes };
    s["spacing_mm"] = { set.spacing[0], set.spacing[1], set.spacing[2] };
    s["b_values"] = DistinctBValues(set);
    s["verdict"] = dicom::ToString(set.verdict);
    s["messages"] = set.messages;
    s["images"] = set.frames.size();
    s["files"] = set.SourceFiles().size();
    s["transfer_syntax"] = h.transferSyntaxUid;
    if (!set.splitReason.empty())
      s["split_reason"] = set.splitReason;
    j["series"].push_back(s);
  }
  j["skipped"] = nlohmann::json::array();
  for (const auto & skipped : index.skipped)
    j["skipped"].push_back(
      { { "path", skipped.displayPath.empty() ? MakeValidUtf8(skipped.path) : skipped.displayPath },
        { "reason", MakeValidUtf8(skipped.reason) },
        { "damaged", skipped.damaged } });
  return j;
}

std::string StudyIndexToText(const dicom::StudyIndex & index)
{
  std::ostringstream out;
  out << index.filesScanned << " files scanned, " << index.volumeSets.size() << " volume sets, " << index.skipped.size()
      << " files skipped\n";
  out << std::left << std::setw(8) << "id" << std::setw(10) << "role" << std::setw(10) << "verdict" << std::setw(20)
      << "dims" << std::setw(22) << "spacing (mm)" << std::setw(14) << "b-values"
      << "description\n";
  for (const auto & set : index.volumeSets)
  {
    std::ostringstream dims, spacing, bs;
    dims << set.columns << "x" << set.rows << "x" << set.slices;
    if (set.volumes > 1)
      dims << "x" << set.volumes;
    spacing << std::fixed << std::setprecision(2) << set.spacing[0] << "x" << set.spacing[1] << "x" << set.spacing[2];
    for (double b : DistinctBValues(set))
      bs << (bs.tellp() > 0 ? "," : "") << b;
    out << std::left << std::setw(8) << set.id << std::setw(10) << dicom::ToString(set.role) << std::setw(10)
        << dicom::ToString(set.verdict) << std::setw(20) << dims.str() << std::setw(22) << spacing.str()
        << std::setw(14) << (bs.str().empty() ? "-" : bs.str()) << set.Header().seriesDescription << "\n";
    for (const auto & reason : set.roleReasons)
      out << "        role: " << reason << "\n";
    if (!set.splitReason.empty())
      out << "        " << set.splitReason << "\n";
    for (const auto & message : set.messages)
      out << "        " << dicom::ToString(set.verdict) << ": " << message << "\n";
  }
  for (const auto & skipped : index.skipped)
    out << "skipped " << skipped.path << ": " << skipped.reason << "\n";
  return out.str();
}

} // namespace icanscan::pipeline
