#include "batch/BatchSummary.h"

#include "BatchTestFiles.h"
#include "core/Error.h"

#include <gtest/gtest.h>

#include <sstream>

namespace icanscan::batch
{
namespace
{
namespace fs = std::filesystem;
using test::TempFolder;
using test::WriteFile;

std::vector<std::vector<std::string>> Table(const std::string & tsv)
{
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(tsv);
  for (std::string line; std::getline(in, line);)
  {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cells.push_back(line.substr(start, tab - start));
    cells.push_back(line.substr(start));
    rows.push_back(cells);
  }
  return rows;
}

std::string Column(const std::vector<std::vector<std::string>> & table, std::size_t row, const std::string & name)
{
  const auto & header = table.front();
  const auto at = std::find(header.begin(), header.end(), name);
  if (at == header.end())
    return "<no column " + name + ">";
  return table.at(row).at(static_cast<std::size_t>(at - header.begin()));
}

class BatchSummaryTest : public ::testing::Test
{
protected:
  void Add(const std::string & id,
           StudyStatus status,
           std::optional<int> code,
           const std::string & error,
           const nlohmann::json & report = nullptr)
  {
    CompletionRecord r;
    r.id = id;
    r.status = status;
    r.exitCode = code;
    r.error = error;
    r.seconds = 30.26;
    r.peakMemoryMb = 801.4;
    r.fingerprint = "f";
    WriteRecord(tmp.Path(), r);
    if (!report.is_null())
      WriteFile(tmp.Path() / id / "report.json", report.dump());
    StudyEntry e;
    e.id = id;
    e.study = "/in/" + id;
    studies.push_back(e);
  }
  TempFolder tmp;
  std::vector<StudyEntry> studies;
};

TEST_F(BatchSummaryTest, OneRowPerStudyWithReportFieldsAndReasons)
{
  Add("p1", StudyStatus::Ok, 0, "", test::SampleReport("focal"));
  Add("p2", StudyStatus::Failed, 4, "no usable T2 or FLAIR reference");
  Add("p3", StudyStatus::Partial, 7, "FLAIR registration failed", test::SampleReport("none", {}, "failed"));
  StudyEntry never;
  never.id = "p4";
  studies.push_back(never);
  const auto rows = CollectSummary(studies, tmp.Path());
  const auto table = Table(SummaryTsv(rows));
  ASSERT_EQ(table.size(), 5u);
  for (const auto & row : table)
    EXPECT_EQ(row.size(), table.front().size());
  EXPECT_EQ(Column(table, 1, "status"), "ok");
  EXPECT_EQ(Column(table, 1, "reference"), "T2");
  EXPECT_EQ(Column(table, 1, "reference_series"), "2");
  EXPECT_EQ(Column(table, 1, "oedema_flag"), "focal");
  EXPECT_EQ(Column(table, 1, "oedema_domain_grade"), "3");
  EXPECT_EQ(Column(table, 1, "icans_grade"), "");
  EXPECT_EQ(Column(table, 1, "findings"), "1");
  EXPECT_EQ(Column(table, 1, "thalamus_left_ml"), "8.250");
  EXPECT_EQ(Column(table, 1, "thalamus_left_t2flair"), "true");
  EXPECT_EQ(Column(table, 1, "thalamus_left_restricted"), "false");
  EXPECT_EQ(Column(table, 1, "thalamus_right_restricted"), "") << "null stays empty";
  EXPECT_EQ(Column(table, 1, "hippocampus_left_ml"), "") << "absent structure";
  EXPECT_EQ(Column(table, 1, "qc_FLAIR"), "ok");
  EXPECT_EQ(Column(table, 1, "qc_ADC"), "");
  EXPECT_EQ(Column(table, 1, "rejected_series"), "1");
  EXPECT_EQ(Column(table, 1, "seconds"), "30.3");
  EXPECT_EQ(Column(table, 1, "peak_memory_mb"), "801");
  EXPECT_EQ(Column(table, 2, "status"), "failed");
  EXPECT_EQ(Column(table, 2, "exit_code"), "4");
  EXPECT_EQ(Column(table, 2, "error"), "no usable T2 or FLAIR reference");
  EXPECT_EQ(Column(table, 2, "oedema_flag"), "");
  EXPECT_EQ(Column(table, 3, "qc_registration"), "failed");
  EXPECT_EQ(Column(table, 4, "status"), "skipped");
  EXPECT_EQ(Column(table, 4, "error"), "not run");
  EXPECT_EQ(Column(table, 4, "seconds"), "");
  EXPECT_EQ(SummaryExitCode(rows), 7);
  const std::string text = SummaryText(tmp.Path(), rows);
  EXPECT_NE(text.find("4 studies: 1 ok, 0 warning, 1 partial, 1 failed, 1 skipped"), std::string::npos) << text;
  EXPECT_NE(text.find("p2 failed (exit 4): no usable T2 or FLAIR reference"), std::string::npos) << text;
}

TEST_F(BatchSummaryTest, StructureColumnsFollowLabelOrderThenUnknownKeys)
{
  auto report = test::SampleReport();
  report["structures"]["brainstem"] = { { "volume_ml", 20.0 } };
  Add("p1", StudyStatus::Ok, 0, "", report);
  const auto columns = StructureColumns(CollectSummary(studies, tmp.Path()));
  ASSERT_EQ(columns.size(), 15u);
  EXPECT_EQ(columns.front(), "thalamus_left");
  EXPECT_EQ(columns[13], "lateral_ventricles");
  EXPECT_EQ(columns.back(), "brainstem") << "a structure of a newer schema is kept, after the known ones";
}

TEST_F(BatchSummaryTest, ExitCodeZeroWhenEveryStudyIsOkOrWarning)
{
  Add("p1", StudyStatus::Ok, 0, "", test::SampleReport());
  Add("p2", StudyStatus::Warning, 0, "x", test::SampleReport());
  EXPECT_EQ(SummaryExitCode(CollectSummary(studies, tmp.Path())), 0);
}

TEST_F(BatchSummaryTest, SummariseOnlyFindsTheStudies)
{
  Add("b", StudyStatus::Ok, 0, "", test::SampleReport());
  Add("a", StudyStatus::Failed, 5, "truncated");
  auto found = StudiesInOutRoot(tmp.Path());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, "a") << "records sorted by id without a study list";
  WriteFile(StudyListPath(tmp.Path()),
            StudyListToJson({ studies[0], studies[1], StudyEntry{ "c", "/in/c", {}, {}, {}, {} } }).dump());
  found = StudiesInOutRoot(tmp.Path());
  ASSERT_EQ(found.size(), 3u) << "the saved study list wins: studies never run are listed too";
  EXPECT_EQ(found[2].id, "c");
  TempFolder empty;
  EXPECT_THROW(StudiesInOutRoot(empty.Path()), UsageError);
}

TEST_F(BatchSummaryTest, WritesBothFiles)
{
  Add("p1", StudyStatus::Ok, 0, "", test::SampleReport());
  WriteSummary(tmp.Path(), CollectSummary(studies, tmp.Path()), "9.9");
  EXPECT_EQ(test::ReadFile(tmp.Path() / "batch_summary.tsv").rfind("id\tstatus\texit_code\terror\t", 0), 0u);
  EXPECT_NE(test::ReadFile(tmp.Path() / "batch_report.html").find("icanscan 9.9"), std::string::npos);
}

} // namespace
} // namespace icanscan::batch
