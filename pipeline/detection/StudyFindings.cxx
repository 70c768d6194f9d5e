#include "pipeline/detection/StudyFindings.h"

#include "filters/ImageTypes.h"
#include "filters/MaskMorphology.h"
#include "filters/ParamCheck.h"

#include <algorithm>
#include <cmath>

namespace icanscan::pipeline
{
namespace
{
using Mask = filters::MaskImage;
constexpr auto kVentricles = static_cast<unsigned char>(Structure::LateralVentricles);

bool IsMidline(Structure s)
{
  return s == Structure::CorpusCallosumGenu || s == Structure::CorpusCallosumBody ||
         s == Structure::CorpusCallosumSplenium;
}

/** Labels where lesion voxels outside any structure (or on the ventricle label) take the label of a structure within
 * `mm`, grown one voxel step at a time along the grid axes whose spacing does not exceed `mm`. */
std::vector<unsigned char> AttributedLabels(const Mask * labels,
                                            const Mask * propagated,
                                            const std::vector<const Mask *> & lesions,
                                            double mm)
{
  const auto size = labels->GetLargestPossibleRegion().GetSize();
  const auto spacing = labels->GetSpacing();
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  std::vector<unsigned char> out(labels->GetBufferPointer(), labels->GetBufferPointer() + n);
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < n; ++i)
  {
    bool lesion = false;
    for (const auto * m : lesions)
      lesion = lesion || (m && m->GetBufferPointer()[i]);
    if (!lesion)
      continue;
    if (out[i] == kVentricles)
      out[i] = 0;
    if (out[i] == 0 && propagated && propagated->GetBufferPointer()[i] != kVentricles)
      out[i] = propagated->GetBufferPointer()[i];
    if (out[i] == 0)
      pending.push_back(i);
  }
  const std::array<std::ptrdiff_t, 3> strides{ 1, static_cast<std::ptrdiff_t>(size[0]),
                                               static_cast<std::ptrdiff_t>(size[0] * size[1]) };
  const double step = std::min({ spacing[0], spacing[1], spacing[2] });
  const int rounds = static_cast<int>(std::floor(mm / step));
  for (int r = 0; r < rounds && !pending.empty(); ++r)
  {
    std::vector<std::pair<std::size_t, unsigned char>> assigned;
    std::vector<std::size_t> still;
    for (const std::size_t i : pending)
    {
      const std::array<std::size_t, 3> idx{ i % size[0], (i / size[0]) % size[1], i / (size[0] * size[1]) };
      unsigned char found = 0;
      for (unsigned d = 0; d < 3 && !found; ++d)
      {
        // A step along an axis is that axis' spacing: thick slices allow fewer steps than the in-plane axes.
        if (static_cast<double>(r + 1) * spacing[d] > mm + 1e-6)
          continue;
        for (const int dir : { -1, 1 })
        {
          if ((dir < 0 && idx[d] == 0) || (dir > 0 && idx[d] + 1 >= size[d]))
            continue;
          const unsigned char v = out[static_cast<std::size_t>(static_cast<std::ptrdiff_t>(i) + dir * strides[d])];
          if (v != 0 && v != kVentricles)
          {
            found = v;
            break;
          }
        }
      }
      if (found)
        assigned.emplace_back(i, found);
      else
        still.push_back(i);
    }
    if (assigned.empty())
      break;
    for (const auto & [i, v] : assigned)
      out[i] = v;
    pending.swap(still);
  }
  return out;
}

/** Connected lesions of `mask`; `voxelMain` receives, per voxel, the structure label (0: none) holding the largest
 * share of that voxel's lesion. */
std::vector<Lesion> ConnectedLesions(const Mask * mask,
                                     FindingKind kind,
                                     const std::vector<unsigned char> & attributed,
                                     std::vector<unsigned char> & voxelMain)
{
  std::vector<Lesion> lesions;
  voxelMain.assign(attributed.size(), 0);
  if (!mask)
    return lesions;
  const auto components = filters::ConnectedComponents(mask, true);
  const double voxelMl = filters::VoxelVolumeMl(mask);
  const std::size_t count = components.sizes.size();
  std::vector<std::array<double, 3>> sums(count, { 0, 0, 0 });
  std::vector<std::array<std::size_t, kStructureCount + 1>> shares(count);
  std::vector<unsigned char> mains(count, 0);
  for (auto & s : shares)
    s.fill(0);
  const std::size_t n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    const unsigned c = components.labels->GetBufferPointer()[i];
    if (c == 0)
      continue;
    const auto p = filters::PointOfOffset(mask, i);
    for (unsigned d = 0; d < 3; ++d)
      sums[c - 1][d] += p[d];
    if (attributed[i] <= kStructureCount)
      ++shares[c - 1][attributed[i]];
  }
  for (std::size_t c = 0; c < count; ++c)
  {
    Lesion lesion;
    lesion.kind = kind;
    lesion.volumeMl = static_cast<double>(components.sizes[c]) * voxelMl;
    for (unsigned d = 0; d < 3; ++d)
      lesion.centroidMm[d] = sums[c][d] / static_cast<double>(components.sizes[c]);
    const auto best = std::max_element(shares[c].begin() + 1, shares[c].end());
    const auto main = *best > shares[c][0] ? static_cast<unsigned char>(best - shares[c].begin()) : 0;
    lesion.mainStructure = main ? AllStructures()[main - 1u].key : "other";
    mains[c] = main;
    lesions.push_back(lesion);
  }
  for (std::size_t i = 0; i < n; ++i)
    if (const unsigned c = components.labels->GetBufferPointer()[i])
      voxelMain[i] = mains[c - 1];
  return lesions;
}
} // namespace

std::string StructureBase(const std::string & key)
{
  for (const char * suffix : { "_left", "_right" })
  {
    const std::string s(suffix);
    if (key.size() > s.size() && key.compare(key.size() - s.size(), s.size(), s) == 0)
      return key.substr(0, key.size() - s.size());
  }
  return key;
}

const SettingSection<InvolvementParams> & InvolvementSettings()
{
  using P = InvolvementParams;
  using B = SettingBound<P>;
  static const SettingSection<P> section{
    "involvement",
    { { "min_ml", &P::minMl, 0.2, B{ 0 }, B{ 100 }, "ml", "never less lesion than this" },
      { "min_fraction", &P::minFraction, 0.08, B{ 0 }, B{ 1 }, "fraction", "at least this share of the structure ..." },
      { "fraction_cap_ml", &P::fractionCapMl, 1.5, B{ 0 }, B{ 1000 }, "ml",
        "... or this many ml, whichever is smaller (large white matter)" },
      { "attribution_mm", &P::attributionMm, 3.0, B{ 0 }, B{ 20 }, "mm",
        "a lesion voxel outside every structure takes the label of a structure this near" },
      { "spill_coverage", &P::spillCoverage, 0.9, B{ 0 }, B{ 1 }, "fraction",
        "lesion voxels count for a structure when their connected lesion lies mainly in it (either side); lesion "
        "spilling in from a neighbour involves it only when it covers at least this fraction of it (an engulfed "
        "structure is covered about fully; the external capsules and callosum beside diffuse white-matter disease "
        "0.4-0.75 on the phantoms)" } }
  };
  return section;
}

InvolvementParams::InvolvementParams()
{
  ApplySettingDefaults(*this, InvolvementSettings());
}

void ValidateInvolvementParams(const InvolvementParams & p)
{
  ValidateSettings(p, InvolvementSettings());
}

StudyFindings SummariseFindings(const LesionDetectionResult & detection,
                                const Mask * labels,
                                const Mask * propagatedLabels,
                                const itk::Image<float, 3> * hyperintensityImage,
                                const InvolvementParams & params)
{
  ValidateInvolvementParams(params);
  filters::detail::RequireImage(labels, "findings: structure labels");
  for (const Mask * m : { detection.t2flair.GetPointer(), detection.restricted.GetPointer() })
    if (m)
      filters::detail::RequireSameGrid(labels, m, "findings: lesion mask");
  StudyFindings out;
  if (propagatedLabels)
    filters::detail::RequireSameGrid(labels, propagatedLabels, "findings: propagated labels");
  const auto attributed =
    AttributedLabels(labels, propagatedLabels, { detection.t2flair.GetPointer(), detection.restricted.GetPointer() },
                     params.attributionMm);
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  const double voxelMl = filters::VoxelVolumeMl(labels);
  const std::size_t k = kStructureCount + 1;
  std::vector<unsigned char> mainT2, mainDwi;
  out.lesions = ConnectedLesions(detection.t2flair, FindingKind::T2FlairHyperintensity, attributed, mainT2);
  const auto lesionsDwi = ConnectedLesions(detection.restricted, FindingKind::RestrictedDiffusion, attributed, mainDwi);
  out.lesions.insert(out.lesions.end(), lesionsDwi.begin(), lesionsDwi.end());
  // A lesion voxel is the structure's own when its connected lesion is mainly in that structure (either side).
  auto isOwn = [](unsigned char main, unsigned char label)
  {
    return main != 0 && label != 0 && label <= kStructureCount &&
           StructureBase(AllStructures()[main - 1u].key) == StructureBase(AllStructures()[label - 1u].key);
  };
  std::vector<std::size_t> volume(k, 0), hyper(k, 0), restricted(k, 0), shine(k, 0), adcCount(k, 0);
  std::vector<std::size_t> hyperOwn(k, 0), restrictedOwn(k, 0);
  std::vector<double> adcSum(k, 0);
  std::vector<std::vector<float>> z(k);
  const float * adc = detection.adcUm2s ? detection.adcUm2s->GetBufferPointer() : nullptr;
  const auto hyperRefs = detection.references.find(detection.hyperintensitySequence);
  for (std::size_t i = 0; i < n; ++i)
  {
    const unsigned char own = labels->GetBufferPointer()[i];
    const unsigned char a = attributed[i];
    ++volume[own];
    if (detection.t2flair && detection.t2flair->GetBufferPointer()[i])
    {
      ++hyper[a];
      hyperOwn[a] += isOwn(mainT2[i], a);
    }
    if (detection.restricted && detection.restricted->GetBufferPointer()[i])
    {
      ++restricted[a];
      restrictedOwn[a] += isOwn(mainDwi[i], a);
    }
    if (detection.shineThrough && detection.shineThrough->GetBufferPointer()[i])
      ++shine[own];
    if (adc && own != 0 && adc[i] > 0 && adc[i] <= 2000.0f)
    {
      adcSum[own] += adc[i];
      ++adcCount[own];
    }
    if (hyperintensityImage && hyperRefs != detection.references.end() && own != 0)
      if (const auto pool = PoolOf(own, 0))
      {
        const auto & s = hyperRefs->second[static_cast<std::size_t>(*pool)].stats;
        if (s.sigma > 0)
          z[own].push_back(static_cast<float>((hyperintensityImage->GetBufferPointer()[i] - s.median) / s.sigma));
      }
  }
  // Involved: enough of the structure's own lesion, or lesion spilling in from a neighbour's that covers most of it.
  auto involved = [&](std::size_t lesion, std::size_t ownLesion, std::size_t structure)
  {
    const double ownMl = static_cast<double>(ownLesion) * voxelMl;
    const double structureMl = static_cast<double>(structure) * voxelMl;
    const bool enough = ownLesion > 0 && ownMl >= std::max(params.minMl, std::min(params.minFraction * structureMl,
                                                                                  params.fractionCapMl));
    const bool covered = structure > 0 && lesion > 0 &&
                         static_cast<double>(lesion) >= params.spillCoverage * static_cast<double>(structure);
    return enough || covered;
  };
  for (const auto & info : AllStructures())
  {
    const auto s = static_cast<std::size_t>(info.structure);
    StructureMeasures m;
    m.volumeMl = static_cast<double>(volume[s]) * voxelMl;
    if (detection.t2flair && info.structure != Structure::LateralVentricles)
    {
      m.hyperintenseMl = static_cast<double>(hyper[s]) * voxelMl;
      m.t2flairInvolved = involved(hyper[s], hyperOwn[s], volume[s]);
      if (!z[s].empty())
        m.zMedian = filters::ComputeRobustStatistics(z[s]).median;
    }
    if (detection.restricted && info.structure != Structure::LateralVentricles)
    {
      m.restrictedMl = static_cast<double>(restricted[s]) * voxelMl;
      m.shineThroughMl = static_cast<double>(shine[s]) * voxelMl;
      m.diffusionRestricted = involved(restricted[s], restrictedOwn[s], volume[s]);
    }
    if (adc && adcCount[s] > 0)
    {
      m.adcMeanUm2s = adcSum[s] / static_cast<double>(adcCount[s]);
      const auto refs = detection.references.find("ADC");
      const auto pool = PoolOf(static_cast<unsigned char>(s), 0);
      if (refs != detection.references.end() && pool)
      {
        const double normal = refs->second[static_cast<std::size_t>(*pool)].stats.median;
        if (normal > 0)
          m.adcRatio = *m.adcMeanUm2s / normal;
      }
    }
    out.structures[info.key] = m;
  }

  // Findings: one per kind and structure, both sides merged.
  int id = 0;
  for (const auto & [kind, mask, counts] :
       { std::tuple{ FindingKind::T2FlairHyperintensity, detection.t2flair.GetPointer(), &hyper },
         std::tuple{ FindingKind::RestrictedDiffusion, detection.restricted.GetPointer(), &restricted } })
  {
    if (!mask)
      continue;
    std::map<std::string, std::vector<Structure>> byBase;
    for (const auto & info : AllStructures())
    {
      const auto & m = out.structures[info.key];
      const auto flag = kind == FindingKind::T2FlairHyperintensity ? m.t2flairInvolved : m.diffusionRestricted;
      if (flag && *flag)
        byBase[StructureBase(info.key)].push_back(info.structure);
    }
    for (const auto & [base, sides] : byBase)
    {
      Finding f;
      f.id = ++id;
      f.kind = kind;
      f.structure = base;
      if (IsMidline(sides.front()))
        f.laterality = Laterality::Midline;
      else if (sides.size() == 2)
        f.laterality = Laterality::Bilateral;
      else
        f.laterality = std::string(Info(sides.front()).key).find("_left") != std::string::npos ? Laterality::Left
                                                                                               : Laterality::Right;
      std::array<double, 3> sum{ 0, 0, 0 };
      std::size_t count = 0;
      for (std::size_t i = 0; i < n; ++i)
      {
        if (!mask->GetBufferPointer()[i])
          continue;
        const auto a = static_cast<Structure>(attributed[i]);
        if (std::find(sides.begin(), sides.end(), a) == sides.end())
          continue;
        const auto p = filters::PointOfOffset(labels, i);
        for (unsigned d = 0; d < 3; ++d)
          sum[d] += p[d];
        ++count;
      }
      f.volumeMl = static_cast<double>(count) * voxelMl;
      for (unsigned d = 0; d < 3; ++d)
        f.centroidMm[d] = count ? sum[d] / static_cast<double>(count) : 0.0;
      out.findings.push_back(f);
    }
  }
  return out;
}

nlohmann::json ToJson(const StructureMeasures & m)
{
  auto opt = [](const auto & v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return { { "volume_ml", m.volumeMl },
           { "t2flair_involved", opt(m.t2flairInvolved) },
           { "diffusion_restricted", opt(m.diffusionRestricted) },
           { "hyperintense_ml", opt(m.hyperintenseMl) },
           { "restricted_ml", opt(m.restrictedMl) },
           { "shine_through_ml", opt(m.shineThroughMl) },
           { "adc_mean_um2s", opt(m.adcMeanUm2s) },
           { "adc_ratio", opt(m.adcRatio) },
           { "hyperintensity_z_median", opt(m.zMedian) } };
}

nlohmann::json ToJson(const Finding & f)
{
  return { { "id", f.id },
           { "kind", ToString(f.kind) },
           { "structure", f.structure },
           { "laterality", ToString(f.laterality) },
           { "volume_ml", f.volumeMl },
           { "centroid_mm", f.centroidMm } };
}

nlohmann::json ToJson(const Lesion & l)
{
  return { { "kind", ToString(l.kind) },
           { "volume_ml", l.volumeMl },
           { "centroid_mm", l.centroidMm },
           { "main_structure", l.mainStructure } };
}

} // namespace icanscan::pipeline
