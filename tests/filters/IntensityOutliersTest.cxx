#include "filters/IntensityOutliers.h"

#include "SyntheticHead.h"
#include "core/Error.h"

#include <gtest/gtest.h>

namespace icanscan::filters
{
namespace
{
TEST(IntensityOutliersTest, ALesionWithoutCounterpartIsLeftOutAndNormalTissueKept)
{
  // Fixed: FLAIR-like head with a bright block in the white matter; moving: the same anatomy in T2 contrast.
  const auto grid = test::IsotropicHeadGrid();
  const auto fixed = test::MakeHead(grid, test::kFlair, nullptr, 0.02, 1);
  const auto moving = test::MakeHead(grid, test::kT2, nullptr, 0.02, 2);
  const auto brain = test::MakeIntracranialMask(grid);
  std::vector<unsigned char> lesion(fixed->GetBufferedRegion().GetNumberOfPixels(), 0);
  std::size_t lesionVoxels = 0;
  for (std::size_t i = 0; i < lesion.size(); ++i)
  {
    const auto index = fixed->ComputeIndex(static_cast<itk::OffsetValueType>(i));
    itk::Point<double, 3> p;
    fixed->TransformIndexToPhysicalPoint(index, p);
    if (test::TissueAt({ p[0], p[1], p[2] }) == 5 && std::abs(p[0] - 30) < 8 && std::abs(p[1]) < 8 &&
        std::abs(p[2] - 20) < 8)
    {
      lesion[i] = 1;
      fixed->GetBufferPointer()[i] = 0.95f; // FLAIR-bright, while its T2 counterpart stays white matter
      ++lesionVoxels;
    }
  }
  ASSERT_GT(lesionVoxels, 100u);

  const auto result = MaskIntensityOutliers(fixed, moving, brain, {});
  std::size_t lesionLeftOut = 0, normalLeftOut = 0, normal = 0;
  for (std::size_t i = 0; i < lesion.size(); ++i)
  {
    if (!brain->GetBufferPointer()[i])
    {
      EXPECT_EQ(result.kept->GetBufferPointer()[i], 0) << "outside the mask";
      continue;
    }
    const bool out = result.kept->GetBufferPointer()[i] == 0;
    if (lesion[i])
      lesionLeftOut += out;
    else
    {
      normalLeftOut += out;
      ++normal;
    }
  }
  EXPECT_GT(static_cast<double>(lesionLeftOut), 0.9 * static_cast<double>(lesionVoxels));
  EXPECT_LT(static_cast<double>(normalLeftOut), 0.05 * static_cast<double>(normal));
  EXPECT_EQ(result.outlierVoxels, lesionLeftOut + normalLeftOut);
}

TEST(IntensityOutliersTest, RejectsBadParametersAndInputs)
{
  const auto expectRejected = [](auto change, const std::string & name)
  {
    IntensityOutlierParams p;
    change(p);
    try
    {
      ValidateIntensityOutlierParams(p);
      ADD_FAILURE() << name << " accepted";
    }
    catch (const ConfigError & e)
    {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  expectRejected([](auto & p) { p.zMax = 1; }, "zMax");
  expectRejected([](auto & p) { p.bins = 2; }, "bins");
  expectRejected([](auto & p) { p.minVoxelsPerBin = 0; }, "minVoxelsPerBin");
  const auto grid = test::IsotropicHeadGrid();
  const auto image = test::MakeHead(grid, test::kT2);
  EXPECT_THROW(MaskIntensityOutliers(image, nullptr, nullptr, {}), InputError);
  test::HeadGrid other = grid;
  other.size = { 40, 40, 40 };
  EXPECT_THROW(MaskIntensityOutliers(image, image, test::MakeBrainMask(other), {}), InputError);
}
} // namespace
} // namespace icanscan::filters
