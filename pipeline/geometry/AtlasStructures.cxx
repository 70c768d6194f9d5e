#include "pipeline/geometry/AtlasStructures.h"

#include "core/Error.h"
#include "filters/ImageTypes.h"
#include "filters/MaskMorphology.h"
#include "pipeline/geometry/StructureLabels.h"

#include "itkImageRegionConstIteratorWithIndex.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{

using filters::MaskImage;
using Point = std::array<double, 3>;

/** Calls `visit(offset, worldPoint)` for every voxel in buffer order. */
template<typename TVisit>
void ForEachVoxel(const MaskImage * grid, TVisit visit)
{
  const auto region = grid->GetBufferedRegion();
  const auto size = region.GetSize();
  MaskImage::IndexType index;
  std::size_t offset = 0;
  for (index[2] = region.GetIndex(2); index[2] < region.GetIndex(2) + static_cast<long>(size[2]); ++index[2])
    for (index[1] = region.GetIndex(1); index[1] < region.GetIndex(1) + static_cast<long>(size[1]); ++index[1])
      for (index[0] = region.GetIndex(0); index[0] < region.GetIndex(0) + static_cast<long>(size[0]); ++index[0])
      {
        MaskImage::PointType p;
        grid->TransformIndexToPhysicalPoint(index, p);
        visit(offset++, Point{ p[0], p[1], p[2] });
      }
}

MaskImage::Pointer NonEmpty(MaskImage::Pointer mask, const std::string & what)
{
  if (filters::CountNonZero(mask) == 0)
    throw ConfigError("atlas: " + what + " is empty; the atlas files are not the expected Colin27/AAL/JHU versions");
  return mask;
}

std::vector<unsigned char> Range(unsigned char first, unsigned char last)
{
  std::vector<unsigned char> values;
  for (unsigned v = first; v <= last; ++v)
    values.push_back(static_cast<unsigned char>(v));
  return values;
}

/** Lowest and highest world z of the non-zero voxels. */
std::pair<double, double> ZExtent(const MaskImage * mask)
{
  double low = std::numeric_limits<double>::max();
  double high = std::numeric_limits<double>::lowest();
  const unsigned char * m = mask->GetBufferPointer();
  ForEachVoxel(mask,
               [&](std::size_t i, const Point & p)
               {
                 if (m[i])
                 {
                   low = std::min(low, p[2]);
                   high = std::max(high, p[2]);
                 }
               });
  return { low, high };
}

/** Callosum voxels take the label (3, 4 or 5) of the nearest JHU callosum voxel within `radiusMm`. */
void SplitCallosum(const MaskImage * callosum, const MaskImage * jhu, double radiusMm, MaskImage * out)
{
  const auto region = callosum->GetBufferedRegion();
  const auto & spacing = callosum->GetSpacing();
  std::array<long, 3> reach{};
  for (unsigned d = 0; d < 3; ++d)
    reach[d] = static_cast<long>(std::ceil(radiusMm / spacing[d])) + 1;
  for (itk::ImageRegionConstIteratorWithIndex<MaskImage> it(callosum, region); !it.IsAtEnd(); ++it)
  {
    if (!it.Get())
      continue;
    const auto centre = it.GetIndex();
    double best = std::numeric_limits<double>::max();
    unsigned char label = 4; // body when nothing is in reach (cannot happen: the callosum is grown from JHU's)
    MaskImage::IndexType index;
    for (long dz = -reach[2]; dz <= reach[2]; ++dz)
      for (long dy = -reach[1]; dy <= reach[1]; ++dy)
        for (long dx = -reach[0]; dx <= reach[0]; ++dx)
        {
          index[0] = centre[0] + dx;
          index[1] = centre[1] + dy;
          index[2] = centre[2] + dz;
          if (!region.IsInside(index))
            continue;
          const unsigned char v = jhu->GetPixel(index);
          if (v < 3 || v > 5)
            continue;
          const double d2 = std::pow(dx * spacing[0], 2) + std::pow(dy * spacing[1], 2) + std::pow(dz * spacing[2], 2);
          if (d2 < best)
          {
            best = d2;
            label = v;
          }
        }
    static const std::map<unsigned char, Structure> parts{ { 3, Structure::CorpusCallosumGenu },
                                                           { 4, Structure::CorpusCallosumBody },
                                                           { 5, Structure::CorpusCallosumSplenium } };
    out->SetPixel(centre, static_cast<unsigned char>(parts.at(label)));
  }
}

/** Lowest world z of the midline callosum (|x| <= 3 mm) per coronal row (world y rounded to mm); rows without
 * callosum are absent. */
std::map<long, double> CallosumFloorByRow(const MaskImage * labels)
{
  std::map<long, double> floor;
  const unsigned char * l = labels->GetBufferPointer();
  ForEachVoxel(labels,
               [&](std::size_t i, const Point & p)
               {
                 const auto v = static_cast<Structure>(l[i]);
                 if ((v == Structure::CorpusCallosumGenu || v == Structure::CorpusCallosumBody ||
                      v == Structure::CorpusCallosumSplenium) &&
                     std::abs(p[0]) <= 3.0)
                 {
                   const long row = std::lround(p[1]);
                   auto found = floor.find(row);
                   if (found == floor.end() || p[2] < found->second)
                     floor[row] = p[2];
                 }
               });
  return floor;
}

std::string Millilitres(const MaskImage * mask)
{
  std::ostringstream text;
  text.precision(1);
  text << std::fixed << filters::CountNonZero(mask) * filters::VoxelVolumeMl(mask) << " ml";
  return text.str();
}

} // namespace

AtlasStructures BuildAtlasStructures(const AtlasStructureSources & sources, const AtlasStructureParams & params)
{
  const MaskImage * tissue = sources.tissue;
  const MaskImage * aal = sources.aal;
  const MaskImage * jhu = sources.jhu;
  if (!tissue || !sources.brainMask || !aal || !jhu || !sources.t1Brain)
    throw ConfigError("atlas: BuildAtlasStructures needs tissue, brain mask, T1 brain, AAL and JHU images");
  AtlasStructures result;
  const std::size_t n = tissue->GetBufferedRegion().GetNumberOfPixels();
  const unsigned char * t = tissue->GetBufferPointer();

  const auto thalamusL = NonEmpty(filters::SelectValues(aal, { 77 }), "AAL thalamus left (77)");
  const auto thalamusR = NonEmpty(filters::SelectValues(aal, { 78 }), "AAL thalamus right (78)");
  auto hippocampusL = NonEmpty(filters::SelectValues(aal, { 37 }), "AAL hippocampus left (37)");
  auto hippocampusR = NonEmpty(filters::SelectValues(aal, { 38 }), "AAL hippocampus right (38)");
  for (auto * h : { hippocampusL.GetPointer(), hippocampusR.GetPointer() })
  {
    unsigned char * m = h->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i)
      m[i] = m[i] && t[i] == 2;
  }
  const auto gangliaL = NonEmpty(filters::SelectValues(aal, { 71, 73, 75 }), "AAL caudate/putamen/pallidum left");
  const auto gangliaR = NonEmpty(filters::SelectValues(aal, { 72, 74, 76 }), "AAL caudate/putamen/pallidum right");
  const auto thalami = filters::SelectValues(aal, { 77, 78 });
  const auto deepGrey = filters::SelectValues(aal, { 37, 38, 71, 72, 73, 74, 75, 76, 77, 78 });
  result.cerebellum = NonEmpty(filters::SelectValues(aal, Range(91, 116)), "AAL cerebellum (91-116)");
  // not a structured binding: the lambdas below capture these (C++17 allows that in GCC only, not in clang)
  const std::pair<double, double> thalamusExtent = ZExtent(thalami);
  const double thalamusBottom = thalamusExtent.first;
  const double thalamusTop = thalamusExtent.second;

  auto labels = filters::NewMaskLike(tissue);
  unsigned char * out = labels->GetBufferPointer();

  // White matter of the cerebrum, split at the midline.
  {
    const auto cerebellum = filters::DilateMm(result.cerebellum, params.cerebellumMarginMm);
    const auto brainstem = filters::DilateMm(filters::SelectValues(jhu, { 1, 2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }),
                                             params.brainstemMarginMm);
    const unsigned char * c = cerebellum->GetBufferPointer();
    const unsigned char * b = brainstem->GetBufferPointer();
    const double zCut = thalamusBottom - params.brainstemBelowThalamusMm;
    ForEachVoxel(tissue,
                 [&](std::size_t i, const Point & p)
                 {
                   if (t[i] != 3 || c[i] || b[i] || (std::abs(p[0]) < params.brainstemHalfWidthMm && p[2] < zCut))
                     return;
                   out[i] =
                     static_cast<unsigned char>(p[0] >= 0.0 ? Structure::WhiteMatterLeft : Structure::WhiteMatterRight);
                 });
  }

  // External capsules: JHU 33 is the right one, 34 the left (orientation checked by the loader).
  for (const auto & [jhuLabel, structure] :
       { std::pair{ 33, Structure::ExternalCapsuleRight }, std::pair{ 34, Structure::ExternalCapsuleLeft } })
  {
    const auto capsule = filters::DilateMm(
      NonEmpty(filters::SelectValues(jhu, { static_cast<unsigned char>(jhuLabel) }), "JHU external capsule"),
      params.capsuleDilationMm);
    const unsigned char * c = capsule->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i)
      if (c[i] && t[i] == 3)
        out[i] = static_cast<unsigned char>(structure);
  }

  // Corpus callosum refined on Colin27's white matter near the midline.
  {
    const auto jhuCallosum = NonEmpty(filters::SelectValues(jhu, { 3, 4, 5 }), "JHU corpus callosum (3-5)");
    auto callosum = filters::DilateMm(jhuCallosum, params.callosumDilationMm);
    const unsigned char * g = deepGrey->GetBufferPointer();
    unsigned char * c = callosum->GetBufferPointer();
    ForEachVoxel(tissue,
                 [&](std::size_t i, const Point & p)
                 {
                   if (t[i] != 3 || g[i] || std::abs(p[0]) > params.callosumHalfWidthMm)
                     c[i] = 0;
                 });
    callosum = NonEmpty(filters::LargestComponents(callosum, 1, false), "corpus callosum on Colin27's white matter");
    SplitCallosum(callosum, jhu, params.callosumDilationMm, labels);
  }

  // Lateral ventricles grown from seeds under the callosum, medial to the caudates.
  {
    const double caudateL = filters::Centroid(filters::SelectValues(aal, { 71 }))[0];
    const double caudateR = filters::Centroid(filters::SelectValues(aal, { 72 }))[0];
    const auto floorByRow = CallosumFloorByRow(labels);
    const auto deepBrain = filters::ErodeMm(sources.brainMask, params.ventricleDepthMm);
    const auto cerebellum = filters::DilateMm(result.cerebellum, params.cerebellumMarginMm);
    const unsigned char * deep = deepBrain->GetBufferPointer();
    const unsigned char * cb = cerebellum->GetBufferPointer();
    const float * intensity = sources.t1Brain->GetBufferPointer();
    auto seeds = filters::NewMaskLike(tissue);
    auto core = filters::NewMaskLike(tissue);
    unsigned char * s = seeds->GetBufferPointer();
    unsigned char * r = core->GetBufferPointer();
    ForEachVoxel(tissue,
                 [&](std::size_t i, const Point & p)
                 {
                   if (t[i] != 1 || intensity[i] > sources.csfMean || !deep[i] || cb[i] || std::abs(p[0]) <= 1.0 ||
                       p[2] < thalamusBottom)
                     return;
                   r[i] = 1;
                   const auto floor = floorByRow.find(std::lround(p[1]));
                   s[i] = std::abs(p[0]) <= params.ventricleSeedHalfWidthMm && p[0] < caudateL && p[0] > caudateR &&
                          p[2] >= thalamusTop - params.ventricleSeedBelowThalamusTopMm &&
                          p[2] <= thalamusTop + params.ventricleSeedAboveThalamusTopMm && floor != floorByRow.end() &&
                          p[2] < floor->second;
                 });
    const auto reached = NonEmpty(filters::ComponentsTouching(core, seeds, false), "lateral ventricles");
    const auto grown = filters::DilateMm(reached, 1.0);
    const unsigned char * v = grown->GetBufferPointer();
    auto ventricles = filters::NewMaskLike(tissue);
    unsigned char * w = ventricles->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i)
    {
      const auto current = static_cast<Structure>(out[i]);
      if (v[i] && t[i] == 1 &&
          (current == Structure::Background || current == Structure::WhiteMatterLeft ||
           current == Structure::WhiteMatterRight))
      {
        out[i] = static_cast<unsigned char>(Structure::LateralVentricles);
        w[i] = 1;
      }
    }
    result.notes.push_back("lateral ventricles: " + Millilitres(ventricles) + " reached from " +
                           std::to_string(filters::CountNonZero(seeds)) + " seed voxels under the callosum");
  }

  // Deep grey matter wins over everything.
  for (const auto & [mask, structure] : { std::pair{ gangliaL.GetPointer(), Structure::BasalGangliaLeft },
                                          std::pair{ gangliaR.GetPointer(), Structure::BasalGangliaRight },
                                          std::pair{ hippocampusL.GetPointer(), Structure::HippocampusLeft },
                                          std::pair{ hippocampusR.GetPointer(), Structure::HippocampusRight },
                                          std::pair{ thalamusL.GetPointer(), Structure::ThalamusLeft },
                                          std::pair{ thalamusR.GetPointer(), Structure::ThalamusRight } })
  {
    const unsigned char * m = mask->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i)
      if (m[i])
        out[i] = static_cast<unsigned char>(structure);
  }

  result.labels = labels;
  return result;
}

} // namespace icanscan::pipeline
