#pragma once

#include <cstddef>
#include <vector>

namespace icanscan::filters
{

/** \brief Location and scale of a sample that resist outliers: the median and 1.4826 x the median absolute
 * deviation (the standard deviation for normal data). */
struct RobustStatistics
{
  double median = 0;
  double sigma = 0;
  std::size_t count = 0; //!< values the statistics were computed from (after trimming)
};

/** \brief Parameters of NormalAppearingStatistics. */
struct NormalAppearingParams
{
  double trimZ = 3.0;             //!< values farther than this many robust sigmas from the median are dropped; (1, 10]
  unsigned rounds = 3;            //!< trimming rounds; [0, 20]
  double minSigmaRelative = 0.01; //!< sigma is at least this fraction of |median| (flat synthetic data); [0, 1]
};

void ValidateNormalAppearingParams(const NormalAppearingParams & params);

/** \brief Median and MAD-sigma of `values` (NaN-free); count 0 and zeros for an empty sample. The vector is
 * reordered. */
RobustStatistics ComputeRobustStatistics(std::vector<float> & values);

/** \brief The statistics of the normal-appearing part of a tissue sample: robust statistics, then repeatedly dropping
 * values farther than trimZ sigmas from the median, so that lesions covering less than about half of the sample
 * leave the estimate of normal tissue unbiased. */
RobustStatistics NormalAppearingStatistics(std::vector<float> values, const NormalAppearingParams & params = {});

} // namespace icanscan::filters
