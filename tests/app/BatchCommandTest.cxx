#include "CliRunner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using icanscan::test::RunIcanscan;

class BatchCommandTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    m_Root = fs::temp_directory_path() / ("icanscan batch cli " + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_Root);
    fs::create_directories(m_Root);
  }
  void TearDown() override { fs::remove_all(m_Root); }
  void Write(const fs::path & file, const std::string & text)
  {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
  }
  static std::string Read(const fs::path & file)
  {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  /** The real executable with a shell command line; returns its exit code. */
  static int Shell(const std::string & args, const fs::path & output)
  {
    const std::string command =
      std::string("'") + ICANSCAN_EXECUTABLE + "' " + args + " >'" + output.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  fs::path m_Root;
};

TEST_F(BatchCommandTest, RejectedCommandLinesExitTwo)
{
  Write(m_Root / "in" / "a" / "x.dcm", "");
  const std::string in = (m_Root / "in").string(), out = (m_Root / "out").string();
  EXPECT_EQ(RunIcanscan({ "batch", "-o", out }).code, 2) << "no INPUT";
  EXPECT_EQ(RunIcanscan({ "batch", in }).code, 2) << "no -o";
  EXPECT_EQ(RunIcanscan({ "batch", in, "-o", out, "--jobs", "0" }).code, 2);
  EXPECT_EQ(RunIcanscan({ "batch", in, "-o", out, "--timeout", "-1" }).code, 2);
  EXPECT_EQ(RunIcanscan({ "batch", (m_Root / "missing.csv").string(), "-o", out }).code, 2);
  const auto unknown = RunIcanscan({ "batch", in, "-o", out, "--only", "zz" });
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("--only zz"), std::string::npos) << unknown.err;
  EXPECT_EQ(RunIcanscan({ "batch", "--summarise-only", out, "--resume" }).code, 2);
  EXPECT_EQ(RunIcanscan({ "batch", "--summarise-only", (m_Root / "empty").string() }).code, 2) << "no records";
  Write(m_Root / "bad.csv", "id,study,colour\na,x,red\n");
  const auto bad = RunIcanscan({ "batch", (m_Root / "bad.csv").string(), "-o", out });
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("bad.csv: line 1: unknown column 'colour'"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(m_Root / "out")) << "nothing written before the input is checked";
}

TEST_F(BatchCommandTest, BadConfigExitsThreeBeforeAnyRun)
{
  Write(m_Root / "in" / "a" / "x.dcm", "");
  Write(m_Root / "bad.toml", "[oedema]\nswelling = 3\n");
  const auto r = RunIcanscan(
    { "batch", (m_Root / "in").string(), "-o", (m_Root / "out").string(), "--config", (m_Root / "bad.toml").string() });
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_FALSE(fs::exists(m_Root / "out"));
}

TEST_F(BatchCommandTest, ListPrintsTheStudiesAsJson)
{
  Write(m_Root / "cohort.tsv", "id\tstudy\tbaseline\nb\tpost\ta\na\tpre\t\n");
  const auto r = RunIcanscan({ "batch", (m_Root / "cohort.tsv").string(), "--list" });
  ASSERT_EQ(r.code, 0) << r.err;
  const auto list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], "b");
  EXPECT_EQ(list[0]["baseline_id"], "a");
  EXPECT_EQ(list[0]["study"], (m_Root / "post").string()) << "absolute paths";
}

TEST_F(BatchCommandTest, ExecutableRunsEachStudyAndSummarisesFailures)
{
  // Two "studies" without images: each `icanscan run` fails at ingest (exit 4) in its own process.
  Write(m_Root / "in" / "empty one" / "notes.txt", "no images here");
  Write(m_Root / "in" / "empty two" / "notes.txt", "none here either");
  const fs::path out = m_Root / "out";
  const int code = Shell("batch '" + (m_Root / "in").string() + "' -o '" + out.string() + "' --jobs 2", m_Root / "log");
  EXPECT_EQ(code, 7) << Read(m_Root / "log");
  const std::string summary = Read(out / "batch_summary.tsv");
  EXPECT_NE(summary.find("\nempty one\tfailed\t4\t"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\nempty two\tfailed\t4\t"), std::string::npos) << summary;
  EXPECT_NE(summary.find("no DICOM images found"), std::string::npos) << summary;
  EXPECT_TRUE(fs::exists(out / "batch_report.html"));
  EXPECT_TRUE(fs::exists(out / "batch_logs" / "empty one.log"));
  EXPECT_NE(Read(m_Root / "log").find("2 failed, 0 skipped"), std::string::npos) << Read(m_Root / "log");

  // --fail-fast: the second is not started; --summarise-only rewrites the same summary from the records.
  const int failFast =
    Shell("batch '" + (m_Root / "in").string() + "' -o '" + (m_Root / "ff").string() + "' --jobs 1 --fail-fast",
          m_Root / "ff.log");
  EXPECT_EQ(failFast, 7);
  EXPECT_NE(Read(m_Root / "ff" / "batch_summary.tsv").find("\nempty two\tskipped\t\tnot run: --fail-fast"),
            std::string::npos)
    << Read(m_Root / "ff" / "batch_summary.tsv");
  fs::remove(out / "batch_summary.tsv");
  const auto again = RunIcanscan({ "batch", "--summarise-only", out.string() });
  EXPECT_EQ(again.code, 7);
  EXPECT_EQ(Read(out / "batch_summary.tsv"), summary);
}

TEST_F(BatchCommandTest, BidsRejectsWhatIsNotABidsApp)
{
  Write(m_Root / "bids" / "sub-01" / "anat" / "sub-01_T2w.nii.gz", "");
  const std::string bids = (m_Root / "bids").string(), out = (m_Root / "deriv").string();
  EXPECT_EQ(RunIcanscan({ "bids", bids, out }).code, 2) << "no analysis level";
  EXPECT_EQ(RunIcanscan({ "bids", bids, out, "session" }).code, 2);
  EXPECT_EQ(RunIcanscan({ "bids", bids, bids, "participant" }).code, 2) << "OUT = BIDS_DIR";
  EXPECT_EQ(RunIcanscan({ "bids", (m_Root / "nothing").string(), out, "participant" }).code, 2);
  const auto label = RunIcanscan({ "bids", bids, out, "participant", "--participant-label", "07" });
  EXPECT_EQ(label.code, 2);
  EXPECT_NE(label.err.find("sub-07"), std::string::npos) << label.err;
}

} // namespace
