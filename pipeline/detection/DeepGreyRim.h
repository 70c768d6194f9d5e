#pragma once

#include "pipeline/detection/LesionDetection.h"

#include <cstddef>
#include <vector>

/** The deep grey next to cortex, where a propagated deep-grey label may hold cortex: a hyperintensity found there
 * must be bright against cortex too. Used by LesionDetectionStage. */
namespace icanscan::pipeline
{

/** \brief 1 for the deep-grey pool voxels within `rimMm` (physical distance) of a cortical-grey pool voxel, else 0.
 * A propagated basal-ganglia label that reaches a few millimetres past the nucleus, or a thick slice through its
 * edge, holds cortex (insula, claustrum beside the putamen), which is brighter than deep grey on T2 and FLAIR.
 * `pools` holds a TissuePool value (or -1) per voxel of `grid`; rimMm <= 0 gives no rim. Throws
 * std::invalid_argument when `pools` does not match the grid. */
std::vector<unsigned char> DeepGreyRimNextToCortex(const std::vector<signed char> & pools,
                                                   const itk::ImageBase<3> * grid,
                                                   double rimMm);

/** \brief What DropRimLesionsNotBrightAgainstCortex removed. */
struct RimLesionsDropped
{
  std::size_t lesions = 0;
  std::size_t voxels = 0;
};

/** \brief Removes each 26-connected lesion of `lesions` whose seeds lie mostly (at least half) in `rim` and whose
 * seeds' median z against cortex (`zCortex`) is below `seedZ`: bright against deep grey, but only as bright as the
 * cortex that the deep-grey label holds there. A lesion seeded mostly inside the nucleus, or brighter than cortex,
 * stays whole. Judged per lesion, not per voxel: at a contrast of one or two sigma above cortex, noise lifts a few
 * voxels over any voxel threshold, and one surviving seed would grow the whole patch back. */
RimLesionsDropped DropRimLesionsNotBrightAgainstCortex(LesionDetectionInput::Mask * lesions,
                                                       const std::vector<unsigned char> & seeds,
                                                       const std::vector<unsigned char> & rim,
                                                       const std::vector<float> & zCortex,
                                                       double seedZ);

} // namespace icanscan::pipeline
