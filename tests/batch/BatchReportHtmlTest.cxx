#include "batch/BatchReportHtml.h"

#include "BatchTestFiles.h"

#include <gtest/gtest.h>

namespace icanscan::batch
{
namespace
{
SummaryRow Row(const std::string & id, StudyStatus status, const nlohmann::json & report, const std::string & error)
{
  SummaryRow row;
  row.record.id = id;
  row.record.status = status;
  row.record.error = error;
  row.record.exitCode = status == StudyStatus::Failed ? 4 : 0;
  if (!report.is_null())
    row.report = DigestReport(report);
  return row;
}

TEST(BatchReportHtmlTest, HighlightsFlagsQcAndFailuresAndLinksReports)
{
  const std::vector<SummaryRow> rows{
    Row("p<1>", StudyStatus::Ok, test::SampleReport("diffuse"), ""),
    Row("p2", StudyStatus::Warning, test::SampleReport("none", { "FLAIR suspect" }, "suspect"), "FLAIR suspect"),
    Row("p3", StudyStatus::Failed, nullptr, "no usable T2 & FLAIR"),
  };
  const std::string html = BatchReportHtml(rows, "0.1.0");
  EXPECT_NE(html.find("<a href=\"p&lt;1&gt;/report.html\">p&lt;1&gt;</a>"), std::string::npos) << "escaped link";
  EXPECT_EQ(html.find("p3/report.html"), std::string::npos) << "no link without a report";
  EXPECT_NE(html.find("class=\"flag-diffuse\">diffuse"), std::string::npos);
  EXPECT_NE(html.find("class=\"qc-suspect\""), std::string::npos);
  EXPECT_NE(html.find("FLAIR: suspect"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"failed\">"), std::string::npos);
  EXPECT_NE(html.find("no usable T2 &amp; FLAIR"), std::string::npos);
  EXPECT_NE(html.find("thalamus_left (T2/FLAIR)"), std::string::npos);
  EXPECT_NE(html.find("failed: <strong>1</strong>"), std::string::npos);
  EXPECT_NE(html.find("oedema flagged: <strong>1</strong>"), std::string::npos);
  EXPECT_NE(html.find("addEventListener('click'"), std::string::npos) << "sortable";
  EXPECT_EQ(html.find("http"), std::string::npos) << "self-contained";
}

} // namespace
} // namespace icanscan::batch
