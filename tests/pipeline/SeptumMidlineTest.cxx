// The septum-pellucidum midline measure on synthetic label maps with a known septum position.
#include "pipeline/oedema/SeptumMidline.h"

#include <gtest/gtest.h>

#include "itkTranslationTransform.h"

#include <cmath>

namespace icanscan::pipeline
{
namespace
{
using Mask = itk::Image<unsigned char, 3>;
constexpr unsigned char kVentricle = 14;

/** Axial grid, 0.5 mm rows, 5 mm slices, centred on x = 0; `flipRows` makes the i axis run towards the right. */
Mask::Pointer Grid(bool flipRows)
{
  auto image = Mask::New();
  image->SetRegions(Mask::SizeType{ { 300, 300, 6 } });
  const double sp[3] = { 0.5, 0.5, 5.0 };
  image->SetSpacing(sp);
  Mask::DirectionType d;
  d.SetIdentity();
  if (flipRows)
    d(0, 0) = -1.0;
  image->SetDirection(d);
  Mask::PointType origin;
  origin[0] = flipRows ? 74.75 : -74.75;
  origin[1] = -74.75;
  origin[2] = 0.0;
  image->SetOrigin(origin);
  image->Allocate();
  image->FillBuffer(0);
  return image;
}

/** A brain ellipse centred on x = `brainCentreX` and two ventricles on each side of a septum at x = `septumX` (mm),
 * `gapMm` wide, on rows |y| < 15 mm. */
struct Study
{
  Mask::Pointer labels;
  Mask::Pointer brain;
};
Study MakeStudy(double septumX, double gapMm, bool flipRows = false, double brainCentreX = 0.0)
{
  Study s{ Grid(flipRows), Grid(flipRows) };
  const auto size = s.labels->GetLargestPossibleRegion().GetSize();
  for (unsigned k = 0; k < size[2]; ++k)
    for (unsigned j = 0; j < size[1]; ++j)
      for (unsigned i = 0; i < size[0]; ++i)
      {
        const Mask::IndexType index{ { i, j, k } };
        Mask::PointType p;
        s.labels->TransformIndexToPhysicalPoint(index, p);
        const double x = p[0] - brainCentreX, y = p[1];
        if ((x / 65.0) * (x / 65.0) + (y / 70.0) * (y / 70.0) <= 1.0)
          s.brain->SetPixel(index, 1);
        const double fromSeptum = std::abs(p[0] - septumX);
        if (std::abs(y) < 15.0 && fromSeptum > 0.5 * gapMm && fromSeptum < 0.5 * gapMm + 8.0)
          s.labels->SetPixel(index, kVentricle);
      }
  return s;
}

itk::TranslationTransform<double, 3>::Pointer Shift(double x)
{
  auto t = itk::TranslationTransform<double, 3>::New();
  itk::TranslationTransform<double, 3>::OutputVectorType v;
  v.Fill(0.0);
  v[0] = x;
  t->SetOffset(v);
  return t;
}

TEST(SeptumMidline, CentredSeptumMeasuresNoShift)
{
  const auto s = MakeStudy(0.0, 2.0);
  const auto m = MeasureSeptumShift(s.labels, kVentricle, s.brain, Shift(0.0), 0.0);
  ASSERT_TRUE(std::isfinite(m.shiftMm));
  EXPECT_NEAR(m.shiftMm, 0.0, 0.3);
  EXPECT_GE(m.rows, 100u);
  EXPECT_EQ(m.slices, 6u);
}

TEST(SeptumMidline, ShiftTowardsTheLeftIsPositiveWhateverTheRowDirection)
{
  for (bool flip : { false, true })
  {
    const auto left = MeasureSeptumShift(MakeStudy(3.0, 2.0, flip).labels, kVentricle, MakeStudy(3.0, 2.0, flip).brain,
                                         Shift(0.0), 0.0);
    EXPECT_NEAR(left.shiftMm, 3.0, 0.3) << "rows towards " << (flip ? "right" : "left");
    const auto s = MakeStudy(-4.0, 1.5, flip);
    EXPECT_NEAR(MeasureSeptumShift(s.labels, kVentricle, s.brain, Shift(0.0), 0.0).shiftMm, -4.0, 0.3);
  }
}

TEST(SeptumMidline, IdealMidlineFollowsTheRegistrationNotTheBrainOutline)
{
  // The registration puts the atlas midline (atlas x = 10) at subject x = 7 (subject -> atlas adds 3 mm); a septum
  // at subject x = 9 lies 2 mm to the left of it, wherever the brain outline is centred.
  const auto s = MakeStudy(9.0, 2.0, false, 4.0);
  EXPECT_NEAR(MeasureSeptumShift(s.labels, kVentricle, s.brain, Shift(3.0), 10.0).shiftMm, 2.0, 0.3);
}

TEST(SeptumMidline, NotMeasuredWithoutASeptumOrOnANonAxialGrid)
{
  const auto fused = MakeStudy(0.0, 0.0); // no gap: the ventricles touch
  EXPECT_TRUE(std::isnan(MeasureSeptumShift(fused.labels, kVentricle, fused.brain, Shift(0.0), 0.0).shiftMm));
  const auto wide = MakeStudy(0.0, 12.0); // 12 mm apart: not one septum
  EXPECT_TRUE(std::isnan(MeasureSeptumShift(wide.labels, kVentricle, wide.brain, Shift(0.0), 0.0).shiftMm));

  auto s = MakeStudy(0.0, 2.0);
  Mask::DirectionType coronal; // rows left-right but slices stacked antero-posteriorly
  coronal.Fill(0.0);
  coronal(0, 0) = 1.0;
  coronal(2, 1) = 1.0;
  coronal(1, 2) = 1.0;
  s.labels->SetDirection(coronal);
  s.brain->SetDirection(coronal);
  EXPECT_TRUE(std::isnan(MeasureSeptumShift(s.labels, kVentricle, s.brain, Shift(0.0), 0.0).shiftMm));
  EXPECT_TRUE(std::isnan(MeasureSeptumShift(s.labels, kVentricle, nullptr, Shift(0.0), 0.0).shiftMm));
}

} // namespace
} // namespace icanscan::pipeline
