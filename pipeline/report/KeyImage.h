#pragma once

#include "filters/ImageTypes.h"

#include "itkImage.h"
#include "itkPoint.h"
#include "itkRGBPixel.h"

#include <array>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** RGB screen images of the key-image renderer. */
using RgbImage = itk::Image<itk::RGBPixel<unsigned char>, 2>;

/** \brief The anatomical plane of a key image. */
enum class KeyImagePlane
{
  Axial,    //!< screen down = posterior; screen right = patient left (radiological) or patient right
  Coronal,  //!< screen down = inferior; screen right = patient left (radiological) or patient right
  Sagittal, //!< screen down = inferior; screen right = posterior (anterior on the left), whatever `radiological`
};

/** \brief One coloured mask drawn over the base image. */
struct KeyImageOverlay
{
  /** On the grid of the base image (size, spacing, origin, direction); not owned, must not be null. */
  const filters::MaskImage * mask = nullptr;
  std::array<unsigned char, 3> rgb{ { 255, 0, 0 } }; //!< colour
  double opacity = 0.5;                              //!< fill: alpha of the colour, [0, 1]; outlines are opaque
  bool outline = false;                              //!< draw only the mask's edge on the screen grid instead of a fill
  unsigned char label = 0;                           //!< 0: every non-zero voxel; otherwise only voxels of this value
};

/** \brief Parameters of RenderKeyImage. */
struct KeyImageParams
{
  KeyImagePlane plane = KeyImagePlane::Axial;
  /** Physical point (LPS, mm) the plane passes through; only its component along the plane normal matters. */
  itk::Point<double, 3> centre{ 0.0 };
  /** Patient left on screen right (axial, coronal). False: patient left on screen left. No effect on sagittal. */
  bool radiological = true;
  /** Screen pixel size (mm), >= 0. 0: the finest spacing of the base along its two voxel axes nearest the plane,
   * at least 0.5 mm. Coarsened when needed so the longer side stays within maxPixels. */
  double pixelMm = 0.0;
  /** Grey window (base intensity units) mapped to 0..255. Both 0: the 1st to 99.5th percentile of the base voxels
   * above 0. Otherwise windowLow < windowHigh, both finite. */
  double windowLow = 0.0;
  double windowHigh = 0.0;
  int maxPixels = 512; //!< longest side of the screen image (pixels), [16, 8192]
};

/** \brief Renders one plane of `base` with `overlays` on top, for a report.
 *
 * The screen plane is defined in physical (LPS) space, not by voxel index, so volumes of any direction matrix give
 * the same picture. The field of view covers the whole base volume projected on the plane. The base is sampled
 * trilinearly and windowed to grey, black outside the volume; masks are sampled at the nearest voxel and drawn in
 * order: fills alpha-blended, outlines (mask pixels with a 4-neighbour outside the mask) opaque.
 *
 * The returned image's origin and spacing put its pixel centres at plane coordinates in mm: x = P·right and
 * y = P·down for the physical point P shown there (right/down as listed in KeyImagePlane), so a caller can place
 * a physical point with TransformPhysicalPointToIndex. Throws InputError for a null base or mask, a mask off the
 * base grid, or a parameter out of range (naming it, its value and the valid range). */
RgbImage::Pointer RenderKeyImage(const filters::FloatImage * base,
                                 const std::vector<KeyImageOverlay> & overlays,
                                 const KeyImageParams & params);

/** \brief Screen-edge letters {left, right, top, bottom} of a key image: R/L (patient right/left), A/P, S/I;
 * e.g. axial radiological gives {"R", "L", "A", "P"}. */
std::vector<std::string> OrientationLetters(KeyImagePlane plane, bool radiological);

/** \brief The bytes of a PNG file of `image` (ITK's PNG writer through a unique temporary file). Throws InputError
 * for a null image, OutputError when the temporary file cannot be written or read back. */
std::string EncodePng(const RgbImage * image);

/** \brief Standard base64 (RFC 4648, with '=' padding, no line breaks) of arbitrary bytes, e.g. for data: URIs. */
std::string Base64Encode(const std::string & bytes);

} // namespace icanscan::pipeline
