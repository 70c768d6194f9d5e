#include "filters/StochasticBSplineRegistration.h"

#include "filters/ParamCheck.h"

#include "itkBSplineTransformInitializer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

namespace icanscan::filters
{
namespace
{
const std::string kComponent = "stochastic B-spline registration";

/** Draws random coordinates in the fixed image's candidate voxels (each jittered within its voxel) with their
 * fixed intensities. std::mt19937 and the integer arithmetic here are the same on every platform. */
class FixedSampler
{
public:
  FixedSampler(const RegistrationImage * fixed, const RegistrationMask * mask, const BSplineMutualInformation & metric)
    : m_Fixed(fixed)
    , m_Metric(metric)
  {
    const std::size_t n = fixed->GetLargestPossibleRegion().GetNumberOfPixels();
    for (std::size_t i = 0; i < n; ++i)
      if (mask == nullptr || mask->GetBufferPointer()[i] != 0)
        m_Candidates.push_back(i);
    if (m_Candidates.empty())
      throw InputError(kComponent + ": the fixed mask is empty");
  }

  void Draw(std::mt19937 & random,
            unsigned count,
            std::vector<itk::Point<double, 3>> & points,
            std::vector<double> & values)
  {
    points.clear();
    values.clear();
    const auto size = m_Fixed->GetLargestPossibleRegion().GetSize();
    while (points.size() < count)
    {
      const std::size_t linear = m_Candidates[random() % m_Candidates.size()];
      itk::ContinuousIndex<double, 3> index;
      std::size_t rest = linear;
      for (unsigned d = 0; d < 3; ++d)
      {
        const double jitter = static_cast<double>(random()) / 4294967296.0 - 0.5; // [-0.5, 0.5)
        index[d] = static_cast<double>(rest % size[d]) + jitter;
        rest /= size[d];
      }
      itk::Point<double, 3> point;
      m_Fixed->TransformContinuousIndexToPhysicalPoint(index, point);
      double value = 0;
      if (!m_Metric.FixedValue(point, value))
        continue;
      points.push_back(point);
      values.push_back(value);
    }
  }

private:
  const RegistrationImage * m_Fixed;
  const BSplineMutualInformation & m_Metric;
  std::vector<std::size_t> m_Candidates;
};

/** Largest control-point move (3D norm) of a parameter vector laid out dimension by dimension. */
double LargestMove(const itk::Array<double> & vector, std::size_t perDimension)
{
  double largest = 0;
  for (std::size_t k = 0; k < perDimension; ++k)
  {
    double squared = 0;
    for (unsigned d = 0; d < 3; ++d)
      squared += vector[k + d * perDimension] * vector[k + d * perDimension];
    largest = std::max(largest, squared);
  }
  return std::sqrt(largest);
}

} // namespace

FineBSplineTransform::Pointer IdentityBSplineOn(const RegistrationImage * image, double gridSpacingMm)
{
  auto transform = FineBSplineTransform::New();
  auto initializer = itk::BSplineTransformInitializer<FineBSplineTransform, RegistrationImage>::New();
  FineBSplineTransform::MeshSizeType mesh;
  for (unsigned d = 0; d < 3; ++d)
  {
    const double extent = image->GetLargestPossibleRegion().GetSize()[d] * image->GetSpacing()[d];
    mesh[d] = std::max<unsigned>(1, static_cast<unsigned>(std::lround(extent / gridSpacingMm)));
  }
  initializer->SetTransform(transform);
  initializer->SetImage(image);
  initializer->SetTransformDomainMeshSize(mesh);
  initializer->InitializeTransform();
  transform->SetIdentity();
  return transform;
}
void ValidateStochasticBSplineParams(const StochasticBSplineParams & p)
{
  detail::CheckRange(kComponent, "gridSpacingMm", p.gridSpacingMm, 5.0, 100.0);
  detail::CheckRange(kComponent, "iterations", p.iterations, 1U, 100000U);
  detail::CheckRange(kComponent, "samples", p.samples, 100U, 1000000U);
  detail::CheckRange(kComponent, "histogramBins", p.histogramBins, 8U, 256U);
  detail::CheckRangeOpenLow(kComponent, "maxStepMm", p.maxStepMm, 0.0, 10.0);
  detail::CheckRange(kComponent, "gainOffset", p.gainOffset, 0.0, 10000.0);
  detail::CheckRangeOpenLow(kComponent, "gainExponent", p.gainExponent, 0.0, 1.0);
}

StochasticBSplineResult RegisterBSplineStochastic(const RegistrationImage * fixed,
                                                  const RegistrationImage * moving,
                                                  const RegistrationMask * fixedMask,
                                                  const StochasticBSplineParams & params)
{
  ValidateStochasticBSplineParams(params);
  detail::RequireImage(fixed, kComponent + ": the fixed image");
  detail::RequireImage(moving, kComponent + ": the moving image");
  if (fixedMask != nullptr)
    detail::RequireSameGrid(fixed, fixedMask, kComponent + ": the fixed mask");
  const auto start = std::chrono::steady_clock::now();

  const BSplineMutualInformation metric(fixed, moving, params.histogramBins);
  FixedSampler sampler(fixed, fixedMask, metric);
  std::mt19937 random(params.randomSeed);
  StochasticBSplineResult result;
  result.transform = IdentityBSplineOn(fixed, params.gridSpacingMm);
  FineBSplineTransform & transform = *result.transform;
  const std::size_t perDimension = transform.GetNumberOfParametersPerDimension();

  // One larger sample set, kept aside, measures the metric before and after.
  std::vector<itk::Point<double, 3>> checkPoints, points;
  std::vector<double> checkValues, values;
  sampler.Draw(random, 4 * params.samples, checkPoints, checkValues);
  itk::Array<double> gradient;
  std::size_t valid = 0;
  result.initialMetric = metric.ValueAndDerivative(transform, checkPoints, checkValues, gradient, valid);

  // Gain scale: the first step moves the largest control point by maxStepMm (on the mean of three gradients).
  double firstMove = 0;
  for (int probe = 0; probe < 3; ++probe)
  {
    sampler.Draw(random, params.samples, points, values);
    metric.ValueAndDerivative(transform, points, values, gradient, valid);
    firstMove += LargestMove(gradient, perDimension) / 3;
  }
  if (!(firstMove > 0))
  {
    result.finalMetric = result.initialMetric;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result; // flat metric: nothing to move
  }
  const double scale = params.maxStepMm * std::pow(params.gainOffset + 1, params.gainExponent) / firstMove;

  FineBSplineTransform::ParametersType parameters = transform.GetParameters();
  for (unsigned k = 0; k < params.iterations; ++k)
  {
    sampler.Draw(random, params.samples, points, values);
    metric.ValueAndDerivative(transform, points, values, gradient, valid);
    double gain = scale / std::pow(k + 1 + params.gainOffset, params.gainExponent);
    const double move = gain * LargestMove(gradient, perDimension);
    if (move > params.maxStepMm)
      gain *= params.maxStepMm / move;
    for (std::size_t i = 0; i < parameters.size(); ++i)
      parameters[i] -= gain * gradient[i];
    transform.SetParameters(parameters);
  }
  result.finalMetric = metric.ValueAndDerivative(transform, checkPoints, checkValues, gradient, valid);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

} // namespace icanscan::filters
