#pragma once

#include "itkImage.h"
#include "itkMatrixOffsetTransformBase.h"

#include <algorithm>
#include <array>
#include <vector>

namespace icanscan::synthetic
{

using Vec3 = std::array<double, 3>;

/** \brief y = m x + t, the affine maps the phantom composes per sample (ITK transforms are too slow to call there). */
struct Affine3
{
  std::array<std::array<double, 3>, 3> m{ { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } } };
  Vec3 t{};

  Vec3 operator()(const Vec3 & x) const
  {
    return { m[0][0] * x[0] + m[0][1] * x[1] + m[0][2] * x[2] + t[0],
             m[1][0] * x[0] + m[1][1] * x[1] + m[1][2] * x[2] + t[1],
             m[2][0] * x[0] + m[2][1] * x[1] + m[2][2] * x[2] + t[2] };
  }

  /** The map x -> next(this(x)). */
  Affine3 Then(const Affine3 & next) const
  {
    Affine3 out;
    for (int r = 0; r < 3; ++r)
    {
      for (int c = 0; c < 3; ++c)
        out.m[r][c] = next.m[r][0] * m[0][c] + next.m[r][1] * m[1][c] + next.m[r][2] * m[2][c];
      out.t[r] = next.m[r][0] * t[0] + next.m[r][1] * t[1] + next.m[r][2] * t[2] + next.t[r];
    }
    return out;
  }

  Affine3 Inverse() const
  {
    const auto & a = m;
    const double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                       a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                       a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    Affine3 out;
    out.m[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det;
    out.m[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
    out.m[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
    out.m[1][0] = (a[1][2] * a[2][0] - a[1][0] * a[2][2]) / det;
    out.m[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
    out.m[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
    out.m[2][0] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / det;
    out.m[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
    out.m[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
    for (int r = 0; r < 3; ++r)
      out.t[r] = -(out.m[r][0] * t[0] + out.m[r][1] * t[1] + out.m[r][2] * t[2]);
    return out;
  }

  /** An ITK matrix-offset transform (Euler3DTransform, AffineTransform, ...) as y = M x + offset. */
  static Affine3 FromTransform(const itk::MatrixOffsetTransformBase<double, 3, 3> * transform)
  {
    Affine3 out;
    for (int r = 0; r < 3; ++r)
    {
      for (int c = 0; c < 3; ++c)
        out.m[r][c] = transform->GetMatrix()[r][c];
      out.t[r] = transform->GetOffset()[r];
    }
    return out;
  }

  /** Continuous index -> physical point of an image grid. */
  static Affine3 IndexToPhysical(const itk::ImageBase<3> * image)
  {
    Affine3 out;
    for (int r = 0; r < 3; ++r)
    {
      for (int c = 0; c < 3; ++c)
        out.m[r][c] = image->GetDirection()[r][c] * image->GetSpacing()[c];
      out.t[r] = image->GetOrigin()[r];
    }
    return out;
  }
};

/** \brief The grid of one series (LPS) and how finely it samples each voxel. */
struct SeriesGeometry
{
  std::array<unsigned, 3> size{};
  Vec3 spacing{};             //!< mm: row spacing, column spacing, slice spacing (= thickness: contiguous slices)
  std::array<Vec3, 3> axes{}; //!< unit direction columns: row, column, slice normal (right-handed)
  Vec3 origin{};              //!< centre of voxel (0, 0, 0)
  /** Samples averaged across the slice thickness (a box slice profile); one per mm or so, not a point sample. */
  unsigned sliceSamples = 1;
  unsigned inPlaneSamples = 1;   //!< samples per in-plane axis (partial volume of coarse pixels)
  double sliceThicknessMm = 0.0; //!< slice profile width; 0: the slice spacing (contiguous); less: a gap

  itk::Image<float, 3>::Pointer NewImage() const;
  Affine3 IndexToPhysical() const;
  Vec3 Centre() const;
};

/** \brief An axial stack centred at `centre` (LPS mm): rows along +x, columns along y tilted by `tiltDeg` about x
 * (an oblique plane along the AC-PC line), slices along the normal. */
SeriesGeometry AxialStack(const Vec3 & centre,
                          double tiltDeg,
                          const std::array<unsigned, 2> & matrix,
                          double pixelMm,
                          unsigned slices,
                          double sliceMm);

/** \brief A stack of `slices` planes spanned by the unit vectors `row` and `column` (slice normal row x column),
 * centred at `centre`, with contiguous slices of `sliceMm`. */
SeriesGeometry OrientedStack(const Vec3 & centre,
                             const Vec3 & row,
                             const Vec3 & column,
                             const std::array<unsigned, 2> & matrix,
                             double pixelMm,
                             unsigned slices,
                             double sliceMm);

/** \brief An image of type TImage (zeroed) on the grid of `g`. */
template<typename TImage>
inline typename TImage::Pointer NewImageOn(const SeriesGeometry & g)
{
  auto image = TImage::New();
  typename TImage::RegionType region;
  typename TImage::SpacingType spacing;
  typename TImage::DirectionType direction;
  typename TImage::PointType origin;
  for (unsigned d = 0; d < 3; ++d)
  {
    region.SetSize(d, g.size[d]);
    spacing[d] = g.spacing[d];
    origin[d] = g.origin[d];
    for (unsigned r = 0; r < 3; ++r)
      direction[r][d] = g.axes[d][r];
  }
  image->SetRegions(region);
  image->SetSpacing(spacing);
  image->SetDirection(direction);
  image->SetOrigin(origin);
  image->Allocate(true);
  return image;
}

/** \brief Trilinear interpolation of `data` (size `size`, x fastest) at continuous index `c`; `outside` beyond the
 * outermost voxel centres. */
template<typename TValue>
inline double LinearAt(const TValue * data, const std::array<unsigned, 3> & size, const Vec3 & c, double outside = 0.0)
{
  std::array<long, 3> i0{};
  std::array<double, 3> f{};
  for (unsigned d = 0; d < 3; ++d)
  {
    if (!(c[d] >= 0.0 && c[d] <= size[d] - 1.0))
      return outside;
    i0[d] = std::max<long>(0, std::min<long>(static_cast<long>(c[d]), static_cast<long>(size[d]) - 2));
    f[d] = c[d] - i0[d];
  }
  const std::size_t sy = size[0], sz = std::size_t{ size[0] } * size[1];
  const std::size_t base = i0[0] + sy * i0[1] + sz * i0[2];
  const std::size_t dx = size[0] > 1 ? 1 : 0, dy = size[1] > 1 ? sy : 0, dz = size[2] > 1 ? sz : 0;
  const double c00 = data[base] * (1 - f[0]) + data[base + dx] * f[0];
  const double c10 = data[base + dy] * (1 - f[0]) + data[base + dy + dx] * f[0];
  const double c01 = data[base + dz] * (1 - f[0]) + data[base + dz + dx] * f[0];
  const double c11 = data[base + dz + dy] * (1 - f[0]) + data[base + dz + dy + dx] * f[0];
  return (c00 * (1 - f[1]) + c10 * f[1]) * (1 - f[2]) + (c01 * (1 - f[1]) + c11 * f[1]) * f[2];
}

} // namespace icanscan::synthetic
