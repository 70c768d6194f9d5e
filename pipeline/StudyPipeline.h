#pragma once

#include "pipeline/RunConfig.h"
#include "pipeline/StudyRunStage.h"
#include "pipeline/grading/IcansGrading.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Where a study comes from: a DICOM folder or file, or a folder of NIfTI files with JSON sidecars, and the
 * `--role ID=ROLE` overrides that apply to it. */
struct StudySource
{
  std::filesystem::path path;
  std::vector<std::string> roleOverrides;
};

/** \brief Everything one `icanscan run` needs, already parsed and validated by the caller (settings from the config
 * file, the clinical assessment from clinical.json). */
struct StudyRunRequest
{
  StudySource study;
  std::optional<StudySource> baseline; //!< an earlier study of the same patient
  std::filesystem::path output;        //!< OUT, written atomically
  RunParams params;
  std::optional<ClinicalAssessment> clinical;
  int threads = 0;              //!< 0: all cores
  bool keepIdentifiers = false; //!< patient name, ID, birth date, study UID and date in report.json
};

/** \brief What a run produced: report.json's content (also written to OUT) and whether it is partial. */
struct StudyRunResult
{
  nlohmann::json report;
  /** A series was left out (registration QC failed): its findings are null; exit code 7. */
  bool partial = false;
};

/** \brief Runs the whole study, in the order of the pipeline's folders: input (open the study and the baseline),
 * geometry (registration, atlas segmentation), detection, oedema, grading, baseline comparison, report (report.json,
 * report.html with its key images, findings.csv, volumes/, transforms/, config.toml, timing.tsv into a staged OUT,
 * committed at the end). `progress` hears each step with the fraction of the run done. Throws the errors of the
 * stages (InputError when the study has no usable T2 or FLAIR, OutputError when OUT cannot be written...); OUT is
 * then left as it was. */
StudyRunResult RunStudy(const StudyRunRequest & request, const ProgressCallback & progress = {});

/** \brief Everything one `icanscan segment` needs. */
struct SegmentationRequest
{
  StudySource study;
  std::filesystem::path output; //!< OUT, written atomically
  int threads = 0;
};

/** \brief What `segment` produced: segmentation.json's content, and whether a registration failed QC. */
struct SegmentationResult
{
  nlohmann::json summary;
  bool partial = false;
};

/** \brief Registration and atlas segmentation only: OUT/volumes/, OUT/transforms/ and OUT/segmentation.json. */
SegmentationResult SegmentStudy(const SegmentationRequest & request, const ProgressCallback & progress = {});

} // namespace icanscan::pipeline
