#include "pipeline/oedema/BasalCisterns.h"

#include "core/Error.h"
#include "filters/MaskMorphology.h"
#include "pipeline/geometry/StructureLabels.h"

#include <cmath>
#include <limits>

namespace icanscan::pipeline
{

bool BasalCisternRegion::Contains(const itk::Point<double, 3> & p) const
{
  return box.Contains(p[0], p[1], p[2], thalamicCentre[0], thalamicCentre[1], thalamicFloorZ);
}

BasalCisternRegion PlaceBasalCisterns(const Atlas & atlas, const BasalCisternBox & box)
{
  const auto thalami = filters::SelectValues(atlas.labels, { static_cast<unsigned char>(Structure::ThalamusLeft),
                                                             static_cast<unsigned char>(Structure::ThalamusRight) });
  const std::size_t n = thalami->GetLargestPossibleRegion().GetNumberOfPixels();
  BasalCisternRegion region;
  region.box = box;
  region.thalamicCentre.Fill(0.0);
  region.thalamicFloorZ = std::numeric_limits<double>::max();
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (thalami->GetBufferPointer()[i])
    {
      const auto p = filters::PointOfOffset(thalami, i);
      for (unsigned d = 0; d < 3; ++d)
        region.thalamicCentre[d] += p[d];
      region.thalamicFloorZ = std::min(region.thalamicFloorZ, p[2]);
      ++count;
    }
  if (count == 0)
    throw InputError("atlas: no thalamus label to place the basal cisterns");
  for (unsigned d = 0; d < 3; ++d)
    region.thalamicCentre[d] /= static_cast<double>(count);
  return region;
}

} // namespace icanscan::pipeline
