#include "filters/MaskMorphology.h"

#include "core/Error.h"
#include "filters/ImageTypes.h"

#include "itkConnectedComponentImageFilter.h"
#include "itkImageRegionConstIteratorWithIndex.h"
#include "itkImageRegionIterator.h"
#include "itkImageRegionIteratorWithIndex.h"
#include "itkRegionOfInterestImageFilter.h"
#include "itkRelabelComponentImageFilter.h"
#include "itkSignedMaurerDistanceMapImageFilter.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace icanscan::filters
{
namespace
{

using DistanceImage = FloatImage;
using ComponentImage = itk::Image<unsigned int, 3>;

/** The bounding box of the non-zero voxels grown by `margin` voxels per axis and clipped to the image; an empty
 * region when there is no foreground. */
MaskImage::RegionType ForegroundBox(const MaskImage * mask, const std::array<long, 3> & margin)
{
  const auto region = mask->GetBufferedRegion();
  std::array<long, 3> low{ LONG_MAX, LONG_MAX, LONG_MAX };
  std::array<long, 3> high{ LONG_MIN, LONG_MIN, LONG_MIN };
  for (itk::ImageRegionConstIteratorWithIndex<MaskImage> it(mask, region); !it.IsAtEnd(); ++it)
  {
    if (!it.Get())
      continue;
    const auto index = it.GetIndex();
    for (unsigned d = 0; d < 3; ++d)
    {
      low[d] = std::min<long>(low[d], index[d]);
      high[d] = std::max<long>(high[d], index[d]);
    }
  }
  MaskImage::RegionType box;
  if (low[0] > high[0])
    return box;
  for (unsigned d = 0; d < 3; ++d)
  {
    const long first = std::max<long>(region.GetIndex(d), low[d] - margin[d]);
    const long last =
      std::min<long>(region.GetIndex(d) + static_cast<long>(region.GetSize(d)) - 1, high[d] + margin[d]);
    box.SetIndex(d, first);
    box.SetSize(d, static_cast<unsigned long>(last - first + 1));
  }
  return box;
}

/** Distance (mm) from each voxel of `box` outside the foreground to the nearest foreground voxel centre (Maurer;
 * values <= 0 on the foreground). With `complement`, the roles swap: the distance from each foreground voxel to the
 * nearest background voxel centre. */
DistanceImage::Pointer DistanceToForeground(const MaskImage * mask, const MaskImage::RegionType & box, bool complement)
{
  auto roi = itk::RegionOfInterestImageFilter<MaskImage, MaskImage>::New();
  roi->SetInput(mask);
  roi->SetRegionOfInterest(box);
  roi->Update();
  MaskImage::Pointer input = roi->GetOutput();
  if (complement)
  {
    input->DisconnectPipeline();
    unsigned char * p = input->GetBufferPointer();
    for (std::size_t i = 0; i < input->GetBufferedRegion().GetNumberOfPixels(); ++i)
      p[i] = p[i] ? 0 : 1;
  }
  // ITK's signed Maurer map measures outside voxels to the nearest foreground voxel centre, inside voxels only to the
  // object's own boundary voxels: only the outside values are used here.
  auto distance = itk::SignedMaurerDistanceMapImageFilter<MaskImage, DistanceImage>::New();
  distance->SetInput(input);
  distance->SetUseImageSpacing(true);
  distance->SetSquaredDistance(false);
  distance->SetInsideIsPositive(false);
  distance->SetBackgroundValue(0);
  distance->Update();
  return distance->GetOutput();
}

MaskImage::Pointer Binarized(const MaskImage * mask)
{
  auto out = NewMaskLike(mask);
  const std::size_t n = mask->GetBufferedRegion().GetNumberOfPixels();
  const unsigned char * in = mask->GetBufferPointer();
  unsigned char * o = out->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    o[i] = in[i] ? 1 : 0;
  return out;
}

} // namespace

itk::Image<float, 3>::Pointer DistanceMm(const MaskImage * mask, const MaskImage::RegionType & region)
{
  auto distance = DistanceToForeground(mask, region, false);
  float * d = distance->GetBufferPointer();
  for (std::size_t i = 0; i < distance->GetBufferedRegion().GetNumberOfPixels(); ++i)
    d[i] = std::max(0.0f, d[i]);
  return distance;
}

itk::Image<float, 3>::Pointer DepthMm(const MaskImage * mask, const MaskImage::RegionType & region)
{
  auto depth = DistanceToForeground(mask, region, true);
  const auto full = mask->GetBufferedRegion();
  for (itk::ImageRegionIteratorWithIndex<DistanceImage> it(depth, depth->GetBufferedRegion()); !it.IsAtEnd(); ++it)
  {
    double value = std::max(0.0f, it.Get());
    if (value > 0.0)
    {
      for (unsigned a = 0; a < 3; ++a) // the image border is background too
      {
        const long fromLow = it.GetIndex()[a] - full.GetIndex(a) + 1;
        const long fromHigh = full.GetIndex(a) + static_cast<long>(full.GetSize(a)) - it.GetIndex()[a];
        value = std::min(value, std::min(fromLow, fromHigh) * mask->GetSpacing()[a]);
      }
    }
    it.Set(static_cast<float>(value));
  }
  return depth;
}

MaskImage::RegionType ForegroundRegion(const MaskImage * mask, double marginMm)
{
  std::array<long, 3> margin{};
  for (unsigned d = 0; d < 3; ++d)
    margin[d] = static_cast<long>(std::ceil(std::max(0.0, marginMm) / mask->GetSpacing()[d]));
  return ForegroundBox(mask, margin);
}

MaskImage::Pointer NewMaskLike(const itk::ImageBase<3> * reference)
{
  auto mask = MaskImage::New();
  mask->CopyInformation(reference);
  mask->SetRegions(reference->GetLargestPossibleRegion());
  mask->Allocate(true);
  return mask;
}

MaskImage::Pointer CopyMask(const MaskImage * mask)
{
  auto copy = NewMaskLike(mask);
  std::copy_n(mask->GetBufferPointer(), mask->GetLargestPossibleRegion().GetNumberOfPixels(), copy->GetBufferPointer());
  return copy;
}

MaskImage::Pointer SelectValues(const MaskImage * labels, const std::vector<unsigned char> & values)
{
  std::array<bool, 256> wanted{};
  for (const auto v : values)
    wanted[v] = true;
  auto out = NewMaskLike(labels);
  const std::size_t n = labels->GetBufferedRegion().GetNumberOfPixels();
  const unsigned char * in = labels->GetBufferPointer();
  unsigned char * o = out->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    o[i] = wanted[in[i]] ? 1 : 0;
  return out;
}

MaskImage::Pointer DilateMm(const MaskImage * mask, double radiusMm)
{
  if (radiusMm <= 0.0)
    return Binarized(mask);
  std::array<long, 3> margin{};
  for (unsigned d = 0; d < 3; ++d)
    margin[d] = static_cast<long>(std::ceil(radiusMm / mask->GetSpacing()[d])) + 1;
  const auto box = ForegroundBox(mask, margin);
  auto out = NewMaskLike(mask);
  if (box.GetNumberOfPixels() == 0)
    return out;
  const auto distance = DistanceToForeground(mask, box, false);
  itk::ImageRegionConstIterator<DistanceImage> d(distance, distance->GetBufferedRegion());
  itk::ImageRegionIterator<MaskImage> o(out, box);
  for (; !o.IsAtEnd(); ++o, ++d)
    o.Set(d.Get() <= radiusMm ? 1 : 0);
  return out;
}

MaskImage::Pointer ErodeMm(const MaskImage * mask, double radiusMm)
{
  if (radiusMm <= 0.0)
    return Binarized(mask);
  const auto box = ForegroundBox(mask, { 1, 1, 1 });
  auto out = NewMaskLike(mask);
  if (box.GetNumberOfPixels() == 0)
    return out;
  const auto distance = DistanceToForeground(mask, box, true);
  const auto full = mask->GetBufferedRegion();
  itk::ImageRegionConstIterator<DistanceImage> d(distance, distance->GetBufferedRegion());
  itk::ImageRegionIteratorWithIndex<MaskImage> o(out, box);
  for (; !o.IsAtEnd(); ++o, ++d)
  {
    bool deep = d.Get() > radiusMm;
    // The image border is background too (the distance map only sees the box).
    for (unsigned a = 0; a < 3 && deep; ++a)
    {
      const long fromLow = o.GetIndex()[a] - full.GetIndex(a) + 1;
      const long fromHigh = full.GetIndex(a) + static_cast<long>(full.GetSize(a)) - o.GetIndex()[a];
      deep = std::min(fromLow, fromHigh) * mask->GetSpacing()[a] > radiusMm;
    }
    o.Set(deep ? 1 : 0);
  }
  return out;
}

Components ConnectedComponents(const MaskImage * mask, bool fullyConnected)
{
  auto connected = itk::ConnectedComponentImageFilter<MaskImage, ComponentImage>::New();
  connected->SetInput(mask);
  connected->SetFullyConnected(fullyConnected);
  auto relabel = itk::RelabelComponentImageFilter<ComponentImage, ComponentImage>::New();
  relabel->SetInput(connected->GetOutput());
  relabel->Update();
  Components result;
  result.labels = relabel->GetOutput();
  for (const auto size : relabel->GetSizeOfObjectsInPixels())
    result.sizes.push_back(size);
  return result;
}

MaskImage::Pointer ComponentsTouching(const MaskImage * mask, const MaskImage * seeds, bool fullyConnected)
{
  const auto components = ConnectedComponents(mask, fullyConnected);
  const std::size_t n = mask->GetBufferedRegion().GetNumberOfPixels();
  const unsigned int * c = components.labels->GetBufferPointer();
  const unsigned char * s = seeds->GetBufferPointer();
  std::vector<bool> touched(components.sizes.size() + 1, false);
  for (std::size_t i = 0; i < n; ++i)
    if (s[i] && c[i])
      touched[c[i]] = true;
  auto out = NewMaskLike(mask);
  unsigned char * o = out->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    o[i] = touched[c[i]] && c[i] ? 1 : 0;
  return out;
}

MaskImage::Pointer LargestComponents(const MaskImage * mask, unsigned count, bool fullyConnected)
{
  const auto components = ConnectedComponents(mask, fullyConnected);
  const std::size_t n = mask->GetBufferedRegion().GetNumberOfPixels();
  const unsigned int * c = components.labels->GetBufferPointer();
  auto out = NewMaskLike(mask);
  unsigned char * o = out->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    o[i] = c[i] && c[i] <= count ? 1 : 0;
  return out;
}

std::array<double, 3> Centroid(const MaskImage * mask)
{
  std::array<double, 3> sum{};
  std::size_t count = 0;
  for (itk::ImageRegionConstIteratorWithIndex<MaskImage> it(mask, mask->GetBufferedRegion()); !it.IsAtEnd(); ++it)
  {
    if (!it.Get())
      continue;
    MaskImage::PointType p;
    mask->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    for (unsigned d = 0; d < 3; ++d)
      sum[d] += p[d];
    ++count;
  }
  if (!count)
    throw InputError("Centroid: empty mask");
  for (auto & s : sum)
    s /= static_cast<double>(count);
  return sum;
}

std::size_t CountNonZero(const MaskImage * mask)
{
  const unsigned char * p = mask->GetBufferPointer();
  return static_cast<std::size_t>(
    std::count_if(p, p + mask->GetBufferedRegion().GetNumberOfPixels(), [](unsigned char v) { return v != 0; }));
}

void KeepWhere(MaskImage * mask, const std::function<bool(const std::array<double, 3> &)> & keep)
{
  for (itk::ImageRegionIteratorWithIndex<MaskImage> it(mask, mask->GetBufferedRegion()); !it.IsAtEnd(); ++it)
  {
    if (!it.Get())
      continue;
    MaskImage::PointType p;
    mask->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    if (!keep({ p[0], p[1], p[2] }))
      it.Set(0);
  }
}

itk::Point<double, 3> PointOfOffset(const itk::ImageBase<3> * image, std::size_t offset)
{
  const auto size = image->GetLargestPossibleRegion().GetSize();
  const auto start = image->GetLargestPossibleRegion().GetIndex();
  itk::Index<3> index;
  index[0] = start[0] + static_cast<itk::IndexValueType>(offset % size[0]);
  index[1] = start[1] + static_cast<itk::IndexValueType>((offset / size[0]) % size[1]);
  index[2] = start[2] + static_cast<itk::IndexValueType>(offset / (size[0] * size[1]));
  itk::Point<double, 3> point;
  image->TransformIndexToPhysicalPoint(index, point);
  return point;
}

} // namespace icanscan::filters
