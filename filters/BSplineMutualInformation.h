#pragma once

#include "filters/ImageTypes.h"

#include "itkBSplineTransform.h"

#include <vector>

namespace icanscan::filters
{

using FineBSplineTransform = itk::BSplineTransform<double, 3, 3>;

/** \brief Mattes mutual information between a fixed and a moving image seen through a B-spline transform, with the
 * transform's sparse Jacobian.
 *
 * ITK's Mattes metric (v4) treats a B-spline as a global transform: every sample touches every parameter, so a
 * value-and-derivative costs samples x parameters and a fine grid (15 mm and below) becomes unaffordable. Here each
 * sample touches only the 64 control points that support it (Mattes et al. 2003, with the derivative in two passes
 * as in Thevenaz and Unser 2000): cost O(samples), whatever the grid. Parzen windows as in ITK: zero-order on the fixed
 * intensity, cubic B-spline on the moving one; both ranges come from the images. Moving values and gradients come from
 * trilinear interpolation (the gradient is that interpolant's exact derivative), so the derivative is the derivative
 * of the value. Samples mapped outside the moving image are left out. Not thread-safe: one instance per thread. */
class BSplineMutualInformation
{
public:
  using Point = itk::Point<double, 3>;

  /** Throws ConfigError for fewer than 8 or more than 256 bins, InputError for a missing or flat image. */
  BSplineMutualInformation(const RegistrationImage * fixed, const RegistrationImage * moving, unsigned bins);

  /** Fixed intensity at a physical point (trilinear); false outside the fixed image. */
  bool FixedValue(const Point & point, double & value) const;

  /** Negative mutual information (lower is better) of the samples `points` with fixed intensities `fixedValues`;
   * `derivative` (resized to the transform's parameter count) receives its gradient. `validSamples` counts the samples
   * that mapped inside the moving image. */
  double ValueAndDerivative(const FineBSplineTransform & transform,
                            const std::vector<Point> & points,
                            const std::vector<double> & fixedValues,
                            itk::Array<double> & derivative,
                            std::size_t & validSamples) const;

private:
  bool MovingValueAndGradient(const Point & point, double & value, itk::Vector<double, 3> & gradient) const;

  RegistrationImage::ConstPointer m_Fixed;
  RegistrationImage::ConstPointer m_Moving;
  unsigned m_Bins;
  double m_FixedMin = 0, m_FixedBinSize = 1;
  double m_MovingMin = 0, m_MovingBinSize = 1;
  itk::Matrix<double, 3, 3> m_MovingIndexToPhysicalGradient; //!< direction x spacing^-1
};

} // namespace icanscan::filters
