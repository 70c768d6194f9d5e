#include "pipeline/baseline/LesionFilling.h"

#include "core/Error.h"
#include "core/Structures.h"
#include "filters/MaskMorphology.h"
#include "filters/ParamCheck.h"
#include "filters/RobustStatistics.h"

#include "itkImageDuplicator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace icanscan::pipeline
{
namespace
{
/** The component nearest to index `at` within `reach` voxels per axis (0 when none) and its physical distance. */
unsigned NearestComponent(const itk::Image<unsigned int, 3> * components,
                          const itk::Index<3> & at,
                          const std::array<long, 3> & reach,
                          double & distanceMm)
{
  const auto size = components->GetLargestPossibleRegion().GetSize();
  const auto & spacing = components->GetSpacing();
  unsigned best = 0;
  double best2 = std::numeric_limits<double>::max();
  itk::Index<3> q;
  for (q[2] = std::max(0L, at[2] - reach[2]); q[2] <= std::min<long>(size[2] - 1, at[2] + reach[2]); ++q[2])
    for (q[1] = std::max(0L, at[1] - reach[1]); q[1] <= std::min<long>(size[1] - 1, at[1] + reach[1]); ++q[1])
      for (q[0] = std::max(0L, at[0] - reach[0]); q[0] <= std::min<long>(size[0] - 1, at[0] + reach[0]); ++q[0])
      {
        const unsigned c = components->GetPixel(q);
        if (c == 0)
          continue;
        double d2 = 0;
        for (unsigned k = 0; k < 3; ++k)
          d2 += std::pow(static_cast<double>(q[k] - at[k]) * spacing[k], 2);
        if (d2 < best2)
        {
          best2 = d2;
          best = c;
        }
      }
  distanceMm = std::sqrt(best2);
  return best;
}

/** A lesion voxel of signal `v`: given the level `fill`, unless it is closer to CSF than to the lesion's level (CSF
 * brighter than the lesion, as on T2, caught in the lesion mask): kept. */
double FilledLesionValue(double v, double lesion, double fill, const FillOptions & options)
{
  return options.csfLevel > lesion && v > 0.5 * (lesion + options.csfLevel) ? v : fill;
}

/** A rim voxel of signal `v` between the surrounding tissue's level and the lesion's, read as a mix of the two: its
 * lesion part given the level `fill`. Other rim voxels (tissue, CSF mixes) are kept. */
double FilledRimValue(double v, double lesion, double fill, const FillOptions & options)
{
  if (options.surroundLevel <= 0.0 || v <= options.surroundLevel || v >= lesion)
    return v;
  const double lesionPart = (v - options.surroundLevel) / (lesion - options.surroundLevel);
  return v - lesionPart * (lesion - fill);
}

/** Gives the lesion part of each partial-volume rim voxel the fill level (FillOptions). */
void FillPartialVolumeRim(const filters::FloatImage * image,
                          const filters::ByteLabelImage * lesions,
                          const itk::Image<unsigned int, 3> * components,
                          const std::vector<double> & fill,
                          const std::vector<double> & lesionLevel,
                          const FillOptions & rim,
                          filters::FloatImage * out)
{
  const std::size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto grown = filters::DilateMm(lesions, rim.rimWidthMm);
  std::array<long, 3> reach{};
  for (unsigned d = 0; d < 3; ++d)
    reach[d] = static_cast<long>(std::ceil(rim.rimWidthMm / image->GetSpacing()[d]));
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!grown->GetBufferPointer()[i] || components->GetBufferPointer()[i] > 0)
      continue;
    double distance = 0;
    const unsigned c = NearestComponent(components, image->ComputeIndex(i), reach, distance);
    if (c == 0 || fill[c] < 0 || distance > rim.rimWidthMm || lesionLevel[c] <= rim.surroundLevel)
      continue;
    out->GetBufferPointer()[i] =
      static_cast<float>(FilledRimValue(image->GetBufferPointer()[i], lesionLevel[c], fill[c], rim));
  }
}

/** The tissue structure of `labels` holding most of each component (index = component; 0: none). CSF spaces never
 * hold a lesion: a lesion is tissue. */
std::vector<unsigned char> HolderOfEachComponent(const filters::Components & components,
                                                 const filters::ByteLabelImage * labels)
{
  const std::size_t count = components.sizes.size();
  std::vector<std::map<unsigned char, std::size_t>> voxels(count + 1);
  const auto * component = components.labels->GetBufferPointer();
  const auto * label = labels->GetBufferPointer();
  for (std::size_t i = 0; i < labels->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    if (component[i] > 0 && label[i] > 0 && label[i] != static_cast<unsigned char>(Structure::LateralVentricles))
      ++voxels[component[i]][label[i]];
  std::vector<unsigned char> holder(count + 1, 0);
  for (std::size_t c = 1; c <= count; ++c)
  {
    std::size_t most = 0;
    for (const auto & [structure, n] : voxels[c])
      if (n > most)
      {
        most = n;
        holder[c] = structure;
      }
  }
  return holder;
}

/** Each component's own level: the median of its voxels inside its holding structure (0 when none). */
std::vector<double> LesionLevelInItsHolder(const filters::FloatImage * image,
                                           const filters::Components & components,
                                           const filters::ByteLabelImage * labels,
                                           const std::vector<unsigned char> & holder)
{
  std::vector<std::vector<float>> values(holder.size());
  const auto * component = components.labels->GetBufferPointer();
  for (std::size_t i = 0; i < image->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    if (component[i] > 0 && labels->GetBufferPointer()[i] == holder[component[i]])
      values[component[i]].push_back(image->GetBufferPointer()[i]);
  std::vector<double> level(holder.size(), 0.0);
  for (std::size_t c = 1; c < holder.size(); ++c)
    level[c] = values[c].empty() ? 0.0 : filters::ComputeRobustStatistics(values[c]).median;
  return level;
}
} // namespace

StructureLevels MeasureStructureLevels(const filters::FloatImage * image,
                                       const filters::ByteLabelImage * labels,
                                       const filters::ByteLabelImage * exclude)
{
  filters::detail::RequireSameGrid(image, labels, "lesion filling: the structure labels");
  if (exclude)
    filters::detail::RequireSameGrid(image, exclude, "lesion filling: the excluded mask");
  std::map<unsigned char, std::vector<float>> values;
  std::map<unsigned char, std::size_t> totals;
  const std::size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    const auto label = labels->GetBufferPointer()[i];
    if (label == 0)
      continue;
    ++totals[label];
    if (!exclude || !exclude->GetBufferPointer()[i])
      values[label].push_back(image->GetBufferPointer()[i]);
  }
  StructureLevels levels;
  for (const auto & [label, total] : totals)
  {
    auto & v = values[label];
    levels.outsideFraction[label] = static_cast<double>(v.size()) / static_cast<double>(total);
    if (!v.empty())
      levels.median[label] = filters::ComputeRobustStatistics(v).median;
  }
  return levels;
}

double WhiteMatterLevel(const StructureLevels & levels)
{
  double sum = 0;
  int n = 0;
  for (const auto s : { Structure::WhiteMatterLeft, Structure::WhiteMatterRight })
  {
    const auto found = levels.median.find(static_cast<unsigned char>(s));
    if (found != levels.median.end() && found->second > 0)
    {
      sum += found->second;
      ++n;
    }
  }
  return n > 0 ? sum / n : 0.0;
}

std::map<unsigned char, double> NormalLevelsForFilling(const StructureLevels & followup,
                                                       const StructureLevels & baseline,
                                                       const LesionFillParams & params)
{
  const double followupWm = WhiteMatterLevel(followup), baselineWm = WhiteMatterLevel(baseline);
  const bool scalable = followupWm > 0 && baselineWm > 0;
  std::map<unsigned char, double> levels;
  for (const auto & [label, fraction] : followup.outsideFraction)
  {
    const auto own = followup.median.find(label);
    const auto before = baseline.median.find(label);
    if (fraction >= params.ownRemainderMin && own != followup.median.end())
      levels[label] = own->second;
    else if (scalable && before != baseline.median.end())
      levels[label] = before->second * followupWm / baselineWm;
  }
  return levels;
}

FilledImage FillLesions(const filters::FloatImage * image,
                        const filters::ByteLabelImage * lesions,
                        const filters::ByteLabelImage * labels,
                        const std::map<unsigned char, double> & levels,
                        const FillOptions & options)
{
  filters::detail::RequireSameGrid(image, labels, "lesion filling: the structure labels");
  filters::detail::RequireSameGrid(image, lesions, "lesion filling: the lesion mask");
  auto duplicator = itk::ImageDuplicator<filters::FloatImage>::New();
  duplicator->SetInputImage(image);
  duplicator->Update();
  FilledImage out{ duplicator->GetOutput(), filters::NewMaskLike(image), filters::NewMaskLike(image) };
  const auto components = filters::ConnectedComponents(lesions, true);
  const std::size_t count = components.sizes.size();
  const std::size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto * component = components.labels->GetBufferPointer();
  const auto * signal = image->GetBufferPointer();
  const auto holder = HolderOfEachComponent(components, labels);
  std::vector<double> fill(count + 1, -1.0);
  for (std::size_t c = 1; c <= count; ++c)
  {
    const auto level = levels.find(holder[c]);
    if (holder[c] != 0 && level != levels.end())
      fill[c] = level->second;
  }
  const auto lesionLevel = LesionLevelInItsHolder(image, components, labels, holder);
  for (std::size_t i = 0; i < n; ++i)
  {
    const unsigned c = component[i];
    if (c == 0)
      continue;
    if (fill[c] < 0)
      out.unfilled->GetBufferPointer()[i] = 1;
    else
    {
      out.image->GetBufferPointer()[i] =
        static_cast<float>(FilledLesionValue(signal[i], lesionLevel[c], fill[c], options));
      out.filled->GetBufferPointer()[i] = 1;
    }
  }
  if (options.rimWidthMm > 0 && options.surroundLevel > 0)
    FillPartialVolumeRim(image, lesions, components.labels, fill, lesionLevel, options, out.image);
  return out;
}

} // namespace icanscan::pipeline
