#pragma once

#include "dicom/StudyIndex.h"
#include "pipeline/NiftiStudyImport.h"

#include <memory>
#include <string>
#include <vector>

namespace icanscan::app
{

/** \brief A study as the commands read it: the index of its series, and, for a NIfTI folder, the import that holds
 * the series' pixels (keep this object alive while the series are read). */
struct StudyInput
{
  dicom::StudyIndex index;
  std::unique_ptr<pipeline::ImportedNiftiStudy> nifti; //!< null for a DICOM study
};

/** \brief Opens STUDY: a DICOM folder (any depth) or file, or a folder of NIfTI files with JSON sidecars (see
 * pipeline::ImportedNiftiStudy). A folder with usable DICOM is read as DICOM even when NIfTI files lie beside it.
 * `roles` are "--role KEY=ROLE" options; for a NIfTI study KEY may be a file name. Throws InputError(NoUsableDicom)
 * naming the folder, and every skipped NIfTI file with its reason, when no image can be used. */
StudyInput OpenStudy(const std::string & study, int threads, const std::vector<std::string> & roles);

} // namespace icanscan::app
