#include "pipeline/input/StudySelection.h"

#include "core/Error.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace icanscan::pipeline
{
namespace
{
struct StudySummary
{
  std::set<std::string> patients;
  std::vector<std::string> series; //!< "id description"
};

std::map<std::string, StudySummary> Summaries(const dicom::StudyIndex & index)
{
  std::map<std::string, StudySummary> studies;
  for (const auto & set : index.volumeSets)
  {
    const auto & h = set.Header();
    auto & summary = studies[h.studyInstanceUid];
    summary.patients.insert(h.patientId);
    summary.series.push_back(set.id + (h.seriesDescription.empty() ? "" : " " + h.seriesDescription));
  }
  return studies;
}

/** One line per study: its UID and its series (no patient identifiers: this goes to the terminal and logs). */
std::string ListStudies(const std::map<std::string, StudySummary> & studies)
{
  std::string text;
  for (const auto & [uid, summary] : studies)
  {
    text += "\n  " + uid + ": " + std::to_string(summary.series.size()) + " series (";
    for (std::size_t i = 0; i < summary.series.size() && i < 6; ++i)
      text += (i ? ", " : "") + summary.series[i];
    text += summary.series.size() > 6 ? ", ...)" : ")";
  }
  return text;
}
} // namespace

std::size_t SelectStudy(dicom::StudyIndex & index, const std::string & studyUid, const std::string & source)
{
  const auto studies = Summaries(index);
  if (!studyUid.empty())
  {
    if (studies.count(studyUid) == 0)
      throw UsageError("--study " + studyUid + ": " + source +
                       " holds no study with this StudyInstanceUID; it holds:" + ListStudies(studies));
    const auto before = index.volumeSets.size();
    index.volumeSets.erase(std::remove_if(index.volumeSets.begin(), index.volumeSets.end(),
                                          [&](const dicom::VolumeSet & set)
                                          { return set.Header().studyInstanceUid != studyUid; }),
                           index.volumeSets.end());
    return before - index.volumeSets.size();
  }
  std::set<std::string> patients;
  for (const auto & [uid, summary] : studies)
    patients.insert(summary.patients.begin(), summary.patients.end());
  if (studies.size() > 1 || patients.size() > 1)
  {
    const std::string what = patients.size() > 1 ? std::to_string(patients.size()) + " patients (PatientID differs)"
                                                 : std::to_string(studies.size()) + " studies";
    throw UsageError(
      source + " holds " + what + ": their series must not be mixed. Choose one study with --study " +
      "UID, or give each study its own folder. Studies (StudyInstanceUID: series):" + ListStudies(studies));
  }
  return 0;
}

void CheckRoleOverridesMatch(const dicom::StudyIndex & index,
                             const std::map<std::string, dicom::SeriesRole> & overrides,
                             const std::vector<std::string> & entries)
{
  for (const auto & [key, role] : overrides)
  {
    const bool found = std::any_of(index.volumeSets.begin(), index.volumeSets.end(),
                                   [&key = key](const dicom::VolumeSet & set)
                                   { return set.id == key || set.Header().seriesInstanceUid == key; });
    if (found)
      continue;
    std::string entry = key;
    for (const auto & e : entries)
      if (e.compare(0, key.size() + 1, key + "=") == 0)
        entry = e;
    std::string ids;
    for (const auto & set : index.volumeSets)
      ids += (ids.empty() ? "" : ", ") + set.id;
    throw UsageError("--role " + entry + ": the study has no series '" + key +
                     "' (series ids: " + (ids.empty() ? std::string("none") : ids) + ")");
  }
}

void WarnAboutDamagedFiles(const dicom::StudyIndex & index)
{
  for (const auto & skipped : index.skipped)
    if (skipped.damaged)
      spdlog::warn("{}: skipped: {}", skipped.displayPath.empty() ? skipped.path : skipped.displayPath, skipped.reason);
}

void ThrowWhenNoImage(const dicom::StudyIndex & index, const std::string & source)
{
  if (!index.volumeSets.empty())
    return;
  const std::string counts =
    std::to_string(index.filesScanned) + " files scanned, " + std::to_string(index.skipped.size()) + " skipped";
  const auto damaged =
    std::find_if(index.skipped.begin(), index.skipped.end(), [](const dicom::SkippedFile & s) { return s.damaged; });
  if (damaged != index.skipped.end())
    throw InputError(source + ": no usable image (" + counts + "; " + std::to_string(index.CountDamaged()) +
                       " damaged, e.g. " + (damaged->displayPath.empty() ? damaged->path : damaged->displayPath) +
                       ": " + damaged->reason + ")",
                     ExitCode::CorruptInput);
  throw InputError(source + ": no DICOM images found (" + counts + ")", ExitCode::NoUsableDicom);
}

} // namespace icanscan::pipeline
