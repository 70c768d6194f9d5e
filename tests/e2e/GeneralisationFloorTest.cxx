// The floors of the generalisation issue on one study per case of another anatomy (fixture
// tests/e2e/make_generalisation_runs.sh): involvement sensitivity and specificity, lesion Dice (T2/FLAIR, DWI), TRE,
// and the oedema flag and ASTCT oedema grade right in every study. CTest label generalisation_floors: today's
// pipeline does not meet them, so scripts/test.sh leaves this label out until it does.
#include "tests/e2e/evaluation/PhantomEvaluation.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan::evaluation;

TEST(GeneralisationFloors, PooledFloorsHoldAndEveryOedemaFlagIsRight)
{
  const char * dir = std::getenv("ICANSCAN_GENERALISATION_DIR");
  if (!dir || !fs::exists(dir))
    GTEST_SKIP() << "ICANSCAN_GENERALISATION_DIR not set: run through ctest (fixture generalisation_runs)";
  if (fs::exists(fs::path(dir) / "skipped"))
    GTEST_SKIP() << "generalisation studies not made (test data absent)";
  const auto studies = EvaluateFolder(dir);
  ASSERT_EQ(studies.size(), 14u);
  const auto pooled = Pool(studies);
  const auto failures = FloorFailures(pooled, studies);
  std::string text;
  for (const auto & f : failures)
    text += "\n  " + f;
  EXPECT_TRUE(failures.empty()) << PooledTable("Generalisation", pooled) << "floors missed:" << text;
}

} // namespace
