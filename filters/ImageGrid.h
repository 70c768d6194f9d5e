#pragma once

#include "itkImageBase.h"

#include <cmath>

namespace icanscan::filters
{

/** \brief True when `b` lies on the grid of `a`: same size, and origin and spacing within `voxelFraction` of a voxel
 * of `a`, direction cosines within `voxelFraction` (default 1e-4: equal up to floating-point and DICOM rounding). */
inline bool SameGrid(const itk::ImageBase<3> * a, const itk::ImageBase<3> * b, double voxelFraction = 1e-4)
{
  if (a->GetLargestPossibleRegion().GetSize() != b->GetLargestPossibleRegion().GetSize())
    return false;
  for (unsigned d = 0; d < 3; ++d)
  {
    const double tolerance = voxelFraction * a->GetSpacing()[d];
    if (std::abs(a->GetOrigin()[d] - b->GetOrigin()[d]) > tolerance ||
        std::abs(a->GetSpacing()[d] - b->GetSpacing()[d]) > tolerance)
      return false;
    for (unsigned c = 0; c < 3; ++c)
      if (std::abs(a->GetDirection()(d, c) - b->GetDirection()(d, c)) > voxelFraction)
        return false;
  }
  return true;
}

} // namespace icanscan::filters
