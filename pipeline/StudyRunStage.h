#pragma once

#include "dicom/StudyIndex.h"
#include "pipeline/detection/LesionDetection.h"
#include "pipeline/oedema/OedemaAssessment.h"
#include "pipeline/RunConfig.h"
#include "pipeline/detection/StudyFindings.h"
#include "pipeline/geometry/StudyGeometryStage.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Wall time of one stage. */
struct StageTiming
{
  std::string stage;
  double seconds = 0;
};

/** \brief Everything `icanscan run` learned about one study. */
struct StudyAnalysis
{
  StudyGeometry geometry;
  LesionDetectionResult detection;
  StudyFindings findings;
  OedemaAssessment oedema;
  std::vector<std::string> rejectedRoles; //!< series left out of detection (registration QC failed), with why
  std::vector<std::string> warnings;
  std::vector<StageTiming> timings;
};

/** \brief Reports a stage starting: its name and the fraction of the run done so far (0..1). */
using ProgressCallback = std::function<void(const std::string & stage, double fraction)>;

/** \brief Runs the study analysis: geometry (registration + atlas segmentation), detection, per-structure findings
 * and the oedema markers and flag (against `baseline` markers when given). A series whose registration QC failed is
 * left out of detection (its findings become null, never "normal") and named in warnings. */
class StudyRunStage
{
public:
  explicit StudyRunStage(RunParams params);
  StudyAnalysis Run(const dicom::StudyIndex & index,
                    const Atlas & atlas,
                    const std::optional<OedemaBaseline> & baseline = std::nullopt,
                    const ProgressCallback & progress = {}) const;

private:
  RunParams m_Params;
};

} // namespace icanscan::pipeline
