#include "pipeline/report/MethodsText.h"

#include <gtest/gtest.h>

namespace icanscan::pipeline
{
namespace
{
std::string AllText(const StudyAnalysis & a, const RunParams & p)
{
  std::string text;
  for (const auto & paragraph : MethodsText(a, p))
    text += paragraph + "\n";
  return text;
}

StudyAnalysis Analysis()
{
  StudyAnalysis a;
  a.geometry.referenceRole = "T2";
  a.detection.hyperintensitySequence = "FLAIR";
  return a;
}

TEST(MethodsText, NamesTheDetectionThresholdsUsed)
{
  RunParams p;
  p.detection.hyperSeedZ = 3.7;
  p.detection.hyperGrowZ = 1.9;
  const std::string text = AllText(Analysis(), p);
  EXPECT_NE(text.find("seeds at z >= 3.7 grown to z >= 1.9"), std::string::npos) << text;
  EXPECT_NE(text.find("robust z-scores on FLAIR"), std::string::npos) << text;
  EXPECT_NE(text.find("deep grey within 2 mm plus half the slice spacing of cortex must reach z >= 3.7 against"),
            std::string::npos)
    << text;
  p.detection.deepGreyCortexRimMm = -1.0; // off: not claimed
  EXPECT_EQ(AllText(Analysis(), p).find("against cortex too"), std::string::npos);
}

TEST(MethodsText, FollowsTheRegistrationLevelsAndBiasCorrection)
{
  RunParams p;
  p.geometry.segmentation.registration.bsplineInitialGridSpacingMm = 50;
  p.geometry.segmentation.registration.fineLevels = { filters::FineLevel(25.0) };
  p.detection.correctBias = false;
  const std::string text = AllText(Analysis(), p);
  EXPECT_NE(text.find("B-spline of 50 mm"), std::string::npos) << text;
  EXPECT_NE(text.find("B-splines of 25 mm"), std::string::npos) << text;
  EXPECT_EQ(text.find("N4"), std::string::npos) << text;

  p.geometry.segmentation.registration.fineLevels.clear();
  EXPECT_EQ(AllText(Analysis(), p).find("stochastic"), std::string::npos);
}

TEST(MethodsText, SaysHowTheMidlineWasMeasured)
{
  RunParams p;
  auto a = Analysis();
  a.oedema.markers.midlineMethod = "septum";
  EXPECT_NE(AllText(a, p).find("septum pellucidum against the skull midline"), std::string::npos);
  a.oedema.markers.midlineMethod = "registration";
  EXPECT_NE(AllText(a, p).find("septum not seen"), std::string::npos);
  p.oedema.midlineShiftMm = 3.5;
  EXPECT_NE(AllText(a, p).find("lesion (from 3.5 mm"), std::string::npos);
}

} // namespace
} // namespace icanscan::pipeline
