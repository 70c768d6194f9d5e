#include "pipeline/report/OutputFiles.h"
#include "pipeline/input/SeriesSidecar.h"

#include <gtest/gtest.h>

namespace
{
using icanscan::pipeline::ToFslBvec;

TEST(SeriesSidecarTest, FslBvecOfAxialImageNegatesX)
{
  // Identity LPS direction: positive determinant, so FSL's x is flipped.
  const std::array<double, 9> identity{ 1, 0, 0, 0, 1, 0, 0, 0, 1 };
  const auto v = ToFslBvec({ 0.6, 0.8, 0.0 }, identity);
  EXPECT_DOUBLE_EQ(v[0], -0.6);
  EXPECT_DOUBLE_EQ(v[1], 0.8);
  EXPECT_DOUBLE_EQ(v[2], 0.0);
}

TEST(SeriesSidecarTest, FslBvecFollowsVoxelAxesOfRotatedImage)
{
  // Voxel axes: i = patient P (0,1,0), j = patient L (1,0,0), k = -S: determinant +1 after the k flip.
  const std::array<double, 9> direction{ 0, 1, 0, 1, 0, 0, 0, 0, -1 };
  const auto v = ToFslBvec({ 0.0, 0.0, 1.0 }, direction);
  EXPECT_DOUBLE_EQ(v[0], 0.0);
  EXPECT_DOUBLE_EQ(v[1], 0.0);
  EXPECT_DOUBLE_EQ(v[2], -1.0);
  const auto w = ToFslBvec({ 0.0, 1.0, 0.0 }, direction);
  EXPECT_DOUBLE_EQ(w[0], -1.0);
}

TEST(SeriesSidecarTest, SanitizedNamesKeepOnlySafeCharacters)
{
  using icanscan::pipeline::SanitizeFileName;
  EXPECT_EQ(SanitizeFileName("T2 TSE ax / 5mm"), "T2_TSE_ax_5mm");
  EXPECT_EQ(SanitizeFileName("ep2d_diff-3scan"), "ep2d_diff-3scan");
  EXPECT_EQ(SanitizeFileName("***"), "unnamed");
  EXPECT_EQ(SanitizeFileName("Ödem"), "dem");
}
} // namespace
