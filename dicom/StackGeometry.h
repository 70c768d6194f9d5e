#pragma once

#include "dicom/VolumeSet.h"

namespace icanscan::dicom
{

/** \brief Tolerances of the geometry checks. */
struct StackGeometryParams
{
  double samePositionMm = 0.05;      //!< frames closer than this along the normal share a slice position
  double spacingToleranceMm = 0.02;  //!< absolute slack on each slice gap
  double spacingToleranceRel = 0.02; //!< relative slack on each slice gap (fraction of the median gap)
  double maxTiltDeg = 0.5;           //!< larger angle between slice stacking and slice normal = tilt / shear
  unsigned minSlices = 3;            //!< fewer slices give a warning (not a rejection)
};

/** \brief Sorts a volume set's frames by position along the slice normal (volume-major) and derives its grid.
 *
 * Fills slices, volumes, origin, spacing, direction and per-volume diffusion weighting, and sets the verdict with
 * messages: missing ImagePositionPatient / ImageOrientationPatient / PixelSpacing, duplicate positions, missing
 * slices (gaps), non-uniform spacing, gantry tilt or shear, incomplete volumes, too few slices. */
void ResolveStackGeometry(VolumeSet & set, const StackGeometryParams & params = {});

} // namespace icanscan::dicom
