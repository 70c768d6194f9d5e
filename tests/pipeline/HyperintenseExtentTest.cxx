// A structure's volume on its own T2/FLAIR boundaries, on synthetic label and lesion maps with known extents.
#include "pipeline/oedema/HyperintenseExtent.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace icanscan::pipeline
{
namespace
{
using Mask = filters::MaskImage;
constexpr auto kLeft = static_cast<unsigned char>(Structure::ThalamusLeft);
constexpr auto kRight = static_cast<unsigned char>(Structure::ThalamusRight);
constexpr auto kGanglia = static_cast<unsigned char>(Structure::BasalGangliaLeft);
constexpr auto kWhite = static_cast<unsigned char>(Structure::WhiteMatterLeft);

/** 1 mm isotropic, 80 mm cube, centred on 0; every voxel set by `value(x, y, z)` in mm. */
Mask::Pointer Paint(const std::function<unsigned char(double, double, double)> & value)
{
  auto image = Mask::New();
  image->SetRegions(Mask::SizeType{ { 80, 80, 80 } });
  Mask::PointType origin;
  origin.Fill(-39.5);
  image->SetOrigin(origin);
  image->Allocate();
  for (std::size_t i = 0; i < image->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    Mask::PointType p;
    image->TransformIndexToPhysicalPoint(image->ComputeIndex(static_cast<Mask::OffsetValueType>(i)), p);
    image->GetBufferPointer()[i] = value(p[0], p[1], p[2]);
  }
  return image;
}

double Ball(double x, double y, double z, double cx)
{
  return std::sqrt((x - cx) * (x - cx) + y * y + z * z);
}

double BallMl(double radiusMm)
{
  return 4.0 / 3.0 * M_PI * radiusMm * radiusMm * radiusMm / 1000.0;
}

TEST(HyperintenseExtent, LesionSwollenPastTheLabelCountsWhole)
{
  // The label is a 8 mm ball, the hyperintense (swollen) structure a 12 mm ball around it, in unlabelled white matter.
  const auto labels = Paint([](double x, double y, double z) { return Ball(x, y, z, 0) <= 8 ? kLeft : kWhite; });
  const auto lesions = Paint([](double x, double y, double z) { return Ball(x, y, z, 0) <= 12 ? 1 : 0; });
  EXPECT_NEAR(HyperintenseStructureMl(labels, lesions, Structure::ThalamusLeft, std::nullopt), BallMl(12),
              0.05 * BallMl(12));
  // Reach 3 mm: the shell 3-4 mm past the label is left out.
  HyperintenseExtentParams near;
  near.reachMm = 3.0;
  EXPECT_NEAR(HyperintenseStructureMl(labels, lesions, Structure::ThalamusLeft, std::nullopt, near), BallMl(11),
              0.05 * BallMl(11));
}

TEST(HyperintenseExtent, OtherStructuresAndLesionsApartDoNotCount)
{
  // Half of the swollen ball lies in the basal ganglia's label; a second lesion 25 mm away does not touch the label.
  const auto labels = Paint(
    [](double x, double y, double z)
    {
      if (Ball(x, y, z, 0) <= 8)
        return kLeft;
      return x > 0 ? kGanglia : kWhite;
    });
  const auto lesions =
    Paint([](double x, double y, double z) { return Ball(x, y, z, 0) <= 12 || Ball(x, y, z, -28) <= 3 ? 1 : 0; });
  const double expected = BallMl(8) + (BallMl(12) - BallMl(8)) / 2;
  EXPECT_NEAR(HyperintenseStructureMl(labels, lesions, Structure::ThalamusLeft, std::nullopt), expected,
              0.06 * expected);
}

TEST(HyperintenseExtent, JoinedLesionOfBothSidesIsSplitBetweenThem)
{
  // Two labels 22 mm apart (8 mm balls), one lesion joining them: two overlapping 12 mm balls.
  const auto labels = Paint(
    [](double x, double y, double z)
    {
      if (Ball(x, y, z, -11) <= 8)
        return kRight; // the subject's right: negative x (LPS)
      if (Ball(x, y, z, 11) <= 8)
        return kLeft;
      return kWhite;
    });
  const auto lesions =
    Paint([](double x, double y, double z) { return Ball(x, y, z, -11) <= 12 || Ball(x, y, z, 11) <= 12 ? 1 : 0; });
  const double left = HyperintenseStructureMl(labels, lesions, Structure::ThalamusLeft, Structure::ThalamusRight);
  const double right = HyperintenseStructureMl(labels, lesions, Structure::ThalamusRight, Structure::ThalamusLeft);
  EXPECT_NEAR(left, right, 0.02 * left);
  // Each side keeps its own ball (less half of the 0.07 ml the two share); without the counterpart the left side would
  // also take the right ball's unlabelled rim within reach of its label.
  EXPECT_NEAR(left, BallMl(12), 0.05 * BallMl(12));
  EXPECT_GT(HyperintenseStructureMl(labels, lesions, Structure::ThalamusLeft, std::nullopt), left + 0.3);
}

TEST(HyperintenseExtent, NoLesionOnTheLabelIsZero)
{
  const auto labels = Paint([](double x, double y, double z) { return Ball(x, y, z, 0) <= 8 ? kLeft : kWhite; });
  const auto lesions = Paint([](double x, double y, double z) { return Ball(x, y, z, 20) <= 5 ? 1 : 0; });
  EXPECT_EQ(HyperintenseStructureMl(labels, lesions, Structure::ThalamusLeft, std::nullopt), 0.0);
}

} // namespace
} // namespace icanscan::pipeline
