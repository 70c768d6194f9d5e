#include "filters/TissueClassifier.h"

#include "core/Error.h"
#include "filters/ImageGrid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

namespace icanscan::filters
{
namespace
{

void CheckParams(const TissueClassifierParams & params)
{
  auto fail = [](const std::string & name, double value, const std::string & expected)
  {
    std::ostringstream message;
    message << "ClassifyTissue: " << name << " = " << value << ", expected " << expected;
    throw ConfigError(message.str());
  };
  if (params.numberOfClasses < 2 || params.numberOfClasses > 8)
    fail("numberOfClasses", params.numberOfClasses, "2..8");
  if (params.histogramBins < 16 || params.histogramBins > 16384)
    fail("histogramBins", params.histogramBins, "16..16384");
  if (!(params.outlierPercentile >= 0.0 && params.outlierPercentile <= 10.0))
    fail("outlierPercentile", params.outlierPercentile, "0..10");
}

/** Bin counts and exact intensity sums over [low, high]. */
struct Histogram
{
  double low = 0;
  double width = 1;
  std::vector<double> counts;
  std::vector<double> sums;
  std::vector<double> squares;

  std::size_t Bin(double value) const
  {
    const auto bin = static_cast<std::ptrdiff_t>((value - low) / width);
    return static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(bin, 0, static_cast<std::ptrdiff_t>(counts.size()) - 1));
  }
};

} // namespace

TissueClassification ClassifyTissue(const TissueIntensityImage * image,
                                    const TissueMaskImage * mask,
                                    const TissueClassifierParams & params)
{
  CheckParams(params);
  if (!image || !mask)
    throw InputError("ClassifyTissue: null image or mask");
  if (!SameGrid(image, mask))
    throw InputError("ClassifyTissue: the mask is not on the image's grid (region, origin, spacing, direction)");

  const std::size_t n = image->GetBufferedRegion().GetNumberOfPixels();
  const float * values = image->GetBufferPointer();
  const unsigned char * inside = mask->GetBufferPointer();
  const unsigned classes = params.numberOfClasses;

  double minimum = std::numeric_limits<double>::max();
  double maximum = std::numeric_limits<double>::lowest();
  std::size_t masked = 0;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (inside[i] && std::isfinite(values[i]))
    {
      minimum = std::min<double>(minimum, values[i]);
      maximum = std::max<double>(maximum, values[i]);
      ++masked;
    }
  }
  if (masked < classes || !(maximum > minimum))
  {
    throw InputError("ClassifyTissue: " + std::to_string(masked) + " masked voxels" +
                     (masked ? " of a single intensity" : "") + ", expected at least " + std::to_string(classes) +
                     " of different intensities");
  }

  Histogram histogram;
  histogram.low = minimum;
  histogram.width = (maximum - minimum) / params.histogramBins;
  histogram.counts.assign(params.histogramBins, 0.0);
  histogram.sums.assign(params.histogramBins, 0.0);
  histogram.squares.assign(params.histogramBins, 0.0);
  for (std::size_t i = 0; i < n; ++i)
  {
    if (inside[i] && std::isfinite(values[i]))
    {
      const std::size_t bin = histogram.Bin(values[i]);
      histogram.counts[bin] += 1.0;
      histogram.sums[bin] += values[i];
      histogram.squares[bin] += static_cast<double>(values[i]) * values[i];
    }
  }

  // Bins that take part in the search: between the outlier percentiles.
  std::size_t firstBin = 0;
  std::size_t lastBin = params.histogramBins - 1;
  {
    const double cut = masked * params.outlierPercentile / 100.0;
    double below = 0.0;
    while (firstBin < lastBin && below + histogram.counts[firstBin] <= cut)
      below += histogram.counts[firstBin++];
    double above = 0.0;
    while (lastBin > firstBin && above + histogram.counts[lastBin] <= cut)
      above += histogram.counts[lastBin--];
  }
  // Non-empty bins only, with prefix sums: the cost of a class spanning bins a..b is its sum of squared deviations.
  std::vector<std::size_t> bins;
  for (std::size_t b = firstBin; b <= lastBin; ++b)
    if (histogram.counts[b] > 0.0)
      bins.push_back(b);
  const std::size_t m = bins.size();
  if (m < classes)
  {
    throw InputError("ClassifyTissue: only " + std::to_string(m) + " distinct intensity bins for " +
                     std::to_string(classes) + " classes");
  }
  std::vector<double> c0(m + 1, 0.0), c1(m + 1, 0.0), c2(m + 1, 0.0);
  for (std::size_t i = 0; i < m; ++i)
  {
    c0[i + 1] = c0[i] + histogram.counts[bins[i]];
    c1[i + 1] = c1[i] + histogram.sums[bins[i]];
    c2[i + 1] = c2[i] + histogram.squares[bins[i]];
  }
  auto cost = [&](std::size_t a, std::size_t b) // bins[a..b-1]
  {
    const double count = c0[b] - c0[a];
    const double sum = c1[b] - c1[a];
    return std::max(0.0, c2[b] - c2[a] - sum * sum / count);
  };
  // best[k][j]: least cost of the first j bins in k+1 classes; start[k][j]: first bin of the last class.
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> best(classes, std::vector<double>(m + 1, kInfinity));
  std::vector<std::vector<std::size_t>> start(classes, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t j = 1; j <= m; ++j)
    best[0][j] = cost(0, j);
  for (unsigned k = 1; k < classes; ++k)
  {
    for (std::size_t j = k + 1; j <= m; ++j)
    {
      for (std::size_t a = k; a < j; ++a)
      {
        const double candidate = best[k - 1][a] + cost(a, j);
        if (candidate < best[k][j])
        {
          best[k][j] = candidate;
          start[k][j] = a;
        }
      }
    }
  }

  TissueClassification result;
  result.means.assign(classes, 0.0);
  result.thresholds.assign(classes - 1, 0.0);
  std::size_t end = m;
  for (unsigned k = classes; k-- > 0;)
  {
    const std::size_t first = k ? start[k][end] : 0;
    result.means[k] = (c1[end] - c1[first]) / (c0[end] - c0[first]);
    end = first;
  }
  // Nearest mean: the optimum's boundaries up to a bin, and well defined across an empty gap between two classes.
  for (unsigned k = 0; k + 1 < classes; ++k)
    result.thresholds[k] = 0.5 * (result.means[k] + result.means[k + 1]);

  auto labels = TissueLabelImage::New();
  labels->CopyInformation(image);
  labels->SetRegions(image->GetBufferedRegion());
  labels->Allocate(true);
  unsigned char * out = labels->GetBufferPointer();
  result.counts.assign(classes, 0);
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!inside[i] || !std::isfinite(values[i]))
      continue;
    const auto k = static_cast<unsigned>(
      std::upper_bound(result.thresholds.begin(), result.thresholds.end(), static_cast<double>(values[i])) -
      result.thresholds.begin());
    out[i] = static_cast<unsigned char>(k + 1);
    ++result.counts[k];
  }
  result.labels = labels;
  return result;
}

} // namespace icanscan::filters
