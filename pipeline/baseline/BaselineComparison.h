#pragma once

#include "pipeline/StudyRunStage.h"
#include "pipeline/baseline/BaselineVolumeChange.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief The event scan against its baseline: per-structure volume change, new and resolved findings, and the
 * rigid alignment of the baseline reference to the event reference with its QC. */
struct BaselineComparison
{
  /** per structure: (event / baseline - 1) x 100, measured in one space both ways, and the fraction of it the
   * registration saw (MeasureSymmetricVolumeChangeSinceBaseline) */
  VolumeChangeSinceBaseline volumeChange;
  std::vector<Finding> newFindings;      //!< in the event scan, not at baseline (same kind and structure)
  std::vector<Finding> resolvedFindings; //!< at baseline, not any more
  SeriesRegistration registration;       //!< baseline reference -> event reference
};

/** \brief Registers the baseline reference rigidly to the event reference (QC as for any series), then deformably to
 * measure each structure's volume change in one space, and compares the two analyses' findings. */
BaselineComparison CompareWithBaseline(const StudyAnalysis & event,
                                       const StudyAnalysis & baseline,
                                       const filters::RigidRegistrationParams & rigid,
                                       const filters::RegistrationQcParams & qc);

/** \brief The two maps between the event reference and the baseline's reference grid. */
struct BaselineMaps
{
  itk::Transform<double, 3, 3>::Pointer eventToBaseline;
  itk::Transform<double, 3, 3>::Pointer baselineToEvent;
};

/** \brief BaselineMaps from `rigid` (event point -> point of the baseline's `movingRole` series, the one registered to)
 * and, when that series is not the baseline's reference, its series registration (reference point -> series point).
 * `rigid` is shared, not copied. */
BaselineMaps MapsToBaselineReference(const StudyGeometry & baseline,
                                     const std::string & movingRole,
                                     filters::RigidTransform * rigid);

nlohmann::json ToJson(const BaselineComparison & comparison);

} // namespace icanscan::pipeline
