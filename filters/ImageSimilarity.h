#pragma once

#include "filters/ImageTypes.h"

#include "itkTransform.h"

#include <cstddef>

namespace icanscan::filters
{

/** \brief A Mattes mutual information value and the number of samples it came from. */
struct MutualInformationValue
{
  double value = 0;        //!< ITK's Mattes metric: minus the mutual information in nats, so lower is better
  std::size_t samples = 0; //!< fixed-mask voxels whose mapped point fell inside the moving image (and its mask)
};

/** \brief Mattes mutual information between `fixed` and `moving` read through `transform` (fixed point -> moving
 * point; null = identity), over every voxel of the fixed grid inside `fixedMask` (null = all) whose mapped point lies
 * in the moving image and in `movingMask` (null = all). Dense, so the value is reproducible. Masks must be on their
 * image's grid. `histogramBins` in [8, 256]. */
MutualInformationValue MattesMutualInformation(const FloatImage * fixed,
                                               const FloatImage * moving,
                                               const MaskImage * fixedMask,
                                               const MaskImage * movingMask,
                                               const itk::Transform<double, 3, 3> * transform,
                                               unsigned histogramBins = 32);

/** \brief Dice coefficient 2|A∩B| / (|A|+|B|) of two masks on the same grid (InputError otherwise); voxels where
 * `region` (optional, same grid) is zero are ignored. 1 when both are empty. */
double Dice(const MaskImage * a, const MaskImage * b, const MaskImage * region = nullptr);

/** \brief Edge agreement: Pearson correlation of the gradient magnitudes of `fixed` and of `moving` read through
 * `transform`, over the voxels of the fixed grid inside `mask` (on the fixed grid; null = all) whose mapped point
 * lies inside the moving image. Each image is first smoothed with a Gaussian of `sigmaMm` (physical, so thin and
 * thick slices are treated alike). Gradient magnitude does not care which side of an edge is bright, so it compares
 * T2 with FLAIR or b0. Returns 0 when fewer than 100 voxels are usable. `sigmaMm` in [0, 20]. */
double GradientMagnitudeCorrelation(const FloatImage * fixed,
                                    const FloatImage * moving,
                                    const MaskImage * mask,
                                    const itk::Transform<double, 3, 3> * transform,
                                    double sigmaMm = 1.0);

} // namespace icanscan::filters
