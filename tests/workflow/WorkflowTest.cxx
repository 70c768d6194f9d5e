// workflow/Snakefile run by run_workflows.sh on 3 studies, locally and through a one-node Slurm cluster.
#include "batch/CompletionRecord.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

namespace icanscan::batch
{
namespace
{
namespace fs = std::filesystem;

fs::path Work()
{
  const char * dir = std::getenv("ICANSCAN_WORKFLOW_DIR");
  return dir ? fs::path(dir) : fs::path();
}

std::string Read(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool UnderCi()
{
  const char * ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

/** report.json without what differs from run to run (wall times). */
nlohmann::json WithoutTimings(nlohmann::json j)
{
  if (j.is_object())
  {
    j.erase("timings");
    j.erase("seconds");
    for (auto & [key, value] : j.items())
      value = WithoutTimings(value);
  }
  else if (j.is_array())
    for (auto & value : j)
      value = WithoutTimings(value);
  return j;
}

/** The summary without its seconds and peak_memory_mb columns (the last two). */
std::string SummaryWithoutTimings(const fs::path & file)
{
  std::istringstream in(Read(file));
  std::string out;
  for (std::string line; std::getline(in, line);)
  {
    for (int k = 0; k < 2; ++k)
      line = line.substr(0, line.rfind('\t'));
    out += line + "\n";
  }
  return out;
}

class WorkflowTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    if (Work().empty() || !fs::exists(Work() / "cohort.tsv"))
      GTEST_SKIP() << "the workflow fixture did not run (ICANSCAN_WORKFLOW_DIR unset)";
    if (fs::exists(Work() / "snakemake_missing"))
    {
      if (UnderCi())
        FAIL() << "under CI a skip is a failure: snakemake is not installed";
      GTEST_SKIP() << "snakemake is not installed (Debian package snakemake)";
    }
  }
  void RequireSlurm()
  {
    if (!fs::exists(Work() / "slurm_skip"))
      return;
    const std::string why = "Slurm could not start on this machine: " + Read(Work() / "slurm_skip");
    if (UnderCi())
      FAIL() << "under CI a skip is a failure. " << why;
    GTEST_SKIP() << why;
  }
};

void ExpectOneStudyAnalysedTwoFailed(const fs::path & out, const std::string & log)
{
  EXPECT_TRUE(fs::is_regular_file(out / "analysed" / "report.json")) << log;
  EXPECT_TRUE(fs::is_regular_file(out / "analysed" / "volumes" / "labels.nii.gz"));
  const auto analysed = ReadRecord(out, "analysed");
  ASSERT_TRUE(analysed) << log;
  EXPECT_TRUE(analysed->status == StudyStatus::Ok || analysed->status == StudyStatus::Warning);
  for (const char * id : { "no_reference", "truncated" })
  {
    const auto record = ReadRecord(out, id);
    ASSERT_TRUE(record) << id << "\n" << log;
    EXPECT_EQ(record->status, StudyStatus::Failed) << id;
    EXPECT_FALSE(record->error.empty()) << id;
    EXPECT_FALSE(fs::exists(out / id / "report.json")) << id;
  }
  // the summary was written by the summary code of icanscan batch (onerror: some study failed)
  const std::string summary = Read(out / "batch_summary.tsv");
  EXPECT_NE(summary.find("\nanalysed\t"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\nno_reference\tfailed\t4\t"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\ntruncated\tfailed\t"), std::string::npos) << summary;
  EXPECT_TRUE(fs::exists(out / "batch_report.html"));
}

TEST_F(WorkflowTest, LocalRunAnalysesEachStudyInItsOwnJobAndFailuresStayTheirs)
{
  const std::string log = Read(Work() / "local.log");
  EXPECT_EQ(Read(Work() / "local.rc"), "1\n") << "snakemake reports the failed jobs\n" << log;
  ExpectOneStudyAnalysedTwoFailed(Work() / "local", log);
  EXPECT_NE(log.find("Error in rule study"), std::string::npos) << log;
  for (const char * id : { "analysed", "no_reference", "truncated" })
    EXPECT_NE(log.find(std::string("wildcards: study=") + id), std::string::npos) << "one job per study: " << id;
}

TEST_F(WorkflowTest, SlurmRunGoesThroughSbatchAndGivesTheSameOutputs)
{
  RequireSlurm();
  const std::string log = Read(Work() / "slurm.log");
  EXPECT_EQ(Read(Work() / "slurm.rc"), "1\n") << log;
  ExpectOneStudyAnalysedTwoFailed(Work() / "slurm", log);

  // every study job was an sbatch job: in the controller's log, in Snakemake's, and in the job's own record
  const std::string ctld = Read(Work() / "cluster" / "slurmctld.log");
  const std::regex submit("_slurm_rpc_submit_batch_job: JobId=\\d+");
  EXPECT_EQ(std::distance(std::sregex_iterator(ctld.begin(), ctld.end(), submit), std::sregex_iterator()), 3) << ctld;
  const std::regex submitted("has been submitted with SLURM jobid \\d+");
  EXPECT_EQ(std::distance(std::sregex_iterator(log.begin(), log.end(), submitted), std::sregex_iterator()), 3) << log;
  for (const char * id : { "analysed", "no_reference", "truncated" })
  {
    const auto record = ReadRecord(Work() / "slurm", id);
    ASSERT_TRUE(record) << id;
    EXPECT_FALSE(record->schedulerJob.empty()) << id << " did not run inside a Slurm job";
    const auto local = ReadRecord(Work() / "local", id);
    ASSERT_TRUE(local) << id;
    EXPECT_TRUE(local->schedulerJob.empty()) << id;
    EXPECT_EQ(record->error, local->error) << id;
  }
  EXPECT_TRUE(Read(Work() / "squeue.txt").empty()) << "jobs left in the queue: " << Read(Work() / "squeue.txt");

  // same outputs as the local run
  const fs::path local = Work() / "local" / "analysed", slurm = Work() / "slurm" / "analysed";
  EXPECT_EQ(WithoutTimings(nlohmann::json::parse(Read(slurm / "report.json"))),
            WithoutTimings(nlohmann::json::parse(Read(local / "report.json"))));
  for (const char * file : { "findings.csv", "config.toml", "volumes/labels.nii.gz", "volumes/brain_mask.nii.gz",
                             "volumes/lesion_t2flair.nii.gz", "volumes/FLAIR.nii.gz", "volumes/tissue.nii.gz",
                             "transforms/reference_to_atlas.tfm" })
    EXPECT_TRUE(Read(slurm / file) == Read(local / file)) << file << " differs between the local and the Slurm run";
  EXPECT_EQ(SummaryWithoutTimings(Work() / "slurm" / "batch_summary.tsv"),
            SummaryWithoutTimings(Work() / "local" / "batch_summary.tsv"));
}

} // namespace
} // namespace icanscan::batch
