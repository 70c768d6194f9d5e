#pragma once

#include "synthetic/AnatomySource.h"

#include <functional>

namespace icanscan::synthetic
{

/** \brief The images a change of the CSF spaces edits in place (one grid). */
struct TissueMaps
{
  LabelImage * labels = nullptr; //!< pipeline::Structure values (read only here)
  LabelImage * head = nullptr;   //!< HeadTissue
  FloatImage * csf = nullptr;
  FloatImage * gm = nullptr;
  FloatImage * wm = nullptr;
};

/** \brief CSF volumes (ml) outside the lateral ventricles. */
struct CsfVolumes
{
  double sulcalMl = 0.0;   //!< CSF fractions of brain voxels without a structure label, outside the cisterns
  double externalMl = 0.0; //!< subarachnoid CSF of the head outside the brain (HeadTissue::ExternalCsf), outside them
  double cisternMl = 0.0;  //!< CSF in the basal-cistern region (brain fractions and subarachnoid CSF)
};

/** \brief Measures CsfVolumes; `cisterns` (0/1, may be null) is the basal-cistern region. */
CsfVolumes MeasureCsf(const TissueMaps & maps, const LabelImage * cisterns);

/** \brief Moves the boundary of the extra-ventricular CSF spaces (sulci and the subarachnoid space: brain voxels
 * without a structure label whose CSF fraction is at least 0.5, and the head's subarachnoid CSF) by `deltaMm`
 * times `weight(point)` along its normal: > 0 widens them (cortex becomes CSF: atrophy), < 0 narrows them (CSF becomes
 * cortex: young brains, swelling). The new CSF fraction of a voxel follows its signed distance to the boundary (the
 * partial-volume fraction near it), never against the direction of the change; grey matter gives or takes the
 * difference first (white matter only when the grey is gone). Structure labels are never changed. `weight` empty: 1.
 * Returns the number of voxels changed. */
std::size_t MoveCsfBoundary(const TissueMaps & maps,
                            double deltaMm,
                            const std::function<double(const Vec3 &)> & weight);

/** \brief MoveCsfBoundary with the distance (within +-6 mm) that makes the sulcal CSF (CsfVolumes::sulcalMl) `factor`
 * times what it was (bisection, 0.5 %); the subarachnoid CSF and the cisterns follow the same distance. Returns it. */
double ScaleSulcalCsf(const TissueMaps & maps, const LabelImage * cisterns, double factor);

} // namespace icanscan::synthetic
