#pragma once

#include "synthetic/PhantomDeformation.h"

namespace icanscan::synthetic
{

/** \brief Where the phantom's basal cisterns (suprasellar, interpeduncular, ambient, quadrigeminal, the top of the
 * prepontine) lie, relative to the thalami. Neither atlas labels them. */
struct BasalCisternParams
{
  double halfWidthMm = 22.0;      //!< |x - thalamic centre x| <= this (the ambient cisterns wrap the midbrain)
  double anteriorMm = 35.0;       //!< from this far in front of the thalamic centroid (suprasellar cistern) ...
  double posteriorMm = 30.0;      //!< ... to this far behind it (quadrigeminal cistern)
  double belowMm = 22.0;          //!< from this far below the lowest thalamus voxel (upper pons) ...
  double aboveMm = 3.0;           //!< ... to this far above it
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
