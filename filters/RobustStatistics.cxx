#include "filters/RobustStatistics.h"

#include "filters/ParamCheck.h"

#include <algorithm>
#include <cmath>

namespace icanscan::filters
{
namespace
{
double Median(std::vector<float> & values)
{
  const std::size_t n = values.size();
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(values.begin(), mid, values.end());
  double median = *mid;
  if (n % 2 == 0)
    median = 0.5 * (median + *std::max_element(values.begin(), mid));
  return median;
}
} // namespace

void ValidateNormalAppearingParams(const NormalAppearingParams & params)
{
  const std::string c = "NormalAppearingStatistics";
  if (!(params.trimZ > 1.0 && params.trimZ <= 10.0))
    detail::BadParam(c, "trimZ", ToText(params.trimZ), "a value in (1, 10]");
  detail::CheckRange(c, "rounds", params.rounds, 0u, 20u);
  detail::CheckRange(c, "minSigmaRelative", params.minSigmaRelative, 0.0, 1.0);
}

RobustStatistics ComputeRobustStatistics(std::vector<float> & values)
{
  RobustStatistics stats;
  stats.count = values.size();
  if (values.empty())
    return stats;
  stats.median = Median(values);
  std::vector<float> deviations(values.size());
  std::transform(values.begin(), values.end(), deviations.begin(),
                 [&](float v) { return static_cast<float>(std::abs(v - stats.median)); });
  stats.sigma = 1.4826 * Median(deviations);
  return stats;
}

RobustStatistics NormalAppearingStatistics(std::vector<float> values, const NormalAppearingParams & params)
{
  ValidateNormalAppearingParams(params);
  RobustStatistics stats = ComputeRobustStatistics(values);
  for (unsigned round = 0; round < params.rounds && stats.count > 0; ++round)
  {
    const double sigma = std::max(stats.sigma, params.minSigmaRelative * std::abs(stats.median));
    const double lo = stats.median - params.trimZ * sigma;
    const double hi = stats.median + params.trimZ * sigma;
    const auto end = std::remove_if(values.begin(), values.end(), [&](float v) { return v < lo || v > hi; });
    if (end == values.end())
      break;
    values.erase(end, values.end());
    stats = ComputeRobustStatistics(values);
  }
  stats.sigma = std::max(stats.sigma, params.minSigmaRelative * std::abs(stats.median));
  return stats;
}

} // namespace icanscan::filters
