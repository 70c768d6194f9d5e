#pragma once

#include "core/Structures.h"
#include "filters/ImageTypes.h"

#include <optional>

namespace icanscan::pipeline
{

/** \brief Settings of HyperintenseStructureMl (fixed; not in the config file). */
struct HyperintenseExtentParams
{
  /** lesion voxels up to this far from the structure's propagated label count: the registration shrinks a swollen
   * structure's label back (measured on the MNI152 phantoms: a thalamus swollen to 7.9 ml labelled 4.5 ml) */
  double reachMm = 10.0;
};

/** \brief The volume (ml) of structure `s` measured on its own T2/FLAIR boundaries: the lesion voxels of the
 * components that overlap its label, within reachMm of the label, that no other grey structure claims and that lie
 * no nearer the `counterpart`'s label than its own (both thalami's lesions often join across the third ventricle).
 * 0 when no lesion overlaps the label. `labels` and `lesions` share a grid. */
double HyperintenseStructureMl(const filters::MaskImage * labels,
                               const filters::MaskImage * lesions,
                               Structure s,
                               std::optional<Structure> counterpart,
                               const HyperintenseExtentParams & params = {});

} // namespace icanscan::pipeline
