#include "viewer/SlicePlane.h"

#include "core/Error.h"

#include <algorithm>
#include <cctype>

namespace icanscan::viewer
{
namespace
{
std::array<double, 3> Cross(const std::array<double, 3> & a, const std::array<double, 3> & b)
{
  return { a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0] };
}

// LPS: +x patient left, +y posterior, +z superior. The letter names where a direction points.
std::string LetterOf(const std::array<double, 3> & d)
{
  if (d[0] > 0.5)
    return "L";
  if (d[0] < -0.5)
    return "R";
  if (d[1] > 0.5)
    return "P";
  if (d[1] < -0.5)
    return "A";
  return d[2] > 0.0 ? "S" : "I";
}
} // namespace

std::string ToString(Plane plane)
{
  switch (plane)
  {
    case Plane::Axial:
      return "axial";
    case Plane::Coronal:
      return "coronal";
    case Plane::Sagittal:
      return "sagittal";
  }
  return "axial";
}

Plane ParsePlane(const std::string & text)
{
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (Plane p : { Plane::Axial, Plane::Coronal, Plane::Sagittal })
    if (lower == ToString(p))
      return p;
  throw UsageError("plane \"" + text + "\": expected axial, coronal or sagittal");
}

PlaneAxes AxesOf(Plane plane, bool radiological)
{
  const double lr = radiological ? 1.0 : -1.0; // radiological: screen right = patient left = +x
  PlaneAxes axes{};
  switch (plane)
  {
    case Plane::Axial:
      axes.right = { lr, 0.0, 0.0 };
      axes.up = { 0.0, -1.0, 0.0 }; // anterior up
      axes.normalAxis = 2;
      break;
    case Plane::Coronal:
      axes.right = { lr, 0.0, 0.0 };
      axes.up = { 0.0, 0.0, 1.0 }; // superior up
      axes.normalAxis = 1;
      break;
    case Plane::Sagittal:
      axes.right = { 0.0, 1.0, 0.0 }; // posterior right: the face looks to the screen left
      axes.up = { 0.0, 0.0, 1.0 };
      axes.normalAxis = 0;
      break;
  }
  axes.normal = Cross(axes.right, axes.up);
  return axes;
}

OrientationLetters LettersOf(Plane plane, bool radiological)
{
  const PlaneAxes a = AxesOf(plane, radiological);
  const std::array<double, 3> left = { -a.right[0], -a.right[1], -a.right[2] };
  const std::array<double, 3> down = { -a.up[0], -a.up[1], -a.up[2] };
  return { LetterOf(left), LetterOf(a.right), LetterOf(a.up), LetterOf(down) };
}

} // namespace icanscan::viewer
