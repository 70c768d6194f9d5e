#include "pipeline/detection/LesionDetection.h"

#include "pipeline/detection/DeepGreyRim.h"
#include "pipeline/detection/TissuePools.h"

#include "core/TextFormat.h"
#include "core/TissueClass.h"
#include "filters/ImageTypes.h"
#include "filters/MaskMorphology.h"
#include "filters/ParamCheck.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
using Image = LesionDetectionInput::Image;
using Mask = LesionDetectionInput::Mask;
using filters::detail::CheckRange;

std::array<PoolReference, kTissuePoolCount> PoolStatistics(const Image * image,
                                                           const std::vector<signed char> & pools,
                                                           const std::vector<unsigned char> & usable,
                                                           const LesionDetectionParams & params)
{
  std::array<std::vector<float>, kTissuePoolCount> samples;
  std::array<std::size_t, kTissuePoolCount> counts{};
  for (std::size_t i = 0; i < pools.size(); ++i)
    if (pools[i] >= 0 && usable[i])
      ++counts[static_cast<std::size_t>(pools[i])];
  std::array<std::size_t, kTissuePoolCount> strides{};
  for (std::size_t p = 0; p < kTissuePoolCount; ++p)
    strides[p] = std::max<std::size_t>(1, counts[p] / params.maxPoolSamples + 1);
  std::array<std::size_t, kTissuePoolCount> seen{};
  const float * v = image->GetBufferPointer();
  for (std::size_t i = 0; i < pools.size(); ++i)
  {
    if (pools[i] < 0 || !usable[i] || !std::isfinite(v[i]))
      continue;
    const auto p = static_cast<std::size_t>(pools[i]);
    if (seen[p]++ % strides[p] == 0)
      samples[p].push_back(v[i]);
  }
  std::array<PoolReference, kTissuePoolCount> references;
  for (std::size_t p = 0; p < kTissuePoolCount; ++p)
    references[p].stats = filters::NormalAppearingStatistics(std::move(samples[p]), params.normal);
  return references;
}

/** Takes `level` as the pool's normal median, its sigma scaled with it (the same relative spread), and says why. */
void SubstituteLevel(PoolReference & ref, double level, const std::string & why)
{
  const double relativeSigma = ref.stats.sigma / ref.stats.median;
  ref.stats.median = level;
  ref.stats.sigma = relativeSigma * level;
  ref.substituted = true;
  ref.note = why;
}

/** When a whole pool is hyperintense (diffuse white-matter disease, every deep nucleus involved), its own median is
 * not normal tissue: derive its normal level from the other pool and the normal contrast between them. */
void SubstituteAbnormalPools(std::array<PoolReference, kTissuePoolCount> & refs,
                             const std::string & sequence,
                             const LesionDetectionParams & params)
{
  auto & dg = refs[static_cast<std::size_t>(TissuePool::DeepGrey)];
  auto & wm = refs[static_cast<std::size_t>(TissuePool::WhiteMatter)];
  if (dg.stats.count == 0 || wm.stats.count == 0 || dg.stats.median <= 0 || wm.stats.median <= 0)
    return;
  const double wmRatio = wm.stats.median / dg.stats.median;
  if (wmRatio >= params.wmDeepGreyRatioMax)
  {
    SubstituteLevel(wm, params.normalWmDeepGreyRatio * dg.stats.median,
                    sequence + ": white matter as a whole is not darker than deep grey (ratio " +
                      FormatFixed(wmRatio, 2) + " >= " + FormatFixed(params.wmDeepGreyRatioMax, 2) +
                      "): normal white matter taken as " + FormatFixed(params.normalWmDeepGreyRatio, 2) +
                      " x deep grey");
    return;
  }
  const double dgRatio = dg.stats.median / wm.stats.median;
  if (dgRatio >= params.deepGreyWmRatioMax)
  {
    SubstituteLevel(dg, params.normalDeepGreyWmRatio * wm.stats.median,
                    sequence + ": deep grey as a whole is hyperintense against white matter (ratio " +
                      FormatFixed(dgRatio, 2) + " >= " + FormatFixed(params.deepGreyWmRatioMax, 2) +
                      "): normal deep grey taken as " + FormatFixed(params.normalDeepGreyWmRatio, 2) +
                      " x white matter");
  }
}

/** The cortical pool's ADC is mostly partial volume with sulcal CSF at DWI resolution (2-2.5 mm in-plane, 5-6 mm
 * slices against a 2.5 mm cortex): its median can read 1.1-1.7x the white matter's, where normal cortex is 0.89 against
 * 0.70 x10^-3 mm²/s (Helenius 2002, ratio 1.27). Above that ratio the cortical ADC reference is taken as the ratio x
 * the white-matter median, so that tissue next to CSF (a hippocampus, a lesion under the splenium) is judged against
 * cortex rather than against a tissue-CSF mixture. Returns whether it capped. */
bool CapCorticalAdcReference(std::array<PoolReference, kTissuePoolCount> & refs, const LesionDetectionParams & params)
{
  auto & cortex = refs[static_cast<std::size_t>(TissuePool::CorticalGrey)];
  const auto & wm = refs[static_cast<std::size_t>(TissuePool::WhiteMatter)];
  if (cortex.stats.count == 0 || wm.stats.count == 0 || !(wm.stats.median > 0) || cortex.substituted)
    return false;
  const double level = params.cortexWmAdcRatioMax * wm.stats.median;
  const double ratio = cortex.stats.median / wm.stats.median;
  if (!(cortex.stats.median > level))
    return false;
  SubstituteLevel(cortex, level,
                  "ADC: cortical median " + FormatFixed(ratio, 2) +
                    " x white matter (CSF partial volume; normal about " + FormatFixed(params.cortexWmAdcRatioMax, 2) +
                    "): normal cortex taken as " + FormatFixed(params.cortexWmAdcRatioMax, 2) + " x white matter");
  return true;
}

/** Whether voxel `i` carries a structure label (refined or propagated), rather than a pool from its tissue class. */
bool NamedStructure(const LesionDetectionInput & in, std::size_t i)
{
  return in.labels->GetBufferPointer()[i] != 0 ||
         (in.propagatedLabels && in.propagatedLabels->GetBufferPointer()[i] != 0);
}

/** The normal ADC a restriction seed is judged against. Grey matter that no structure label names (the tissue classes
 * call it grey) may be cortex or deep grey beyond its propagated label (a swollen thalamus grows past it, and its
 * normal ADC is about 0.84 x the cortex's): a seed there must be restricted against the lower of the two. Named
 * structures (the hippocampi in the cortical pool) and the other pools keep their own reference. */
double SeedAdcReference(const std::array<PoolReference, kTissuePoolCount> & refs, signed char pool, bool named)
{
  const double own = refs[static_cast<std::size_t>(pool)].stats.median;
  const auto & deepGrey = refs[static_cast<std::size_t>(TissuePool::DeepGrey)].stats;
  if (named || pool != static_cast<signed char>(TissuePool::CorticalGrey) || deepGrey.count == 0 ||
      !(deepGrey.median > 0))
    return own;
  return std::min(own, deepGrey.median);
}

/** Robust z of every voxel against its pool's normal reference; NaN where there is no pool. */
std::vector<float> ZMap(const Image * image,
                        const std::vector<signed char> & pools,
                        const std::array<PoolReference, kTissuePoolCount> & refs)
{
  std::vector<float> z(pools.size(), std::numeric_limits<float>::quiet_NaN());
  const float * v = image->GetBufferPointer();
  for (std::size_t i = 0; i < pools.size(); ++i)
  {
    if (pools[i] < 0)
      continue;
    const auto & s = refs[static_cast<std::size_t>(pools[i])].stats;
    if (s.count > 0 && s.sigma > 0)
      z[i] = static_cast<float>((v[i] - s.median) / s.sigma);
  }
  return z;
}

/** Removes the 26-connected components of `lesions` smaller than `minMl`. */
void DropSmallComponents(Mask * lesions, double minMl)
{
  const double voxelMl = filters::VoxelVolumeMl(lesions);
  const auto components = filters::ConnectedComponents(lesions, true);
  auto * out = lesions->GetBufferPointer();
  const auto * labels = components.labels->GetBufferPointer();
  for (std::size_t i = 0; i < lesions->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    if (labels[i] > 0 && components.sizes[labels[i] - 1] * voxelMl < minMl)
      out[i] = 0;
}

/** Hysteresis: components of the `grow` voxels that hold a `seed` component of at least `minSeedMl` and are not
 * smaller than `minMl`. */
Mask::Pointer Hysteresis(const itk::ImageBase<3> * grid,
                         const std::vector<unsigned char> & seed,
                         const std::vector<unsigned char> & grow,
                         double minMl,
                         double minSeedMl = 0)
{
  auto growMask = filters::NewMaskLike(grid);
  auto seedMask = filters::NewMaskLike(grid);
  std::copy(grow.begin(), grow.end(), growMask->GetBufferPointer());
  std::copy(seed.begin(), seed.end(), seedMask->GetBufferPointer());
  if (minSeedMl > 0)
    DropSmallComponents(seedMask, minSeedMl);
  auto lesions = filters::ComponentsTouching(growMask, seedMask, true);
  DropSmallComponents(lesions, minMl);
  return lesions;
}

/** Each lesion keeps its voxels with z >= max(floor, fraction x its 90th-percentile z): the half-maximum edge of a
 * bright lesion, whose partial-volume rim would otherwise grow down to the hysteresis floor. Pieces left smaller than
 * minMl are dropped. */
void TrimToOwnContrast(Mask * lesions, const std::vector<float> & z, double floor, double fraction, double minMl)
{
  if (fraction <= 0)
    return;
  const auto components = filters::ConnectedComponents(lesions, true);
  const auto * labels = components.labels->GetBufferPointer();
  const std::size_t n = lesions->GetLargestPossibleRegion().GetNumberOfPixels();
  std::vector<std::vector<float>> values(components.sizes.size());
  for (std::size_t i = 0; i < n; ++i)
    if (labels[i] > 0)
      values[labels[i] - 1].push_back(z[i]);
  std::vector<float> edge(values.size(), 0.0f);
  for (std::size_t c = 0; c < values.size(); ++c)
  {
    auto & v = values[c];
    auto p90 = v.begin() + static_cast<std::ptrdiff_t>(0.9 * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), p90, v.end());
    edge[c] = static_cast<float>(std::max(floor, fraction * *p90));
  }
  auto * out = lesions->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    if (labels[i] > 0 && !(z[i] >= edge[labels[i] - 1]))
      out[i] = 0;
  DropSmallComponents(lesions, minMl);
}

/** Scanner ADC maps come in mm²/s, 1e-3 mm²/s or 1e-6 mm²/s (µm²/s): the unit is told by the white-matter median. */
double AdcScaleToUm2s(double wmMedian, std::string & unit)
{
  if (wmMedian > 100)
  {
    unit = "µm²/s (1e-6 mm²/s)";
    return 1.0;
  }
  if (wmMedian > 0.1)
  {
    unit = "1e-3 mm²/s";
    return 1000.0;
  }
  unit = "mm²/s";
  return 1e6;
}

Image::Pointer NewImageLike(const itk::ImageBase<3> * grid)
{
  auto image = Image::New();
  image->CopyInformation(grid);
  image->SetRegions(grid->GetLargestPossibleRegion());
  image->Allocate();
  image->FillBuffer(0.0f);
  return image;
}

Image::Pointer ComputeAdc(const Image * b0, const Image * high, double b)
{
  auto adc = NewImageLike(b0);
  const std::size_t n = b0->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    const double s0 = b0->GetBufferPointer()[i];
    const double sb = high->GetBufferPointer()[i];
    adc->GetBufferPointer()[i] = (s0 > 0 && sb > 0) ? static_cast<float>(std::log(s0 / sb) / b * 1e6) : 0.0f;
  }
  return adc;
}

/** Lesions seeded mostly in the deep grey next to cortex that are not bright against cortex are taken out of
 * `result.t2flairExtent` (DeepGreyRim), with a note when any were. */
void DropDeepGreyRimLesions(LesionDetectionResult & result,
                            const LesionDetectionInput & in,
                            const Image * primary,
                            const std::vector<signed char> & pools,
                            const std::vector<unsigned char> & seeds,
                            const std::array<PoolReference, kTissuePoolCount> & refs,
                            const LesionDetectionParams & params)
{
  const auto & cortex = refs[static_cast<std::size_t>(TissuePool::CorticalGrey)].stats;
  if (params.deepGreyCortexRimMm < 0 || cortex.count == 0 || !(cortex.sigma > 0))
    return;
  const auto spacing = in.labels->GetSpacing();
  const double rimMm = params.deepGreyCortexRimMm + 0.5 * *std::max_element(spacing.Begin(), spacing.End());
  const auto rim = DeepGreyRimNextToCortex(pools, in.labels, rimMm);
  std::vector<float> zCortex(pools.size());
  for (std::size_t i = 0; i < pools.size(); ++i)
    zCortex[i] = static_cast<float>((primary->GetBufferPointer()[i] - cortex.median) / cortex.sigma);
  const auto dropped =
    DropRimLesionsNotBrightAgainstCortex(result.t2flairExtent, seeds, rim, zCortex, params.hyperSeedZ);
  if (dropped.lesions > 0)
    result.notes.push_back(result.hyperintensitySequence + ": " + std::to_string(dropped.lesions) + " lesion(s), " +
                           FormatFixed(static_cast<double>(dropped.voxels) * filters::VoxelVolumeMl(in.labels), 2) +
                           " ml, seeded in deep grey within " + FormatFixed(rimMm, 1) +
                           " mm of cortex and not brighter than cortex: left out (a label edge holding cortex)");
}
} // namespace

const char * ToString(TissuePool pool)
{
  switch (pool)
  {
    case TissuePool::DeepGrey:
      return "deep_grey";
    case TissuePool::CorticalGrey:
      return "cortical_grey";
    case TissuePool::WhiteMatter:
      break;
  }
  return "white_matter";
}

std::optional<TissuePool> PoolOf(unsigned char label, unsigned char tissue)
{
  switch (static_cast<Structure>(label))
  {
    case Structure::ThalamusLeft:
    case Structure::ThalamusRight:
    case Structure::BasalGangliaLeft:
    case Structure::BasalGangliaRight:
      return TissuePool::DeepGrey;
    case Structure::HippocampusLeft:
    case Structure::HippocampusRight:
      return TissuePool::CorticalGrey;
    case Structure::CorpusCallosumGenu:
    case Structure::CorpusCallosumBody:
    case Structure::CorpusCallosumSplenium:
    case Structure::ExternalCapsuleLeft:
    case Structure::ExternalCapsuleRight:
    case Structure::WhiteMatterLeft:
    case Structure::WhiteMatterRight:
      return TissuePool::WhiteMatter;
    case Structure::LateralVentricles:
      return std::nullopt;
    case Structure::Background:
      break;
  }
  if (tissue == TissueLabel(TissueClass::GreyMatter))
    return TissuePool::CorticalGrey;
  if (tissue == TissueLabel(TissueClass::WhiteMatter))
    return TissuePool::WhiteMatter;
  return std::nullopt;
}

const SettingSection<LesionDetectionParams> & LesionDetectionSettings()
{
  using P = LesionDetectionParams;
  using B = SettingBound<P>;
  static const SettingSection<P> section{
    "detection",
    { { "hyper_seed_z", &P::hyperSeedZ, 4.0, B{ 1 }, B{ 20 }, "robust z",
        "FLAIR (T2 when there is no FLAIR) z of a hyperintensity seed" },
      { "hyper_grow_z", &P::hyperGrowZ, 2.5, B{ 0.5 }, B{ 0, false, &P::hyperSeedZ, "hyper_seed_z" }, "robust z",
        "voxels above this, connected to a seed, join the lesion" },
      { "t2_confirm_z", &P::t2ConfirmZ, 0.0, B{ -5 }, B{ 10 }, "robust z",
        "with both FLAIR and T2, a voxel's T2 z must also reach this (at least the normal median by default: stricter "
        "values lose hippocampal lesions next to CSF, measured Dice 0.46 at 1.0 vs 0.68 at 0.0)" },
      { "dwi_seed_z", &P::dwiSeedZ, 4.0, B{ 1 }, B{ 20 }, "robust z", "DWI trace (highest b) z of a restriction seed" },
      { "dwi_grow_z", &P::dwiGrowZ, 2.5, B{ 0.5 }, B{ 0, false, &P::dwiSeedZ, "dwi_seed_z" }, "robust z",
        "hysteresis for restriction: voxels above this, connected to a seed, with ADC below "
        "`shine_through_adc_ratio` × normal, join the lesion" },
      { "adc_ratio_max", &P::adcRatioMax, 0.85, B{ 0, true }, B{ 1 }, "ratio",
        "a restriction seed: ADC at most this × the normal median ADC of the voxel's class ..." },
      { "adc_z_max", &P::adcZMax, 0.0, B{ -20 }, B{ 0 }, "robust z",
        "... and ADC z at most this (both must hold; 0, the default, leaves the ratio alone to decide)" },
      { "shine_through_adc_ratio", &P::shineThroughAdcRatio, 1.0, B{ 0, true }, B{ 5 }, "ratio",
        "a voxel bright on DWI (z ≥ `dwi_seed_z`) with ADC at least this × normal is T2 shine-through, not "
        "restriction; below it, a DWI-bright voxel joins a restriction it touches" },
      { "fluid_adc_um2s", &P::fluidAdcUm2s, 2000, B{ 1000 }, B{ 4000 }, "µm²/s",
        "ADC above this is fluid: never a lesion voxel, and left out of the normal-tissue statistics of DWI and ADC" },
      { "min_lesion_ml", &P::minLesionMl, 0.05, B{ 0 }, B{ 10 }, "ml",
        "connected lesions (26-connected) smaller than this are dropped as noise" },
      { "min_restricted_native_voxels", &P::minRestrictedNativeVoxels, 3, B{ 0 }, B{ 50 }, "voxels",
        "a restriction (or shine-through) lesion must also span this many voxels of the DWI as acquired" },
      { "edge_fraction", &P::edgeFraction, 0.4, B{ 0 }, B{ 0.9 }, "fraction",
        "T2/FLAIR lesion edge at this fraction of each lesion's own contrast (z of its 90th percentile), never below "
        "`hyper_grow_z`; 0 = hysteresis edge only" },
      { "wm_deep_grey_ratio_max", &P::wmDeepGreyRatioMax, 1.10, B{ 0, true }, B{ 3 }, "ratio",
        "white-matter median ≥ this × deep-grey median: white matter as a whole is abnormal ..." },
      { "normal_wm_deep_grey_ratio", &P::normalWmDeepGreyRatio, 0.90, B{ 0, true }, B{ 3 }, "ratio",
        "... and its normal level is taken as this × the deep-grey median" },
      { "deep_grey_wm_ratio_max", &P::deepGreyWmRatioMax, 1.45, B{ 0, true }, B{ 5 }, "ratio",
        "deep-grey median ≥ this × white-matter median: deep grey as a whole is abnormal ..." },
      { "normal_deep_grey_wm_ratio", &P::normalDeepGreyWmRatio, 1.15, B{ 0, true }, B{ 5 }, "ratio",
        "... and its normal level is taken as this × the white-matter median" },
      { "cortex_wm_adc_ratio_max", &P::cortexWmAdcRatioMax, 1.27, B{ 1 }, B{ 3 }, "ratio",
        "the cortical ADC reference is at most this × the white-matter median ADC (normal cortex 0.89 against white "
        "matter 0.70 ×10⁻³ mm²/s, Helenius 2002): above it the cortical pool is CSF partial volume" },
      { "deep_grey_cortex_rim_mm", &P::deepGreyCortexRimMm, 2.0, B{ -1 }, B{ 10 }, "mm",
        "a T2/FLAIR lesion seeded mostly in deep grey within this distance plus half the slice spacing of cortical "
        "grey must be bright against cortex too (its seeds' median z >= `hyper_seed_z`): a propagated basal-ganglia "
        "label a little too wide, or a thick slice through its edge, holds insular and claustral cortex, brighter "
        "than deep grey on T2 and FLAIR (about the labels' boundary error; negative = off)" } }
  };
  return section;
}

LesionDetectionParams::LesionDetectionParams()
{
  ApplySettingDefaults(*this, LesionDetectionSettings());
}

void ValidateLesionDetectionParams(const LesionDetectionParams & p)
{
  ValidateSettings(p, LesionDetectionSettings());
  filters::ValidateNormalAppearingParams(p.normal);
  if (p.correctBias)
    filters::ValidateBiasCorrectionParams(p.bias);
  CheckRange("detection", "max_pool_samples", p.maxPoolSamples, std::size_t{ 1000 }, std::size_t{ 100000000 });
}

LesionDetectionStage::LesionDetectionStage(LesionDetectionParams params)
  : m_Params(std::move(params))
{
  ValidateLesionDetectionParams(m_Params);
}

LesionDetectionResult LesionDetectionStage::Run(const LesionDetectionInput & input) const
{
  LesionDetectionInput in = input;
  using filters::detail::RequireImage;
  using filters::detail::RequireSameGrid;
  RequireImage(in.labels, "lesion detection: structure labels");
  RequireImage(in.tissue, "lesion detection: tissue classes");
  RequireImage(in.brainMask, "lesion detection: brain mask");
  const itk::ImageBase<3> * grid = in.labels;
  RequireSameGrid(grid, in.tissue, "lesion detection: tissue classes");
  RequireSameGrid(grid, in.brainMask, "lesion detection: brain mask");
  if (in.propagatedLabels)
    RequireSameGrid(grid, in.propagatedLabels, "lesion detection: propagated labels");
  for (const auto & [image, what] : { std::pair<const Image *, const char *>{ in.t2, "T2" },
                                      { in.flair, "FLAIR" },
                                      { in.dwiB0, "DWI b0" },
                                      { in.dwiHigh, "DWI trace" },
                                      { in.adc, "ADC" } })
    if (image)
      RequireSameGrid(grid, image, std::string("lesion detection: ") + what);

  LesionDetectionResult result;
  // Shading corrected on copies; the series themselves (outputs, key images) stay as the scanner made them.
  filters::FloatImage::Pointer t2Corrected, flairCorrected;
  if (m_Params.correctBias)
  {
    if (in.t2)
      in.t2 = t2Corrected = filters::CorrectBias(in.t2, in.brainMask, m_Params.bias).corrected;
    if (in.flair)
      in.flair = flairCorrected = filters::CorrectBias(in.flair, in.brainMask, m_Params.bias).corrected;
    if (in.t2 || in.flair)
      result.notes.push_back("T2/FLAIR bias-corrected (N4 within the brain mask, " +
                             std::to_string(m_Params.bias.iterationsPerLevel.size()) + " levels) before detection");
  }
  auto pools = PoolMap(in);
  const std::size_t n = pools.size();
  // Where the normal references may be sampled (see AddTissueNotSuppressedOnFlair).
  std::vector<unsigned char> reference(n, 1);
  const auto referenceAnd = [&reference](std::vector<unsigned char> usable)
  {
    for (std::size_t i = 0; i < usable.size(); ++i)
      usable[i] = usable[i] && reference[i];
    return usable;
  };
  if (in.flair)
    if (const std::size_t moved = AddTissueNotSuppressedOnFlair(pools, reference, in))
      result.notes.push_back(
        "FLAIR: " + FormatFixed(static_cast<double>(moved) * filters::VoxelVolumeMl(in.labels), 1) +
        " ml that the tissue classes or ventricles call fluid is not suppressed on FLAIR: examined "
        "as tissue");
  const double minMl = m_Params.minLesionMl;

  // Diffusion first: its ADC tells fluid apart when T2 has to stand alone.
  const bool diffusion = in.dwiHigh && (in.adc || in.dwiB0);
  // Fluid: by its ADC when there is one (a bright lesion may fall in the CSF tissue class on T2), else by class.
  std::vector<unsigned char> fluid(n, 0);
  if (!diffusion)
    for (std::size_t i = 0; i < n; ++i)
      fluid[i] = in.tissue->GetBufferPointer()[i] == TissueLabel(TissueClass::Csf) ||
                 in.labels->GetBufferPointer()[i] == static_cast<unsigned char>(Structure::LateralVentricles);
  if (diffusion)
  {
    if (in.adc)
    {
      auto refs = PoolStatistics(in.adc, pools, reference, m_Params);
      std::string unit;
      const double scale = AdcScaleToUm2s(refs[static_cast<std::size_t>(TissuePool::WhiteMatter)].stats.median, unit);
      result.adcUm2s = NewImageLike(grid);
      for (std::size_t i = 0; i < n; ++i)
        result.adcUm2s->GetBufferPointer()[i] = static_cast<float>(in.adc->GetBufferPointer()[i] * scale);
      result.adcSource = "scanner ADC map (unit " + unit + ")";
    }
    else
    {
      result.adcUm2s = ComputeAdc(in.dwiB0, in.dwiHigh, in.dwiB);
      result.adcSource = "computed as ln(S0/Sb)/b from the DWI b0 and b" + ToText(std::lround(in.dwiB)) + " trace";
    }
    const float * adc = result.adcUm2s->GetBufferPointer();
    AddTissueMisclassifiedAsFluid(pools, in, adc, m_Params.fluidAdcUm2s);
    std::vector<unsigned char> tissueLike(n, 0);
    for (std::size_t i = 0; i < n; ++i)
    {
      if (adc[i] > m_Params.fluidAdcUm2s)
        fluid[i] = 1;
      tissueLike[i] = adc[i] > 0 && adc[i] <= m_Params.fluidAdcUm2s;
    }
    const auto tissueReference = referenceAnd(tissueLike);
    auto adcRefs = PoolStatistics(result.adcUm2s, pools, tissueReference, m_Params);
    if (CapCorticalAdcReference(adcRefs, m_Params))
      result.notes.push_back(adcRefs[static_cast<std::size_t>(TissuePool::CorticalGrey)].note);
    auto dwiRefs = PoolStatistics(in.dwiHigh, pools, tissueReference, m_Params);
    const auto zDwi = ZMap(in.dwiHigh, pools, dwiRefs);
    const auto zAdc = ZMap(result.adcUm2s, pools, adcRefs);
    std::vector<unsigned char> seed(n, 0), grow(n, 0), shine(n, 0);
    for (std::size_t i = 0; i < n; ++i)
    {
      if (pools[i] < 0 || !tissueLike[i] || !(zDwi[i] >= m_Params.dwiGrowZ))
        continue;
      // A seed is restriction beyond doubt; its extent is the DWI-bright tissue around it that is not shine-through
      // (ADC below the shine-through ratio): at the rim of a small lesion (a hippocampus, 5 mm slices) CSF partial
      // volume raises the measured ADC of restricted tissue towards normal while the trace stays bright.
      const double ratio = adc[i] / adcRefs[static_cast<std::size_t>(pools[i])].stats.median;
      const bool restricted =
        adc[i] <= m_Params.adcRatioMax * SeedAdcReference(adcRefs, pools[i], NamedStructure(in, i)) &&
        zAdc[i] <= m_Params.adcZMax;
      if (restricted || ratio < m_Params.shineThroughAdcRatio)
      {
        grow[i] = 1;
        seed[i] = restricted && zDwi[i] >= m_Params.dwiSeedZ;
      }
      else if (zDwi[i] >= m_Params.dwiSeedZ)
        shine[i] = 1;
    }
    const double minDiffusionMl = std::max(minMl, m_Params.minRestrictedNativeVoxels * std::max(0.0, in.dwiVoxelMl));
    // A seed must itself be a restriction of lesion size: a noise voxel must not start a lesion that then grows
    // through DWI-bright tissue with a merely low-normal ADC.
    result.restricted = Hysteresis(grid, seed, grow, minDiffusionMl, minDiffusionMl);
    result.shineThrough = Hysteresis(grid, shine, shine, minDiffusionMl);
    result.references["DWI"] = dwiRefs;
    result.references["ADC"] = adcRefs;
  }
  else
    result.notes.push_back("diffusion not assessable: no usable DWI trace with an ADC map or a b0");

  const Image * primary = in.flair ? in.flair : in.t2;
  if (primary)
  {
    result.hyperintensitySequence = in.flair ? "FLAIR" : "T2";
    // FLAIR suppresses fluid itself; T2 alone needs fluid excluded (bright CSF), from ADC or the tissue class.
    std::vector<unsigned char> usable(n, 1);
    if (!in.flair)
      for (std::size_t i = 0; i < n; ++i)
        usable[i] = !fluid[i];
    auto refs = PoolStatistics(primary, pools, referenceAnd(usable), m_Params);
    SubstituteAbnormalPools(refs, result.hyperintensitySequence, m_Params);
    const auto z = ZMap(primary, pools, refs);
    std::vector<float> zT2;
    if (in.flair && in.t2)
    {
      auto t2Refs = PoolStatistics(in.t2, pools, reference, m_Params);
      SubstituteAbnormalPools(t2Refs, "T2", m_Params);
      zT2 = ZMap(in.t2, pools, t2Refs);
      result.references["T2"] = t2Refs;
    }
    std::vector<unsigned char> seed(n, 0), grow(n, 0);
    for (std::size_t i = 0; i < n; ++i)
    {
      if (!usable[i] || !(z[i] >= m_Params.hyperGrowZ))
        continue;
      if (!zT2.empty() && !(zT2[i] >= m_Params.t2ConfirmZ))
        continue;
      if (result.adcUm2s && result.adcUm2s->GetBufferPointer()[i] > m_Params.fluidAdcUm2s)
        continue;
      grow[i] = 1;
      seed[i] = z[i] >= m_Params.hyperSeedZ;
    }
    result.t2flairExtent = Hysteresis(grid, seed, grow, minMl);
    DropDeepGreyRimLesions(result, in, primary, pools, seed, refs, m_Params);
    result.t2flair = filters::CopyMask(result.t2flairExtent);
    TrimToOwnContrast(result.t2flair, z, m_Params.hyperGrowZ, m_Params.edgeFraction, minMl);
    result.references[result.hyperintensitySequence] = refs;
    for (const auto & r : refs)
      if (r.substituted)
        result.notes.push_back(r.note);
  }
  else
    result.notes.push_back("T2/FLAIR hyperintensity not assessable: no usable T2 or FLAIR");
  return result;
}

} // namespace icanscan::pipeline
