// Tissue pools (pipeline/detection/TissuePools): what T2 calls fluid but FLAIR does not suppress, tissue under the
// atlas's ventricle, and lesion taken out of the ventricles; exercised through LesionDetectionStage on the synthetic
// brain.
#include "pipeline/detection/TissuePools.h"

#include "SyntheticBrain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace
{
using icanscan::pipeline::Structure;
using namespace icanscan::pipeline::test;

/** A periventricular lesion bright on T2 as CSF is (the reference's tissue classes and refined ventricles take it)
 * is examined when FLAIR does not suppress it; the rest of the ventricle, dark on FLAIR, stays fluid. */
TEST(TissuePools, FluidOnT2ThatFlairDoesNotSuppressIsExamined)
{
  Study study;
  constexpr Box periventricular{ 31, 36, 18, 24, 3, 9 }; // inside the left ventricle: label ventricle, class CSF
  ForEach(periventricular,
          [&](std::size_t i)
          {
            study.flair->GetBufferPointer()[i] = 130.0f;
            study.t2->GetBufferPointer()[i] = kT2.csf;
          });
  const auto result = Detect(study.Input(true, true, false));
  ASSERT_TRUE(result.t2flair);
  EXPECT_GT(Dice(result.t2flair, BoxMask(periventricular)), 0.8);
  EXPECT_EQ(CountIn(result.t2flair, study.brain.Where({ Structure::LateralVentricles })),
            CountIn(result.t2flair, BoxMask(periventricular)));
  EXPECT_TRUE(std::any_of(result.notes.begin(), result.notes.end(),
                          [](const std::string & note) { return note.rfind("FLAIR: ", 0) == 0; }));
  // T2 alone cannot tell it from CSF: it stays fluid (the test above is not vacuous).
  const auto t2Only = Detect(study.Input(false, true, false));
  EXPECT_EQ(CountIn(t2Only.t2flair, BoxMask(periventricular)), 0u);
}

/** Tissue where the atlas's ventricle is larger than the subject's is periventricular white matter even when its T2
 * falls in the grey class (a periventricular lesion does): it is judged against white matter, not the cortex. */
TEST(TissuePools, TissueUnderTheAtlasVentricleIsJudgedAsWhiteMatter)
{
  Study study;
  constexpr Box besideVentricle{ 44, 50, 36, 44, 3, 9 };
  study.brain.Paint(besideVentricle, Structure::Background, kGm);
  study.Rerender();
  // Brighter than white matter by 7.5 sigma, darker than cortex: a lesion only against white matter.
  ForEach(besideVentricle, [&](std::size_t i) { study.flair->GetBufferPointer()[i] = kFlair.wm + 30.0f; });
  auto propagated = NewImage<Mask>();
  std::copy_n(study.brain.Labels()->GetBufferPointer(), kNx * kNy * kNz, propagated->GetBufferPointer());
  auto in = study.Input(true, true, false);
  in.propagatedLabels = propagated;
  const auto asCortex = Detect(in);
  EXPECT_EQ(CountIn(asCortex.t2flair, BoxMask(besideVentricle)), 0u);
  ForEach(besideVentricle, [&](std::size_t i)
          { propagated->GetBufferPointer()[i] = static_cast<unsigned char>(Structure::LateralVentricles); });
  const auto asWhiteMatter = Detect(in);
  EXPECT_GT(Dice(asWhiteMatter.t2flair, BoxMask(besideVentricle)), 0.8);
}

/** A lesion found inside the refined ventricles (CSF-bright on T2) is taken out of them; other ventricle voxels and
 * other labels stay. */
TEST(TissuePools, LesionIsTakenOutOfTheVentricles)
{
  Study study;
  constexpr Box periventricular{ 31, 36, 18, 24, 3, 9 };
  ForEach(periventricular, [&](std::size_t i) { study.flair->GetBufferPointer()[i] = 130.0f; });
  const auto found = Detect(study.Input(true, true, false));
  ASSERT_TRUE(found.t2flairExtent);
  auto labels = NewImage<Mask>();
  std::copy_n(study.brain.Labels()->GetBufferPointer(), kNx * kNy * kNz, labels->GetBufferPointer());
  const auto ventriclesBefore = study.brain.Where({ Structure::LateralVentricles });
  const std::size_t lesionInVentricles = CountIn(found.t2flairExtent, ventriclesBefore);
  ASSERT_GT(lesionInVentricles, 100u);
  EXPECT_EQ(icanscan::pipeline::RemoveLesionFromVentricles(labels, found.t2flairExtent), lesionInVentricles);
  std::size_t ventriclesAfter = 0, changedElsewhere = 0;
  for (std::size_t i = 0; i < ventriclesBefore.size(); ++i)
  {
    const unsigned char label = labels->GetBufferPointer()[i];
    ventriclesAfter += label == static_cast<unsigned char>(Structure::LateralVentricles);
    changedElsewhere += !ventriclesBefore[i] && label != study.brain.Labels()->GetBufferPointer()[i];
  }
  EXPECT_EQ(ventriclesAfter + lesionInVentricles,
            static_cast<std::size_t>(std::count(ventriclesBefore.begin(), ventriclesBefore.end(), 1)));
  EXPECT_EQ(changedElsewhere, 0u);
  EXPECT_EQ(icanscan::pipeline::RemoveLesionFromVentricles(labels, nullptr), 0u);
}

} // namespace
