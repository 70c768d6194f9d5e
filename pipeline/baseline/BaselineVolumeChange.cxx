#include "pipeline/baseline/BaselineVolumeChange.h"

#include "core/Error.h"
#include "core/Structures.h"
#include "filters/MaskMorphology.h"
#include "filters/Resample.h"

#include "vnl/vnl_det.h"

#include <cmath>

namespace icanscan::pipeline
{
namespace
{
using Point = itk::Point<double, 3>;

/** Determinant of the Jacobian of `map` at p (central differences, 1 mm). */
template<typename Map>
double JacobianDeterminant(const Map & map, const Point & p)
{
  vnl_matrix_fixed<double, 3, 3> j;
  for (unsigned c = 0; c < 3; ++c)
  {
    Point a = p, b = p;
    a[c] -= 0.5;
    b[c] += 0.5;
    const auto d = map(b) - map(a);
    for (unsigned r = 0; r < 3; ++r)
      j(r, c) = d[r];
  }
  return vnl_det(j);
}
} // namespace

VolumeChangeSinceBaseline MeasureVolumeChangeSinceBaseline(const filters::FloatImage * followup,
                                                           const filters::FloatImage * baseline,
                                                           const itk::Transform<double, 3, 3> * rigid,
                                                           const filters::ByteLabelImage * labels,
                                                           const filters::ByteLabelImage * brainMask,
                                                           const filters::ByteLabelImage * lesions,
                                                           const BaselineVolumeChangeParams & params,
                                                           const filters::ByteLabelImage * filledLesions)
{
  if (labels->GetLargestPossibleRegion() != brainMask->GetLargestPossibleRegion())
    throw InputError("baseline volume change: the structure labels and the brain mask are not on one grid");
  // The metric ignores the lesions: a structure that turned hyperintense would otherwise be matched by its signal
  // (mutual information pairs the new bright region with whatever matches it), not by its boundaries.
  auto metricMask = filters::CopyMask(brainMask);
  auto seen = filters::CopyMask(brainMask); // outside every lesion, filled or not (grown 2 mm)
  for (const auto * mask : { lesions, filledLesions })
  {
    if (!mask)
      continue;
    const auto grown = filters::DilateMm(mask, 2.0);
    for (std::size_t i = 0; i < seen->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    {
      seen->GetBufferPointer()[i] = seen->GetBufferPointer()[i] && !grown->GetBufferPointer()[i];
      if (mask == lesions)
        metricMask->GetBufferPointer()[i] = metricMask->GetBufferPointer()[i] && !grown->GetBufferPointer()[i];
    }
  }
  // The baseline on the follow-up grid through the rigid alignment, then each level on the result of the one before.
  auto moving = filters::ResampleImage(baseline, followup, rigid);
  std::vector<filters::FineBSplineTransform::Pointer> levels;
  for (const auto & level : params.levels)
  {
    if (!levels.empty())
      moving = filters::ResampleImage(moving, followup, levels.back());
    levels.push_back(filters::RegisterBSplineStochastic(followup, moving, metricMask, level).transform);
  }
  // The follow-up -> baseline map without the rigid part (its determinant is 1): the last level first.
  const auto map = [&levels](Point p)
  {
    for (auto it = levels.rbegin(); it != levels.rend(); ++it)
      p = (*it)->TransformPoint(p);
    return p;
  };
  VolumeChangeSinceBaseline change;
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  for (const auto & info : AllStructures())
  {
    double sum = 0;
    std::size_t count = 0, voxels = 0, inMetric = 0;
    for (std::size_t i = 0; i < n; ++i)
    {
      if (labels->GetBufferPointer()[i] != static_cast<unsigned char>(info.structure))
        continue;
      inMetric += seen->GetBufferPointer()[i] ? 1 : 0;
      if ((voxels++ % params.stride) == 0)
      {
        sum += JacobianDeterminant(map, filters::PointOfOffset(labels, i));
        ++count;
      }
    }
    if (count > 0 && sum > 0)
    {
      change.changePct[info.key] = 100.0 * (static_cast<double>(count) / sum - 1.0);
      change.seenFraction[info.key] = static_cast<double>(inMetric) / static_cast<double>(voxels);
    }
  }
  return change;
}

} // namespace icanscan::pipeline
