#include "pipeline/detection/LesionDetection.h"

#include "SyntheticBrain.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace
{
using icanscan::ConfigError;
using icanscan::InputError;
using icanscan::pipeline::LesionDetectionInput;
using icanscan::pipeline::LesionDetectionParams;
using icanscan::pipeline::LesionDetectionResult;
using icanscan::pipeline::LesionDetectionStage;
using icanscan::pipeline::PoolOf;
using icanscan::pipeline::Structure;
using icanscan::pipeline::TissuePool;
using icanscan::pipeline::ValidateLesionDetectionParams;
using namespace icanscan::pipeline::test;

constexpr auto kDeepGrey = static_cast<std::size_t>(TissuePool::DeepGrey);
constexpr auto kWhiteMatter = static_cast<std::size_t>(TissuePool::WhiteMatter);

// White-matter block for diffusion lesions, inside the right cerebral white matter and away from every other structure.
constexpr Box kWhiteMatterBlock{ 10, 16, 36, 44, 3, 9 };
// 5 x 5 x 4 voxels (0.3 ml) inside the left thalamus.
constexpr Box kThalamusBlock{ 34, 39, 38, 43, 4, 8 };

TEST(LesionDetection, NoLesionGivesEmptyMasksAndUnsubstitutedReferences)
{
  const Study study;
  const auto result = Detect(study.Input());
  ASSERT_TRUE(result.t2flair);
  ASSERT_TRUE(result.restricted);
  ASSERT_TRUE(result.shineThrough);
  ASSERT_TRUE(result.adcUm2s);
  EXPECT_EQ(Count(result.t2flair), 0u);
  EXPECT_EQ(Count(result.restricted), 0u);
  EXPECT_EQ(Count(result.shineThrough), 0u);
  EXPECT_EQ(result.hyperintensitySequence, "FLAIR");
  for (const char * sequence : { "FLAIR", "T2", "DWI", "ADC" })
  {
    ASSERT_EQ(result.references.count(sequence), 1u) << sequence;
    for (const auto & ref : result.references.at(sequence))
      EXPECT_FALSE(ref.substituted) << sequence;
  }
  // The normal references are the rendered levels.
  EXPECT_NEAR(result.references.at("FLAIR")[kDeepGrey].stats.median, kFlair.deep, 1.0);
  EXPECT_NEAR(result.references.at("FLAIR")[kWhiteMatter].stats.median, kFlair.wm, 0.5);
  EXPECT_NEAR(result.references.at("FLAIR")[kWhiteMatter].stats.sigma, kNoise, 0.4);
  EXPECT_NEAR(result.references.at("ADC")[kWhiteMatter].stats.median, kAdcUm2s.wm, 3.0);
}

/** A coil's shading (up to +50 % near one side of FLAIR and T2) makes normal tissue on the bright side "hyperintense"
 * against its pool; N4 before the z-scores removes it, and the thalamic lesion is still found. */
TEST(LesionDetection, ShadingIsCorrectedBeforeDetection)
{
  Study study;
  Scale(study.flair, kThalamusBlock, 1.6f);
  Scale(study.t2, kThalamusBlock, 1.4f);
  for (auto * image : { study.flair.GetPointer(), study.t2.GetPointer() })
    for (std::size_t i = 0; i < image->GetBufferedRegion().GetNumberOfPixels(); ++i)
    {
      const double x = static_cast<double>(i % kNx) / (kNx - 1);
      image->GetBufferPointer()[i] *= static_cast<float>(1.0 + 0.5 * x * x * x);
    }
  const auto truth = BoxMask(kThalamusBlock);
  const auto shaded = Detect(study.Input(true, true, false));
  EXPECT_GT(Count(shaded.t2flair), CountIn(shaded.t2flair, truth) + 50) << "shading alone makes false lesions";
  const auto corrected = Detect(study.Input(true, true, false), LesionDetectionParams{});
  EXPECT_LE(Count(corrected.t2flair), CountIn(corrected.t2flair, truth) + 5) << "false lesions after correction";
  EXPECT_GT(Dice(corrected.t2flair, truth), 0.7);
  ASSERT_FALSE(corrected.notes.empty());
  EXPECT_NE(corrected.notes.front().find("bias-corrected"), std::string::npos);
}

TEST(LesionDetection, BrightBlockInTheLeftThalamusIsDetected)
{
  Study study;
  Scale(study.flair, kThalamusBlock, 1.7f);
  Scale(study.t2, kThalamusBlock, 1.6f);
  const auto result = Detect(study.Input());
  ASSERT_TRUE(result.t2flair);
  const auto truth = BoxMask(kThalamusBlock);
  EXPECT_GT(Dice(result.t2flair, truth), 0.8);
  EXPECT_GE(CountIn(result.t2flair, truth), 95u); // of 100
  EXPECT_EQ(CountIn(result.t2flair, study.brain.Where({ Structure::ThalamusRight })), 0u);
  // The lesion does not shift its pool's reference.
  EXPECT_NEAR(result.references.at("FLAIR")[kDeepGrey].stats.median, kFlair.deep, 1.0);
  EXPECT_EQ(Count(result.restricted), 0u);
}

TEST(LesionDetection, BrightLesionEdgeSitsAtHalfItsContrastNotInThePartialVolumeRim)
{
  // A bright white-matter lesion (x2.5) with a one-voxel partial-volume rim (a quarter of the lesion: x1.375), as
  // thick slices make it; and a faint lesion (x1.3) that must keep all its voxels.
  constexpr Box kRim{ 9, 17, 35, 45, 2, 10 };
  constexpr Box kFaint{ 40, 46, 36, 44, 3, 9 };
  Study study;
  for (Image * image : { study.flair.GetPointer(), study.t2.GetPointer() })
  {
    std::vector<unsigned char> rim = BoxMask(kRim);
    ForEach(kWhiteMatterBlock, [&](std::size_t i) { rim[i] = 0; });
    Scale(image, rim, 1.375f);
    Scale(image, kWhiteMatterBlock, 2.5f);
    Scale(image, kFaint, 1.3f);
  }
  LesionDetectionParams noTrim = Unshaded();
  noTrim.edgeFraction = 0.0;
  const auto untrimmed = LesionDetectionStage(noTrim).Run(study.Input());
  const auto result = Detect(study.Input());
  auto truth = BoxMask(kWhiteMatterBlock);
  ForEach(kFaint, [&](std::size_t i) { truth[i] = 1; });
  EXPECT_GT(Dice(result.t2flair, truth), 0.9);
  EXPECT_LT(Dice(untrimmed.t2flair, truth), 0.8) << "the rim is in the untrimmed lesion";
  EXPECT_EQ(Count(result.t2flairExtent), Count(untrimmed.t2flair)) << "the extent keeps the rim for the oedema markers";
  EXPECT_GE(CountIn(result.t2flair, BoxMask(kFaint)), CountIn(untrimmed.t2flair, BoxMask(kFaint)) * 95 / 100);
  EXPECT_GT(CountIn(result.t2flair, BoxMask(kFaint)), 0u);
}

TEST(LesionDetection, BothThalamiBrightAreBothDetected)
{
  Study study;
  const auto thalami = study.brain.Where({ Structure::ThalamusLeft, Structure::ThalamusRight });
  Scale(study.flair, thalami, 1.7f);
  Scale(study.t2, thalami, 1.6f);
  const auto result = Detect(study.Input());
  ASSERT_TRUE(result.t2flair);
  const auto left = study.brain.Where({ Structure::ThalamusLeft });
  const auto right = study.brain.Where({ Structure::ThalamusRight });
  EXPECT_GE(CountIn(result.t2flair, left), 365u);  // of 384
  EXPECT_GE(CountIn(result.t2flair, right), 365u); // of 384
  EXPECT_GT(Dice(result.t2flair, thalami), 0.8);
  // 40 % of the deep grey is lesion: the trimmed reference is still the normal basal ganglia.
  EXPECT_NEAR(result.references.at("FLAIR")[kDeepGrey].stats.median, kFlair.deep, 1.5);
  EXPECT_FALSE(result.references.at("FLAIR")[kDeepGrey].substituted);
  EXPECT_EQ(CountIn(result.t2flair, study.brain.Where({ Structure::BasalGangliaLeft, Structure::BasalGangliaRight })),
            0u);
}

TEST(LesionDetection, FlairBrightWithoutT2AgreementIsNotALesion)
{
  Study study;
  Scale(study.flair, kThalamusBlock, 1.7f); // a FLAIR flow artefact: T2 is normal there
  LesionDetectionParams strict = Unshaded();
  strict.t2ConfirmZ = 1.0;
  EXPECT_EQ(Count(Detect(study.Input(), strict).t2flair), 0u);
  // The default asks T2 only to reach its normal median: noise lets about half of the artefact through, never all.
  const auto result = Detect(study.Input());
  const auto block = BoxMask(kThalamusBlock);
  const auto blockVoxels = static_cast<std::size_t>(std::count(block.begin(), block.end(), 1));
  EXPECT_LT(Count(result.t2flair), blockVoxels * 3 / 4);
  // The same FLAIR alone (no T2 to disagree) is a lesion.
  const auto flairOnly = Detect(study.Input(true, false));
  EXPECT_GT(Dice(flairOnly.t2flair, BoxMask(kThalamusBlock)), 0.8);
}

TEST(LesionDetection, T2AloneExcludesCsfByTissueClass)
{
  Study study;
  // CSF (bright on T2) inside the white-matter label: an enlarged sulcus or perivascular space, not a lesion.
  constexpr Box fluidInWhiteMatter{ 44, 50, 36, 44, 3, 9 };
  study.brain.SetTissue(fluidInWhiteMatter, kCsf);
  study.Rerender();
  Scale(study.t2, kThalamusBlock, 1.6f);
  const auto result = Detect(study.Input(false, true, false));
  ASSERT_TRUE(result.t2flair);
  EXPECT_EQ(result.hyperintensitySequence, "T2");
  EXPECT_EQ(result.references.count("FLAIR"), 0u);
  EXPECT_EQ(CountIn(result.t2flair, BoxMask(fluidInWhiteMatter)), 0u);
  EXPECT_EQ(CountIn(result.t2flair, study.brain.Where({ Structure::LateralVentricles })), 0u);
  EXPECT_GT(Dice(result.t2flair, BoxMask(kThalamusBlock)), 0.8);
  // The fluid stays out of the white-matter reference too.
  EXPECT_NEAR(result.references.at("T2")[kWhiteMatter].stats.median, kT2.wm, 0.5);
}

TEST(LesionDetection, T2AloneExcludesFluidByAdc)
{
  Study study;
  // Classified as white matter but fluid on ADC (and bright on T2): not a lesion.
  constexpr Box fluidByAdc{ 44, 50, 36, 44, 3, 9 };
  ForEach(fluidByAdc,
          [&](std::size_t i)
          {
            study.t2->GetBufferPointer()[i] = kT2.csf;
            study.adc->GetBufferPointer()[i] = kAdcUm2s.csf;
            study.dwi->GetBufferPointer()[i] = kDwi.csf;
          });
  Scale(study.t2, kThalamusBlock, 1.6f);
  const auto result = Detect(study.Input(false, true, true));
  ASSERT_TRUE(result.t2flair);
  EXPECT_EQ(result.hyperintensitySequence, "T2");
  EXPECT_EQ(CountIn(result.t2flair, BoxMask(fluidByAdc)), 0u);
  EXPECT_GT(Dice(result.t2flair, BoxMask(kThalamusBlock)), 0.8);
  // Without diffusion nothing tells that block is fluid: it is detected (the test above is not vacuous).
  const auto blind = Detect(study.Input(false, true, false));
  EXPECT_GT(CountIn(blind.t2flair, BoxMask(fluidByAdc)), 200u);
}

TEST(LesionDetection, DiffuseWhiteMatterHyperintensitySubstitutesThePool)
{
  Study study;
  const auto whiteMatter =
    study.brain.Where({ Structure::WhiteMatterLeft, Structure::WhiteMatterRight, Structure::CorpusCallosumBody });
  Scale(study.flair, whiteMatter, 130.0f / kFlair.wm); // brighter than deep grey (100)
  Scale(study.t2, whiteMatter, 125.0f / kT2.wm);       // brighter than deep grey (105)
  const auto result = Detect(study.Input());
  const auto & flairWm = result.references.at("FLAIR")[kWhiteMatter];
  EXPECT_TRUE(flairWm.substituted);
  EXPECT_FALSE(flairWm.note.empty());
  EXPECT_NEAR(flairWm.stats.median, 0.9 * kFlair.deep, 1.0); // normalWmDeepGreyRatio x deep grey
  EXPECT_TRUE(result.references.at("T2")[kWhiteMatter].substituted);
  EXPECT_FALSE(result.references.at("FLAIR")[kDeepGrey].substituted);
  bool noted = false;
  for (const auto & note : result.notes)
    noted = noted || note.find("white matter as a whole") != std::string::npos;
  EXPECT_TRUE(noted);

  std::size_t wmVoxels = 0;
  for (const auto v : whiteMatter)
    wmVoxels += v;
  EXPECT_GE(CountIn(result.t2flair, whiteMatter), 0.95 * wmVoxels);
  // The deep grey stays out, but for the odd noisy voxel (z >= grow) that touches the white-matter lesion.
  const auto deep = study.brain.Where(
    { Structure::ThalamusLeft, Structure::ThalamusRight, Structure::BasalGangliaLeft, Structure::BasalGangliaRight });
  EXPECT_LE(CountIn(result.t2flair, deep), 10u); // of 1920
}

TEST(LesionDetection, AllDeepNucleiHyperintenseSubstitutesTheDeepGreyPool)
{
  Study study;
  const auto deep = study.brain.Where(
    { Structure::ThalamusLeft, Structure::ThalamusRight, Structure::BasalGangliaLeft, Structure::BasalGangliaRight });
  Scale(study.flair, deep, 1.7f);
  Scale(study.t2, deep, 1.6f);
  const auto result = Detect(study.Input());
  const auto & flairDg = result.references.at("FLAIR")[kDeepGrey];
  EXPECT_TRUE(flairDg.substituted);
  EXPECT_NEAR(flairDg.stats.median, 1.15 * kFlair.wm, 1.0); // normalDeepGreyWmRatio x white matter
  EXPECT_FALSE(result.references.at("FLAIR")[kWhiteMatter].substituted);
  EXPECT_GT(Dice(result.t2flair, deep), 0.9);
}

TEST(LesionDetection, WithoutDiffusionRestrictionIsNull)
{
  Study study;
  const auto none = Detect(study.Input(true, true, false));
  EXPECT_FALSE(none.restricted);
  EXPECT_FALSE(none.shineThrough);
  EXPECT_FALSE(none.adcUm2s);
  EXPECT_TRUE(none.adcSource.empty());
  EXPECT_EQ(none.references.count("DWI"), 0u);
  ASSERT_TRUE(none.t2flair); // hyperintensity is still assessed
  bool noted = false;
  for (const auto & note : none.notes)
    noted = noted || note.find("diffusion not assessable") != std::string::npos;
  EXPECT_TRUE(noted);

  // A trace without ADC or b0 is not enough either.
  auto traceOnly = study.Input(true, true, false);
  traceOnly.dwiHigh = study.dwi;
  EXPECT_FALSE(Detect(traceOnly).restricted);
}

TEST(LesionDetection, WithoutT2OrFlairHyperintensityIsNull)
{
  Study study;
  const auto result = Detect(study.Input(false, false, true));
  EXPECT_FALSE(result.t2flair);
  EXPECT_TRUE(result.hyperintensitySequence.empty());
  EXPECT_TRUE(result.restricted);
}

TEST(LesionDetection, InputsOffTheLabelGridAreRejected)
{
  Study study;
  auto otherSpacing = NewImage<Image>(2.5);
  auto in = study.Input();
  in.flair = otherSpacing;
  EXPECT_THROW(Detect(in), InputError);

  auto otherSize = Image::New();
  Image::RegionType region;
  region.SetSize({ kNx, kNy, kNz + 1 });
  otherSize->SetRegions(region);
  otherSize->SetSpacing(study.adc->GetSpacing());
  otherSize->Allocate(true);
  in = study.Input();
  in.adc = otherSize;
  EXPECT_THROW(Detect(in), InputError);

  auto shifted = NewImage<Mask>();
  auto origin = shifted->GetOrigin();
  origin[0] = 5.0;
  shifted->SetOrigin(origin);
  in = study.Input();
  in.tissue = shifted;
  EXPECT_THROW(Detect(in), InputError);
  in = study.Input();
  in.brainMask = shifted;
  EXPECT_THROW(Detect(in), InputError);
  in = study.Input();
  in.dwiHigh = otherSpacing;
  EXPECT_THROW(Detect(in), InputError);

  in = study.Input();
  in.labels = nullptr;
  EXPECT_THROW(Detect(in), InputError);
  in = study.Input();
  in.tissue = nullptr;
  EXPECT_THROW(Detect(in), InputError);
  in = study.Input();
  in.brainMask = nullptr;
  EXPECT_THROW(Detect(in), InputError);
}

TEST(LesionDetection, PoolOfFollowsLabelThenTissue)
{
  auto label = [](Structure s) { return static_cast<unsigned char>(s); };
  EXPECT_EQ(PoolOf(label(Structure::ThalamusLeft), kWm), TissuePool::DeepGrey);
  EXPECT_EQ(PoolOf(label(Structure::BasalGangliaRight), kCsf), TissuePool::DeepGrey);
  EXPECT_EQ(PoolOf(label(Structure::HippocampusLeft), kGm), TissuePool::CorticalGrey);
  EXPECT_EQ(PoolOf(label(Structure::CorpusCallosumSplenium), kGm), TissuePool::WhiteMatter);
  EXPECT_EQ(PoolOf(label(Structure::ExternalCapsuleLeft), kGm), TissuePool::WhiteMatter);
  EXPECT_EQ(PoolOf(label(Structure::WhiteMatterRight), kCsf), TissuePool::WhiteMatter);
  EXPECT_EQ(PoolOf(label(Structure::LateralVentricles), kWm), std::nullopt);
  EXPECT_EQ(PoolOf(0, kGm), TissuePool::CorticalGrey);
  EXPECT_EQ(PoolOf(0, kWm), TissuePool::WhiteMatter);
  EXPECT_EQ(PoolOf(0, kCsf), std::nullopt);
  EXPECT_EQ(PoolOf(0, 0), std::nullopt);
}

TEST(LesionDetection, DefaultsAreValid)
{
  EXPECT_NO_THROW(ValidateLesionDetectionParams({}));
  LesionDetectionParams edges;
  edges.hyperGrowZ = edges.hyperSeedZ; // grow may equal seed
  edges.dwiGrowZ = edges.dwiSeedZ;
  edges.adcRatioMax = 1.0;
  edges.adcZMax = 0.0;
  edges.shineThroughAdcRatio = 5.0;
  edges.minLesionMl = 0.0;
  edges.maxPoolSamples = 1000;
  EXPECT_NO_THROW(ValidateLesionDetectionParams(edges));
}

TEST(LesionDetection, RejectsEveryOutOfRangeParameterNamingIt)
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  using Set = std::function<void(LesionDetectionParams &)>;
  const std::vector<std::pair<std::string, Set>> cases{
    { "trimZ", [](LesionDetectionParams & p) { p.normal.trimZ = 0.5; } },
    { "rounds", [](LesionDetectionParams & p) { p.normal.rounds = 25; } },
    { "minSigmaRelative", [](LesionDetectionParams & p) { p.normal.minSigmaRelative = 2; } },
    { "hyper_seed_z", [](LesionDetectionParams & p) { p.hyperSeedZ = 0.9; } },
    { "hyper_seed_z", [](LesionDetectionParams & p) { p.hyperSeedZ = 20.1; } },
    { "hyper_seed_z", [nan](LesionDetectionParams & p) { p.hyperSeedZ = nan; } },
    { "hyper_grow_z", [](LesionDetectionParams & p) { p.hyperGrowZ = 0.4; } },
    { "hyper_grow_z", [](LesionDetectionParams & p) { p.hyperGrowZ = p.hyperSeedZ + 0.1; } },
    { "t2_confirm_z", [](LesionDetectionParams & p) { p.t2ConfirmZ = -5.1; } },
    { "t2_confirm_z", [](LesionDetectionParams & p) { p.t2ConfirmZ = 10.1; } },
    { "dwi_seed_z", [](LesionDetectionParams & p) { p.dwiSeedZ = 0.9; } },
    { "dwi_seed_z", [](LesionDetectionParams & p) { p.dwiSeedZ = 20.1; } },
    { "dwi_grow_z", [](LesionDetectionParams & p) { p.dwiGrowZ = 0.4; } },
    { "dwi_grow_z", [](LesionDetectionParams & p) { p.dwiGrowZ = p.dwiSeedZ + 0.1; } },
    { "adc_ratio_max", [](LesionDetectionParams & p) { p.adcRatioMax = 0.0; } },
    { "adc_ratio_max", [](LesionDetectionParams & p) { p.adcRatioMax = 1.01; } },
    { "adc_ratio_max", [nan](LesionDetectionParams & p) { p.adcRatioMax = nan; } },
    { "adc_z_max", [](LesionDetectionParams & p) { p.adcZMax = 0.1; } },
    { "adc_z_max", [](LesionDetectionParams & p) { p.adcZMax = -20.1; } },
    { "shine_through_adc_ratio", [](LesionDetectionParams & p) { p.shineThroughAdcRatio = 0.0; } },
    { "shine_through_adc_ratio", [](LesionDetectionParams & p) { p.shineThroughAdcRatio = 5.1; } },
    { "fluid_adc_um2s", [](LesionDetectionParams & p) { p.fluidAdcUm2s = 999; } },
    { "fluid_adc_um2s", [](LesionDetectionParams & p) { p.fluidAdcUm2s = 4001; } },
    { "min_lesion_ml", [](LesionDetectionParams & p) { p.minLesionMl = -0.01; } },
    { "min_lesion_ml", [](LesionDetectionParams & p) { p.minLesionMl = 10.1; } },
    { "min_restricted_native_voxels", [](LesionDetectionParams & p) { p.minRestrictedNativeVoxels = -1; } },
    { "min_restricted_native_voxels", [](LesionDetectionParams & p) { p.minRestrictedNativeVoxels = 51; } },
    { "edge_fraction", [](LesionDetectionParams & p) { p.edgeFraction = -0.1; } },
    { "edge_fraction", [](LesionDetectionParams & p) { p.edgeFraction = 0.95; } },
    { "wm_deep_grey_ratio_max", [](LesionDetectionParams & p) { p.wmDeepGreyRatioMax = 0.0; } },
    { "wm_deep_grey_ratio_max", [](LesionDetectionParams & p) { p.wmDeepGreyRatioMax = 3.1; } },
    { "normal_wm_deep_grey_ratio", [](LesionDetectionParams & p) { p.normalWmDeepGreyRatio = 0.0; } },
    { "normal_wm_deep_grey_ratio", [](LesionDetectionParams & p) { p.normalWmDeepGreyRatio = 3.1; } },
    { "deep_grey_wm_ratio_max", [](LesionDetectionParams & p) { p.deepGreyWmRatioMax = -1.0; } },
    { "deep_grey_wm_ratio_max", [](LesionDetectionParams & p) { p.deepGreyWmRatioMax = 5.1; } },
    { "normal_deep_grey_wm_ratio", [](LesionDetectionParams & p) { p.normalDeepGreyWmRatio = 0.0; } },
    { "normal_deep_grey_wm_ratio", [nan](LesionDetectionParams & p) { p.normalDeepGreyWmRatio = nan; } },
    { "max_pool_samples", [](LesionDetectionParams & p) { p.maxPoolSamples = 999; } },
    { "max_pool_samples", [](LesionDetectionParams & p) { p.maxPoolSamples = 100000001; } },
  };
  for (const auto & [name, set] : cases)
  {
    LesionDetectionParams params;
    set(params);
    EXPECT_THROW(ValidateLesionDetectionParams(params), ConfigError) << name;
    EXPECT_THROW(LesionDetectionStage{ params }, ConfigError) << name;
    try
    {
      ValidateLesionDetectionParams(params);
    }
    catch (const ConfigError & e)
    {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

} // namespace
