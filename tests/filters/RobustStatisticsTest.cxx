#include "filters/RobustStatistics.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace
{
using icanscan::ConfigError;
using icanscan::filters::ComputeRobustStatistics;
using icanscan::filters::NormalAppearingParams;
using icanscan::filters::NormalAppearingStatistics;
using icanscan::filters::ValidateNormalAppearingParams;

constexpr double kMadToSigma = 1.4826;

TEST(RobustStatistics, OddSampleGivesTheMiddleValueAndScaledMad)
{
  // Sorted 1 2 3 4 100: median 3; deviations 2 1 0 1 97 -> sorted 0 1 1 2 97, median 1.
  std::vector<float> values{ 4, 100, 1, 3, 2 };
  const auto stats = ComputeRobustStatistics(values);
  EXPECT_EQ(stats.count, 5u);
  EXPECT_DOUBLE_EQ(stats.median, 3.0);
  EXPECT_DOUBLE_EQ(stats.sigma, kMadToSigma * 1.0);
}

TEST(RobustStatistics, EvenSampleAveragesTheTwoMiddleValues)
{
  // Sorted 1 2 3 4 6 10: median 3.5; deviations 2.5 1.5 0.5 0.5 2.5 6.5 -> sorted .5 .5 1.5 2.5 2.5 6.5, median 2.
  std::vector<float> values{ 10, 3, 6, 1, 4, 2 };
  const auto stats = ComputeRobustStatistics(values);
  EXPECT_EQ(stats.count, 6u);
  EXPECT_DOUBLE_EQ(stats.median, 3.5);
  EXPECT_DOUBLE_EQ(stats.sigma, kMadToSigma * 2.0);
}

TEST(RobustStatistics, TwoValuesGiveTheirMeanAndHalfTheirDistance)
{
  std::vector<float> values{ 7, 3 };
  const auto stats = ComputeRobustStatistics(values);
  EXPECT_DOUBLE_EQ(stats.median, 5.0);
  EXPECT_DOUBLE_EQ(stats.sigma, kMadToSigma * 2.0);
}

TEST(RobustStatistics, SingleValueHasNoSpread)
{
  std::vector<float> values{ -7.5f };
  const auto stats = ComputeRobustStatistics(values);
  EXPECT_EQ(stats.count, 1u);
  EXPECT_DOUBLE_EQ(stats.median, -7.5);
  EXPECT_DOUBLE_EQ(stats.sigma, 0.0);
}

TEST(RobustStatistics, EmptySampleGivesZeros)
{
  std::vector<float> values;
  const auto stats = ComputeRobustStatistics(values);
  EXPECT_EQ(stats.count, 0u);
  EXPECT_DOUBLE_EQ(stats.median, 0.0);
  EXPECT_DOUBLE_EQ(stats.sigma, 0.0);
}

TEST(RobustStatistics, MadSigmaMatchesTheStandardDeviationOfNormalData)
{
  std::mt19937 random(7);
  std::normal_distribution<float> normal(50.0f, 5.0f);
  std::vector<float> values(20000);
  for (auto & v : values)
    v = normal(random);
  const auto stats = ComputeRobustStatistics(values);
  EXPECT_NEAR(stats.median, 50.0, 0.15);
  EXPECT_NEAR(stats.sigma, 5.0, 0.15);
}

TEST(NormalAppearingStatistics, TrimsAnOutlierAndStopsWhenNothingMoreIsDropped)
{
  // 1..9 and 1000: median 5.5, MAD 2.5 -> sigma 3.7065; 3 sigma keeps [-5.6, 16.6], dropping 1000.
  // Then 1..9: median 5, MAD 2 -> sigma 2.9652, and 5 +/- 8.9 drops nothing more.
  std::vector<float> values{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 1000 };
  const auto stats = NormalAppearingStatistics(values);
  EXPECT_EQ(stats.count, 9u);
  EXPECT_DOUBLE_EQ(stats.median, 5.0);
  EXPECT_DOUBLE_EQ(stats.sigma, kMadToSigma * 2.0);
}

TEST(NormalAppearingStatistics, ZeroRoundsIsThePlainRobustStatistics)
{
  std::vector<float> values{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 1000 };
  NormalAppearingParams params;
  params.rounds = 0;
  const auto stats = NormalAppearingStatistics(values, params);
  EXPECT_EQ(stats.count, 10u);
  EXPECT_DOUBLE_EQ(stats.median, 5.5);
  EXPECT_DOUBLE_EQ(stats.sigma, kMadToSigma * 2.5);
}

TEST(NormalAppearingStatistics, ThirtyPercentOutliersFarAboveLeaveTheNormalMedian)
{
  std::mt19937 random(12345);
  std::normal_distribution<float> normal(100.0f, 10.0f);
  std::uniform_real_distribution<float> lesion(300.0f, 500.0f);
  std::vector<float> values;
  for (int i = 0; i < 7000; ++i)
    values.push_back(normal(random));
  for (int i = 0; i < 3000; ++i)
    values.push_back(lesion(random));

  // The plain median sits at the 71st percentile of the normal part (100 + 0.57 sigma): biased.
  std::vector<float> copy = values;
  const auto plain = ComputeRobustStatistics(copy);
  EXPECT_GT(plain.median, 104.0);
  EXPECT_GT(plain.sigma, 14.0);

  const auto stats = NormalAppearingStatistics(values);
  EXPECT_NEAR(stats.median, 100.0, 0.6);
  EXPECT_NEAR(stats.sigma, 10.0, 0.8);
  // Every outlier is gone; at most the normal tails beyond 3 sigma (about 0.3 %) went with them.
  EXPECT_LE(stats.count, 7000u);
  EXPECT_GE(stats.count, 6900u);
}

TEST(NormalAppearingStatistics, SigmaFloorAppliesToFlatData)
{
  const std::vector<float> flat(100, 200.0f);
  const auto floored = NormalAppearingStatistics(flat);
  EXPECT_DOUBLE_EQ(floored.median, 200.0);
  EXPECT_DOUBLE_EQ(floored.sigma, 2.0); // 0.01 x 200
  EXPECT_EQ(floored.count, 100u);

  NormalAppearingParams noFloor;
  noFloor.minSigmaRelative = 0.0;
  EXPECT_DOUBLE_EQ(NormalAppearingStatistics(flat, noFloor).sigma, 0.0);

  NormalAppearingParams negative;
  const std::vector<float> below(50, -40.0f);
  EXPECT_DOUBLE_EQ(NormalAppearingStatistics(below, negative).sigma, 0.4); // |median| is used
}

TEST(NormalAppearingStatistics, EmptySampleStaysEmpty)
{
  const auto stats = NormalAppearingStatistics({});
  EXPECT_EQ(stats.count, 0u);
  EXPECT_DOUBLE_EQ(stats.median, 0.0);
  EXPECT_DOUBLE_EQ(stats.sigma, 0.0);
}

TEST(NormalAppearingStatistics, AcceptsTheEdgesOfEveryRange)
{
  for (const auto & set :
       std::vector<std::function<void(NormalAppearingParams &)>>{
         [](NormalAppearingParams & p) { p.trimZ = 10.0; }, [](NormalAppearingParams & p) { p.trimZ = 1.0001; },
         [](NormalAppearingParams & p) { p.rounds = 0; }, [](NormalAppearingParams & p) { p.rounds = 20; },
         [](NormalAppearingParams & p) { p.minSigmaRelative = 0.0; },
         [](NormalAppearingParams & p) { p.minSigmaRelative = 1.0; } })
  {
    NormalAppearingParams params;
    set(params);
    EXPECT_NO_THROW(ValidateNormalAppearingParams(params));
  }
}

TEST(NormalAppearingStatistics, RejectsEveryOutOfRangeParameterNamingIt)
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case
  {
    std::string name;
    std::function<void(NormalAppearingParams &)> set;
  };
  const std::vector<Case> cases{
    { "trimZ", [](NormalAppearingParams & p) { p.trimZ = 1.0; } },
    { "trimZ", [](NormalAppearingParams & p) { p.trimZ = 10.01; } },
    { "trimZ", [](NormalAppearingParams & p) { p.trimZ = -3; } },
    { "trimZ", [nan](NormalAppearingParams & p) { p.trimZ = nan; } },
    { "rounds", [](NormalAppearingParams & p) { p.rounds = 21; } },
    { "minSigmaRelative", [](NormalAppearingParams & p) { p.minSigmaRelative = -0.01; } },
    { "minSigmaRelative", [](NormalAppearingParams & p) { p.minSigmaRelative = 1.01; } },
    { "minSigmaRelative", [nan](NormalAppearingParams & p) { p.minSigmaRelative = nan; } },
  };
  for (const auto & c : cases)
  {
    NormalAppearingParams params;
    c.set(params);
    EXPECT_THROW(ValidateNormalAppearingParams(params), ConfigError) << c.name;
    EXPECT_THROW(NormalAppearingStatistics({ 1, 2, 3 }, params), ConfigError) << c.name;
    try
    {
      ValidateNormalAppearingParams(params);
    }
    catch (const ConfigError & e)
    {
      EXPECT_NE(std::string(e.what()).find(c.name), std::string::npos) << e.what();
    }
  }
}

} // namespace
