#include "app/StudyInput.h"

#include "app/Commands.h"
#include "core/Error.h"

#include <spdlog/spdlog.h>

namespace icanscan::app
{

StudyInput OpenStudy(const std::string & study, int threads, const std::vector<std::string> & roles)
{
  StudyInput input;
  if (!pipeline::HoldsNiftiFiles(study))
  {
    input.index = IndexStudyOrThrow(study, threads, roles);
    return input;
  }
  dicom::StudyIndexParams params;
  params.threads = threads;
  params.roleOverrides = ParseRoleOverrides(roles);
  input.index = dicom::BuildStudyIndex(study, params);
  if (input.index.CountUsable() > 0)
  {
    spdlog::info("{}: read as DICOM; the NIfTI files beside it are not used", study);
    return input;
  }

  spdlog::info("{}: no usable DICOM, reading its NIfTI files", study);
  input.nifti = std::make_unique<pipeline::ImportedNiftiStudy>(study);
  for (const auto & s : input.nifti->Series())
    for (const auto & note : s.notes)
      spdlog::info("{}: {}", s.file.string(), note);
  for (const auto & skipped : input.nifti->Skipped())
    spdlog::warn("{}: not used: {}", skipped.path, skipped.reason);
  if (input.nifti->Series().empty())
  {
    std::string reasons;
    for (const auto & skipped : input.nifti->Skipped())
      reasons += "\n  " + skipped.path + ": " + skipped.reason;
    throw InputError(study + ": holds NIfTI files but none can be used:" + reasons, ExitCode::NoUsableDicom);
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
  for (const auto & skipped : input.nifti->Skipped())
    input.index.skipped.push_back(skipped);
  return input;
}

} // namespace icanscan::app
