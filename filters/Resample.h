#pragma once

#include <vector>

#include "filters/ImageTypes.h"

#include "itkTransform.h"
#include "itkVector.h"

namespace icanscan::filters
{

/** \brief How intensities are interpolated when resampling. */
enum class InterpolationMode
{
  Nearest,      //!< nearest voxel: no new values (use for masks and labels; label maps always use it)
  Linear,       //!< trilinear: the default, no overshoot
  BSpline,      //!< B-spline of `bsplineOrder`: sharper, may overshoot at edges (see clampToInputRange)
  WindowedSinc, //!< Welch-windowed sinc of `sincRadius`: sharpest, rings at edges (see clampToInputRange)
};

/** \brief Parameters of ResampleImage, ResliceToSpacing and ResliceToIsotropic. */
struct ResampleParams
{
  InterpolationMode interpolation = InterpolationMode::Linear;
  unsigned bsplineOrder = 3; //!< order of the B-spline interpolator; [1, 5]
  unsigned sincRadius = 3;   //!< windowed-sinc kernel radius in voxels; [2, 5]
  double defaultValue = 0.0; //!< value of output voxels that map outside the input image
  /** Gaussian pre-filter along input axes where the output grid is coarser than the input, so that downsampling
   * (0.45 mm to 1.5 mm) does not alias: sigma = sqrt(out² - in²) / 2.355 mm, i.e. the output voxel becomes the
   * full width at half maximum of the combined blur. No effect where the output is as fine as the input. */
  bool antiAlias = true;
  /** Clip B-spline and windowed-sinc results to the input's [min, max] so overshoot cannot create negative or
   * brighter-than-anywhere intensities. No effect for nearest and linear, which cannot overshoot. */
  bool clampToInputRange = true;
};

/** \brief Checks every parameter; throws ConfigError naming the first bad one, its value and the valid range. */
void ValidateResampleParams(const ResampleParams & params);

/** \brief Resamples `image` onto the grid of `grid` (size, spacing, origin, direction; its pixels are not read).
 * `transform` maps a point of the output grid to the point of `image` to read (ITK convention: the registration
 * transform fixed -> moving); null means identity. */
FloatImage::Pointer ResampleImage(const FloatImage * image,
                                  const itk::ImageBase<3> * grid,
                                  const itk::Transform<double, 3, 3> * transform = nullptr,
                                  const ResampleParams & params = {});

/** \brief Label-safe resampling: nearest neighbour only, so no label value is created or mixed. Voxels outside the
 * input get `background`. */
LabelImage::Pointer ResampleLabels(const LabelImage * labels,
                                   const itk::ImageBase<3> * grid,
                                   const itk::Transform<double, 3, 3> * transform = nullptr,
                                   LabelImage::PixelType background = 0);

/** \brief ResampleLabels for binary masks. */
MaskImage::Pointer ResampleMask(const MaskImage * mask,
                                const itk::ImageBase<3> * grid,
                                const itk::Transform<double, 3, 3> * transform = nullptr);

/** \brief ResampleMask for several masks at once: the transform is evaluated once per output voxel (a B-spline
 * composite costs seconds per pass at clinical in-plane resolution) and every mask is read at the same nearest input
 * voxel. Masks on different grids are resampled one by one (exactly). Same results as ResampleMask, in input order.
 * `transformLatticeMm` > 0: the transform is evaluated only on a lattice of output voxels about that far apart (never
 * closer than one voxel) and interpolated trilinearly in between, exact for an affine and within hundredths of a mm
 * for a B-spline whose control points are 10 mm or more apart, at a fraction of the cost on fine grids. */
std::vector<MaskImage::Pointer> ResampleMasks(const std::vector<const MaskImage *> & masks,
                                              const itk::ImageBase<3> * grid,
                                              const itk::Transform<double, 3, 3> * transform,
                                              double transformLatticeMm = 0);

/** \brief A geometry-only image (no pixel buffer) covering the field of view of `image` with the given spacing per
 * axis (mm, each in [0.05, 50]): same direction and centre; size per axis round(extent / spacing), at least 1. */
itk::ImageBase<3>::Pointer MakeGridWithSpacing(const itk::ImageBase<3> * image, const itk::Vector<double, 3> & spacing);

/** \brief MakeGridWithSpacing with max(own spacing, minSpacingMm) per axis: fine axes (0.45 mm in-plane) become
 * minSpacingMm, coarser ones (5 mm slices) are kept, so no axis is ever upsampled. minSpacingMm in [0.05, 50]. */
itk::ImageBase<3>::Pointer MakeWorkingGrid(const itk::ImageBase<3> * image, double minSpacingMm);

/** \brief Reslices `image` onto MakeGridWithSpacing(image, spacing). */
FloatImage::Pointer ResliceToSpacing(const FloatImage * image,
                                     const itk::Vector<double, 3> & spacing,
                                     const ResampleParams & params = {});

/** \brief Reslices `image` to isotropic voxels of `spacingMm` (in [0.05, 50] mm) over the same field of view, e.g.
 * 0.45 x 0.45 x 5 mm to 1 mm. Upsampling the thick axis interpolates between slices; it adds no information. */
FloatImage::Pointer ResliceToIsotropic(const FloatImage * image, double spacingMm, const ResampleParams & params = {});

} // namespace icanscan::filters
