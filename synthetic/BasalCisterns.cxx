#include "synthetic/BasalCisterns.h"

#include "filters/MaskMorphology.h"
#include "pipeline/geometry/StructureLabels.h"

#include "itkImageRegionIterator.h"

#include <limits>
#include <stdexcept>

namespace icanscan::synthetic
{

LabelImage::Pointer BasalCisternRegion(const LabelImage * labels,
                                       const LabelImage * brainstem,
                                       const BasalCisternParams & params)
{
  using pipeline::Structure;
  const auto thalami = filters::SelectValues(labels, { static_cast<unsigned char>(Structure::ThalamusLeft),
                                                       static_cast<unsigned char>(Structure::ThalamusRight) });
  if (filters::CountNonZero(thalami) == 0)
    throw std::logic_error("phantom: no thalamus label to place the basal cisterns");
  const Vec3 centre = filters::Centroid(thalami);
  double bottom = std::numeric_limits<double>::max();
  const auto toPhysical = Affine3::IndexToPhysical(labels);
  const auto size = labels->GetLargestPossibleRegion().GetSize();
  const unsigned char * t = thalami->GetBufferPointer();
  std::size_t i = 0;
  for (unsigned z = 0; z < size[2]; ++z)
    for (unsigned y = 0; y < size[1]; ++y)
      for (unsigned x = 0; x < size[0]; ++x, ++i)
        if (t[i])
          bottom = std::min(bottom, toPhysical(Vec3{ double(x), double(y), double(z) })[2]);

  auto inBox = [&](const Vec3 & p) { return params.box.Contains(p[0], p[1], p[2], centre[0], centre[1], bottom); };
  auto region = filters::NewMaskLike(labels);
  unsigned char * r = region->GetBufferPointer();
  const unsigned char * l = labels->GetBufferPointer();
  i = 0;
  for (unsigned z = 0; z < size[2]; ++z)
    for (unsigned y = 0; y < size[1]; ++y)
      for (unsigned x = 0; x < size[0]; ++x, ++i)
        r[i] = inBox(toPhysical(Vec3{ double(x), double(y), double(z) })) &&
                   l[i] != static_cast<unsigned char>(Structure::LateralVentricles)
                 ? 1
                 : 0;
  if (brainstem && filters::CountNonZero(brainstem) > 0)
  {
    auto stem = filters::CopyMask(brainstem);
    filters::KeepWhere(stem, [&](const std::array<double, 3> & p) { return inBox(Vec3{ p[0], p[1], p[2] }); });
    if (filters::CountNonZero(stem) > 0)
    {
      const auto box = filters::ForegroundRegion(region, 0.0);
      const auto distance = filters::DistanceMm(stem, box);
      const float * d = distance->GetBufferPointer(); // the box, in raster order
      itk::ImageRegionIterator<LabelImage> it(region, box);
      for (std::size_t n = 0; !it.IsAtEnd(); ++it, ++n)
        if (d[n] > params.brainstemReachMm)
          it.Set(0);
    }
  }
  return region;
}

} // namespace icanscan::synthetic
