// Generalisation on another anatomy than the program's atlas: the fixture tests/e2e/make_generalisation_runs.sh made
// one MNI152NLin6 study per case and ran it; these tests score every run and print the numbers (the floors are in
// GeneralisationFloorTest.cxx, label floors).
#include "tests/e2e/evaluation/PhantomEvaluation.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan::evaluation;

fs::path Dir()
{
  const char * dir = std::getenv("ICANSCAN_GENERALISATION_DIR");
  return dir ? fs::path(dir) : fs::path();
}

class GeneralisationRuns : public ::testing::Test
{
protected:
  void SetUp() override
  {
    if (Dir().empty() || !fs::exists(Dir()))
      GTEST_SKIP() << "ICANSCAN_GENERALISATION_DIR not set: run through ctest (fixture generalisation_runs)";
    if (fs::exists(Dir() / "skipped"))
    {
      std::ifstream in(Dir() / "skipped");
      std::string why;
      std::getline(in, why);
      GTEST_SKIP() << "generalisation studies not made: " << why;
    }
    if (studies_.empty())
      studies_ = EvaluateFolder(Dir()); // once per process: scoring the 14 studies takes ~18 s
  }
  static inline std::vector<StudyEvaluation> studies_;
};

TEST_F(GeneralisationRuns, EveryCaseWasMadeAndRun)
{
  const auto & studies = studies_;
  EXPECT_EQ(studies.size(), 14u) << "one study per case";
  for (const auto & s : studies)
  {
    EXPECT_TRUE(s.exitCode == 0 || s.exitCode == 7) << s.name << ": icanscan run exit code " << s.exitCode;
    EXPECT_TRUE(s.reportPresent) << s.name;
    EXPECT_TRUE(s.problems.empty()) << s.name << ": " << (s.problems.empty() ? "" : s.problems.front());
    EXPECT_EQ(s.calls.size(), 26u) << s.name << ": 13 structures x 2 fields";
    EXPECT_EQ(s.tre.size(), 3u) << s.name;
  }
}

TEST_F(GeneralisationRuns, ScoresArePrinted)
{
  const auto & studies = studies_;
  ASSERT_FALSE(studies.empty());
  const auto pooled = Pool(studies);
  std::cout << StudyTable(studies) << "\n" << PooledTable("Generalisation (one seed per case)", pooled);
  for (const auto & s : studies)
    std::cout << MarkerTable(s);
  const auto failures = FloorFailures(pooled, studies);
  std::cout << "floors of the generalisation issue: " << (failures.empty() ? "all met" : "not met") << "\n";
  for (const auto & f : failures)
    std::cout << "  - " << f << "\n";
  RecordProperty("involvement_sensitivity", std::to_string(pooled.independent.Sensitivity()));
  RecordProperty("involvement_specificity", std::to_string(pooled.independent.Specificity()));
  RecordProperty("oedema_right", std::to_string(pooled.oedemaRight) + "/" + std::to_string(pooled.studies));
  RecordProperty("t2flair_dice", std::to_string(pooled.t2flairDice));
  RecordProperty("dwi_dice", std::to_string(pooled.dwiDice));
  RecordProperty("tre_max_mm", std::to_string(pooled.treMax.value_or(-1.0)));
  // The scores are numbers in their ranges (the evaluator read every study).
  EXPECT_GE(pooled.independent.tp + pooled.independent.tn + pooled.independent.fp + pooled.independent.fn, 9 * 14);
  EXPECT_GT(pooled.t2flairScored, 5);
  EXPECT_GE(pooled.dwiScored, 2);
  EXPECT_TRUE(pooled.treMax.has_value());
}

/** With a baseline, the swollen structures' change is measured in one space, both ways, on lesions filled with their
 * normal level (pipeline/baseline). Bound: 8 points, above the largest error seen (5.4 points, 18 thalami of seeds
 * 1-9; docs/oedema.md); one-way it was 13.2, and without the filling the fixture's thalami read 17 points low. */
TEST_F(GeneralisationRuns, BaselineChangeOfTheSwollenThalamiIsNearTheTruth)
{
  int compared = 0;
  for (const auto & s : studies_)
    for (const auto & m : s.markers)
      if (m.marker.rfind("baseline_change_pct.thalamus", 0) == 0 && m.run && m.truth)
      {
        ++compared;
        std::cout << s.name << " " << m.marker << ": " << *m.run << " % (truth " << *m.truth << " %)\n";
        EXPECT_NEAR(*m.run, *m.truth, 8.0) << s.name << " " << m.marker;
      }
  EXPECT_EQ(compared, 2) << "both thalami of the baseline_followup study";
}

} // namespace
