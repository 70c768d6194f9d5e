#include "filters/MaskMorphology.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
using namespace icanscan;
using filters::MaskImage;

MaskImage::Pointer Grid(unsigned size, double spacingZ = 1.0)
{
  auto image = MaskImage::New();
  MaskImage::RegionType region;
  region.SetSize({ size, size, size });
  image->SetRegions(region);
  MaskImage::SpacingType spacing;
  spacing[0] = spacing[1] = 1.0;
  spacing[2] = spacingZ;
  image->SetSpacing(spacing);
  image->Allocate(true);
  return image;
}

TEST(MaskMorphology, DilationOfOneVoxelIsABallInMillimetres)
{
  auto mask = Grid(31, 2.0);
  mask->SetPixel({ 15, 15, 15 }, 1);
  const auto dilated = filters::DilateMm(mask, 4.0);
  // Voxels within 4 mm: |dx|,|dy| <= 4 in 1 mm steps, |dz| <= 2 in 2 mm steps.
  std::size_t expected = 0;
  for (int dz = -2; dz <= 2; ++dz)
    for (int dy = -4; dy <= 4; ++dy)
      for (int dx = -4; dx <= 4; ++dx)
        expected += dx * dx + dy * dy + 4.0 * dz * dz <= 16.0;
  EXPECT_EQ(filters::CountNonZero(dilated), expected);
  EXPECT_EQ(dilated->GetPixel({ 15, 15, 17 }), 1);
  EXPECT_EQ(dilated->GetPixel({ 15, 15, 18 }), 0);
  EXPECT_EQ(dilated->GetPixel({ 19, 15, 15 }), 1);
  EXPECT_EQ(dilated->GetPixel({ 20, 15, 15 }), 0);
}

TEST(MaskMorphology, ErosionTreatsTheImageBorderAsBackground)
{
  auto mask = Grid(20);
  mask->FillBuffer(1);
  const auto eroded = filters::ErodeMm(mask, 2.5);
  // Voxel centres more than 2.5 mm from the nearest background voxel centre (index -1 or 20): indices 2..17.
  EXPECT_EQ(filters::CountNonZero(eroded), 16u * 16u * 16u);
  EXPECT_EQ(eroded->GetPixel({ 2, 10, 10 }), 1);
  EXPECT_EQ(eroded->GetPixel({ 1, 10, 10 }), 0);
  // A background voxel inside erodes its neighbourhood the same way.
  mask->SetPixel({ 10, 10, 10 }, 0);
  const auto holed = filters::ErodeMm(mask, 2.5);
  EXPECT_EQ(holed->GetPixel({ 12, 10, 10 }), 0);
  EXPECT_EQ(holed->GetPixel({ 13, 10, 10 }), 1);
  EXPECT_EQ(holed->GetPixel({ 12, 12, 10 }), 1); // 2.83 mm away
}

TEST(MaskMorphology, ComponentsAreSelectedBySeedAndBySize)
{
  auto mask = Grid(20);
  for (unsigned x = 2; x < 6; ++x) // 4 voxels
    mask->SetPixel({ x, 2, 2 }, 1);
  for (unsigned x = 10; x < 12; ++x) // 2 voxels
    mask->SetPixel({ x, 2, 2 }, 1);
  mask->SetPixel({ 13, 3, 3 }, 1); // touches (12,2,2)? no: diagonal to nothing set; separate
  auto seeds = Grid(20);
  seeds->SetPixel({ 11, 2, 2 }, 1);
  EXPECT_EQ(filters::CountNonZero(filters::ComponentsTouching(mask, seeds, false)), 2u);
  EXPECT_EQ(filters::CountNonZero(filters::LargestComponents(mask, 1, false)), 4u);
  EXPECT_EQ(filters::ConnectedComponents(mask, false).sizes.size(), 3u);
  const auto c = filters::Centroid(filters::LargestComponents(mask, 1, false));
  EXPECT_DOUBLE_EQ(c[0], 3.5);
  EXPECT_THROW(filters::Centroid(Grid(4)), InputError);
}

} // namespace
