#include "pipeline/input/StudyInput.h"

#include "core/Error.h"
#include "pipeline/input/StudySelection.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace icanscan::pipeline
{
namespace
{
/** What the import learned beyond the headers, applied to the sets each file became: the role the file name's BIDS
 * suffix states (unless the user set one; the reasons say both), and the sidecar warnings (set messages). */
void ApplyImportEvidence(dicom::StudyIndex & index, const ImportedNiftiStudy & import)
{
  for (auto & set : index.volumeSets)
  {
    const auto series =
      std::find_if(import.Series().begin(), import.Series().end(),
                   [&](const ImportedNiftiSeries & s) { return s.seriesNumber == set.Header().seriesNumber; });
    if (series == import.Series().end())
      continue;
    for (const auto & warning : series->warnings)
    {
      set.messages.push_back(warning);
      if (set.verdict == dicom::Verdict::Ok)
        set.verdict = dicom::Verdict::Warning;
    }
    if (!series->nameRole || set.roleOverridden)
      continue;
    const std::string evidence =
      "file name " + series->file.filename().string() + " ends in the BIDS suffix '" + series->nameRole->suffix + "'";
    if (series->nameRole->role == set.role)
    {
      set.roleReasons.push_back(evidence + ", which agrees");
      continue;
    }
    if (series->nameRole->role == dicom::SeriesRole::DWI && set.role == dicom::SeriesRole::ADC)
    {
      // BIDS has no raw suffix for an ADC map: the scanner's map of a DWI acquisition is stored as *_dwi too.
      set.roleReasons.push_back(evidence + ": kept as ADC, a map derived from that diffusion acquisition");
      continue;
    }
    const std::string headers = set.roleReasons.empty() ? std::string() : " (" + set.roleReasons.front() + ")";
    set.roleReasons.insert(set.roleReasons.begin(), evidence + ": " + dicom::ToString(series->nameRole->role) +
                                                      ", where the headers alone said " + dicom::ToString(set.role) +
                                                      headers);
    set.role = series->nameRole->role;
  }
}
} // namespace

std::map<std::string, dicom::SeriesRole> ParseRoleOverrides(const std::vector<std::string> & entries)
{
  std::map<std::string, dicom::SeriesRole> overrides;
  for (const auto & entry : entries)
  {
    const auto eq = entry.find('=');
    const auto role = eq == std::string::npos ? std::nullopt : dicom::ParseSeriesRole(entry.substr(eq + 1));
    if (eq == 0 || !role)
    {
      throw UsageError("--role '" + entry +
                       "': expected ID=ROLE with ROLE one of T2, FLAIR, DWI, ADC, T1, SWI, localizer, other");
    }
    overrides[entry.substr(0, eq)] = *role;
  }
  return overrides;
}

dicom::StudyIndex IndexStudyOrThrow(const std::string & study,
                                    int threads,
                                    const std::vector<std::string> & roles,
                                    const std::string & studyUid,
                                    RoleMatch roleMatch)
{
  dicom::StudyIndexParams params;
  params.threads = threads;
  params.roleOverrides = ParseRoleOverrides(roles);
  dicom::StudyIndex index = dicom::BuildStudyIndex(study, params);
  WarnAboutDamagedFiles(index);
  ThrowWhenNoImage(index, study);
  if (const std::size_t left = SelectStudy(index, studyUid, study); left > 0)
    spdlog::info("{}: {} series of other studies left out (--study {})", study, left, studyUid);
  if (roleMatch == RoleMatch::Required)
    CheckRoleOverridesMatch(index, params.roleOverrides, roles);
  return index;
}

StudyInput OpenStudy(const std::string & study,
                     int threads,
                     const std::vector<std::string> & roles,
                     const std::string & studyUid,
                     RoleMatch roleMatch)
{
  StudyInput input;
  if (!HoldsNiftiFiles(study))
  {
    input.index = IndexStudyOrThrow(study, threads, roles, studyUid, roleMatch);
    return input;
  }
  dicom::StudyIndexParams params;
  params.threads = threads;
  params.roleOverrides = ParseRoleOverrides(roles);
  input.index = dicom::BuildStudyIndex(study, params);
  if (input.index.CountUsable() > 0)
  {
    spdlog::info("{}: read as DICOM; the NIfTI files beside it are not used", study);
    WarnAboutDamagedFiles(input.index);
    if (const std::size_t left = SelectStudy(input.index, studyUid, study); left > 0)
      spdlog::info("{}: {} series of other studies left out (--study {})", study, left, studyUid);
    if (roleMatch == RoleMatch::Required)
      CheckRoleOverridesMatch(input.index, params.roleOverrides, roles);
    return input;
  }

  spdlog::info("{}: no usable DICOM, reading its NIfTI files", study);
  input.nifti = std::make_unique<ImportedNiftiStudy>(study);
  for (const auto & s : input.nifti->Series())
  {
    for (const auto & note : s.notes)
      spdlog::info("{}: {}", s.file.string(), note);
    for (const auto & warning : s.warnings)
      spdlog::warn("{}: {}", s.file.string(), warning);
  }
  for (const auto & skipped : input.nifti->Skipped())
    spdlog::warn("{}: not used: {}", skipped.path, skipped.reason);
  if (input.nifti->Series().empty())
  {
    std::string reasons;
    bool damaged = false;
    for (const auto & skipped : input.nifti->Skipped())
    {
      reasons += "\n  " + skipped.path + ": " + skipped.reason;
      damaged = damaged || skipped.damaged;
    }
    throw InputError(study + ": holds NIfTI files but none can be used:" + reasons,
                     damaged ? ExitCode::CorruptInput : ExitCode::NoUsableDicom);
  }
  std::vector<std::string> translated;
  for (const auto & entry : roles)
  {
    const auto eq = entry.find('=');
    const auto number = eq == std::string::npos ? std::nullopt : input.nifti->SeriesNumberFor(entry.substr(0, eq));
    translated.push_back(number ? std::to_string(*number) + entry.substr(eq) : entry);
  }
  params.roleOverrides = ParseRoleOverrides(translated);
  input.index = dicom::BuildStudyIndex(input.nifti->DicomFolder(), params);
  input.index.root = study;
  ApplyImportEvidence(input.index, *input.nifti);
  if (roleMatch == RoleMatch::Required)
    CheckRoleOverridesMatch(input.index, params.roleOverrides, roles);
  for (const auto & skipped : input.nifti->Skipped())
    input.index.skipped.push_back(skipped);
  return input;
}

} // namespace icanscan::pipeline
