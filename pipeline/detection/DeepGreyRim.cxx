#include "pipeline/detection/DeepGreyRim.h"

#include "filters/MaskMorphology.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace icanscan::pipeline
{

std::vector<unsigned char> DeepGreyRimNextToCortex(const std::vector<signed char> & pools,
                                                   const itk::ImageBase<3> * grid,
                                                   double rimMm)
{
  if (grid == nullptr || grid->GetLargestPossibleRegion().GetNumberOfPixels() != pools.size())
    throw std::invalid_argument("deep-grey rim: the pool map does not match the grid");
  std::vector<unsigned char> rim(pools.size(), 0);
  if (!(rimMm > 0))
    return rim;
  // Only cortex within rimMm of the deep grey's bounding box can be within rimMm of deep grey: the dilation then runs
  // on that box, not on the whole head.
  const auto size = grid->GetLargestPossibleRegion().GetSize();
  const auto indexOf = [&size](std::size_t i)
  {
    return std::array<long, 3>{ static_cast<long>(i % size[0]), static_cast<long>((i / size[0]) % size[1]),
                                static_cast<long>(i / (size[0] * size[1])) };
  };
  std::array<long, 3> low{ static_cast<long>(size[0]), static_cast<long>(size[1]), static_cast<long>(size[2]) };
  std::array<long, 3> high{ -1, -1, -1 };
  for (std::size_t i = 0; i < pools.size(); ++i)
  {
    if (pools[i] != static_cast<signed char>(TissuePool::DeepGrey))
      continue;
    const auto at = indexOf(i);
    for (unsigned a = 0; a < 3; ++a)
    {
      low[a] = std::min(low[a], at[a]);
      high[a] = std::max(high[a], at[a]);
    }
  }
  if (high[0] < 0)
    return rim;
  for (unsigned a = 0; a < 3; ++a)
  {
    const auto margin = static_cast<long>(std::ceil(rimMm / grid->GetSpacing()[a]));
    low[a] -= margin;
    high[a] += margin;
  }
  auto cortex = filters::NewMaskLike(grid);
  bool any = false;
  for (std::size_t i = 0; i < pools.size(); ++i)
  {
    const auto at = indexOf(i);
    const bool inBox =
      at[0] >= low[0] && at[0] <= high[0] && at[1] >= low[1] && at[1] <= high[1] && at[2] >= low[2] && at[2] <= high[2];
    const bool cortical = inBox && pools[i] == static_cast<signed char>(TissuePool::CorticalGrey);
    cortex->GetBufferPointer()[i] = cortical ? 1 : 0;
    any |= cortical;
  }
  if (!any)
    return rim;
  const auto nearCortex = filters::DilateMm(cortex, rimMm);
  for (std::size_t i = 0; i < pools.size(); ++i)
    rim[i] = pools[i] == static_cast<signed char>(TissuePool::DeepGrey) && nearCortex->GetBufferPointer()[i] != 0;
  return rim;
}

RimLesionsDropped DropRimLesionsNotBrightAgainstCortex(LesionDetectionInput::Mask * lesions,
                                                       const std::vector<unsigned char> & seeds,
                                                       const std::vector<unsigned char> & rim,
                                                       const std::vector<float> & zCortex,
                                                       double seedZ)
{
  const std::size_t n = lesions->GetLargestPossibleRegion().GetNumberOfPixels();
  if (seeds.size() != n || rim.size() != n || zCortex.size() != n)
    throw std::invalid_argument("deep-grey rim lesions: seeds, rim or z map do not match the lesion grid");
  const auto components = filters::ConnectedComponents(lesions, true);
  const auto * labels = components.labels->GetBufferPointer();
  std::vector<std::size_t> seedCount(components.sizes.size(), 0), rimSeedCount(components.sizes.size(), 0);
  std::vector<std::vector<float>> seedZCortex(components.sizes.size());
  for (std::size_t i = 0; i < n; ++i)
  {
    if (labels[i] == 0 || !seeds[i])
      continue;
    const std::size_t c = labels[i] - 1;
    ++seedCount[c];
    rimSeedCount[c] += rim[i] ? 1 : 0;
    seedZCortex[c].push_back(zCortex[i]);
  }
  std::vector<unsigned char> drop(components.sizes.size(), 0);
  RimLesionsDropped dropped;
  for (std::size_t c = 0; c < drop.size(); ++c)
  {
    if (seedCount[c] == 0 || 2 * rimSeedCount[c] < seedCount[c])
      continue;
    auto & z = seedZCortex[c];
    const auto mid = z.begin() + static_cast<std::ptrdiff_t>(z.size() / 2);
    std::nth_element(z.begin(), mid, z.end());
    if (!(*mid < seedZ)) // bright against cortex, or NaN (no cortical reference): kept
      continue;
    drop[c] = 1;
    ++dropped.lesions;
    dropped.voxels += components.sizes[c];
  }
  auto * out = lesions->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    if (labels[i] > 0 && drop[labels[i] - 1])
      out[i] = 0;
  return dropped;
}

} // namespace icanscan::pipeline
