#include "RegistrationPair.h"

#include "core/Error.h"

#include "itkAffineTransform.h"
#include "itkEuler3DTransform.h"
#include "itkTransformFileWriter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace icanscan::filters
{
namespace
{
namespace fs = std::filesystem;

class RigidRegistrationTest : public ::testing::Test
{
protected:
  const test::RegistrationPair & pair = test::SharedRegistrationPair();
};

fs::path TempDir(const std::string & name)
{
  const fs::path dir = fs::temp_directory_path() / ("icanscan rigid tests é/" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST_F(RigidRegistrationTest, RecoversKnownMotionOnThickSlicesWithinOneMillimetre)
{
  auto identity = RigidTransform::New();
  const double before = test::MeanTargetError(identity, pair.truth, pair.fixedMask);
  const double after = test::MeanTargetError(pair.result.transform, pair.truth, pair.fixedMask);
  // The motion must be big enough for the test to mean something.
  EXPECT_GT(before, 3.0);
  EXPECT_LT(after, 1.0) << "TRE before " << before << " mm";
}

TEST_F(RigidRegistrationTest, ReportsMetricsIterationsAndTime)
{
  const auto & r = pair.result;
  ASSERT_EQ(r.iterationsPerLevel.size(), 3u);
  ASSERT_EQ(r.metricPerLevel.size(), 3u);
  ASSERT_EQ(r.stopConditions.size(), 3u);
  for (unsigned l = 0; l < 3; ++l)
  {
    EXPECT_GT(r.iterationsPerLevel[l], 0u);
    EXPECT_LE(r.iterationsPerLevel[l], RigidRegistrationParams{}.iterations[l]);
    EXPECT_FALSE(r.stopConditions[l].empty());
  }
  EXPECT_LT(r.finalMetric, r.initialMetric); // Mattes is minus MI: lower is better
  EXPECT_LT(r.finalMetric, -0.1);
  EXPECT_GT(r.seconds, 0.0);
  ASSERT_TRUE(r.initial);
  EXPECT_EQ(r.initial->GetParameters(), RigidTransform::New()->GetParameters()); // header start = identity
}

TEST_F(RigidRegistrationTest, SameInputsAndSeedGiveTheSameResult)
{
  // Identical bit for bit: the metric runs on one thread (ITK's threaded sums differ in the last bits run to run).
  const auto again = RegisterRigid(pair.fixed, pair.moving, pair.fixedMask, pair.movingMask);
  EXPECT_EQ(again.transform->GetParameters(), pair.result.transform->GetParameters());
  // Another seed samples other points: the result moves measurably, so the seed is what makes runs repeat.
  RigidRegistrationParams otherSeed;
  otherSeed.randomSeed = 7;
  const auto other = RegisterRigid(pair.fixed, pair.moving, pair.fixedMask, pair.movingMask, otherSeed);
  EXPECT_GT(test::MeanTargetError(other.transform, pair.result.transform, pair.fixedMask), 1e-4);
}

TEST_F(RigidRegistrationTest, MomentsInitialisationRecoversALargeShiftWithoutMovingMask)
{
  const auto truth = test::MakeRigid({ -1.0, 2.0, -2.0 }, { 14.0, -12.0, 6.0 }, { 0, 0, 0 });
  const auto moving = test::MakeHead(pair.movingGrid, test::kFlair, truth, 0.02, 21);
  RigidRegistrationParams params;
  params.initialization = RigidInitialization::Moments;
  const auto result = RegisterRigid(pair.fixed, moving, pair.fixedMask, nullptr, params);
  // The masked-moments start takes out most of the 20 mm offset before the optimiser starts.
  const double identityError = test::MeanTargetError(RigidTransform::New(), truth, pair.fixedMask);
  EXPECT_GT(identityError, 15.0);
  EXPECT_LT(test::MeanTargetError(result.initial, truth, pair.fixedMask), 0.5 * identityError);
  EXPECT_LT(test::MeanTargetError(result.transform, truth, pair.fixedMask), 1.0);
}

TEST(RigidTransformFileTest, RoundTripsThroughPathWithSpacesAndAccents)
{
  const auto transform = test::MakeRigid({ 1.5, -2.0, 2.5 }, { 3.0, -1.0, 2.0 }, { 4, -6, 9 });
  const auto file = TempDir("roundtrip") / "rigid ü.tfm";
  WriteTransform(transform, file);
  const auto read = ReadRigidTransform(file);
  ASSERT_TRUE(read);
  const auto expected = transform->GetParameters();
  const auto got = read->GetParameters();
  ASSERT_EQ(got.size(), expected.size());
  for (unsigned i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], expected[i], 1e-12);
  EXPECT_EQ(read->GetCenter(), transform->GetCenter());
}

TEST(RigidTransformFileTest, ReadsEulerTransformAsRigid)
{
  auto euler = itk::Euler3DTransform<double>::New();
  euler->SetRotation(0.05, -0.02, 0.03);
  itk::Point<double, 3> centre;
  centre[0] = 4;
  centre[1] = -2;
  centre[2] = 7;
  euler->SetCenter(centre);
  itk::Vector<double, 3> translation;
  translation[0] = 1.5;
  translation[1] = -3;
  translation[2] = 0.5;
  euler->SetTranslation(translation);
  const auto file = TempDir("euler") / "euler.tfm";
  WriteTransform(euler, file);
  const auto read = ReadRigidTransform(file);
  itk::Point<double, 3> p;
  p[0] = 30;
  p[1] = -40;
  p[2] = 20;
  EXPECT_LT(read->TransformPoint(p).EuclideanDistanceTo(euler->TransformPoint(p)), 1e-9);
}

TEST(RigidTransformFileTest, ErrorsNameTheFile)
{
  const auto transform = test::MakeRigid({ 1.0, 0.0, 0.0 }, { 0.0, 2.0, 0.0 });
  const auto dir = TempDir("errors");
  const auto missingDir = dir / "no such dir" / "t.tfm";
  try
  {
    WriteTransform(transform, missingDir);
    FAIL() << "expected OutputError";
  }
  catch (const OutputError & e)
  {
    EXPECT_NE(std::string(e.what()).find(missingDir.string()), std::string::npos) << e.what();
  }
  EXPECT_THROW(WriteTransform(nullptr, dir / "null.tfm"), OutputError);

  EXPECT_THROW(ReadRigidTransform(dir / "missing.tfm"), InputError);
  const auto garbage = dir / "garbage.tfm";
  std::ofstream(garbage) << "this is not a transform\n";
  try
  {
    ReadRigidTransform(garbage);
    FAIL() << "expected InputError";
  }
  catch (const InputError & e)
  {
    EXPECT_NE(std::string(e.what()).find(garbage.string()), std::string::npos) << e.what();
  }
  auto affine = itk::AffineTransform<double, 3>::New();
  affine->Scale(1.2);
  const auto affineFile = dir / "affine.tfm";
  WriteTransform(affine, affineFile);
  EXPECT_THROW(ReadRigidTransform(affineFile), InputError);

  auto writer = itk::TransformFileWriterTemplate<double>::New();
  writer->AddTransform(transform);
  writer->AddTransform(transform);
  const auto twoFile = dir / "two.tfm";
  writer->SetFileName(twoFile.string());
  writer->Update();
  EXPECT_THROW(ReadRigidTransform(twoFile), InputError);
}

TEST(RigidRegistrationParamsTest, RejectsEveryBadParameter)
{
  auto expectReject = [](auto change)
  {
    RigidRegistrationParams params;
    change(params);
    EXPECT_THROW(ValidateRigidRegistrationParams(params), ConfigError);
  };
  EXPECT_NO_THROW(ValidateRigidRegistrationParams({}));
  expectReject([](auto & p) { p.workingSpacingMm = 0.4; });
  expectReject([](auto & p) { p.workingSpacingMm = 4.5; });
  expectReject([](auto & p) { p.histogramBins = 7; });
  expectReject([](auto & p) { p.histogramBins = 257; });
  expectReject([](auto & p) { p.samplingFraction = 0.0; });
  expectReject([](auto & p) { p.samplingFraction = 1.5; });
  expectReject([](auto & p) { p.randomSeed = -1; });
  expectReject(
    [](auto & p)
    {
      p.shrinkFactors = {};
      p.smoothingSigmasMm = {};
      p.iterations = {};
    });
  expectReject([](auto & p) { p.shrinkFactors = { 4, 2 }; });
  expectReject([](auto & p) { p.smoothingSigmasMm = { 1.0 }; });
  expectReject([](auto & p) { p.iterations = { 10, 10, 10, 10 }; });
  expectReject([](auto & p) { p.shrinkFactors = { 0, 2, 1 }; });
  expectReject([](auto & p) { p.shrinkFactors = { 17, 2, 1 }; });
  expectReject([](auto & p) { p.smoothingSigmasMm = { -1.0, 1.0, 0.0 }; });
  expectReject([](auto & p) { p.smoothingSigmasMm = { 11.0, 1.0, 0.0 }; });
  expectReject([](auto & p) { p.iterations = { 0, 10, 10 }; });
  expectReject([](auto & p) { p.iterations = { 10001, 10, 10 }; });
  expectReject([](auto & p) { p.maximumStepMm = 0.0; });
  expectReject([](auto & p) { p.maximumStepMm = 21.0; });
  expectReject([](auto & p) { p.relaxationFactor = 0.05; });
  expectReject([](auto & p) { p.relaxationFactor = 0.95; });
  expectReject([](auto & p) { p.minimumStepMm = 0.0; });
  expectReject([](auto & p) { p.minimumStepMm = 1.5; });
  expectReject(
    [](auto & p)
    {
      p.maximumStepMm = 0.5;
      p.minimumStepMm = 0.5;
    });
}

TEST(RigidRegistrationParamsTest, MessageNamesParameterValueAndRange)
{
  RigidRegistrationParams params;
  params.histogramBins = 4;
  try
  {
    ValidateRigidRegistrationParams(params);
    FAIL() << "expected ConfigError";
  }
  catch (const ConfigError & e)
  {
    const std::string message = e.what();
    EXPECT_NE(message.find("histogramBins"), std::string::npos) << message;
    EXPECT_NE(message.find("= 4"), std::string::npos) << message;
    EXPECT_NE(message.find("[8, 256]"), std::string::npos) << message;
  }
}

TEST(RigidRegistrationInputTest, RejectsMissingImagesAndMasksOnAnotherGrid)
{
  test::HeadGrid grid;
  grid.spacing = { 4, 4, 5 };
  grid.size = { 45, 52, 32 };
  const auto image = test::MakeHead(grid, test::kT2);
  test::HeadGrid other = grid;
  other.size = { 40, 52, 32 };
  const auto wrongMask = test::MakeIntracranialMask(other);
  EXPECT_THROW(RegisterRigid(nullptr, image, nullptr, nullptr), InputError);
  EXPECT_THROW(RegisterRigid(image, nullptr, nullptr, nullptr), InputError);
  EXPECT_THROW(RegisterRigid(image, image, wrongMask, nullptr), InputError);
  EXPECT_THROW(RegisterRigid(image, image, nullptr, wrongMask), InputError);
}

} // namespace
} // namespace icanscan::filters
