#pragma once

#include "pipeline/geometry/AtlasLoader.h"

#include "itkPoint.h"

#include <cmath>

namespace icanscan::pipeline
{

/** \brief Where the basal cisterns (suprasellar, interpeduncular, ambient, quadrigeminal, the top of the prepontine)
 * lie in atlas space, relative to the atlas thalami. Neither atlas (AAL, JHU) labels them; this box around the
 * midbrain below the thalami holds all of them in an adult brain (MNI coordinates of the cisterns: suprasellar about
 * y = +5..+15 mm, quadrigeminal about y = -35 mm, both about 10-20 mm below the thalamic floor). */
struct BasalCisternBox
{
  double halfWidthMm = 22.0; //!< |x - thalamic centre x| <= this (the ambient cisterns wrap the midbrain)
  double anteriorMm = 35.0;  //!< from this far in front of the thalamic centroid (suprasellar cistern) ...
  double posteriorMm = 30.0; //!< ... to this far behind it (quadrigeminal cistern)
  double belowMm = 22.0;     //!< from this far below the lowest thalamus voxel (upper pons) ...
  double aboveMm = 3.0;      //!< ... to this far above it

  /** Whether the point (x, y, z; LPS, mm) lies in the box placed on a thalamic centre (x, y) and floor z. */
  bool Contains(double x, double y, double z, double centreX, double centreY, double floorZ) const
  {
    // LPS: y grows towards posterior, z towards superior.
    return std::abs(x - centreX) <= halfWidthMm && y >= centreY - anteriorMm && y <= centreY + posteriorMm &&
           z >= floorZ - belowMm && z <= floorZ + aboveMm;
  }
};

/** \brief The box placed on the atlas: test atlas-space points (LPS, mm) against it. */
struct BasalCisternRegion
{
  itk::Point<double, 3> thalamicCentre;
  double thalamicFloorZ = 0;
  BasalCisternBox box;

  bool Contains(const itk::Point<double, 3> & atlasPoint) const;
};

/** \brief The region on `atlas` (its thalamus labels). Throws InputError when the atlas has no thalamus label. */
BasalCisternRegion PlaceBasalCisterns(const Atlas & atlas, const BasalCisternBox & box = {});

} // namespace icanscan::pipeline
