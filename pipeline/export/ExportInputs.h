#pragma once

#include "dicom/StudyIndex.h"
#include "dicom/export/ExportTypes.h"
#include "filters/ImageTypes.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief What the DICOM export reads from a finished run's OUT folder. */
struct RunForExport
{
  std::filesystem::path out;
  nlohmann::json report;                  //!< report.json
  filters::MaskImage::Pointer labels;     //!< volumes/labels.nii.gz
  filters::MaskImage::Pointer t2flair;    //!< volumes/lesion_t2flair.nii.gz; null: T2/FLAIR not assessable
  filters::MaskImage::Pointer restricted; //!< volumes/lesion_dwi.nii.gz; null: diffusion not assessable
};

/** \brief OUT/report.json, checked as ReadRunForExport does (without reading the volumes). */
nlohmann::json ReadExportReport(const std::filesystem::path & out, const std::string & version);

/** \brief Reads OUT for the export. Throws UsageError when OUT is not a run folder (no report.json), InputError
 * (CorruptInput) naming the file when report.json is not valid JSON, comes from another schema_version or another
 * icanscan version than `version`, or a volume it names cannot be read. */
RunForExport ReadRunForExport(const std::filesystem::path & out, const std::string & version);

/** \brief The reference series of the run in `index` (the volume set with report.json's reference.series_id), checked
 * to be the one OUT was made from: SHA-256 of its StudyInstanceUID equal to study.study_uid_hash, same series number
 * and role, and labels.nii.gz on its grid. Throws InputError(NoUsableDicom) saying what differs. */
const dicom::VolumeSet & FindReferenceSet(const dicom::StudyIndex & index, const RunForExport & run);

/** \brief The source series of a volume set as the DICOM writers take it: the frames of volume `volume` in slice
 * order, their positions, orientation, spacing, and one file for the Patient/Study attributes. */
dicom::SourceSeries ToSourceSeries(const dicom::VolumeSet & set, unsigned volume = 0);

/** \brief The source images showing a finding (report.json `findings[]` item): the reference slice through its
 * centroid, and the slice of the series it was seen on when that is another one (FLAIR for hyperintensity with a T2
 * reference, the DWI trace at its highest b for restricted diffusion), found through the run's rigid transform
 * (transforms/<ROLE>_to_reference.tfm). A series or transform that is missing is left out. */
std::vector<dicom::ImageReference> FindingImages(const RunForExport & run,
                                                 const dicom::StudyIndex & index,
                                                 const dicom::VolumeSet & reference,
                                                 const nlohmann::json & finding);

} // namespace icanscan::pipeline
