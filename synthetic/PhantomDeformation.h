#pragma once

#include "filters/ImageTypes.h"
#include "synthetic/PhantomGrid.h"

#include "itkImage.h"

#include <random>
#include <vector>

namespace icanscan::synthetic
{

using filters::FloatImage;
using LabelImage = filters::ByteLabelImage;

/** \brief A dense pull-back displacement field: a point x maps to x + u(x) (u trilinear between grid points, zero
 * outside the grid). All coordinates are physical (LPS mm). */
class DisplacementField
{
public:
  DisplacementField() = default;
  /** A zero field on the grid of `grid` (its origin, spacing, direction and size). */
  explicit DisplacementField(const itk::ImageBase<3> * grid);

  bool Empty() const { return m_Values.empty(); }
  Vec3 At(const Vec3 & x) const;
  Vec3 Map(const Vec3 & x) const
  {
    const Vec3 u = At(x);
    return { x[0] + u[0], x[1] + u[1], x[2] + u[2] };
  }
  /** The point y with Map(y) = target (fixed-point iteration; the field must be a contraction-free small warp). */
  Vec3 Invert(const Vec3 & target) const;

  std::array<unsigned, 3> Size() const { return m_Size; }
  std::size_t Offset(unsigned i, unsigned j, unsigned k) const
  {
    return i + m_Size[0] * (j + std::size_t{ m_Size[1] } * k);
  }
  Vec3 GridPoint(unsigned i, unsigned j, unsigned k) const
  {
    return m_IndexToPhysical(Vec3{ double(i), double(j), double(k) });
  }
  float * Values() { return m_Values.data(); } //!< 3 floats per grid point, x fastest
  const float * Values() const { return m_Values.data(); }

  /** The index box [low, high] (inclusive, per axis) of `image`'s voxels the field's grid can reach (u = 0 outside
   * it); empty boxes have low > high. */
  std::array<std::array<long, 2>, 3> IndexBoxIn(const itk::ImageBase<3> * image) const;

  /** Largest |u| over the grid points. */
  double MaxMagnitude() const;
  /** Smallest and largest Jacobian determinant of x -> x + u(x) over the grid (central differences). */
  std::pair<double, double> JacobianRange() const;

private:
  std::array<unsigned, 3> m_Size{};
  Affine3 m_IndexToPhysical;
  Affine3 m_PhysicalToIndex;
  std::vector<float> m_Values;
};

/** \brief A random smooth warp: Gaussian-smoothed white noise (std `correlationMm`) on a `spacingMm` grid covering
 * `extent`, faded to zero over 20 mm at the grid border and scaled so the largest displacement over `brainPoints`
 * is `maximumMm`. Throws std::logic_error when the result would fold (Jacobian <= 0.2). */
DisplacementField MakeRandomWarp(const itk::ImageBase<3> * extent,
                                 const std::vector<Vec3> & brainPoints,
                                 double maximumMm,
                                 double correlationMm,
                                 double spacingMm,
                                 std::mt19937 & rng);

/** \brief One region to swell (or compress) about its centroid. */
struct SwellingSource
{
  const LabelImage * region = nullptr; //!< non-zero voxels; on the grid the field is made on
  double volumePercent = 0.0;          //!< volume change of the region: +20 = 20 % larger
  double falloffMm = 10.0;             //!< outside the region, the displacement fades to zero over this distance
};

/** \brief The pull-back field of radial swellings: inside (and within 2 mm of) each region, x maps to
 * c + (x - c) * s^(-1/3) about the region's centroid c (s = 1 + volumePercent / 100), fading smoothly (cos²) to the
 * identity over falloffMm; where several regions are close, each voxel follows the nearest ones (soft-min of their
 * distances, 1 mm), so a swelling does not drag its neighbour. Throws std::logic_error when the map would fold. */
DisplacementField MakeSwellingField(const itk::ImageBase<3> * grid, const std::vector<SwellingSource> & sources);

/** \brief The pull-back field of a focal lesion's mass effect: the lesion's hemisphere pushed towards the other one
 * by `pushMm` along x (negative: pulled towards the lesion, as volume loss does). The push is full from the lesion's
 * lateral side to its medial edge, fades (cos²) to zero `fadePastMidlineMm` past the midline, falls off with the
 * distance from the lesion in y and z (Gaussian, 30 mm) and fades to zero over the outer 25 mm of the brain (the skull
 * does not move; the falx region moves less than the septum). So the tissue between the skull and the lesion expands,
 * the ipsilateral ventricle between the lesion and the midline is compressed and the midline shifts by about half the
 * push. Zero outside `brain`. Throws std::logic_error when the map would fold. */
DisplacementField MakeHemispherePush(const itk::ImageBase<3> * grid,
                                     const LabelImage * lesion,
                                     const LabelImage * brain,
                                     double pushMm,
                                     double fadePastMidlineMm = 35.0);

/** \brief `image` pulled back through `field` on its own grid: out(x) = image(x + u(x)); linear interpolation. */
FloatImage::Pointer PullBack(const FloatImage * image, const DisplacementField & field);
/** \brief The same for labels: each voxel takes the label with the largest trilinear weight among the 8 voxels
 * around its source point (so label boundaries move by fractions of a voxel, and volumes change as the field says). */
LabelImage::Pointer PullBack(const LabelImage * image, const DisplacementField & field);

} // namespace icanscan::synthetic
