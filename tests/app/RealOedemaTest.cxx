// `icanscan run` on real MS scans (../shared/testdata/real/ms_ljubljana: native clinical FLAIR + T2 of one patient's
// two visits, and a second patient's FLAIR + T2 in MNI space). MS is not oedema: whatever the white-matter lesions,
// the flag must be `none`, every diffuse combination must be measurable (the basal cisterns are in the field of
// view), and no mass-effect or diffuse sign may count. T2-only studies: there is no DWI, so CSF comes from the T2.
#include "CliRunner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using icanscan::test::RunIcanscan;

fs::path RealData()
{
  const char * env = std::getenv("ICANSCAN_TESTDATA");
  return fs::path(env ? env : "") / "real" / "ms_ljubljana";
}

struct RealStudy
{
  const char * name;
  fs::path t2, flair;
};

class RealOedema : public ::testing::TestWithParam<int>
{
protected:
  static std::vector<RealStudy> Studies()
  {
    const auto r = RealData();
    const auto p01 = r / "longitudinal" / "raw" / "patient01";
    const auto p19 = r / "cross_sectional" / "MNI" / "patient19";
    return { { "patient01_visit1", p01 / "study1_T2W.nii.gz", p01 / "study1_FLAIR.nii.gz" },
             { "patient19_mni", p19 / "T2_N4_noneck_reduced_winsor_regtoFLAIR_brain_N4_regtoMNI.nii.gz",
               p19 / "FLAIR_N4_noneck_reduced_winsor_regtoFLAIR_brain_N4_regtoMNI.nii.gz" } };
  }
};

TEST_P(RealOedema, MultipleSclerosisIsNotOedema)
{
  const auto study = Studies().at(static_cast<std::size_t>(GetParam()));
  if (!fs::exists(study.t2) || !fs::exists(study.flair))
    GTEST_SKIP() << "real test data absent (ICANSCAN_TESTDATA): skipped";
  const fs::path root =
    fs::temp_directory_path() / ("icanscan_real_oedema_" + std::to_string(getpid()) + "_" + study.name);
  fs::remove_all(root);
  fs::create_directories(root / "study");
  // The file names say the contrast (no sidecars in this data set).
  fs::create_symlink(study.t2, root / "study" / "visit_T2w.nii.gz");
  fs::create_symlink(study.flair, root / "study" / "visit_FLAIR.nii.gz");
  const auto result = RunIcanscan({ "run", (root / "study").string(), "-o", (root / "out").string() });
  ASSERT_EQ(result.code, 0) << result.err;
  nlohmann::json report;
  std::ifstream(root / "out" / "report.json") >> report;
  const auto & oedema = report.at("oedema");
  EXPECT_EQ(oedema.at("flag"), "none") << oedema.dump(1);
  bool cisternsMeasured = false;
  for (const auto & e : oedema.at("evidence"))
  {
    if (e.at("rule") == "diffuse.cisterns_effaced")
      cisternsMeasured = e.at("measured").get<bool>();
    if (e.at("sign") != "volume_loss")
    {
      EXPECT_FALSE(e.at("fired").get<bool>() && e.at("counted").get<bool>()) << e.dump();
    }
  }
  EXPECT_TRUE(cisternsMeasured) << oedema.dump(1);
  fs::remove_all(root);
}

INSTANTIATE_TEST_SUITE_P(Studies, RealOedema, ::testing::Values(0, 1));

} // namespace
