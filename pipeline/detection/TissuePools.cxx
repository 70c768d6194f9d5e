#include "pipeline/detection/TissuePools.h"

#include "core/TissueClass.h"
#include "filters/ParamCheck.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace icanscan::pipeline
{
namespace
{
using Mask = LesionDetectionInput::Mask;

/** Median of `values` (NaN when empty). */
double MedianOf(std::vector<float> values)
{
  if (values.empty())
    return std::numeric_limits<double>::quiet_NaN();
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}
} // namespace

/** Pool of every voxel (-1: none) inside the brain mask. */
std::vector<signed char> PoolMap(const LesionDetectionInput & in)
{
  const std::size_t n = in.labels->GetLargestPossibleRegion().GetNumberOfPixels();
  std::vector<signed char> pools(n, -1);
  for (std::size_t i = 0; i < n; ++i)
  {
    if (in.brainMask->GetBufferPointer()[i] == 0)
      continue;
    unsigned char label = in.labels->GetBufferPointer()[i];
    const unsigned char tissue = in.tissue->GetBufferPointer()[i];
    if (label == 0 && in.propagatedLabels)
    {
      const unsigned char atlas = in.propagatedLabels->GetBufferPointer()[i];
      if (atlas != static_cast<unsigned char>(Structure::LateralVentricles))
        label = atlas;
      else if (tissue != TissueLabel(TissueClass::Csf))
      {
        // Tissue where the atlas has ventricle (larger there than the subject's): periventricular white matter,
        // whatever class its T2 falls in (a periventricular lesion is grey-like or brighter on T2), never cortex.
        pools[i] = static_cast<signed char>(TissuePool::WhiteMatter);
        continue;
      }
    }
    if (const auto pool = PoolOf(label, tissue))
      pools[i] = static_cast<signed char>(*pool);
  }
  return pools;
}

/** Voxels the atlas puts in a lateral ventricle (or the tissue classes call CSF) but whose ADC is tissue: the atlas is
 * off by a few mm there, or a very long-T2 lesion looks like fluid on T2. They are periventricular white matter or
 * lesion, and must be examinable rather than dropped as fluid. */
void AddTissueMisclassifiedAsFluid(std::vector<signed char> & pools,
                                   const LesionDetectionInput & in,
                                   const float * adcUm2s,
                                   double fluidAdc)
{
  constexpr auto ventricles = static_cast<unsigned char>(Structure::LateralVentricles);
  for (std::size_t i = 0; i < pools.size(); ++i)
  {
    if (pools[i] >= 0 || in.brainMask->GetBufferPointer()[i] == 0 || !(adcUm2s[i] > 0 && adcUm2s[i] <= fluidAdc))
      continue;
    const bool atlasVentricle = in.labels->GetBufferPointer()[i] == ventricles ||
                                (in.propagatedLabels && in.propagatedLabels->GetBufferPointer()[i] == ventricles);
    if (atlasVentricle)
      pools[i] = static_cast<signed char>(TissuePool::WhiteMatter);
  }
}

/** Voxels left without a pool (the reference's tissue classes call them CSF, or the refined ventricles took them)
 * whose FLAIR is not suppressed. FLAIR nulls fluid, so a voxel nearer the FLAIR white-matter level than the FLAIR
 * level of those voxels (mostly CSF) is tissue: on T2 a long-T2 lesion (a periventricular plaque, oedema) looks like
 * CSF, and would otherwise never be examined. Its pool comes from the propagated atlas label (white matter for an atlas
 * ventricle: periventricular tissue); without one, cortical grey (tissue next to sulcal CSF). They are examined but
 * kept out of the normal references (`reference` set to 0): T2 and FLAIR disagree on them, and the sulcal partial
 * volume among them would widen the cortical reference. Returns the count. */
std::size_t AddTissueNotSuppressedOnFlair(std::vector<signed char> & pools,
                                          std::vector<unsigned char> & reference,
                                          const LesionDetectionInput & in)
{
  std::vector<float> fluidValues, whiteValues;
  const float * flair = in.flair->GetBufferPointer();
  for (std::size_t i = 0; i < pools.size(); ++i)
  {
    if (in.brainMask->GetBufferPointer()[i] == 0 || !std::isfinite(flair[i]))
      continue;
    if (pools[i] < 0)
      fluidValues.push_back(flair[i]);
    else if (pools[i] == static_cast<signed char>(TissuePool::WhiteMatter))
      whiteValues.push_back(flair[i]);
  }
  const double fluidLevel = MedianOf(std::move(fluidValues));
  const double whiteLevel = MedianOf(std::move(whiteValues));
  if (!(fluidLevel < whiteLevel))
    return 0;
  const double boundary = 0.5 * (fluidLevel + whiteLevel);
  const Mask * atlas = in.propagatedLabels ? in.propagatedLabels : in.labels;
  std::size_t moved = 0;
  for (std::size_t i = 0; i < pools.size(); ++i)
  {
    if (pools[i] >= 0 || in.brainMask->GetBufferPointer()[i] == 0 || !(flair[i] >= boundary))
      continue;
    const unsigned char label = atlas->GetBufferPointer()[i];
    auto pool = TissuePool::CorticalGrey;
    if (label == static_cast<unsigned char>(Structure::LateralVentricles))
      pool = TissuePool::WhiteMatter;
    else if (const auto structurePool = PoolOf(label, 0))
      pool = *structurePool;
    pools[i] = static_cast<signed char>(pool);
    reference[i] = 0;
    ++moved;
  }
  return moved;
}

std::size_t RemoveLesionFromVentricles(LesionDetectionInput::Mask * labels, const LesionDetectionInput::Mask * lesion)
{
  if (labels == nullptr || lesion == nullptr)
    return 0;
  filters::detail::RequireSameGrid(labels, lesion, "lesion removed from the ventricles");
  constexpr auto ventricles = static_cast<unsigned char>(Structure::LateralVentricles);
  std::size_t removed = 0;
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    if (labels->GetBufferPointer()[i] == ventricles && lesion->GetBufferPointer()[i] != 0)
    {
      labels->GetBufferPointer()[i] = 0;
      ++removed;
    }
  return removed;
}

} // namespace icanscan::pipeline
