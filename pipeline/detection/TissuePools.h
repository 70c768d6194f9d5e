#pragma once

#include "pipeline/detection/LesionDetection.h"

#include <cstddef>
#include <vector>

/** Where each voxel's normal reference comes from (its tissue pool), and the label corrections that follow from the
 * lesions: used by LesionDetectionStage and the run stage. */
namespace icanscan::pipeline
{

/** \brief Pool of every voxel (-1: none) inside the brain mask: the structure label, else the propagated atlas label
 * (tissue where only the atlas has ventricle is white matter), else the tissue class. */
std::vector<signed char> PoolMap(const LesionDetectionInput & in);

/** \brief Voxels the atlas puts in a lateral ventricle whose ADC (µm²/s) is tissue (at most `fluidAdc`) join the
 * white-matter pool. */
void AddTissueMisclassifiedAsFluid(std::vector<signed char> & pools,
                                   const LesionDetectionInput & in,
                                   const float * adcUm2s,
                                   double fluidAdc);

/** \brief Voxels without a pool that FLAIR does not suppress join a pool; `reference` is set to 0 for them (examined,
 * never sampled for a normal reference). Needs `in.flair`. Returns how many. */
std::size_t AddTissueNotSuppressedOnFlair(std::vector<signed char> & pools,
                                          std::vector<unsigned char> & reference,
                                          const LesionDetectionInput & in);

/** \brief Takes T2/FLAIR lesion voxels out of the lateral ventricles of `labels` (set to 0) and returns how many.
 * The refined ventricles are the reference's CSF class next to the atlas's ventricles, and on T2 a periventricular
 * lesion is CSF-bright: left in, it makes the ventricle look larger on its side and its edge inside the ventricle a
 * false septum. `lesion` must share the grid of `labels`; null changes nothing. */
std::size_t RemoveLesionFromVentricles(LesionDetectionInput::Mask * labels, const LesionDetectionInput::Mask * lesion);

} // namespace icanscan::pipeline
