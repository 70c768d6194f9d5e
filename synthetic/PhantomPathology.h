#pragma once

#include "synthetic/PhantomAnatomy.h"

#include <random>

namespace icanscan::synthetic
{

/** \brief Pulls every deformable image of `anatomy` (labels, head, fractions, cisterns, infarct core) and `extra`
 * masks back through `field` (nothing when it is empty). */
void DeformAnatomy(PhantomAnatomy & anatomy, const DisplacementField & field, std::vector<LabelImage::Pointer> & extra);

/** \brief The swelling field whose label volumes change as each structure's percentage asks: the label resampling at
 * junctions of several structures is not exactly volume-true, so each percentage is corrected twice by what it
 * gave. Empty when `swellings` is. Appends a note. */
DisplacementField CalibratedSwelling(const LabelImage * labels,
                                     const std::vector<std::pair<pipeline::Structure, double>> & swellings,
                                     double falloffMm,
                                     std::vector<std::string> & notes);

/** \brief Largest septum displacement along x by `field`: midline points near the callosal body of `labels`
 * followed through it. */
double MidlineShift(const DisplacementField & field, const LabelImage * labels);

/** \brief Applies the case's pathology to the normal subject held in `anatomy`: diffuse swelling (ventricles, sulci,
 * cisterns), the lesion masks and weights (Structures, Focal, Territory, DeepWhiteMatter placements; a chronic
 * infarct's core becomes CSF), swellings, the focal mass effect or the volume-loss pull, the ex-vacuo ventricle and
 * the local sulcal change. Records the septum shift, the lesion volumes and notes. `focalRng` places focal and
 * territory lesions; `brainMask` is the source's. */
void ApplyPathology(PhantomAnatomy & anatomy,
                    const PhantomCase & phantomCase,
                    const LabelImage * brainMask,
                    std::mt19937 & focalRng);

} // namespace icanscan::synthetic
