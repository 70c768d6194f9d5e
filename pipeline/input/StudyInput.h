#pragma once

#include "dicom/StudyIndex.h"
#include "pipeline/input/NiftiStudyImport.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief A study as the commands read it: the index of its series, and, for a NIfTI folder, the import that holds
 * the series' pixels (keep this object alive while the series are read). */
struct StudyInput
{
  dicom::StudyIndex index;
  std::unique_ptr<ImportedNiftiStudy> nifti; //!< null for a DICOM study
};

/** \brief Opens STUDY: a DICOM folder (any depth) or file, or a folder of NIfTI files with JSON sidecars (see
 * pipeline::ImportedNiftiStudy). A folder with usable DICOM is read as DICOM even when NIfTI files lie beside it.
 * `roles` are "--role KEY=ROLE" options; for a NIfTI study KEY may be a file name. Throws InputError(NoUsableDicom)
 * naming the folder, and every skipped NIfTI file with its reason, when no image can be used. */
/** \brief Indexes a DICOM STUDY with the common options (threads, role overrides); throws InputError(NoUsableDicom)
 * naming the folder when it holds no DICOM image. */
dicom::StudyIndex IndexStudyOrThrow(const std::string & study, int threads, const std::vector<std::string> & roles);

/** \brief Parses "--role ID=ROLE" options (ID a series id like 7 or 7.2, or a SeriesInstanceUID); throws
 * UsageError naming the bad entry. */
std::map<std::string, dicom::SeriesRole> ParseRoleOverrides(const std::vector<std::string> & entries);

StudyInput OpenStudy(const std::string & study, int threads, const std::vector<std::string> & roles);

} // namespace icanscan::pipeline
