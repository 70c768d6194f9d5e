// Unit tests of the phantom's volume changes: surface motion (ventricles), CSF-space edits (sulci), swelling.
#include "synthetic/CsfSpaces.h"
#include "synthetic/SurfaceMotion.h"

#include "filters/MaskMorphology.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace
{
using namespace icanscan::synthetic;
using icanscan::filters::CountNonZero;

/** An ellipsoid (semi-axes 10, 7, 6 voxels) in an 80³ grid of 1 mm voxels with an LPS-like flipped y axis. */
LabelImage::Pointer Ellipsoid(double a = 10.0, double b = 7.0, double c = 6.0)
{
  auto image = LabelImage::New();
  LabelImage::RegionType region;
  region.SetSize({ { 80, 80, 80 } });
  image->SetRegions(region);
  LabelImage::DirectionType direction;
  direction.SetIdentity();
  direction[1][1] = -1.0;
  image->SetDirection(direction);
  LabelImage::PointType origin;
  origin[0] = -40.0;
  origin[1] = 40.0;
  origin[2] = -40.0;
  image->SetOrigin(origin);
  image->Allocate(true);
  unsigned char * p = image->GetBufferPointer();
  std::size_t n = 0;
  for (int z = 0; z < 80; ++z)
    for (int y = 0; y < 80; ++y)
      for (int x = 0; x < 80; ++x, ++n)
      {
        const double dx = x - 40.0, dy = y - 40.0, dz = z - 40.0;
        p[n] = dx * dx / (a * a) + dy * dy / (b * b) + dz * dz / (c * c) <= 1.0 ? 1 : 0;
      }
  return image;
}

class SurfaceMotionFactor : public ::testing::TestWithParam<double>
{
};

TEST_P(SurfaceMotionFactor, VolumeChangesAsAskedWithoutFolding)
{
  const auto region = Ellipsoid();
  SurfaceMotionParams params;
  params.volumeFactor = GetParam();
  std::string note;
  const auto field = MakeSurfaceField(region, params, note);
  ASSERT_FALSE(field.Empty()) << note;
  const double before = static_cast<double>(CountNonZero(region));
  const double after = static_cast<double>(CountNonZero(PullBack(region.GetPointer(), field)));
  EXPECT_NEAR(after / before, GetParam(), 0.01 * GetParam()) << note;
  EXPECT_GT(field.JacobianRange().first, 0.2) << note;
  // Far from the surface nothing moves.
  const Vec3 far{ -35.0, 35.0, -35.0 };
  const Vec3 u = field.At(far);
  EXPECT_EQ(u[0] * u[0] + u[1] * u[1] + u[2] * u[2], 0.0);
}

INSTANTIATE_TEST_SUITE_P(Factors, SurfaceMotionFactor, ::testing::Values(0.5, 0.7, 1.4, 2.0));

TEST(SurfaceMotion, WeightHoldsOneWallStill)
{
  // Only the half at x > 2 mm may move: the wall at x = -10 mm stays where it was.
  const auto region = Ellipsoid();
  SurfaceMotionParams params;
  params.volumeFactor = 1.5;
  params.weight = [](const Vec3 & p) { return std::clamp((p[0] - 2.0) / 6.0, 0.0, 1.0); };
  std::string note;
  const auto field = MakeSurfaceField(region, params, note);
  const Vec3 heldWall{ -10.0, 0.0, 0.0 }, movedWall{ 10.0, 0.0, 0.0 };
  EXPECT_NEAR(field.At(heldWall)[0], 0.0, 1e-6);
  EXPECT_LT(field.At(movedWall)[0], -0.5) << "the pull-back of an outward move samples from inside: " << note;
}

TEST(SurfaceMotion, RejectsOutOfRangeFactorsAndEmptyRegions)
{
  std::string note;
  SurfaceMotionParams params;
  params.volumeFactor = 5.0;
  EXPECT_THROW(MakeSurfaceField(Ellipsoid(), params, note), std::logic_error);
  params.volumeFactor = 1.2;
  auto empty = Ellipsoid();
  std::fill_n(empty->GetBufferPointer(), empty->GetBufferedRegion().GetNumberOfPixels(), 0);
  EXPECT_THROW(MakeSurfaceField(empty, params, note), std::logic_error);
  params.volumeFactor = 1.0;
  EXPECT_TRUE(MakeSurfaceField(Ellipsoid(), params, note).Empty());
}

/** A slab of brain with CSF-filled clefts ("sulci") every 8 mm, 2 mm wide, and no structure labels. */
struct SulcusPhantom
{
  LabelImage::Pointer labels, head;
  FloatImage::Pointer csf, gm, wm;
  TissueMaps Maps() { return { labels, head, csf, gm, wm }; }
};

SulcusPhantom Sulci()
{
  SulcusPhantom s;
  s.labels = Ellipsoid(100, 100, 100);                                                             // all 1 ...
  std::fill_n(s.labels->GetBufferPointer(), s.labels->GetBufferedRegion().GetNumberOfPixels(), 0); // ... then none
  s.head = Ellipsoid(100, 100, 100);
  for (auto * f : { &s.csf, &s.gm, &s.wm })
  {
    *f = FloatImage::New();
    (*f)->CopyInformation(s.labels);
    (*f)->SetRegions(s.labels->GetLargestPossibleRegion());
    (*f)->Allocate(true);
  }
  std::size_t n = 0;
  for (int z = 0; z < 80; ++z)
    for (int y = 0; y < 80; ++y)
      for (int x = 0; x < 80; ++x, ++n)
      {
        const bool cleft = x % 8 < 2;
        s.csf->GetBufferPointer()[n] = cleft ? 1.0f : 0.0f;
        s.gm->GetBufferPointer()[n] = cleft ? 0.0f : 1.0f;
      }
  return s;
}

TEST(CsfSpaces, SulcalCsfScalesAsAskedAndFractionsStayValid)
{
  for (const double factor : { 0.7, 1.5 })
  {
    auto s = Sulci();
    const double before = MeasureCsf(s.Maps(), nullptr).sulcalMl;
    const double delta = ScaleSulcalCsf(s.Maps(), nullptr, factor);
    const double after = MeasureCsf(s.Maps(), nullptr).sulcalMl;
    EXPECT_NEAR(after / before, factor, 0.01) << "delta " << delta;
    EXPECT_GT(delta * (factor - 1.0), 0.0) << "widening moves the boundary outwards, narrowing inwards";
    for (std::size_t i = 0; i < s.csf->GetBufferedRegion().GetNumberOfPixels(); i += 97)
    {
      const float sum = s.csf->GetBufferPointer()[i] + s.gm->GetBufferPointer()[i] + s.wm->GetBufferPointer()[i];
      ASSERT_NEAR(sum, 1.0f, 1e-5f);
      ASSERT_GE(s.csf->GetBufferPointer()[i], 0.0f);
    }
  }
}

TEST(CsfSpaces, StructuresAndTheOtherSideAreNotTouched)
{
  auto s = Sulci();
  // A labelled structure in the middle keeps its fractions; a weight of 0 for x < 0 keeps that side.
  std::size_t labelled = 0;
  for (std::size_t i = 0; i < s.labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    const auto p = icanscan::filters::PointOfOffset(s.labels, i);
    if (std::abs(p[0] - 10.0) < 3.0 && std::abs(p[1]) < 5.0 && std::abs(p[2]) < 5.0)
    {
      s.labels->GetBufferPointer()[i] = 12;
      ++labelled;
    }
  }
  ASSERT_GT(labelled, 100u);
  std::vector<float> copy(s.csf->GetBufferPointer(),
                          s.csf->GetBufferPointer() + s.csf->GetBufferedRegion().GetNumberOfPixels());
  const auto changed = MoveCsfBoundary(s.Maps(), 1.5, [](const Vec3 & p) { return p[0] > 0.0 ? 1.0 : 0.0; });
  EXPECT_GT(changed, 1000u);
  for (std::size_t i = 0; i < copy.size(); ++i)
  {
    const auto p = icanscan::filters::PointOfOffset(s.labels, i);
    if (s.labels->GetBufferPointer()[i] || p[0] < 0.0)
    {
      ASSERT_EQ(s.csf->GetBufferPointer()[i], copy[i]) << "voxel " << i;
    }
  }
}

} // namespace
