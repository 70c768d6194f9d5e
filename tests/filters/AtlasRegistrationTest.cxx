#include "filters/AtlasRegistration.h"

#include "SyntheticHead.h"
#include "core/Error.h"

#include "itkAffineTransform.h"

#include <gtest/gtest.h>

namespace
{
using namespace icanscan::filters;
using icanscan::ConfigError;

TEST(AtlasRegistrationTest, EveryBadParameterIsRejectedByName)
{
  const auto expectRejected = [](const std::function<void(AtlasRegistrationParams &)> & spoil, const std::string & name)
  {
    AtlasRegistrationParams p;
    spoil(p);
    try
    {
      ValidateAtlasRegistrationParams(p);
      ADD_FAILURE() << name << " accepted";
    }
    catch (const ConfigError & e)
    {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  expectRejected([](auto & p) { p.workingSpacingMm = 0.2; }, "workingSpacingMm");
  expectRejected([](auto & p) { p.workingSpacingMm = 8; }, "workingSpacingMm");
  expectRejected([](auto & p) { p.histogramBins = 4; }, "histogramBins");
  expectRejected([](auto & p) { p.affineSamples = 10; }, "affineSamples");
  expectRejected([](auto & p) { p.bsplineSamples = 10; }, "bsplineSamples");
  expectRejected([](auto & p) { p.bsplineInitialGridSpacingMm = 5; }, "bsplineInitialGridSpacingMm");
  expectRejected([](auto & p) { p.bsplineMaxStepMm = 0; }, "bsplineMaxStepMm");
  expectRejected([](auto & p) { p.affineShrinkFactors = { 4, 2 }; }, "affine levels");
  expectRejected([](auto & p) { p.affineShrinkFactors = { 40, 2, 1 }; }, "affineShrinkFactors");
  expectRejected([](auto & p) { p.affineSmoothingVoxels = { -1, 1, 0 }; }, "affineSmoothingVoxels");
  expectRejected([](auto & p) { p.bsplineIterations = { 50, 50 }; }, "bspline levels");
  expectRejected([](auto & p) { p.fineLevels.at(0).gridSpacingMm = 2; }, "gridSpacingMm");
  expectRejected([](auto & p) { p.fineMovingSpacingMm = 0.1; }, "fineMovingSpacingMm");
  expectRejected([](auto & p) { p.outliers.zMax = 0.5; }, "zMax");
  AtlasRegistrationParams affineOnly;
  affineOnly.deformable = false;
  affineOnly.bsplineIterations.clear(); // B-spline levels are not checked when there is no B-spline stage
  EXPECT_NO_THROW(ValidateAtlasRegistrationParams(affineOnly));
}

TEST(AtlasRegistrationTest, RecoversAKnownAffineAcrossContrastsAndIsReproducible)
{
  // Fixed: FLAIR-like head on 5 mm slices; moving ("atlas"): T2-like head on a 2 mm grid, scaled and rotated.
  test::HeadGrid fixedGrid;
  fixedGrid.spacing = { 1.5, 1.5, 5.0 };
  fixedGrid.size = { 120, 140, 32 };
  test::HeadGrid movingGrid;
  movingGrid.spacing = { 2.0, 2.0, 2.0 };
  movingGrid.size = { 100, 110, 90 };
  movingGrid.subSamples = { 1, 1, 1 };
  auto truth = itk::AffineTransform<double, 3>::New();
  truth->Scale(1.06);
  itk::Vector<double, 3> axis, shift;
  axis[0] = 0.2;
  axis[1] = 0.1;
  axis[2] = 1.0;
  shift[0] = 4.0;
  shift[1] = -3.0;
  shift[2] = 2.0;
  truth->Rotate3D(axis, 0.08);
  truth->Translate(shift);
  const auto fixed = test::MakeHead(fixedGrid, test::kFlair);
  const auto moving = test::MakeHead(movingGrid, test::kT2, truth);
  const auto brain = test::MakeIntracranialMask(fixedGrid);

  AtlasRegistrationParams params;
  params.deformable = false;
  const auto first = RegisterAtlas(fixed, moving, brain, params);
  const double error = test::MeanTargetError(first.transform, truth, brain);
  EXPECT_LT(error, 1.5) << "affine target error (mm)";

  const auto second = RegisterAtlas(fixed, moving, brain, params);
  EXPECT_EQ(test::MeanTargetError(first.transform, second.transform, brain), 0.0) << "same inputs, same result";
  EXPECT_THROW(RegisterAtlas(nullptr, moving, nullptr, params), ConfigError);
}
} // namespace
