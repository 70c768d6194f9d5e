#include "SyntheticHead.h"

#include "filters/ImageSimilarity.h"
#include "filters/MaskMorphology.h"

#include "core/Error.h"

#include "itkTranslationTransform.h"

#include <gtest/gtest.h>

namespace icanscan::filters
{
namespace
{

test::HeadGrid Grid()
{
  test::HeadGrid grid;
  grid.spacing = { 2.0, 2.0, 5.0 };
  grid.size = { 90, 105, 32 };
  return grid;
}

itk::TranslationTransform<double, 3>::Pointer Shift(double x, double y, double z)
{
  auto t = itk::TranslationTransform<double, 3>::New();
  itk::Vector<double, 3> v;
  v[0] = x;
  v[1] = y;
  v[2] = z;
  t->Translate(v);
  return t;
}

TEST(ImageSimilarityTest, DiceOfKnownBoxes)
{
  test::HeadGrid grid;
  grid.spacing = { 1, 1, 1 };
  grid.size = { 10, 10, 10 };
  const auto reference = test::MakeGridImage(grid);
  auto a = MaskImage::New();
  a->CopyInformation(reference);
  a->SetRegions(reference->GetLargestPossibleRegion());
  a->Allocate(true);
  auto b = MaskImage::New();
  b->CopyInformation(reference);
  b->SetRegions(reference->GetLargestPossibleRegion());
  b->Allocate(true);
  for (unsigned i = 0; i < 1000; ++i)
  {
    a->GetBufferPointer()[i] = i < 400 ? 1 : 0;     // 400 voxels
    b->GetBufferPointer()[i] = i >= 300 && i < 500; // 200 voxels, 100 shared
  }
  EXPECT_DOUBLE_EQ(Dice(a, b), 2.0 * 100 / 600);
  EXPECT_DOUBLE_EQ(Dice(a, a), 1.0);
  auto region = MaskImage::New();
  region->CopyInformation(reference);
  region->SetRegions(reference->GetLargestPossibleRegion());
  region->Allocate(true);
  for (unsigned i = 300; i < 1000; ++i)
    region->GetBufferPointer()[i] = 1; // A has 100 voxels there, B 200, 100 shared
  EXPECT_DOUBLE_EQ(Dice(a, b, region), 2.0 * 100 / 300);
  test::HeadGrid other = grid;
  other.size = { 10, 10, 9 };
  EXPECT_THROW(Dice(a, test::MakeIntracranialMask(other)), InputError);
}

TEST(ImageSimilarityTest, MutualInformationAndEdgesPeakAtAlignment)
{
  const auto grid = Grid();
  const auto t2 = test::MakeHead(grid, test::kT2, nullptr, 0.02, 1);
  const auto flair = test::MakeHead(grid, test::kFlair, nullptr, 0.02, 2);
  const auto mask = test::MakeIntracranialMask(grid);
  const auto aligned = MattesMutualInformation(t2, flair, mask, nullptr, nullptr);
  const auto shifted = MattesMutualInformation(t2, flair, mask, nullptr, Shift(6, 0, 0));
  EXPECT_GT(aligned.samples, 1000u);
  EXPECT_LT(aligned.value, shifted.value); // minus MI: lower is better
  EXPECT_LT(aligned.value, -0.2);

  // Interior edges (the outline differs between T2 and FLAIR): the mask eroded by 6 mm.
  const auto interior = ErodeMm(mask, 6.0);
  const double edgesAligned = GradientMagnitudeCorrelation(t2, flair, interior, nullptr, 2.0);
  const double edgesShifted = GradientMagnitudeCorrelation(t2, flair, interior, Shift(6, 0, 0).GetPointer(), 2.0);
  EXPECT_GT(edgesAligned, 0.6);
  EXPECT_LT(edgesShifted, edgesAligned - 0.1);
  EXPECT_NEAR(GradientMagnitudeCorrelation(t2, t2, mask, nullptr, 1.0), 1.0, 1e-9);

  EXPECT_THROW(MattesMutualInformation(t2, flair, mask, nullptr, nullptr, 4), ConfigError);
  EXPECT_THROW(GradientMagnitudeCorrelation(t2, flair, mask, nullptr, -1.0), ConfigError);
  EXPECT_THROW(MattesMutualInformation(nullptr, flair, mask, nullptr, nullptr), InputError);
}

} // namespace
} // namespace icanscan::filters
