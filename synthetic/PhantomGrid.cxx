#include "synthetic/PhantomGrid.h"

#include <cmath>

namespace icanscan::synthetic
{
namespace
{

constexpr double kPi = 3.14159265358979323846;

} // namespace

itk::Image<float, 3>::Pointer SeriesGeometry::NewImage() const
{
  return NewImageOn<itk::Image<float, 3>>(*this);
}

Affine3 SeriesGeometry::IndexToPhysical() const
{
  Affine3 a;
  for (unsigned r = 0; r < 3; ++r)
  {
    for (unsigned c = 0; c < 3; ++c)
      a.m[r][c] = axes[c][r] * spacing[c];
    a.t[r] = origin[r];
  }
  return a;
}

Vec3 SeriesGeometry::Centre() const
{
  return IndexToPhysical()(Vec3{ 0.5 * (size[0] - 1.0), 0.5 * (size[1] - 1.0), 0.5 * (size[2] - 1.0) });
}

SeriesGeometry AxialStack(const Vec3 & centre,
                          double tiltDeg,
                          const std::array<unsigned, 2> & matrix,
                          double pixelMm,
                          unsigned slices,
                          double sliceMm)
{
  const double t = tiltDeg * kPi / 180.0;
  return OrientedStack(centre, Vec3{ 1, 0, 0 }, Vec3{ 0, std::cos(t), std::sin(t) }, matrix, pixelMm, slices, sliceMm);
}

SeriesGeometry OrientedStack(const Vec3 & centre,
                             const Vec3 & row,
                             const Vec3 & column,
                             const std::array<unsigned, 2> & matrix,
                             double pixelMm,
                             unsigned slices,
                             double sliceMm)
{
  SeriesGeometry g;
  g.size = { matrix[0], matrix[1], slices };
  g.spacing = { pixelMm, pixelMm, sliceMm };
  const Vec3 normal{ row[1] * column[2] - row[2] * column[1], row[2] * column[0] - row[0] * column[2],
                     row[0] * column[1] - row[1] * column[0] };
  g.axes = { row, column, normal };
  g.origin = centre;
  for (unsigned d = 0; d < 3; ++d)
    for (unsigned r = 0; r < 3; ++r)
      g.origin[r] -= g.axes[d][r] * g.spacing[d] * 0.5 * (g.size[d] - 1.0);
  // About one sample per mm through the slice, at least one; in plane only for pixels much coarser than the atlas.
  g.sliceSamples = std::max(1u, static_cast<unsigned>(std::lround(sliceMm)));
  g.inPlaneSamples = std::max(1u, static_cast<unsigned>(std::ceil(pixelMm - 0.25)));
  return g;
}

} // namespace icanscan::synthetic
