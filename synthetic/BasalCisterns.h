#pragma once

#include "pipeline/oedema/BasalCisterns.h"
#include "synthetic/PhantomDeformation.h"

namespace icanscan::synthetic
{

/** \brief Where the phantom's basal cisterns (suprasellar, interpeduncular, ambient, quadrigeminal, the top of the
 * prepontine) lie, relative to the thalami: the box the pipeline measures them in, placed on the phantom's own
 * thalami. Neither atlas labels them. */
struct BasalCisternParams
{
  pipeline::BasalCisternBox box;
  double brainstemReachMm = 16.0; //!< with a brainstem label: within this distance of its part in the box
};

/** \brief The basal-cistern region (0/1 on the labels' grid): the box of BasalCisternParams around the midbrain,
 * below the thalami, without the lateral-ventricle label; with a brainstem label (may be null), only within
 * brainstemReachMm of the brainstem. The region is a place, not a tissue: the cisterns are the CSF in it (CSF
 * fractions of the brain and the subarachnoid CSF of the head), which is what the diffuse-oedema case effaces.
 * Throws std::logic_error when the labels have no thalamus. */
LabelImage::Pointer BasalCisternRegion(const LabelImage * labels,
                                       const LabelImage * brainstem,
                                       const BasalCisternParams & params = {});

} // namespace icanscan::synthetic
