#include "batch/ReportDigest.h"

#include "BatchTestFiles.h"
#include "core/Error.h"

#include <gtest/gtest.h>

namespace icanscan::batch
{
namespace
{
TEST(ReportDigestTest, ReadsTheSummaryFields)
{
  const auto d = DigestReport(test::SampleReport("focal", { "FLAIR registration suspect" }, "suspect"));
  EXPECT_EQ(d.schemaVersion, 2);
  EXPECT_EQ(d.referenceRole, "T2");
  EXPECT_EQ(d.referenceSeriesId, "2");
  EXPECT_EQ(d.oedemaFlag, "focal");
  EXPECT_EQ(d.oedemaDomainGrade, 3);
  EXPECT_FALSE(d.icansGrade) << "null without clinical input";
  EXPECT_EQ(d.findings, 1u);
  ASSERT_EQ(d.structures.size(), 3u);
  const auto & left =
    *std::find_if(d.structures.begin(), d.structures.end(), [](const auto & s) { return s.key == "thalamus_left"; });
  EXPECT_DOUBLE_EQ(*left.volumeMl, 8.25);
  EXPECT_EQ(left.t2flairInvolved, true);
  EXPECT_EQ(left.diffusionRestricted, false);
  EXPECT_EQ(d.RegistrationStatus("FLAIR"), "suspect");
  EXPECT_EQ(d.RegistrationStatus("ADC"), "");
  EXPECT_EQ(d.WorstRegistration(), "suspect");
  EXPECT_EQ(d.rejectedSeries, 1u);
  EXPECT_EQ(d.warnings, std::vector<std::string>{ "FLAIR registration suspect" });
  EXPECT_TRUE(d.problems.empty()) << d.problems.front();
}

TEST(ReportDigestTest, NullsAreNotProblemsAndBaselineQcCounts)
{
  auto report = test::SampleReport("not_assessable");
  report["icans"]["oedema_domain_grade"] = nullptr;
  report["baseline"] = { { "registration", { { "status", "failed" } } } };
  const auto d = DigestReport(report);
  EXPECT_FALSE(d.oedemaDomainGrade);
  EXPECT_EQ(d.RegistrationStatus("baseline"), "failed");
  EXPECT_EQ(d.WorstRegistration(), "failed");
  EXPECT_TRUE(d.problems.empty());
}

TEST(ReportDigestTest, AnotherSchemaGivesWhatItHasAndNamesTheRest)
{
  nlohmann::json report = { { "schema_version", 99 },
                            { "oedema", { { "flag", "diffuse" }, { "evidence", { { "x", 1 } } } } },
                            { "findings", "three" },
                            { "structures", { { "thalamus_left", { { "volume_ml", "big" } } } } } };
  const auto d = DigestReport(report);
  EXPECT_EQ(d.schemaVersion, 99);
  EXPECT_EQ(d.oedemaFlag, "diffuse");
  EXPECT_FALSE(d.findings);
  ASSERT_EQ(d.structures.size(), 1u);
  EXPECT_FALSE(d.structures[0].volumeMl);
  auto mentions = [&](const std::string & text)
  {
    return std::any_of(d.problems.begin(), d.problems.end(),
                       [&](const std::string & p) { return p.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(mentions("findings: expected an array, found string"));
  EXPECT_TRUE(mentions("volume_ml: expected a number"));
  EXPECT_TRUE(mentions("reference/role: missing"));
  EXPECT_FALSE(DigestReport(nlohmann::json::array()).problems.empty());
}

TEST(ReportDigestTest, UnreadableFilesThrow)
{
  test::TempFolder tmp;
  EXPECT_THROW(ReadReportDigest(tmp.Path() / "missing.json"), InputError);
  test::WriteFile(tmp.Path() / "bad.json", "{ \"schema_version\": ");
  EXPECT_THROW(ReadReportDigest(tmp.Path() / "bad.json"), InputError);
}

} // namespace
} // namespace icanscan::batch
