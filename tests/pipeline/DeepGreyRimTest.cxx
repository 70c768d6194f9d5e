// The deep grey next to cortex (pipeline/detection/DeepGreyRim): the rim itself, the per-lesion rule on masks, and
// the rule through LesionDetectionStage on the synthetic brain.
#include "pipeline/detection/DeepGreyRim.h"

#include "SyntheticBrain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
using icanscan::pipeline::DeepGreyRimNextToCortex;
using icanscan::pipeline::DropRimLesionsNotBrightAgainstCortex;
using icanscan::pipeline::Structure;
using icanscan::pipeline::TissuePool;
using namespace icanscan::pipeline::test;

/** The rim is the deep grey within the distance (mm, anisotropic spacing) of cortical grey: nothing else, and nothing
 * beyond it. */
TEST(DeepGreyRim, DeepGreyRimIsTheDeepGreyWithinItsDistanceOfCortex)
{
  const auto grid = NewImage<Mask>(3.0); // 1 x 1 x 3 mm
  std::vector<signed char> pools(kNx * kNy * kNz, static_cast<signed char>(TissuePool::WhiteMatter));
  const auto deep = static_cast<signed char>(TissuePool::DeepGrey);
  ForEach({ 10, 30, 10, 30, 4, 8 }, [&](std::size_t i) { pools[i] = deep; });
  ForEach({ 30, 32, 10, 30, 4, 6 },
          [&](std::size_t i) { pools[i] = static_cast<signed char>(TissuePool::CorticalGrey); });
  const auto rim = DeepGreyRimNextToCortex(pools, grid, 3.5);
  for (unsigned x = 10; x < 30; ++x)
  {
    EXPECT_EQ(rim[Linear(x, 20, 5)], x >= 27 ? 1 : 0) << "x " << x; // 1, 2 and 3 mm from the cortex at x = 30
    EXPECT_EQ(rim[Linear(x, 20, 6)], x == 29 ? 1 : 0) << "x " << x; // one slice up: 3.2 mm, then 3.6 mm
    EXPECT_EQ(rim[Linear(x, 20, 7)], 0) << "x " << x;               // two slices up: 6 mm
  }
  EXPECT_EQ(rim[Linear(31, 20, 5)], 0) << "cortex itself is not rim";
  EXPECT_EQ(rim[Linear(29, 20, 3)], 0) << "white matter beside the rim is not rim";
  const auto thin = DeepGreyRimNextToCortex(pools, grid, 2.5);
  EXPECT_EQ(std::count(thin.begin(), thin.end(), 1), 2 * 20 * 2);
  const auto none = DeepGreyRimNextToCortex(pools, grid, 0.0);
  EXPECT_EQ(std::count(none.begin(), none.end(), 1), 0);
  pools.pop_back();
  EXPECT_THROW(DeepGreyRimNextToCortex(pools, grid, 3.5), std::invalid_argument);
}

/** Each lesion is judged as a whole: dropped when at least half its seeds are in the rim and their median z against
 * cortex is below the seed z; kept when its seeds are mostly outside the rim, or bright against cortex, or when there
 * is no cortical reference (NaN). */
TEST(DeepGreyRim, LesionsAreJudgedWholeByTheirSeeds)
{
  auto lesions = NewImage<Mask>();
  const std::size_t n = kNx * kNy * kNz;
  std::vector<unsigned char> seeds(n, 0), rim(n, 0);
  std::vector<float> zCortex(n, 2.0f);
  constexpr Box inRim{ 5, 10, 5, 10, 2, 4 };        // all seeds in the rim, z 2 against cortex: dropped
  constexpr Box bright{ 20, 25, 5, 10, 2, 4 };      // in the rim but z 6 against cortex: kept
  constexpr Box halfInside{ 35, 45, 5, 10, 2, 4 };  // 40 % of its seeds in the rim: kept
  constexpr Box noReference{ 5, 10, 30, 35, 2, 4 }; // in the rim, no cortical reference: kept
  for (const Box & box : { inRim, bright, halfInside, noReference })
    ForEach(box, [&](std::size_t i) { lesions->GetBufferPointer()[i] = seeds[i] = 1; });
  for (const Box & box : { inRim, bright, noReference, Box{ 35, 39, 5, 10, 2, 4 } })
    ForEach(box, [&](std::size_t i) { rim[i] = 1; });
  ForEach(bright, [&](std::size_t i) { zCortex[i] = 6.0f; });
  ForEach(noReference, [&](std::size_t i) { zCortex[i] = std::numeric_limits<float>::quiet_NaN(); });
  // One noise voxel of the dropped lesion above the seed z does not save it (the median decides).
  zCortex[Linear(7, 7, 3)] = 9.0f;

  const auto dropped = DropRimLesionsNotBrightAgainstCortex(lesions, seeds, rim, zCortex, 4.0);
  EXPECT_EQ(dropped.lesions, 1u);
  EXPECT_EQ(dropped.voxels, 5u * 5u * 2u);
  EXPECT_EQ(CountIn(lesions, BoxMask(inRim)), 0u);
  for (const Box & box : { bright, halfInside, noReference })
    EXPECT_EQ(CountIn(lesions, BoxMask(box)), static_cast<std::size_t>((box.x1 - box.x0) * (box.y1 - box.y0) * 2));
  seeds.pop_back();
  EXPECT_THROW(DropRimLesionsNotBrightAgainstCortex(lesions, seeds, rim, zCortex, 4.0), std::invalid_argument);
}

/** A putamen label that reaches past the nucleus holds cortex, brighter than deep grey: a bright patch there is a
 * lesion only when it is bright against cortex too. The same patch deep inside the other basal ganglia (9 mm from
 * cortex) is a lesion, and so is the rim patch with the rule off or when it outshines cortex. */
TEST(DeepGreyRim, DeepGreySeedNextToCortexMustBeBrightAgainstCortexToo)
{
  Study study;
  study.brain.Paint({ 46, 48, 18, 30, 3, 9 }, Structure::Background, kGm); // insular cortex beside the left putamen
  // Low noise (sigma 1), so that a level between deep grey (100) and cortex (105) is clearly one or the other.
  study.flair = study.brain.Render(kFlair, 1.0f, 1);
  study.t2 = study.brain.Render(kT2, 1.0f, 2);
  constexpr Box besideCortex{ 43, 46, 20, 28, 3, 9 }; // 1-3 mm from the cortex
  constexpr Box inside{ 16, 19, 20, 28, 3, 9 };       // right basal ganglia, 9 mm from cortex
  // 1.07 x deep grey: 7 sigma above deep grey, 2 sigma above cortex.
  for (Image * image : { study.flair.GetPointer(), study.t2.GetPointer() })
    for (const Box & box : { besideCortex, inside })
      Scale(image, box, 1.07f);
  const auto result = Detect(study.Input(true, true, false));
  EXPECT_EQ(CountIn(result.t2flair, BoxMask(besideCortex)), 0u);
  EXPECT_GT(Dice(result.t2flair, BoxMask(inside)), 0.9);
  EXPECT_TRUE(std::any_of(result.notes.begin(), result.notes.end(),
                          [](const std::string & note)
                          { return note.find("not brighter than cortex: left out") != std::string::npos; }));

  auto off = Unshaded();
  off.deepGreyCortexRimMm = -1.0;
  const auto withoutRule = Detect(study.Input(true, true, false), off);
  EXPECT_GE(CountIn(withoutRule.t2flair, BoxMask(besideCortex)), 130u); // of 144

  Scale(study.flair, besideCortex, 1.05f); // now about 7 sigma above cortex
  const auto brighter = Detect(study.Input(true, true, false));
  EXPECT_GE(CountIn(brighter.t2flair, BoxMask(besideCortex)), 130u);
}

} // namespace
