#include "pipeline/report/KeyImage.h"

#include "core/TextFormat.h"

#include "core/Error.h"
#include "pipeline/report/OutputFiles.h"

#include "itkImageFileWriter.h"
#include "itkPNGImageIO.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <tuple>

namespace icanscan::pipeline
{
namespace
{
using Vec3 = std::array<double, 3>;

[[noreturn]] void BadParam(const std::string & name, const std::string & value, const std::string & expected)
{
  throw InputError("key image parameter " + name + " = " + value + ": expected " + expected);
}

/** Unit vectors of the screen in LPS: right, down, and the plane normal. */
struct ScreenAxes
{
  Vec3 right;
  Vec3 down;
  Vec3 normal;
};

ScreenAxes AxesOf(KeyImagePlane plane, bool radiological)
{
  const double lr = radiological ? 1.0 : -1.0;
  switch (plane)
  {
    case KeyImagePlane::Axial:
      return { { lr, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
    case KeyImagePlane::Coronal:
      return { { lr, 0, 0 }, { 0, 0, -1 }, { 0, 1, 0 } };
    case KeyImagePlane::Sagittal:
      return { { 0, 1, 0 }, { 0, 0, -1 }, { 1, 0, 0 } };
  }
  throw InputError("key image parameter plane = " + ToText(static_cast<int>(plane)) +
                   ": expected axial, coronal or "
                   "sagittal");
}

double Dot(const Vec3 & a, const itk::Point<double, 3> & p)
{
  return a[0] * p[0] + a[1] * p[1] + a[2] * p[2];
}

void CheckParams(const KeyImageParams & params, const std::vector<KeyImageOverlay> & overlays)
{
  if (!(std::isfinite(params.pixelMm) && params.pixelMm >= 0.0 && params.pixelMm <= 100.0))
    BadParam("pixelMm", ToText(params.pixelMm), "0 (automatic) or a value in (0, 100] mm");
  const bool automaticWindow = params.windowLow == 0.0 && params.windowHigh == 0.0;
  if (!automaticWindow &&
      !(std::isfinite(params.windowLow) && std::isfinite(params.windowHigh) && params.windowLow < params.windowHigh))
  {
    BadParam("window", "[" + ToText(params.windowLow) + ", " + ToText(params.windowHigh) + "]",
             "both 0 (automatic) or finite windowLow < windowHigh");
  }
  if (params.maxPixels < 16 || params.maxPixels > 8192)
    BadParam("maxPixels", ToText(params.maxPixels), "a value in [16, 8192]");
  for (unsigned d = 0; d < 3; ++d)
  {
    if (!std::isfinite(params.centre[d]))
      BadParam("centre", ToText(params.centre), "a finite physical point (mm)");
  }
  for (std::size_t i = 0; i < overlays.size(); ++i)
  {
    const std::string name = "overlay " + std::to_string(i);
    if (overlays[i].mask == nullptr)
      throw InputError("key image " + name + " has no mask (null image)");
    if (!(overlays[i].opacity >= 0.0 && overlays[i].opacity <= 1.0))
      BadParam(name + " opacity", ToText(overlays[i].opacity), "a value in [0, 1]");
  }
}

void RequireInMemory(const itk::ImageBase<3> * image, const std::string & what)
{
  if (image->GetBufferedRegion() != image->GetLargestPossibleRegion() ||
      image->GetLargestPossibleRegion().GetNumberOfPixels() == 0)
  {
    throw InputError(what + " is not in memory: buffered region " + ToText(image->GetBufferedRegion()) +
                     ", expected the whole image " + ToText(image->GetLargestPossibleRegion()));
  }
}

/** Same region, spacing, origin and direction as the base (to 1e-4 of a voxel). */
void RequireBaseGrid(const itk::ImageBase<3> * base, const itk::ImageBase<3> * mask, const std::string & what)
{
  bool same = base->GetLargestPossibleRegion() == mask->GetLargestPossibleRegion();
  for (unsigned d = 0; d < 3 && same; ++d)
  {
    const double tolerance = 1e-4 * base->GetSpacing()[d];
    same = std::abs(base->GetSpacing()[d] - mask->GetSpacing()[d]) <= tolerance &&
           std::abs(base->GetOrigin()[d] - mask->GetOrigin()[d]) <= tolerance;
    for (unsigned c = 0; c < 3 && same; ++c)
      same = std::abs(base->GetDirection()(d, c) - mask->GetDirection()(d, c)) <= 1e-6;
  }
  if (!same)
  {
    throw InputError(what + " is not on the base image grid: size " +
                     ToText(mask->GetLargestPossibleRegion().GetSize()) + " spacing " + ToText(mask->GetSpacing()) +
                     " origin " + ToText(mask->GetOrigin()) + ", expected size " +
                     ToText(base->GetLargestPossibleRegion().GetSize()) + " spacing " + ToText(base->GetSpacing()) +
                     " origin " + ToText(base->GetOrigin()));
  }
}

/** The 1st and 99.5th percentiles of the finite voxels above 0; [0, 1] when there are none. */
std::pair<double, double> AutomaticWindow(const filters::FloatImage * base)
{
  const float * p = base->GetBufferPointer();
  const std::size_t n = base->GetBufferedRegion().GetNumberOfPixels();
  std::vector<float> values;
  std::copy_if(p, p + n, std::back_inserter(values), [](float v) { return std::isfinite(v) && v > 0.0f; });
  if (values.empty())
    return { 0.0, 1.0 };
  const auto at = [&values](double fraction)
  {
    const auto k = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return static_cast<double>(values[k]);
  };
  const double high = at(0.995);
  const double low = at(0.01);
  // A (nearly) constant image: show it white on black rather than as a zero-width window.
  return high > low ? std::make_pair(low, high) : std::make_pair(0.0, high);
}

/** Trilinear interpolation at a continuous index relative to the region start, clamped to the voxel centres. */
double Trilinear(const float * buffer, const itk::Size<3> & size, const double (&ci)[3])
{
  itk::IndexValueType i0[3];
  itk::IndexValueType i1[3];
  double f[3];
  for (unsigned d = 0; d < 3; ++d)
  {
    const auto last = static_cast<double>(size[d] - 1);
    const double c = std::min(std::max(ci[d], 0.0), last);
    i0[d] = static_cast<itk::IndexValueType>(std::floor(c));
    i1[d] = std::min<itk::IndexValueType>(i0[d] + 1, static_cast<itk::IndexValueType>(size[d] - 1));
    f[d] = c - static_cast<double>(i0[d]);
  }
  const auto sx = static_cast<itk::IndexValueType>(size[0]);
  const auto sxy = sx * static_cast<itk::IndexValueType>(size[1]);
  const auto at = [&](itk::IndexValueType x, itk::IndexValueType y, itk::IndexValueType z)
  { return static_cast<double>(buffer[x + y * sx + z * sxy]); };
  const double c00 = at(i0[0], i0[1], i0[2]) * (1 - f[0]) + at(i1[0], i0[1], i0[2]) * f[0];
  const double c10 = at(i0[0], i1[1], i0[2]) * (1 - f[0]) + at(i1[0], i1[1], i0[2]) * f[0];
  const double c01 = at(i0[0], i0[1], i1[2]) * (1 - f[0]) + at(i1[0], i0[1], i1[2]) * f[0];
  const double c11 = at(i0[0], i1[1], i1[2]) * (1 - f[0]) + at(i1[0], i1[1], i1[2]) * f[0];
  const double c0 = c00 * (1 - f[1]) + c10 * f[1];
  const double c1 = c01 * (1 - f[1]) + c11 * f[1];
  return c0 * (1 - f[2]) + c1 * f[2];
}

/** Default screen pixel: the finest spacing of the two voxel axes nearest the plane, at least 0.5 mm. */
double AutomaticPixelMm(const filters::FloatImage * base, const Vec3 & normal)
{
  unsigned through = 0;
  double best = -1.0;
  for (unsigned axis = 0; axis < 3; ++axis)
  {
    double alignment = 0.0;
    for (unsigned d = 0; d < 3; ++d)
      alignment += base->GetDirection()(d, axis) * normal[d];
    if (std::abs(alignment) > best)
    {
      best = std::abs(alignment);
      through = axis;
    }
  }
  double finest = std::numeric_limits<double>::max();
  for (unsigned axis = 0; axis < 3; ++axis)
  {
    if (axis != through)
      finest = std::min(finest, base->GetSpacing()[axis]);
  }
  return std::max(finest, 0.5);
}
/** The screen raster: pixel (column, row) has its centre at plane coordinates
 * (u0 + (column + 0.5) pixelMm, v0 + (row + 0.5) pixelMm). */
struct ScreenGrid
{
  itk::SizeValueType width = 1;
  itk::SizeValueType height = 1;
  double u0 = 0.0;
  double v0 = 0.0;
  double pixelMm = 1.0;
};

/** Covers the outer voxel corners of the base projected on the screen axes, centred on them. */
ScreenGrid MakeScreenGrid(const filters::FloatImage * base, const ScreenAxes & axes, const KeyImageParams & params)
{
  const auto region = base->GetLargestPossibleRegion();
  double uMin = std::numeric_limits<double>::max(), uMax = -uMin, vMin = uMin, vMax = -uMin;
  for (unsigned corner = 0; corner < 8; ++corner)
  {
    itk::ContinuousIndex<double, 3> ci;
    for (unsigned d = 0; d < 3; ++d)
    {
      ci[d] = static_cast<double>(region.GetIndex(d)) - 0.5 +
              ((corner >> d) & 1u ? static_cast<double>(region.GetSize(d)) : 0.0);
    }
    itk::Point<double, 3> p;
    base->TransformContinuousIndexToPhysicalPoint(ci, p);
    uMin = std::min(uMin, Dot(axes.right, p));
    uMax = std::max(uMax, Dot(axes.right, p));
    vMin = std::min(vMin, Dot(axes.down, p));
    vMax = std::max(vMax, Dot(axes.down, p));
  }
  ScreenGrid grid;
  grid.pixelMm = params.pixelMm > 0.0 ? params.pixelMm : AutomaticPixelMm(base, axes.normal);
  const double longest = std::max(uMax - uMin, vMax - vMin);
  if (longest / grid.pixelMm > params.maxPixels)
    grid.pixelMm = longest / params.maxPixels;
  // The small tolerance keeps an extent of exactly N pixels from becoming N + 1 through rounding.
  const auto count = [&grid](double extent)
  { return std::max<itk::SizeValueType>(1, static_cast<itk::SizeValueType>(std::ceil(extent / grid.pixelMm - 1e-6))); };
  grid.width = count(uMax - uMin);
  grid.height = count(vMax - vMin);
  grid.u0 = 0.5 * (uMin + uMax) - 0.5 * static_cast<double>(grid.width) * grid.pixelMm;
  grid.v0 = 0.5 * (vMin + vMax) - 0.5 * static_cast<double>(grid.height) * grid.pixelMm;
  return grid;
}

/** Blends a fill, or paints an outline opaque, into `colour` (RGB per pixel, 0..255). */
void DrawOverlay(const KeyImageOverlay & overlay,
                 const std::vector<long long> & voxelOf,
                 const ScreenGrid & grid,
                 std::vector<double> & colour)
{
  const unsigned char * mask = overlay.mask->GetBufferPointer();
  std::vector<unsigned char> in(voxelOf.size());
  for (std::size_t k = 0; k < voxelOf.size(); ++k)
  {
    const unsigned char value = voxelOf[k] >= 0 ? mask[voxelOf[k]] : 0;
    in[k] = overlay.label == 0 ? value != 0 : value == overlay.label;
  }
  const auto width = grid.width;
  for (itk::SizeValueType row = 0; row < grid.height; ++row)
  {
    for (itk::SizeValueType column = 0; column < width; ++column)
    {
      const std::size_t k = row * width + column;
      if (!in[k])
        continue;
      double alpha = overlay.opacity;
      if (overlay.outline)
      {
        // Pixels at the screen border count as edge so a mask cut by the field of view still closes.
        const bool edge = row == 0 || column == 0 || row + 1 == grid.height || column + 1 == width || !in[k - 1] ||
                          !in[k + 1] || !in[k - width] || !in[k + width];
        if (!edge)
          continue;
        alpha = 1.0;
      }
      for (unsigned c = 0; c < 3; ++c)
        colour[3 * k + c] = (1.0 - alpha) * colour[3 * k + c] + alpha * overlay.rgb[c];
    }
  }
}
} // namespace

std::vector<std::string> OrientationLetters(KeyImagePlane plane, bool radiological)
{
  const std::string left = radiological ? "R" : "L";
  const std::string right = radiological ? "L" : "R";
  switch (plane)
  {
    case KeyImagePlane::Axial:
      return { left, right, "A", "P" };
    case KeyImagePlane::Coronal:
      return { left, right, "S", "I" };
    case KeyImagePlane::Sagittal:
      return { "A", "P", "S", "I" };
  }
  throw InputError("key image plane " + ToText(static_cast<int>(plane)) + ": expected axial, coronal or sagittal");
}

RgbImage::Pointer RenderKeyImage(const filters::FloatImage * base,
                                 const std::vector<KeyImageOverlay> & overlays,
                                 const KeyImageParams & params)
{
  if (base == nullptr)
    throw InputError("key image base is missing (null image)");
  RequireInMemory(base, "key image base");
  CheckParams(params, overlays);
  for (std::size_t i = 0; i < overlays.size(); ++i)
  {
    const std::string what = "key image overlay " + std::to_string(i) + " mask";
    RequireBaseGrid(base, overlays[i].mask, what);
    RequireInMemory(overlays[i].mask, what);
  }
  const ScreenAxes axes = AxesOf(params.plane, params.radiological);
  const ScreenGrid grid = MakeScreenGrid(base, axes, params);
  double low = params.windowLow;
  double high = params.windowHigh;
  if (low == 0.0 && high == 0.0)
    std::tie(low, high) = AutomaticWindow(base);

  // Sample the base; remember the nearest voxel of each screen pixel (-1 outside) for the masks.
  const auto region = base->GetLargestPossibleRegion();
  const auto size = region.GetSize();
  const auto start = region.GetIndex();
  const double w = Dot(axes.normal, params.centre);
  const std::size_t pixels = grid.width * grid.height;
  std::vector<double> colour(3 * pixels, 0.0);
  std::vector<long long> voxelOf(pixels, -1);
  for (itk::SizeValueType row = 0; row < grid.height; ++row)
  {
    const double v = grid.v0 + (static_cast<double>(row) + 0.5) * grid.pixelMm;
    for (itk::SizeValueType column = 0; column < grid.width; ++column)
    {
      const double u = grid.u0 + (static_cast<double>(column) + 0.5) * grid.pixelMm;
      itk::Point<double, 3> p;
      for (unsigned d = 0; d < 3; ++d)
        p[d] = u * axes.right[d] + v * axes.down[d] + w * axes.normal[d];
      itk::ContinuousIndex<double, 3> index;
      base->TransformPhysicalPointToContinuousIndex(p, index);
      double ci[3];
      bool inside = true;
      long long voxel = 0;
      long long stride = 1;
      for (unsigned d = 0; d < 3; ++d)
      {
        ci[d] = index[d] - static_cast<double>(start[d]);
        const auto n = static_cast<long long>(size[d]);
        inside = inside && ci[d] >= -0.5 && ci[d] < static_cast<double>(n) - 0.5;
        const long long nearest = std::clamp<long long>(std::llround(std::floor(ci[d] + 0.5)), 0, n - 1);
        voxel += nearest * stride;
        stride *= n;
      }
      if (!inside)
        continue;
      const std::size_t k = row * grid.width + column;
      voxelOf[k] = voxel;
      const double value = Trilinear(base->GetBufferPointer(), size, ci);
      const double grey = std::isfinite(value) ? std::clamp((value - low) / (high - low), 0.0, 1.0) * 255.0 : 0.0;
      colour[3 * k] = colour[3 * k + 1] = colour[3 * k + 2] = grey;
    }
  }
  for (const auto & overlay : overlays)
    DrawOverlay(overlay, voxelOf, grid, colour);

  auto image = RgbImage::New();
  RgbImage::RegionType screen;
  screen.SetSize(0, grid.width);
  screen.SetSize(1, grid.height);
  image->SetRegions(screen);
  RgbImage::SpacingType spacing;
  spacing.Fill(grid.pixelMm);
  image->SetSpacing(spacing);
  RgbImage::PointType origin;
  origin[0] = grid.u0 + 0.5 * grid.pixelMm;
  origin[1] = grid.v0 + 0.5 * grid.pixelMm;
  image->SetOrigin(origin);
  image->Allocate();
  auto * out = image->GetBufferPointer();
  for (std::size_t k = 0; k < pixels; ++k)
  {
    for (unsigned c = 0; c < 3; ++c)
      out[k][c] = static_cast<unsigned char>(std::lround(std::clamp(colour[3 * k + c], 0.0, 255.0)));
  }
  return image;
}

std::string EncodePng(const RgbImage * image)
{
  if (image == nullptr || image->GetBufferPointer() == nullptr || image->GetBufferedRegion().GetNumberOfPixels() == 0)
  {
    throw InputError("key image to encode as PNG is missing or empty");
  }
  std::error_code ec;
  const std::filesystem::path folder = std::filesystem::temp_directory_path(ec);
  if (ec || !std::filesystem::is_directory(folder, ec))
    throw OutputError("key image PNG: no usable temporary folder" + (ec ? ": " + ec.message() : std::string()));
  const std::filesystem::path file = TemporarySibling(folder / "icanscan-keyimage.png");
  try
  {
    auto writer = itk::ImageFileWriter<RgbImage>::New();
    writer->SetImageIO(itk::PNGImageIO::New());
    writer->SetInput(image);
    writer->SetFileName(file.string());
    writer->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    std::filesystem::remove(file, ec);
    throw OutputError(file.string() + ": cannot write key image PNG: " + e.GetDescription());
  }
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const bool ok = !in.bad() && bytes.size() > 8;
  in.close();
  std::filesystem::remove(file, ec);
  if (!ok)
    throw OutputError(file.string() + ": cannot read back the key image PNG");
  return bytes;
}

std::string Base64Encode(const std::string & bytes)
{
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3)
  {
    const unsigned triple = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(triple >> 18) & 63];
    out += alphabet[(triple >> 12) & 63];
    out += alphabet[(triple >> 6) & 63];
    out += alphabet[triple & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0)
  {
    const unsigned first = static_cast<unsigned char>(bytes[i]);
    const unsigned second = rest == 2 ? static_cast<unsigned char>(bytes[i + 1]) : 0u;
    const unsigned triple = first << 16 | second << 8;
    out += alphabet[(triple >> 18) & 63];
    out += alphabet[(triple >> 12) & 63];
    out += rest == 2 ? alphabet[(triple >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

} // namespace icanscan::pipeline
