#include "pipeline/report/KeyImage.h"

#include "core/Error.h"

#include "itkImageFileReader.h"
#include "itkImageRegionIteratorWithIndex.h"
#include "itkPNGImageIO.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;
using pipeline::KeyImageOverlay;
using pipeline::KeyImageParams;
using pipeline::KeyImagePlane;
using pipeline::RgbImage;
using FloatImage = itk::Image<float, 3>;
using MaskImage = itk::Image<unsigned char, 3>;
using Point = itk::Point<double, 3>;
using Direction = itk::Matrix<double, 3, 3>;

/** Direction from its three columns (the LPS directions of voxel axes i, j, k). */
Direction Columns(const std::array<double, 3> & i, const std::array<double, 3> & j, const std::array<double, 3> & k)
{
  Direction d;
  for (unsigned r = 0; r < 3; ++r)
  {
    d(r, 0) = i[r];
    d(r, 1) = j[r];
    d(r, 2) = k[r];
  }
  return d;
}

Direction Identity()
{
  Direction d;
  d.SetIdentity();
  return d;
}

/** Voxel axes: i = anterior, j = inferior, k = patient left; determinant -1 (a flipped frame). */
Direction PermutedFlipped()
{
  return Columns({ 0, -1, 0 }, { 0, 0, -1 }, { 1, 0, 0 });
}

/** 30 degrees oblique about the z axis, with i flipped (patient right first). */
Direction Oblique()
{
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  return Columns({ -c, -s, 0 }, { -s, c, 0 }, { 0, 0, 1 });
}

/** A volume of the given grid whose centre is the physical origin. */
template<typename TImage>
typename TImage::Pointer MakeImage(const itk::Size<3> & size,
                                   const std::array<double, 3> & spacing,
                                   const Direction & d)
{
  auto image = TImage::New();
  image->SetRegions(typename TImage::RegionType(size));
  typename TImage::SpacingType s;
  for (unsigned a = 0; a < 3; ++a)
    s[a] = spacing[a];
  image->SetSpacing(s);
  image->SetDirection(d);
  typename TImage::PointType origin;
  for (unsigned r = 0; r < 3; ++r)
  {
    origin[r] = 0;
    for (unsigned a = 0; a < 3; ++a)
      origin[r] -= d(r, a) * s[a] * (static_cast<double>(size[a]) - 1) / 2;
  }
  image->SetOrigin(origin);
  image->Allocate(true);
  return image;
}

/** Sets every voxel to f(its physical point). */
template<typename TImage>
void Fill(TImage * image, const std::function<typename TImage::PixelType(const Point &)> & f)
{
  itk::ImageRegionIteratorWithIndex<TImage> it(image, image->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it)
  {
    Point p;
    image->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    it.Set(f(p));
  }
}

/** The screen pixel showing physical point `p`, from the documented plane coordinates (x = P·right, y = P·down). */
itk::Index<2> ScreenIndexOf(const RgbImage * image, KeyImagePlane plane, bool radiological, const Point & p)
{
  const double lr = radiological ? 1 : -1;
  itk::Point<double, 2> q;
  q.Fill(0);
  switch (plane)
  {
    case KeyImagePlane::Axial:
      q[0] = lr * p[0];
      q[1] = p[1];
      break;
    case KeyImagePlane::Coronal:
      q[0] = lr * p[0];
      q[1] = -p[2];
      break;
    case KeyImagePlane::Sagittal:
      q[0] = p[1];
      q[1] = -p[2];
      break;
  }
  itk::Index<2> index;
  EXPECT_TRUE(image->TransformPhysicalPointToIndex(q, index)) << "point " << p << " is off screen";
  return index;
}

bool IsColour(const itk::RGBPixel<unsigned char> & pixel, int r, int g, int b, int tolerance = 0)
{
  return std::abs(pixel[0] - r) <= tolerance && std::abs(pixel[1] - g) <= tolerance &&
         std::abs(pixel[2] - b) <= tolerance;
}

struct ColourStats
{
  std::size_t count = 0;
  double meanColumn = 0;
  double meanRow = 0;
};

/** Where the pure-red pixels are. */
ColourStats RedPixels(const RgbImage * image)
{
  ColourStats stats;
  itk::ImageRegionConstIteratorWithIndex<RgbImage> it(image, image->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it)
  {
    if (IsColour(it.Get(), 255, 0, 0))
    {
      ++stats.count;
      stats.meanColumn += static_cast<double>(it.GetIndex()[0]);
      stats.meanRow += static_cast<double>(it.GetIndex()[1]);
    }
  }
  if (stats.count > 0)
  {
    stats.meanColumn /= static_cast<double>(stats.count);
    stats.meanRow /= static_cast<double>(stats.count);
  }
  return stats;
}

struct Scene
{
  FloatImage::Pointer base;
  MaskImage::Pointer mask;
};

/** A 100 x 100 x 60 mm box of intensity 100 with a mask where `inside(p)`. */
Scene MakeScene(const Direction & d, const std::function<bool(const Point &)> & inside)
{
  // Anisotropic voxels (2 x 2 x 4 mm) so that a wrong axis would also show as a wrong shape.
  const itk::Size<3> size{ { 50, 50, 15 } };
  Scene scene{ MakeImage<FloatImage>(size, { 2, 2, 4 }, d), MakeImage<MaskImage>(size, { 2, 2, 4 }, d) };
  scene.base->FillBuffer(100.0f);
  Fill<MaskImage>(scene.mask, [&inside](const Point & p) { return inside(p) ? 1 : 0; });
  return scene;
}

RgbImage::Pointer Render(const Scene & scene, KeyImagePlane plane, bool radiological, bool outline = false)
{
  KeyImageParams params;
  params.plane = plane;
  params.radiological = radiological;
  params.windowLow = 0;
  params.windowHigh = 200;
  KeyImageOverlay overlay;
  overlay.mask = scene.mask;
  overlay.rgb = { 255, 0, 0 };
  overlay.opacity = 1.0;
  overlay.outline = outline;
  return pipeline::RenderKeyImage(scene.base, { overlay }, params);
}

class KeyImageLateralityTest : public ::testing::TestWithParam<std::tuple<int, KeyImagePlane>>
{
};

TEST_P(KeyImageLateralityTest, PatientLeftIsScreenRightOnlyInRadiologicalMode)
{
  const Direction directions[] = { Identity(), PermutedFlipped(), Oblique() };
  const Direction & d = directions[std::get<0>(GetParam())];
  const KeyImagePlane plane = std::get<1>(GetParam());
  // A block in the patient's left hemisphere only (LPS +x), crossing the centre in y and z.
  const Scene scene =
    MakeScene(d, [](const Point & p) { return p[0] > 10 && p[0] < 30 && std::abs(p[1]) < 15 && std::abs(p[2]) < 12; });
  for (const bool radiological : { true, false })
  {
    const auto image = Render(scene, plane, radiological);
    const double width = static_cast<double>(image->GetLargestPossibleRegion().GetSize(0));
    const ColourStats red = RedPixels(image);
    ASSERT_GE(red.count, 50u) << "radiological " << radiological;
    if (radiological)
      EXPECT_GT(red.meanColumn, 0.6 * width) << "patient left must be on screen right";
    else
      EXPECT_LT(red.meanColumn, 0.4 * width) << "patient left must be on screen left";
    // The block's centre is painted exactly where the documented plane coordinates put it.
    const auto at = ScreenIndexOf(image, plane, radiological, Point(std::array<double, 3>{ 20, 0, 0 }.data()));
    EXPECT_TRUE(IsColour(image->GetPixel(at), 255, 0, 0)) << "radiological " << radiological;
    // Its mirror image across the midline is plain tissue.
    const auto mirror = ScreenIndexOf(image, plane, radiological, Point(std::array<double, 3>{ -20, 0, 0 }.data()));
    EXPECT_TRUE(IsColour(image->GetPixel(mirror), 128, 128, 128, 1)) << "radiological " << radiological;
  }
}

INSTANTIATE_TEST_SUITE_P(DirectionsAndPlanes,
                         KeyImageLateralityTest,
                         ::testing::Combine(::testing::Values(0, 1, 2),
                                            ::testing::Values(KeyImagePlane::Axial, KeyImagePlane::Coronal)));

TEST(KeyImageTest, SagittalShowsAnteriorLeftAndSuperiorUp)
{
  for (const Direction & d : { Identity(), PermutedFlipped(), Oblique() })
  {
    // Anterior (LPS -y) and superior (+z) corner block, crossing the midsagittal plane.
    const Scene scene =
      MakeScene(d, [](const Point & p) { return p[1] < -10 && p[1] > -30 && p[2] > 6 && std::abs(p[0]) < 10; });
    for (const bool radiological : { true, false })
    {
      const auto image = Render(scene, KeyImagePlane::Sagittal, radiological);
      const auto size = image->GetLargestPossibleRegion().GetSize();
      const ColourStats red = RedPixels(image);
      ASSERT_GT(red.count, 50u);
      EXPECT_LT(red.meanColumn, 0.4 * static_cast<double>(size[0])) << "anterior must be on screen left";
      EXPECT_LT(red.meanRow, 0.4 * static_cast<double>(size[1])) << "superior must be at the top";
    }
  }
}

TEST(KeyImageTest, CoronalShowsSuperiorUp)
{
  for (const Direction & d : { Identity(), PermutedFlipped(), Oblique() })
  {
    const Scene scene =
      MakeScene(d, [](const Point & p) { return p[2] > 8 && std::abs(p[0]) < 10 && std::abs(p[1]) < 10; });
    const auto image = Render(scene, KeyImagePlane::Coronal, true);
    const ColourStats red = RedPixels(image);
    ASSERT_GT(red.count, 20u);
    EXPECT_LT(red.meanRow, 0.4 * static_cast<double>(image->GetLargestPossibleRegion().GetSize(1)));
  }
}

TEST(KeyImageTest, FillBlendsTheColourAtTheProjectedLocation)
{
  for (const Direction & d : { Identity(), Oblique() })
  {
    const Point target(std::array<double, 3>{ 20, -30, 0 }.data());
    Scene scene = MakeScene(d, [&target](const Point & p) { return p.EuclideanDistanceTo(target) < 7; });
    KeyImageParams params;
    params.windowLow = 0;
    params.windowHigh = 200;
    KeyImageOverlay overlay;
    overlay.mask = scene.mask;
    overlay.rgb = { 0, 255, 0 };
    overlay.opacity = 0.5;
    const auto image = pipeline::RenderKeyImage(scene.base, { overlay }, params);
    // Grey 127.5 blended half-and-half with green.
    EXPECT_TRUE(IsColour(image->GetPixel(ScreenIndexOf(image, KeyImagePlane::Axial, true, target)), 64, 191, 64, 1));
    const Point mirror(std::array<double, 3>{ -20, -30, 0 }.data());
    EXPECT_TRUE(IsColour(image->GetPixel(ScreenIndexOf(image, KeyImagePlane::Axial, true, mirror)), 128, 128, 128, 1));
    const Point behind(std::array<double, 3>{ 20, 30, 0 }.data());
    EXPECT_TRUE(IsColour(image->GetPixel(ScreenIndexOf(image, KeyImagePlane::Axial, true, behind)), 128, 128, 128, 1));
  }
}

/** 65 x 65 x 17 voxels of 1 mm with a mask of 11 x 11 voxels in the middle slice at i, j in [27, 37]. */
Scene SquareScene()
{
  const itk::Size<3> size{ { 65, 65, 17 } };
  Scene scene{ MakeImage<FloatImage>(size, { 1, 1, 1 }, Identity()),
               MakeImage<MaskImage>(size, { 1, 1, 1 }, Identity()) };
  scene.base->FillBuffer(100.0f);
  for (itk::IndexValueType i = 27; i <= 37; ++i)
  {
    for (itk::IndexValueType j = 27; j <= 37; ++j)
      scene.mask->SetPixel({ { i, j, 8 } }, 1);
  }
  return scene;
}

TEST(KeyImageTest, OutlineDrawsOnlyTheEdgeOpaque)
{
  const Scene scene = SquareScene();
  // Identity grid with 1 mm pixels: screen pixel (c, r) shows voxel (c, r) in radiological axial view.
  const auto filled = Render(scene, KeyImagePlane::Axial, true, false);
  const auto outlined = Render(scene, KeyImagePlane::Axial, true, true);
  ASSERT_EQ(outlined->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 65, 65 } }));
  EXPECT_TRUE(IsColour(filled->GetPixel({ { 32, 32 } }), 255, 0, 0));
  EXPECT_TRUE(IsColour(outlined->GetPixel({ { 32, 32 } }), 128, 128, 128, 1)) << "inside an outline stays grey";
  for (const itk::Index<2> edge : { itk::Index<2>{ { 27, 32 } }, itk::Index<2>{ { 37, 30 } },
                                    itk::Index<2>{ { 33, 27 } }, itk::Index<2>{ { 27, 37 } } })
  {
    EXPECT_TRUE(IsColour(outlined->GetPixel(edge), 255, 0, 0)) << edge;
  }
  EXPECT_TRUE(IsColour(outlined->GetPixel({ { 28, 32 } }), 128, 128, 128, 1));
  EXPECT_TRUE(IsColour(outlined->GetPixel({ { 26, 32 } }), 128, 128, 128, 1));
  EXPECT_EQ(RedPixels(outlined).count, 40u) << "the 4-connected edge of an 11 x 11 square";
  EXPECT_EQ(RedPixels(filled).count, 121u);
}

TEST(KeyImageTest, LabelOverlayColoursOnlyItsValue)
{
  Scene scene = SquareScene();
  for (itk::IndexValueType i = 5; i <= 15; ++i)
    scene.mask->SetPixel({ { i, 32, 8 } }, 2);
  KeyImageParams params;
  params.windowHigh = 200;
  KeyImageOverlay two{ scene.mask, { 0, 0, 255 }, 1.0, false, 2 };
  const auto image = pipeline::RenderKeyImage(scene.base, { two }, params);
  EXPECT_TRUE(IsColour(image->GetPixel({ { 10, 32 } }), 0, 0, 255));
  EXPECT_TRUE(IsColour(image->GetPixel({ { 32, 32 } }), 128, 128, 128, 1)) << "label 1 must not be drawn";
  KeyImageOverlay any{ scene.mask, { 0, 0, 255 }, 1.0, false, 0 };
  const auto both = pipeline::RenderKeyImage(scene.base, { any }, params);
  EXPECT_TRUE(IsColour(both->GetPixel({ { 10, 32 } }), 0, 0, 255));
  EXPECT_TRUE(IsColour(both->GetPixel({ { 32, 32 } }), 0, 0, 255));
}

TEST(KeyImageTest, WindowMapsToGreyAndOutsideIsBlack)
{
  Scene scene = SquareScene();
  Fill<FloatImage>(scene.base, [](const Point & p) { return static_cast<float>(10 * (p[0] + 32)); }); // i * 10
  KeyImageParams params;
  params.windowLow = 100;
  params.windowHigh = 300;
  params.pixelMm = 1;
  const auto image = pipeline::RenderKeyImage(scene.base, {}, params);
  EXPECT_TRUE(IsColour(image->GetPixel({ { 5, 10 } }), 0, 0, 0));           // 50: below the window
  EXPECT_TRUE(IsColour(image->GetPixel({ { 10, 10 } }), 0, 0, 0));          // 100: window low
  EXPECT_TRUE(IsColour(image->GetPixel({ { 20, 10 } }), 128, 128, 128, 1)); // 200: half way (127.5)
  EXPECT_TRUE(IsColour(image->GetPixel({ { 25, 10 } }), 191, 191, 191));    // 250: 191.25
  EXPECT_TRUE(IsColour(image->GetPixel({ { 40, 10 } }), 255, 255, 255));    // 400: above
  // A plane beyond the last slice shows nothing of the volume.
  params.centre[2] = 9;
  const auto outside = pipeline::RenderKeyImage(scene.base, {}, params);
  EXPECT_TRUE(IsColour(outside->GetPixel({ { 40, 10 } }), 0, 0, 0));
}

TEST(KeyImageTest, AutomaticWindowIgnoresBackgroundAndRareOutliers)
{
  const itk::Size<3> size{ { 64, 64, 17 } };
  auto base = MakeImage<FloatImage>(size, { 1, 1, 1 }, Identity());
  itk::ImageRegionIteratorWithIndex<FloatImage> it(base, base->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it)
  {
    const auto & index = it.GetIndex();
    it.Set(index[1] < 32 ? static_cast<float>(1 + 16 * index[0]) : 0.0f); // 1..1009, background below
  }
  // 100 of 34816 tissue voxels (0.3 %) at 1e6 on another slice: inside the top 0.5 %.
  for (itk::IndexValueType i = 0; i < 50; ++i)
  {
    base->SetPixel({ { i, 0, 0 } }, 1e6f);
    base->SetPixel({ { i, 1, 0 } }, 1e6f);
  }
  const auto image = pipeline::RenderKeyImage(base, {}, KeyImageParams{});
  // The 1st and 99.5th percentiles are 1 and 1009; 513 is at (512 / 1008) * 255 = 129.5.
  ASSERT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 64, 64 } }));
  const auto mid = image->GetPixel({ { 32, 10 } });
  EXPECT_NEAR(mid[0], 129.5, 1.0);
  EXPECT_TRUE(IsColour(image->GetPixel({ { 63, 10 } }), 255, 255, 255));
  EXPECT_TRUE(IsColour(image->GetPixel({ { 32, 40 } }), 0, 0, 0));
}

TEST(KeyImageTest, ScreenSizeFollowsThePhysicalExtent)
{
  // A clinical axial grid: 0.45 mm in-plane, 5 mm slices: 90 x 90 x 100 mm.
  const itk::Size<3> size{ { 200, 200, 20 } };
  for (const Direction & d : { Identity(), PermutedFlipped() })
  {
    auto base = MakeImage<FloatImage>(size, { 0.45, 0.45, 5 }, d);
    base->FillBuffer(1.0f);
    // With PermutedFlipped the 5 mm axis is left-right: the physical extent per screen axis changes accordingly.
    const bool thickIsX = d(0, 2) != 0;
    KeyImageParams params;
    params.plane = KeyImagePlane::Axial;
    auto axial = pipeline::RenderKeyImage(base, {}, params);
    const std::size_t xPixels = thickIsX ? 200 : 180; // 100 mm or 90 mm at 0.5 mm
    EXPECT_EQ(axial->GetLargestPossibleRegion().GetSize(0), xPixels);
    EXPECT_DOUBLE_EQ(axial->GetSpacing()[0], 0.5) << "0.45 mm in-plane is shown at the 0.5 mm minimum";
    params.plane = KeyImagePlane::Coronal;
    auto coronal = pipeline::RenderKeyImage(base, {}, params);
    EXPECT_EQ(coronal->GetLargestPossibleRegion().GetSize(0), xPixels);
    EXPECT_EQ(coronal->GetLargestPossibleRegion().GetSize(1), thickIsX ? 180u : 200u);
    params.plane = KeyImagePlane::Sagittal;
    params.maxPixels = 64;
    auto capped = pipeline::RenderKeyImage(base, {}, params);
    const auto cappedSize = capped->GetLargestPossibleRegion().GetSize();
    EXPECT_EQ(std::max(cappedSize[0], cappedSize[1]), 64u);
  }
  auto base = MakeImage<FloatImage>(size, { 0.45, 0.45, 5 }, Identity());
  KeyImageParams params;
  params.pixelMm = 2;
  auto coarse = pipeline::RenderKeyImage(base, {}, params);
  EXPECT_EQ(coarse->GetLargestPossibleRegion().GetSize(0), 45u);
}

TEST(KeyImageTest, RejectsBadInput)
{
  const Scene scene = SquareScene();
  const KeyImageParams ok;
  EXPECT_THROW(pipeline::RenderKeyImage(nullptr, {}, ok), InputError);
  EXPECT_THROW(pipeline::RenderKeyImage(scene.base, { KeyImageOverlay{} }, ok), InputError);
  auto shifted = MakeImage<MaskImage>(itk::Size<3>{ { 65, 65, 17 } }, { 1, 1, 1 }, Identity());
  auto origin = shifted->GetOrigin();
  origin[0] += 1;
  shifted->SetOrigin(origin);
  EXPECT_THROW(pipeline::RenderKeyImage(scene.base, { KeyImageOverlay{ shifted } }, ok), InputError);
  auto smaller = MakeImage<MaskImage>(itk::Size<3>{ { 65, 64, 17 } }, { 1, 1, 1 }, Identity());
  EXPECT_THROW(pipeline::RenderKeyImage(scene.base, { KeyImageOverlay{ smaller } }, ok), InputError);
  auto rotated = MakeImage<MaskImage>(itk::Size<3>{ { 65, 65, 17 } }, { 1, 1, 1 }, Oblique());
  rotated->SetOrigin(scene.base->GetOrigin());
  EXPECT_THROW(pipeline::RenderKeyImage(scene.base, { KeyImageOverlay{ rotated } }, ok), InputError);

  const auto rejects = [&scene](const std::function<void(KeyImageParams &, KeyImageOverlay &)> & change)
  {
    KeyImageParams params;
    KeyImageOverlay overlay{ scene.mask };
    change(params, overlay);
    EXPECT_THROW(pipeline::RenderKeyImage(scene.base, { overlay }, params), InputError);
  };
  rejects([](KeyImageParams & p, KeyImageOverlay &) { p.pixelMm = -1; });
  rejects([](KeyImageParams & p, KeyImageOverlay &) { p.pixelMm = std::nan(""); });
  rejects([](KeyImageParams & p, KeyImageOverlay &) { p.windowLow = 10, p.windowHigh = 5; });
  rejects([](KeyImageParams & p, KeyImageOverlay &) { p.windowLow = 10, p.windowHigh = 10; });
  rejects([](KeyImageParams & p, KeyImageOverlay &) { p.windowHigh = std::numeric_limits<double>::infinity(); });
  rejects([](KeyImageParams & p, KeyImageOverlay &) { p.maxPixels = 0; });
  rejects([](KeyImageParams & p, KeyImageOverlay &) { p.centre[1] = std::nan(""); });
  rejects([](KeyImageParams &, KeyImageOverlay & o) { o.opacity = 1.5; });
  rejects([](KeyImageParams &, KeyImageOverlay & o) { o.opacity = -0.1; });
  try
  {
    KeyImageParams params;
    params.maxPixels = 3;
    pipeline::RenderKeyImage(scene.base, {}, params);
    ADD_FAILURE() << "maxPixels 3 accepted";
  }
  catch (const InputError & e)
  {
    EXPECT_NE(std::string(e.what()).find("maxPixels = 3"), std::string::npos) << e.what();
  }
}

TEST(KeyImageTest, OrientationLettersNameTheScreenEdges)
{
  using V = std::vector<std::string>;
  EXPECT_EQ(pipeline::OrientationLetters(KeyImagePlane::Axial, true), (V{ "R", "L", "A", "P" }));
  EXPECT_EQ(pipeline::OrientationLetters(KeyImagePlane::Axial, false), (V{ "L", "R", "A", "P" }));
  EXPECT_EQ(pipeline::OrientationLetters(KeyImagePlane::Coronal, true), (V{ "R", "L", "S", "I" }));
  EXPECT_EQ(pipeline::OrientationLetters(KeyImagePlane::Coronal, false), (V{ "L", "R", "S", "I" }));
  EXPECT_EQ(pipeline::OrientationLetters(KeyImagePlane::Sagittal, true), (V{ "A", "P", "S", "I" }));
}

/** Sets an environment variable for the lifetime of the object. */
class ScopedEnv
{
public:
  ScopedEnv(const char * name, const std::string & value)
    : m_Name(name)
  {
    if (const char * old = std::getenv(name))
      m_Old = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv()
  {
    if (m_Old)
      ::setenv(m_Name.c_str(), m_Old->c_str(), 1);
    else
      ::unsetenv(m_Name.c_str());
  }

private:
  std::string m_Name;
  std::optional<std::string> m_Old;
};

RgbImage::Pointer ReadPng(const std::string & bytes, const fs::path & file)
{
  {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
  }
  auto reader = itk::ImageFileReader<RgbImage>::New();
  reader->SetImageIO(itk::PNGImageIO::New());
  reader->SetFileName(file.string());
  reader->Update();
  return reader->GetOutput();
}

TEST(KeyImageTest, PngBytesDecodeToTheSamePixels)
{
  // Temporary files in a folder with a space and a non-ASCII name.
  const fs::path folder = fs::temp_directory_path() / ("icanscan key images ü " + std::to_string(::getpid()));
  fs::create_directories(folder);
  const auto image = Render(SquareScene(), KeyImagePlane::Axial, true, true);
  std::string png;
  {
    const ScopedEnv tmp("TMPDIR", folder.string());
    png = pipeline::EncodePng(image);
  }
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_TRUE(fs::is_empty(folder)) << "the temporary PNG must be removed";
  const auto decoded = ReadPng(png, folder / "decoded.png");
  ASSERT_EQ(decoded->GetLargestPossibleRegion().GetSize(), image->GetLargestPossibleRegion().GetSize());
  const std::size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  std::size_t different = 0;
  for (std::size_t k = 0; k < n; ++k)
    different += decoded->GetBufferPointer()[k] != image->GetBufferPointer()[k];
  EXPECT_EQ(different, 0u);
  fs::remove_all(folder);
}

TEST(KeyImageTest, PngEncodingRejectsMissingImageAndUnusableTemporaryFolder)
{
  EXPECT_THROW(pipeline::EncodePng(nullptr), InputError);
  const auto image = Render(SquareScene(), KeyImagePlane::Axial, true);
  const ScopedEnv tmp("TMPDIR", "/nonexistent/icanscan-no-such-folder");
  EXPECT_THROW(pipeline::EncodePng(image), OutputError);
}

TEST(KeyImageTest, Base64MatchesRfc4648Vectors)
{
  EXPECT_EQ(pipeline::Base64Encode(""), "");
  EXPECT_EQ(pipeline::Base64Encode("f"), "Zg==");
  EXPECT_EQ(pipeline::Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(pipeline::Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(pipeline::Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(pipeline::Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(pipeline::Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(pipeline::Base64Encode(std::string("\xff\xfe\x00\x80", 4)), "//4AgA==");
}
} // namespace
