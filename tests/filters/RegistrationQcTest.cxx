#include "RegistrationPair.h"

#include "filters/RegistrationQc.h"

#include "core/Error.h"

#include "itkAffineTransform.h"

#include <gtest/gtest.h>

#include <random>

namespace icanscan::filters
{
namespace
{

class RegistrationQcTest : public ::testing::Test
{
protected:
  const test::RegistrationPair & pair = test::SharedRegistrationPair();

  /** The registration result followed by an extra motion about the brain centre. */
  RigidTransform::Pointer Broken(const std::array<double, 3> & anglesDeg, const std::array<double, 3> & shiftMm) const
  {
    auto extra = test::MakeRigid(anglesDeg, shiftMm, { 0, 0, 0 });
    auto broken = RigidTransform::New();
    broken->SetFixedParameters(pair.result.transform->GetFixedParameters());
    broken->SetParameters(pair.result.transform->GetParameters());
    broken->Compose(extra, true); // x -> result(extra(x))
    return broken;
  }

  static bool Mentions(const RegistrationQcReport & report, const std::string & text)
  {
    for (const auto & reason : report.reasons)
      if (reason.find(text) != std::string::npos)
        return true;
    return false;
  }

  static std::string Reasons(const RegistrationQcReport & report)
  {
    std::string all;
    for (const auto & reason : report.reasons)
      all += reason + "\n";
    return all;
  }
};

TEST_F(RegistrationQcTest, GoodRegistrationIsOk)
{
  const auto report = AssessRegistration(pair.fixed, pair.moving, pair.fixedMask, pair.movingMask,
                                         pair.result.transform, pair.result.initial);
  EXPECT_EQ(report.verdict, QcVerdict::Ok) << Reasons(report);
  EXPECT_TRUE(report.reasons.empty());
  EXPECT_GT(report.metricGain, 0.0); // the start was 3-4 mm off
  EXPECT_GT(report.dice, 0.9);
  EXPECT_GT(report.edgeCorrelation, RegistrationQcParams{}.suspectEdgeCorrelation);
  EXPECT_GT(report.mutualInformation, RegistrationQcParams{}.suspectMutualInformation);
  EXPECT_NEAR(report.determinant, 1.0, 1e-9);
  EXPECT_LT(report.rotationDeg, 5.0);
  EXPECT_LT(report.translationMm, 10.0);
  EXPECT_GT(report.coverage, 0.95);
  EXPECT_LE(report.optimalityGap, RegistrationQcParams{}.suspectOptimalityGap);
}

TEST_F(RegistrationQcTest, ThirtyDegreeRotationFails)
{
  const auto report = AssessRegistration(pair.fixed, pair.moving, pair.fixedMask, pair.movingMask,
                                         Broken({ 0, 0, 30 }, { 0, 0, 0 }), pair.result.initial);
  EXPECT_EQ(report.verdict, QcVerdict::Failed) << Reasons(report);
  EXPECT_TRUE(Mentions(report, "rotation angle")) << Reasons(report);
  // Independent of the plausibility limit, the image evidence must object too.
  EXPECT_LT(report.metricGain, RegistrationQcParams{}.failedMetricGain);
  EXPECT_TRUE(Mentions(report, "metric gain")) << Reasons(report);
  const auto good = AssessRegistration(pair.fixed, pair.moving, pair.fixedMask, pair.movingMask, pair.result.transform,
                                       pair.result.initial);
  EXPECT_LT(report.edgeCorrelation, good.edgeCorrelation - 0.1);
  EXPECT_LT(report.dice, good.dice);
}

TEST_F(RegistrationQcTest, FortyMillimetreShiftFails)
{
  const auto report = AssessRegistration(pair.fixed, pair.moving, pair.fixedMask, pair.movingMask,
                                         Broken({ 0, 0, 0 }, { 0, 40, 0 }), pair.result.initial);
  EXPECT_EQ(report.verdict, QcVerdict::Failed) << Reasons(report);
  EXPECT_TRUE(Mentions(report, "displacement")) << Reasons(report);
  EXPECT_TRUE(Mentions(report, "Dice")) << Reasons(report);
}

TEST_F(RegistrationQcTest, ThroughPlaneErrorOfFourMillimetresIsCaughtByLocalOptimality)
{
  // Plausible as a motion and no worse than the 3.5 mm start, so neither plausibility nor metric gain object: the
  // 12 neighbours of the result show the metric is not at its optimum.
  const auto report = AssessRegistration(pair.fixed, pair.moving, pair.fixedMask, pair.movingMask,
                                         Broken({ 0, 0, 0 }, { 0, 0, 4 }), pair.result.initial);
  EXPECT_NE(report.verdict, QcVerdict::Ok) << Reasons(report);
  EXPECT_TRUE(Mentions(report, "optimality gap")) << Reasons(report);
  EXPECT_FALSE(Mentions(report, "rotation angle"));
  EXPECT_FALSE(Mentions(report, "displacement"));
}

TEST_F(RegistrationQcTest, NoiseMovingImageFails)
{
  auto noise = FloatImage::New();
  noise->CopyInformation(pair.moving);
  noise->SetRegions(pair.moving->GetLargestPossibleRegion());
  noise->Allocate();
  std::mt19937 random(5);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  for (std::size_t i = 0; i < noise->GetBufferedRegion().GetNumberOfPixels(); ++i)
    noise->GetBufferPointer()[i] = uniform(random);
  const auto registered = RegisterRigid(pair.fixed, noise, pair.fixedMask, nullptr);
  const auto report =
    AssessRegistration(pair.fixed, noise, pair.fixedMask, nullptr, registered.transform, registered.initial);
  EXPECT_EQ(report.verdict, QcVerdict::Failed) << Reasons(report);
  EXPECT_TRUE(Mentions(report, "mutual information")) << Reasons(report);
  EXPECT_TRUE(std::isnan(report.dice)); // no moving mask, no Dice
}

TEST_F(RegistrationQcTest, ReflectionAndScalingAreNotRigid)
{
  auto reflection = itk::AffineTransform<double, 3>::New();
  auto matrix = reflection->GetMatrix();
  matrix(0, 0) = -1;
  reflection->SetMatrix(matrix);
  auto report = AssessRegistration(pair.fixed, pair.moving, pair.fixedMask, pair.movingMask, reflection);
  EXPECT_EQ(report.verdict, QcVerdict::Failed);
  EXPECT_NEAR(report.determinant, -1.0, 1e-12);
  EXPECT_TRUE(Mentions(report, "reflection")) << Reasons(report);

  auto scaling = itk::AffineTransform<double, 3>::New();
  scaling->Scale(1.05);
  report = AssessRegistration(pair.fixed, pair.moving, pair.fixedMask, pair.movingMask, scaling);
  EXPECT_EQ(report.verdict, QcVerdict::Failed);
  EXPECT_TRUE(Mentions(report, "not a rotation")) << Reasons(report);
}

TEST(RegistrationQcVerdictTest, NamesVerdicts)
{
  EXPECT_EQ(ToString(QcVerdict::Ok), "ok");
  EXPECT_EQ(ToString(QcVerdict::Suspect), "suspect");
  EXPECT_EQ(ToString(QcVerdict::Failed), "failed");
}

TEST(RegistrationQcParamsTest, RejectsEveryBadThreshold)
{
  auto expectReject = [](auto change)
  {
    RegistrationQcParams params;
    change(params);
    EXPECT_THROW(ValidateRegistrationQcParams(params), ConfigError);
  };
  EXPECT_NO_THROW(ValidateRegistrationQcParams({}));
  expectReject([](auto & p) { p.workingSpacingMm = 0.1; });
  expectReject([](auto & p) { p.workingSpacingMm = 5.0; });
  expectReject([](auto & p) { p.histogramBins = 4; });
  expectReject([](auto & p) { p.histogramBins = 300; });
  expectReject([](auto & p) { p.suspectMetricGain = 2.0; });
  expectReject([](auto & p) { p.failedMetricGain = -2.0; });
  expectReject([](auto & p) { p.failedMetricGain = 0.0; }); // above the suspect limit
  expectReject([](auto & p) { p.suspectOptimalityGap = -0.1; });
  expectReject([](auto & p) { p.failedOptimalityGap = 1.5; });
  expectReject([](auto & p) { p.failedOptimalityGap = 0.005; }); // below the suspect limit
  expectReject([](auto & p) { p.optimalityStepMm = 0.1; });
  expectReject([](auto & p) { p.optimalityStepMm = 11.0; });
  expectReject([](auto & p) { p.optimalityStepDeg = 0.1; });
  expectReject([](auto & p) { p.optimalityStepDeg = 11.0; });
  expectReject([](auto & p) { p.suspectMutualInformation = -0.1; });
  expectReject([](auto & p) { p.failedMutualInformation = 6.0; });
  expectReject([](auto & p) { p.failedMutualInformation = 0.2; });
  expectReject([](auto & p) { p.suspectDice = 1.5; });
  expectReject([](auto & p) { p.failedDice = -0.5; });
  expectReject([](auto & p) { p.failedDice = 0.95; });
  expectReject([](auto & p) { p.suspectEdgeCorrelation = 1.5; });
  expectReject([](auto & p) { p.failedEdgeCorrelation = -1.5; });
  expectReject([](auto & p) { p.failedEdgeCorrelation = 0.6; }); // above the suspect limit
  expectReject([](auto & p) { p.edgeMaskErosionMm = -1.0; });
  expectReject([](auto & p) { p.edgeMaskErosionMm = 25.0; });
  expectReject([](auto & p) { p.edgeSigmaMm = -1.0; });
  expectReject([](auto & p) { p.edgeSigmaMm = 11.0; });
  expectReject([](auto & p) { p.failedCoverage = 1.5; });
  expectReject([](auto & p) { p.suspectRotationDeg = -1.0; });
  expectReject([](auto & p) { p.failedRotationDeg = 200.0; });
  expectReject([](auto & p) { p.failedRotationDeg = 5.0; }); // below the suspect limit
  expectReject([](auto & p) { p.suspectTranslationMm = -1.0; });
  expectReject([](auto & p) { p.failedTranslationMm = 600.0; });
  expectReject([](auto & p) { p.failedTranslationMm = 10.0; });
  expectReject([](auto & p) { p.rotationTolerance = 0.0; });
  expectReject([](auto & p) { p.rotationTolerance = 0.5; });
}

TEST(RegistrationQcInputTest, RejectsMissingInputs)
{
  test::HeadGrid grid;
  grid.spacing = { 4, 4, 5 };
  grid.size = { 45, 52, 32 };
  const auto image = test::MakeHead(grid, test::kT2);
  const auto mask = test::MakeIntracranialMask(grid);
  auto identity = RigidTransform::New();
  EXPECT_THROW(AssessRegistration(image, image, nullptr, nullptr, identity), InputError);
  EXPECT_THROW(AssessRegistration(nullptr, image, mask, nullptr, identity), InputError);
  EXPECT_THROW(AssessRegistration(image, nullptr, mask, nullptr, identity), InputError);
  EXPECT_THROW(AssessRegistration(image, image, mask, nullptr, nullptr), InputError);
  auto empty = MaskImage::New();
  empty->CopyInformation(mask);
  empty->SetRegions(mask->GetLargestPossibleRegion());
  empty->Allocate(true);
  EXPECT_THROW(AssessRegistration(image, image, empty, nullptr, identity), InputError);
}

} // namespace
} // namespace icanscan::filters
