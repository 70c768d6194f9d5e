#include "filters/StochasticBSplineRegistration.h"

#include "SyntheticHead.h"
#include "core/Error.h"

#include "itkBSplineTransformInitializer.h"
#include "itkResampleImageFilter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

namespace icanscan::filters
{
namespace
{
using Point = itk::Point<double, 3>;

/** A smooth random warp on a 40 mm grid over `image`, control points moved up to `amplitudeMm` per axis. */
FineBSplineTransform::Pointer SmoothWarp(const FloatImage * image, double amplitudeMm, unsigned seed)
{
  auto warp = FineBSplineTransform::New();
  auto initializer = itk::BSplineTransformInitializer<FineBSplineTransform, FloatImage>::New();
  FineBSplineTransform::MeshSizeType mesh;
  mesh.Fill(4);
  initializer->SetTransform(warp);
  initializer->SetImage(image);
  initializer->SetTransformDomainMeshSize(mesh);
  initializer->InitializeTransform();
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> move(-amplitudeMm, amplitudeMm);
  FineBSplineTransform::ParametersType parameters(warp->GetNumberOfParameters());
  for (auto & p : parameters)
    p = move(random);
  warp->SetParameters(parameters);
  return warp;
}

FloatImage::Pointer Warped(const FloatImage * image, const itk::Transform<double, 3, 3> * transform)
{
  auto resampler = itk::ResampleImageFilter<FloatImage, FloatImage>::New();
  resampler->SetInput(image);
  resampler->SetTransform(transform);
  resampler->UseReferenceImageOn();
  resampler->SetReferenceImage(image);
  resampler->Update();
  return resampler->GetOutput();
}

/** x + u(y) = y solved for y by fixed-point iteration: the inverse of the small warp x -> x + u(x). */
Point InverseWarp(const FineBSplineTransform & warp, const Point & x)
{
  Point y = x;
  for (int i = 0; i < 30; ++i)
    y = x - (warp.TransformPoint(y) - y);
  return y;
}

double MeanErrorToInverse(const itk::Transform<double, 3, 3> & recovered,
                          const FineBSplineTransform & warp,
                          const MaskImage * mask)
{
  double sum = 0;
  std::size_t count = 0;
  const std::size_t n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; i += 7)
  {
    if (!mask->GetBufferPointer()[i])
      continue;
    Point x;
    mask->TransformIndexToPhysicalPoint(mask->ComputeIndex(static_cast<itk::OffsetValueType>(i)), x);
    sum += (recovered.TransformPoint(x) - InverseWarp(warp, x)).GetNorm();
    ++count;
  }
  return sum / static_cast<double>(count);
}

TEST(BSplineMutualInformationTest, DerivativeMatchesFiniteDifferences)
{
  const auto grid = test::IsotropicHeadGrid();
  const auto fixed = test::MakeHead(grid, test::kT2);
  const auto moving = test::MakeHead(grid, test::kFlair, nullptr, 0.02, 2);
  const BSplineMutualInformation metric(fixed, moving, 32);
  auto transform = SmoothWarp(fixed, 0, 1); // identity on a 40 mm grid
  FineBSplineTransform::ParametersType parameters(transform->GetNumberOfParameters());
  std::mt19937 random(5);
  std::uniform_real_distribution<double> move(-2.0, 2.0);
  for (auto & p : parameters)
    p = move(random);
  transform->SetParameters(parameters);

  const auto brain = test::MakeIntracranialMask(grid);
  std::vector<Point> points;
  std::vector<double> values;
  for (std::size_t i = 0; i < brain->GetLargestPossibleRegion().GetNumberOfPixels(); i += 13)
  {
    if (!brain->GetBufferPointer()[i])
      continue;
    Point x;
    itk::ContinuousIndex<double, 3> index(brain->ComputeIndex(static_cast<itk::OffsetValueType>(i)));
    index[0] += 0.3; // off the voxel centres, where trilinear interpolation is smooth
    index[1] += 0.2;
    brain->TransformContinuousIndexToPhysicalPoint(index, x);
    double v = 0;
    ASSERT_TRUE(metric.FixedValue(x, v));
    points.push_back(x);
    values.push_back(v);
  }
  itk::Array<double> derivative, unused;
  std::size_t valid = 0;
  const double value = metric.ValueAndDerivative(*transform, points, values, derivative, valid);
  EXPECT_EQ(valid, points.size());
  EXPECT_LT(value, 0) << "negative mutual information of related images";

  // The parameters with the largest derivatives, checked by central differences.
  std::vector<std::size_t> order(derivative.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::partial_sort(order.begin(), order.begin() + 6, order.end(),
                    [&](std::size_t a, std::size_t b) { return std::abs(derivative[a]) > std::abs(derivative[b]); });
  ASSERT_GT(std::abs(derivative[order[0]]), 0);
  const double h = 1e-3;
  for (int k = 0; k < 6; ++k)
  {
    const std::size_t i = order[k];
    auto shifted = parameters;
    shifted[i] += h;
    transform->SetParameters(shifted);
    const double up = metric.ValueAndDerivative(*transform, points, values, unused, valid);
    shifted[i] -= 2 * h;
    transform->SetParameters(shifted);
    const double down = metric.ValueAndDerivative(*transform, points, values, unused, valid);
    const double numeric = (up - down) / (2 * h);
    EXPECT_NEAR(derivative[i], numeric, 0.03 * std::abs(numeric) + 1e-9) << "parameter " << i;
  }
}

TEST(BSplineMutualInformationTest, RejectsBadInput)
{
  const auto grid = test::IsotropicHeadGrid();
  const auto image = test::MakeHead(grid, test::kT2);
  auto flat = test::MakeGridImage(grid);
  flat->FillBuffer(1.0f);
  EXPECT_THROW(BSplineMutualInformation(image, image, 4), ConfigError);
  EXPECT_THROW(BSplineMutualInformation(image, image, 512), ConfigError);
  EXPECT_THROW(BSplineMutualInformation(nullptr, image, 32), InputError);
  EXPECT_THROW(BSplineMutualInformation(image, flat, 32), InputError);
}

TEST(StochasticBSplineRegistrationTest, RecoversASmoothWarpAcrossContrastsAndIsReproducible)
{
  const auto grid = test::IsotropicHeadGrid();
  const auto fixed = test::MakeHead(grid, test::kT2);
  const auto warp = SmoothWarp(fixed, 6.0, 7);
  const auto moving = Warped(test::MakeHead(grid, test::kFlair, nullptr, 0.02, 3), warp);
  const auto brain = test::MakeIntracranialMask(grid);

  StochasticBSplineParams params;
  params.gridSpacingMm = 20;
  const auto result = RegisterBSplineStochastic(fixed, moving, brain, params);
  const double before = MeanErrorToInverse(*SmoothWarp(fixed, 0, 1), *warp, brain);
  const double after = MeanErrorToInverse(*result.transform, *warp, brain);
  std::cout << "smooth warp: mean error " << before << " mm -> " << after << " mm, metric " << result.initialMetric
            << " -> " << result.finalMetric << ", " << result.seconds << " s\n";
  EXPECT_GT(before, 1.5) << "the warp moves the brain by " << before << " mm on average";
  EXPECT_LT(after, 0.4 * before) << "mean error to the true inverse warp (mm): " << before << " -> " << after;
  EXPECT_LT(result.finalMetric, result.initialMetric - 0.02);

  const auto again = RegisterBSplineStochastic(fixed, moving, brain, params);
  EXPECT_EQ(again.transform->GetParameters(), result.transform->GetParameters()) << "same inputs, same result";
}

TEST(StochasticBSplineRegistrationTest, RejectsBadParametersAndInputs)
{
  const auto expectRejected = [](auto change, const std::string & name)
  {
    StochasticBSplineParams p;
    change(p);
    try
    {
      ValidateStochasticBSplineParams(p);
      ADD_FAILURE() << name << " accepted";
    }
    catch (const ConfigError & e)
    {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  expectRejected([](auto & p) { p.gridSpacingMm = 2; }, "gridSpacingMm");
  expectRejected([](auto & p) { p.iterations = 0; }, "iterations");
  expectRejected([](auto & p) { p.samples = 10; }, "samples");
  expectRejected([](auto & p) { p.histogramBins = 4; }, "histogramBins");
  expectRejected([](auto & p) { p.maxStepMm = 0; }, "maxStepMm");
  expectRejected([](auto & p) { p.gainOffset = -1; }, "gainOffset");
  expectRejected([](auto & p) { p.gainExponent = 1.5; }, "gainExponent");

  const auto grid = test::IsotropicHeadGrid();
  const auto image = test::MakeHead(grid, test::kT2);
  auto empty = test::MakeBrainMask(grid);
  empty->FillBuffer(0);
  EXPECT_THROW(RegisterBSplineStochastic(image, image, empty, {}), InputError);
  EXPECT_THROW(RegisterBSplineStochastic(image, nullptr, nullptr, {}), InputError);
  test::HeadGrid other = grid;
  other.size = { 50, 50, 50 };
  EXPECT_THROW(RegisterBSplineStochastic(image, image, test::MakeBrainMask(other), {}), InputError);
}
} // namespace
} // namespace icanscan::filters
