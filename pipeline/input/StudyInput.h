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

/** \brief Whether every `--role` entry must name a series of the study (a baseline study shares the main study's
 * options and may lack some of its series). */
enum class RoleMatch
{
  Required,
  Optional,
};

/** \brief Indexes a DICOM STUDY with the common options (threads, role overrides, `--study UID`). Throws
 * InputError naming the folder when it holds no image (CorruptInput when image files were found damaged,
 * NoUsableDicom otherwise), UsageError when it holds several studies or patients and `studyUid` does not choose one,
 * or when a `--role` names no series (see SelectStudy, CheckRoleOverridesMatch). */
dicom::StudyIndex IndexStudyOrThrow(const std::string & study,
                                    int threads,
                                    const std::vector<std::string> & roles,
                                    const std::string & studyUid = "",
                                    RoleMatch roleMatch = RoleMatch::Required);

/** \brief Parses "--role ID=ROLE" options (ID a series id like 7 or 7.2, or a SeriesInstanceUID); throws
 * UsageError naming the bad entry. */
std::map<std::string, dicom::SeriesRole> ParseRoleOverrides(const std::vector<std::string> & entries);

/** \brief Opens STUDY: a DICOM folder (any depth) or file, or a folder of NIfTI files with JSON sidecars (see
 * pipeline::ImportedNiftiStudy). A folder with usable DICOM is read as DICOM even when NIfTI files lie beside it.
 * `roles` are "--role KEY=ROLE" options; for a NIfTI study KEY may be a file name. Throws as IndexStudyOrThrow; for a
 * NIfTI folder with no usable file, InputError naming every skipped file with its reason (CorruptInput when one was
 * damaged, else NoUsableDicom). */
StudyInput OpenStudy(const std::string & study,
                     int threads,
                     const std::vector<std::string> & roles,
                     const std::string & studyUid = "",
                     RoleMatch roleMatch = RoleMatch::Required);

} // namespace icanscan::pipeline
