#include "pipeline/oedema/HyperintenseExtent.h"

#include "filters/MaskMorphology.h"

namespace icanscan::pipeline
{
namespace
{
/** True when label `value` is a grey structure other than `s`: background, white matter and the lateral ventricles
 * claim nothing. */
bool ClaimedByOtherStructure(unsigned char value, Structure s)
{
  const auto other = static_cast<Structure>(value);
  return other != s && other != Structure::Background && other != Structure::WhiteMatterLeft &&
         other != Structure::WhiteMatterRight && other != Structure::LateralVentricles;
}
} // namespace

double HyperintenseStructureMl(const filters::MaskImage * labels,
                               const filters::MaskImage * lesions,
                               Structure s,
                               std::optional<Structure> counterpart,
                               const HyperintenseExtentParams & params)
{
  const auto own = filters::SelectValues(labels, { static_cast<unsigned char>(s) });
  const auto extent = filters::ComponentsTouching(lesions, own, false);
  if (filters::CountNonZero(extent) == 0)
    return 0;
  const auto region = filters::ForegroundRegion(extent, 1.0);
  const auto toOwn = filters::DistanceMm(own, region);
  filters::FloatImage::Pointer toOther;
  if (counterpart)
    toOther = filters::DistanceMm(filters::SelectValues(labels, { static_cast<unsigned char>(*counterpart) }), region);
  std::size_t count = 0;
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!extent->GetBufferPointer()[i] || ClaimedByOtherStructure(labels->GetBufferPointer()[i], s))
      continue;
    // The distance maps cover `region` only, indexed from its corner.
    auto index = labels->ComputeIndex(static_cast<filters::MaskImage::OffsetValueType>(i));
    for (unsigned a = 0; a < 3; ++a)
      index[a] -= region.GetIndex(a);
    const double d = toOwn->GetPixel(index);
    count += d <= params.reachMm && (!toOther || d <= toOther->GetPixel(index));
  }
  return static_cast<double>(count) * filters::VoxelVolumeMl(labels);
}

} // namespace icanscan::pipeline
