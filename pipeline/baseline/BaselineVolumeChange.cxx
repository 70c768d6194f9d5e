#include "pipeline/baseline/BaselineVolumeChange.h"

#include "core/Error.h"
#include "core/Structures.h"
#include "filters/MaskMorphology.h"
#include "filters/Resample.h"

#include "itkImageDuplicator.h"
#include "itkMultiThreaderBase.h"
#include "vnl/vnl_det.h"

#include <cmath>
#include <future>

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

using Levels = std::vector<filters::FineBSplineTransform::Pointer>;

/** The B-spline levels that register `moving`, carried onto `fixed` by `initial` (null: identity), to `fixed`: each
 * level on the result of the one before. */
Levels RegisterLevels(const filters::FloatImage * fixed,
                      const filters::FloatImage * moving,
                      const itk::Transform<double, 3, 3> * initial,
                      const filters::ByteLabelImage * metricMask,
                      const BaselineVolumeChangeParams & params)
{
  auto carried = filters::ResampleImage(moving, fixed, initial);
  Levels levels;
  for (const auto & level : params.levels)
  {
    if (!levels.empty())
      carried = filters::ResampleImage(carried, fixed, levels.back());
    levels.push_back(filters::RegisterBSplineStochastic(fixed, carried, metricMask, level).transform);
  }
  return levels;
}

/** A fixed point through the levels (the last first), without `initial`. */
Point ThroughLevels(const Levels & levels, Point p)
{
  for (auto it = levels.rbegin(); it != levels.rend(); ++it)
    p = (*it)->TransformPoint(p);
  return p;
}

/** A copy the other direction's thread owns: ITK pipelines write bookkeeping (requested regions) into their inputs. */
template<typename Image>
typename Image::Pointer Duplicate(const Image * image)
{
  auto duplicator = itk::ImageDuplicator<Image>::New();
  duplicator->SetInputImage(image);
  duplicator->Update();
  return duplicator->GetOutput();
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
  const auto levels = RegisterLevels(followup, baseline, rigid, metricMask, params);
  // The follow-up -> baseline map without the rigid part (its determinant is 1).
  const auto map = [&levels](const Point & p) { return ThroughLevels(levels, p); };
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

VolumeChangeSinceBaseline MeasureSymmetricVolumeChangeSinceBaseline(
  const VolumeChangeScan & followup,
  const VolumeChangeScan & baseline,
  const itk::Transform<double, 3, 3> * followupToBaseline,
  const itk::Transform<double, 3, 3> * baselineToFollowup,
  const filters::ByteLabelImage * lesions,
  const filters::ByteLabelImage * filledLesions,
  const BaselineVolumeChangeParams & params)
{
  if (!baseline.labels || !baseline.brainMask)
    return MeasureVolumeChangeSinceBaseline(followup.image, baseline.image, followupToBaseline, followup.labels,
                                            followup.brainMask, lesions, params, filledLesions);
  // The two images both directions read get a copy of their own for the backward one, made before the two start.
  const auto fixedBack = Duplicate(baseline.image);
  const auto movingBack = Duplicate(followup.image);
  const auto lesionsBack = lesions ? filters::ResampleMask(lesions, baseline.image, baselineToFollowup) : nullptr;
  // On a second thread only when the run may use more than one (--threads); otherwise one after the other.
  const auto launch =
    itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads() > 1 ? std::launch::async : std::launch::deferred;
  auto backward =
    std::async(launch,
               [&]
               {
                 return MeasureVolumeChangeSinceBaseline(fixedBack, movingBack, baselineToFollowup, baseline.labels,
                                                         baseline.brainMask, lesionsBack, params);
               });
  VolumeChangeSinceBaseline change =
    MeasureVolumeChangeSinceBaseline(followup.image, baseline.image, followupToBaseline, followup.labels,
                                     followup.brainMask, lesions, params, filledLesions);
  const VolumeChangeSinceBaseline back = backward.get();
  for (auto & [key, pct] : change.changePct)
  {
    const auto found = back.changePct.find(key);
    if (found == back.changePct.end())
      continue;
    change.forwardPct[key] = pct;
    // The backward map runs baseline -> follow-up, so it reads (baseline / now - 1): inverted here.
    const double forward = 1.0 + pct / 100.0, backwardRatio = 1.0 / (1.0 + found->second / 100.0);
    change.backwardPct[key] = 100.0 * (backwardRatio - 1.0);
    pct = 100.0 * (std::sqrt(forward * backwardRatio) - 1.0);
  }
  return change;
}

} // namespace icanscan::pipeline
