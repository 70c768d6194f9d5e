#pragma once

#include "synthetic/PhantomDeformation.h"

#include <functional>
#include <string>

namespace icanscan::synthetic
{

/** \brief Parameters of MakeSurfaceField. */
struct SurfaceMotionParams
{
  double volumeFactor = 1.0; //!< wanted volume of the region afterwards / before; (0.2, 4)
  double falloffMm = 14.0;   //!< outside the region the motion fades (cos²) to zero over this distance
  double insideMm = 2.0;     //!< inside, it fades to zero this deep (three times deeper when enlarging)
  double smoothingMm = 2.0;  //!< Gaussian blur of the signed distance whose gradient is the normal
  /** Weight of the motion at a point (LPS mm), in [0, 1]; empty: 1 everywhere. Used to hold a wall still, e.g. the
   * septal wall of one lateral ventricle that enlarges ex vacuo. */
  std::function<double(const Vec3 &)> weight;
};

/** \brief A pull-back field that moves the surface of `region` (0/1) along its normal so that the region's volume
 * changes by `volumeFactor`: outwards (enlargement; the tissue around is compressed over falloffMm, as in atrophy)
 * or inwards (compression; the tissue around expands into it). The field is the exponential of the stationary
 * velocity -k g(d) grad(d) (d: the blurred signed distance to the surface, g: 1 at the surface fading to 0 inside
 * and outside), integrated by scaling and squaring, so it is smooth and invertible; k is found
 * (bracketing regula falsi) on the volume of the pulled-back region (within 0.5 %). `note` tells what was asked and
 * obtained. Throws std::logic_error when the region is empty, the factor is out of range or the field would fold
 * (Jacobian <= 0.05). */
DisplacementField MakeSurfaceField(const LabelImage * region, const SurfaceMotionParams & params, std::string & note);

} // namespace icanscan::synthetic
