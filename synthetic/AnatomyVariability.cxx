#include "synthetic/AnatomyVariability.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

namespace icanscan::synthetic
{
namespace
{

std::string GroupOf(double age)
{
  return age < 40.0 ? "young" : (age < 60.0 ? "middle" : "old");
}

} // namespace

DrawnAnatomy DrawAnatomy(unsigned seed, bool vary, const PhantomPopulation & population)
{
  std::seed_seq streamSeed{ seed, 3u };
  std::mt19937 rng(streamSeed);
  auto uniform = [&rng](double low, double high) { return std::uniform_real_distribution<double>(low, high)(rng); };
  // Always draw the same numbers in the same order, so one seed gives one subject whatever the case asks.
  const unsigned group = (seed + 2u) % 3u; // seed 1 young, 2 middle, 3 old
  const std::pair<double, double> groupAges[3] = { { 20.0, 40.0 }, { 40.0, 60.0 }, { 60.0, 85.0 } };
  const double u0 = uniform(0.0, 1.0), u1 = uniform(0.0, 1.0), u2 = uniform(0.0, 1.0);
  const double n0 = std::normal_distribution<double>(0.0, 1.0)(rng);
  const double n1 = std::normal_distribution<double>(0.0, 1.0)(rng);
  const double thalami = uniform(0.9, 1.1), left = uniform(-0.02, 0.02), right = uniform(-0.02, 0.02);
  const double intracranial = uniform(1100.0, 1700.0);

  DrawnAnatomy drawn;
  drawn.varied = vary;
  auto within = [](const std::pair<double, double> & range, double u)
  { return range.first + u * (range.second - range.first); };
  if (vary || population.ageYears)
  {
    const auto ages = population.ageYears.value_or(groupAges[group]);
    drawn.ageYears = std::floor(within(ages, u0));
    const double a = std::clamp((drawn.ageYears - 20.0) / 65.0, 0.0, 1.0);
    drawn.ventricleFactor = std::clamp(0.55 + 1.25 * a * a + 0.08 * n0, 0.5, 2.0);
    drawn.sulcalFactor = std::clamp(0.75 + 0.65 * std::pow(a, 1.5) + 0.05 * n1, 0.7, 1.5);
  }
  if (!vary)
  {
    drawn.ventricleFactor = 1.0;
    drawn.sulcalFactor = 1.0;
  }
  if (population.ventricleFactor)
    drawn.ventricleFactor = within(*population.ventricleFactor, u1);
  if (population.sulcalFactor)
    drawn.sulcalFactor = within(*population.sulcalFactor, u2);
  if (vary)
  {
    drawn.thalamusFactorLeft = std::clamp(thalami + left, 0.9, 1.1);
    drawn.thalamusFactorRight = std::clamp(thalami + right, 0.9, 1.1);
    drawn.intracranialMl = intracranial;
  }
  drawn.ageGroup = GroupOf(drawn.ageYears);
  return drawn;
}

std::string DicomAge(double ageYears)
{
  char text[8];
  std::snprintf(text, sizeof(text), "%03dY", static_cast<int>(std::clamp(ageYears, 0.0, 999.0)));
  return text;
}

} // namespace icanscan::synthetic
