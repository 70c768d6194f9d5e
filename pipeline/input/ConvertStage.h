#pragma once

#include "dicom/StudyIndex.h"

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Parameters of ConvertStage. */
struct ConvertParams
{
  std::filesystem::path outputFolder; //!< created when missing
  int threads = 0;                    //!< 0 = OpenMP default
  bool deriveDiffusion = true;        //!< also write a b0 and trace volumes for DWI with directional images
};

/** \brief One volume set the stage could not write, and why. */
struct ConvertFailure
{
  std::string seriesId;
  std::string reason;
  bool corruptInput = true; //!< true: the data could not be decoded; false: rejected by the index verdict
};

/** \brief What ConvertStage wrote. */
struct ConvertResult
{
  std::vector<std::filesystem::path> written; //!< every file written (NIfTI, JSON, bval, bvec, log)
  std::vector<ConvertFailure> failures;
  std::filesystem::path log;
  std::size_t converted = 0; //!< volume sets written
};

/** \brief Writes every accepted volume set of an index as `<id>_<role>_<description>.nii.gz` + JSON sidecar
 * (+ .bval/.bvec for DWI; 4D for multi-volume sets), the derived b0 and trace where built, and a log
 * (`icanscan_convert_log.tsv`) of every skipped file, rejected set and failure, with paths relative to the study.
 * Everything is written beside the output folder and moved in at the end (StagedOutputFolder: the folder is locked
 * against a second run, and a killed convert leaves nothing half-written); files already in the folder that this
 * run does not write are kept. */
class ConvertStage
{
public:
  explicit ConvertStage(ConvertParams params);
  ConvertResult Run(const dicom::StudyIndex & index) const;

  /** The output file stem of a volume set, without folder or extension. */
  static std::string OutputStem(const dicom::VolumeSet & set);

private:
  ConvertParams m_Params;
};

} // namespace icanscan::pipeline
