#include "filters/BSplineMutualInformation.h"

#include "core/Error.h"

#include "itkMinimumMaximumImageCalculator.h"

#include <algorithm>
#include <cmath>

namespace icanscan::filters
{
namespace
{
constexpr int kPadding = 2; // bins kept free at each end of the histogram, as in ITK's Mattes metric

double CubicBSpline(double u)
{
  const double a = std::abs(u);
  if (a < 1)
    return (4.0 - 6.0 * a * a + 3.0 * a * a * a) / 6.0;
  if (a < 2)
    return (2.0 - a) * (2.0 - a) * (2.0 - a) / 6.0;
  return 0;
}

double CubicBSplineDerivative(double u)
{
  const double a = std::abs(u);
  if (a < 1)
    return -2.0 * u + 1.5 * u * a;
  if (a < 2)
    return (u > 0 ? -0.5 : 0.5) * (2.0 - a) * (2.0 - a);
  return 0;
}

void Range(const RegistrationImage * image, const char * role, double & minimum, double & binSize, unsigned bins)
{
  auto calculator = itk::MinimumMaximumImageCalculator<RegistrationImage>::New();
  calculator->SetImage(image);
  calculator->Compute();
  minimum = calculator->GetMinimum();
  const double range = calculator->GetMaximum() - minimum;
  if (!(range > 0))
    throw InputError(std::string("B-spline mutual information: the ") + role + " image is flat");
  binSize = range / (bins - 2 * kPadding);
}

/** Trilinear interpolation at a continuous index within [0, size - 1] on every axis (an axis of one voxel is taken
 * as is); with `indexGradient`, also the interpolant's exact derivative along each index axis. */
double Trilinear(const RegistrationImage * image,
                 const itk::ContinuousIndex<double, 3> & index,
                 itk::Vector<double, 3> * indexGradient)
{
  const auto size = image->GetLargestPossibleRegion().GetSize();
  RegistrationImage::IndexType base;
  double fraction[3];
  for (unsigned d = 0; d < 3; ++d)
  {
    base[d] = std::min<itk::IndexValueType>(static_cast<itk::IndexValueType>(index[d]), std::max<long>(0, size[d] - 2));
    fraction[d] = size[d] > 1 ? index[d] - base[d] : 0.0;
  }
  double value = 0;
  if (indexGradient != nullptr)
    indexGradient->Fill(0);
  for (unsigned corner = 0; corner < 8; ++corner)
  {
    RegistrationImage::IndexType at = base;
    double weight = 1;
    double partial[3] = { 1, 1, 1 }; // the weight's derivative along each index axis
    for (unsigned d = 0; d < 3; ++d)
    {
      const bool upper = (corner >> d) & 1U;
      if (upper && size[d] > 1)
        ++at[d];
      const double w = upper ? fraction[d] : 1.0 - fraction[d];
      weight *= w;
      for (unsigned e = 0; e < 3; ++e)
        partial[e] *= e == d ? (upper ? 1.0 : -1.0) : w;
    }
    const double pixel = image->GetPixel(at);
    value += weight * pixel;
    if (indexGradient != nullptr)
      for (unsigned e = 0; e < 3; ++e)
        (*indexGradient)[e] += partial[e] * pixel;
  }
  return value;
}

/** Scratch for one sample between the histogram pass and the derivative pass. */
struct Sample
{
  int fixedBin;
  double movingArgument;
  itk::Vector<double, 3> gradient;
  std::size_t firstWeight; // into the weight / index scratch arrays
};
} // namespace

BSplineMutualInformation::BSplineMutualInformation(const RegistrationImage * fixed,
                                                   const RegistrationImage * moving,
                                                   unsigned bins)
  : m_Fixed(fixed)
  , m_Moving(moving)
  , m_Bins(bins)
{
  if (bins < 8 || bins > 256)
    throw ConfigError("B-spline mutual information parameter bins = " + std::to_string(bins) + ": expected 8..256");
  if (fixed == nullptr || moving == nullptr)
    throw InputError("B-spline mutual information: fixed and moving images are required");
  Range(fixed, "fixed", m_FixedMin, m_FixedBinSize, bins);
  Range(moving, "moving", m_MovingMin, m_MovingBinSize, bins);
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned c = 0; c < 3; ++c)
      m_MovingIndexToPhysicalGradient(r, c) = moving->GetDirection()(r, c) / moving->GetSpacing()[c];
}

bool BSplineMutualInformation::FixedValue(const Point & point, double & value) const
{
  itk::ContinuousIndex<double, 3> index;
  if (!m_Fixed->TransformPhysicalPointToContinuousIndex(point, index))
    return false;
  const auto size = m_Fixed->GetLargestPossibleRegion().GetSize();
  for (unsigned d = 0; d < 3; ++d) // within half a voxel of the border: the border value
    index[d] = std::clamp(index[d], 0.0, static_cast<double>(size[d] - 1));
  value = Trilinear(m_Fixed, index, nullptr);
  return true;
}

bool BSplineMutualInformation::MovingValueAndGradient(const Point & point,
                                                      double & value,
                                                      itk::Vector<double, 3> & gradient) const
{
  itk::ContinuousIndex<double, 3> index;
  if (!m_Moving->TransformPhysicalPointToContinuousIndex(point, index))
    return false;
  const auto size = m_Moving->GetLargestPossibleRegion().GetSize();
  for (unsigned d = 0; d < 3; ++d)
    if (size[d] < 2 || index[d] < 0 || index[d] > size[d] - 1.0)
      return false;
  itk::Vector<double, 3> indexGradient;
  value = Trilinear(m_Moving, index, &indexGradient);
  gradient = m_MovingIndexToPhysicalGradient * indexGradient;
  return true;
}

double BSplineMutualInformation::ValueAndDerivative(const FineBSplineTransform & transform,
                                                    const std::vector<Point> & points,
                                                    const std::vector<double> & fixedValues,
                                                    itk::Array<double> & derivative,
                                                    std::size_t & validSamples) const
{
  if (points.size() != fixedValues.size())
    throw ConfigError("B-spline mutual information: " + std::to_string(points.size()) + " points but " +
                      std::to_string(fixedValues.size()) + " fixed values");
  const unsigned bins = m_Bins;
  const std::size_t weightsPerSample = transform.GetNumberOfWeights();
  std::vector<double> joint(static_cast<std::size_t>(bins) * bins, 0.0); // [fixed bin][moving bin]
  std::vector<Sample> samples;
  samples.reserve(points.size());
  std::vector<double> weights;
  std::vector<std::size_t> indices;
  weights.reserve(points.size() * weightsPerSample);
  indices.reserve(points.size() * weightsPerSample);

  FineBSplineTransform::WeightsType w(weightsPerSample);
  FineBSplineTransform::ParameterIndexArrayType idx(weightsPerSample);
  for (std::size_t i = 0; i < points.size(); ++i)
  {
    Point mapped;
    bool inside = false;
    transform.TransformPoint(points[i], mapped, w, idx, inside);
    Sample s;
    double movingValue = 0;
    if (!inside || !MovingValueAndGradient(mapped, movingValue, s.gradient))
      continue;
    s.fixedBin = std::clamp(static_cast<int>(std::floor((fixedValues[i] - m_FixedMin) / m_FixedBinSize)) + kPadding,
                            kPadding, static_cast<int>(bins) - kPadding - 1);
    s.movingArgument = (movingValue - m_MovingMin) / m_MovingBinSize + kPadding;
    const int movingBin =
      std::clamp(static_cast<int>(std::floor(s.movingArgument)), kPadding, static_cast<int>(bins) - kPadding - 1);
    for (int m = movingBin - 1; m <= movingBin + 2; ++m)
      joint[static_cast<std::size_t>(s.fixedBin) * bins + m] += CubicBSpline(m - s.movingArgument);
    s.firstWeight = weights.size();
    for (std::size_t k = 0; k < weightsPerSample; ++k)
    {
      weights.push_back(w[k]);
      indices.push_back(idx[k]);
    }
    samples.push_back(s);
  }
  validSamples = samples.size();
  derivative.SetSize(transform.GetNumberOfParameters());
  derivative.Fill(0);
  if (samples.empty())
    return 0;

  double total = 0;
  for (double v : joint)
    total += v;
  const double alpha = 1.0 / total;
  std::vector<double> fixedMarginal(bins, 0.0), movingMarginal(bins, 0.0);
  for (unsigned f = 0; f < bins; ++f)
    for (unsigned m = 0; m < bins; ++m)
    {
      joint[f * bins + m] *= alpha;
      fixedMarginal[f] += joint[f * bins + m];
      movingMarginal[m] += joint[f * bins + m];
    }
  double mutualInformation = 0;
  std::vector<double> logRatio(joint.size(), 0.0); // log(p(f, m) / p(m)): the derivative's weight per bin
  for (unsigned f = 0; f < bins; ++f)
    for (unsigned m = 0; m < bins; ++m)
    {
      const double p = joint[f * bins + m];
      if (p <= 1e-16)
        continue;
      logRatio[f * bins + m] = std::log(p / movingMarginal[m]);
      mutualInformation += p * std::log(p / (fixedMarginal[f] * movingMarginal[m]));
    }

  // d(-MI)/dmu = alpha / binSize * sum_i [sum_m logRatio(f_i, m) B3'(m - arg_i)] gradient_i . dT/dmu.
  const std::size_t perDimension = transform.GetNumberOfParametersPerDimension();
  for (const Sample & s : samples)
  {
    const int movingBin =
      std::clamp(static_cast<int>(std::floor(s.movingArgument)), kPadding, static_cast<int>(bins) - kPadding - 1);
    double coefficient = 0;
    for (int m = movingBin - 1; m <= movingBin + 2; ++m)
      coefficient +=
        logRatio[static_cast<std::size_t>(s.fixedBin) * bins + m] * CubicBSplineDerivative(m - s.movingArgument);
    coefficient *= alpha / m_MovingBinSize;
    if (coefficient == 0)
      continue;
    for (std::size_t k = 0; k < weightsPerSample; ++k)
    {
      const double c = coefficient * weights[s.firstWeight + k];
      const std::size_t base = indices[s.firstWeight + k];
      for (unsigned d = 0; d < 3; ++d)
        derivative[base + d * perDimension] += c * s.gradient[d];
    }
  }
  return -mutualInformation;
}

} // namespace icanscan::filters
