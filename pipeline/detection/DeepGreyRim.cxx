#include "pipeline/detection/DeepGreyRim.h"

#include "filters/MaskMorphology.h"

#include "itkImageRegionConstIteratorWithIndex.h"

#include <algorithm>
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
  auto deep = filters::NewMaskLike(grid);
  auto cortex = filters::NewMaskLike(grid);
  bool anyCortex = false;
  for (std::size_t i = 0; i < pools.size(); ++i)
  {
    deep->GetBufferPointer()[i] = pools[i] == static_cast<signed char>(TissuePool::DeepGrey) ? 1 : 0;
    cortex->GetBufferPointer()[i] = pools[i] == static_cast<signed char>(TissuePool::CorticalGrey) ? 1 : 0;
    anyCortex |= cortex->GetBufferPointer()[i] != 0;
  }
  // Cortex within rimMm of deep grey lies in the deep grey's bounding box grown by rimMm: the distances are measured
  // there only, not over the whole head.
  const auto region = filters::ForegroundRegion(deep, rimMm);
  if (!anyCortex || region.GetNumberOfPixels() == 0)
    return rim;
  const auto distance = filters::DistanceMm(cortex, region);
  for (itk::ImageRegionConstIteratorWithIndex<itk::Image<float, 3>> it(distance, distance->GetBufferedRegion());
       !it.IsAtEnd(); ++it)
  {
    auto index = it.GetIndex(); // the distance map is indexed from the region's corner
    for (unsigned a = 0; a < 3; ++a)
      index[a] += region.GetIndex(a);
    const auto i = static_cast<std::size_t>(deep->ComputeOffset(index));
    rim[i] = deep->GetBufferPointer()[i] != 0 && it.Get() <= rimMm;
  }
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
  std::vector<std::size_t> rimSeedCount(components.sizes.size(), 0);
  std::vector<std::vector<float>> seedZCortex(components.sizes.size()); // one value per seed of each lesion
  for (std::size_t i = 0; i < n; ++i)
  {
    if (labels[i] == 0 || !seeds[i])
      continue;
    const std::size_t c = labels[i] - 1;
    rimSeedCount[c] += rim[i] ? 1 : 0;
    seedZCortex[c].push_back(zCortex[i]);
  }
  std::vector<unsigned char> drop(components.sizes.size(), 0);
  RimLesionsDropped dropped;
  for (std::size_t c = 0; c < drop.size(); ++c)
  {
    auto & z = seedZCortex[c];
    if (z.empty() || 2 * rimSeedCount[c] < z.size())
      continue;
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
