// `icanscan batch` for real on 10 studies of the e2e fixture (make_batch_run.sh ran it once); the resume test
// interrupts a second batch into a copy of that OUT_ROOT and finishes it with --resume.
#include "batch/BatchSummary.h"
#include "batch/CompletionRecord.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

extern char ** environ;

namespace icanscan::batch
{
namespace
{
namespace fs = std::filesystem;

const std::vector<std::string> kComplete{ "flair_only",   "no_t2",          "normal",   "thalamic",
                                          "focal oedème", "thalamic_nifti", "followup", "baseline" };

fs::path Work()
{
  const char * dir = std::getenv("ICANSCAN_BATCH_DIR");
  return dir ? fs::path(dir) : fs::path();
}

std::string Read(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/** The summary as id -> column -> value. */
using Table = std::map<std::string, std::map<std::string, std::string>>;
Table ReadSummary(const fs::path & file)
{
  std::istringstream in(Read(file));
  auto split = [](const std::string & line)
  {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cells.push_back(line.substr(start, tab - start));
    cells.push_back(line.substr(start));
    return cells;
  };
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  Table table;
  while (std::getline(in, line))
  {
    const auto cells = split(line);
    for (std::size_t k = 0; k < header.size() && k < cells.size(); ++k)
      table[cells[0]][header[k]] = cells[k];
  }
  return table;
}

class BatchEndToEndTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    if (Work().empty() || !fs::exists(Work() / "rc"))
      GTEST_SKIP() << "the batch fixture did not run (ICANSCAN_BATCH_DIR unset or no WORK/rc)";
    out = Work() / "out";
  }
  fs::path out;
};

TEST_F(BatchEndToEndTest, ExitsSevenWithTwoFailuresAndEightCompleteOuts)
{
  EXPECT_EQ(Read(Work() / "rc"), "7\n") << Read(Work() / "stderr");
  EXPECT_NE(Read(Work() / "stdout").find("10 studies:"), std::string::npos);
  EXPECT_NE(Read(Work() / "stdout").find(" 2 failed, 0 skipped"), std::string::npos) << Read(Work() / "stdout");
  for (const auto & id : kComplete)
  {
    for (const char * file : { "report.json", "report.html", "findings.csv", "timing.tsv", "config.toml",
                               "volumes/labels.nii.gz", "volumes/FLAIR.nii.gz", "transforms/reference_to_atlas.tfm" })
      EXPECT_TRUE(fs::is_regular_file(out / id / file)) << id << ": " << file;
    const auto record = ReadRecord(out, id);
    ASSERT_TRUE(record) << id;
    EXPECT_TRUE(record->status == StudyStatus::Ok || record->status == StudyStatus::Warning ||
                record->status == StudyStatus::Partial)
      << id << ": " << ToString(record->status) << " " << record->error;
  }
  for (const char * failed : { "truncated", "no_reference" })
    EXPECT_FALSE(fs::exists(out / failed / "report.json")) << failed;
  for (const auto & entry : fs::directory_iterator(out))
    EXPECT_NE(entry.path().filename().string().rfind(".partial-", 0), 0u) << entry.path();
}

TEST_F(BatchEndToEndTest, SummaryNamesTheFailuresAndAgreesWithTheReports)
{
  const Table table = ReadSummary(out / "batch_summary.tsv");
  ASSERT_EQ(table.size(), 10u);
  const auto & truncated = table.at("truncated");
  EXPECT_EQ(truncated.at("status"), "failed");
  EXPECT_TRUE(truncated.at("exit_code") == "4" || truncated.at("exit_code") == "5") << truncated.at("exit_code");
  EXPECT_FALSE(truncated.at("error").empty());
  const auto & noReference = table.at("no_reference");
  EXPECT_EQ(noReference.at("status"), "failed");
  EXPECT_EQ(noReference.at("exit_code"), "4");
  EXPECT_NE(noReference.at("error").find("T2 or FLAIR"), std::string::npos) << noReference.at("error");
  for (const auto & id : kComplete)
  {
    const auto report = nlohmann::json::parse(Read(out / id / "report.json"));
    const auto & row = table.at(id);
    EXPECT_EQ(row.at("oedema_flag"), report["oedema"]["flag"].get<std::string>()) << id;
    EXPECT_EQ(row.at("findings"), std::to_string(report["findings"].size())) << id;
    EXPECT_EQ(row.at("reference"), report["reference"]["role"].get<std::string>()) << id;
    EXPECT_FALSE(row.at("thalamus_left_ml").empty()) << id;
    EXPECT_FALSE(row.at("seconds").empty()) << id;
    EXPECT_GT(std::stod(row.at("peak_memory_mb")), 100) << id;
  }
  EXPECT_EQ(table.at("thalamic").at("thalamus_left_t2flair"), "true");
  EXPECT_FALSE(table.at("thalamic").at("icans_grade").empty()) << "graded with its clinical.json";
  EXPECT_TRUE(table.at("normal").at("icans_grade").empty()) << "imaging only without clinical.json";
  EXPECT_EQ(table.at("flair_only").at("qc_DWI_b0"), "") << "no DWI series";
  EXPECT_EQ(table.at("flair_only").at("reference"), "FLAIR");
  EXPECT_EQ(table.at("no_t2").at("reference"), "FLAIR");
  EXPECT_FALSE(table.at("followup").at("qc_baseline").empty()) << "the follow-up was compared with its baseline";
  EXPECT_TRUE(table.at("baseline").at("qc_baseline").empty());
  const std::string html = Read(out / "batch_report.html");
  for (const auto & id : kComplete)
    EXPECT_NE(html.find("href=\"" + id + "/report.html\""), std::string::npos) << id;
  EXPECT_NE(html.find("failed: <strong>2</strong>"), std::string::npos);
}

TEST_F(BatchEndToEndTest, BaselineRanBeforeItsFollowUp)
{
  // stderr is not a terminal in the fixture: plain log lines, in order
  const std::string log = Read(Work() / "stderr");
  const auto baselineDone = log.find("] baseline ");
  const auto followupStart = log.find("batch: started followup");
  ASSERT_NE(baselineDone, std::string::npos) << log;
  ASSERT_NE(followupStart, std::string::npos) << log;
  EXPECT_LT(baselineDone, followupStart);
  const auto report = nlohmann::json::parse(Read(out / "followup" / "report.json"));
  EXPECT_TRUE(report.contains("baseline")) << "the follow-up's report compares it with its baseline";
}

/** Starts `icanscan ARGS` with stdout/stderr in files; returns its pid. */
pid_t Spawn(const std::vector<std::string> & args, const fs::path & stdoutFile, const fs::path & stderrFile)
{
  std::vector<char *> argv;
  std::vector<std::string> copy = args;
  copy.insert(copy.begin(), ICANSCAN_EXECUTABLE);
  for (auto & a : copy)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, stdoutFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, stderrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

int WaitExit(pid_t pid)
{
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/** Processes whose command line mentions `text` (other than this test). */
std::vector<std::string> ProcessesMentioning(const std::string & text)
{
  std::vector<std::string> found;
  for (const auto & entry : fs::directory_iterator("/proc"))
  {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(getpid()))
      continue;
    std::string cmdline = Read(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(text) != std::string::npos)
      found.push_back(pid + ": " + cmdline);
  }
  return found;
}

TEST_F(BatchEndToEndTest, InterruptedBatchResumesWithOnlyWhatWasMissing)
{
  const fs::path resume = Work() / "resume";
  fs::remove_all(resume);
  ASSERT_EQ(std::system(("cp -al '" + out.string() + "' '" + resume.string() + "'").c_str()), 0);
  // the first two in the manifest are the cheapest (FLAIR reference): the first is done again before the kill
  const std::vector<std::string> missing{ "flair_only", "no_t2", "normal" };
  for (const auto & id : missing)
  {
    fs::remove_all(resume / id);
    fs::remove(RecordPath(resume, id));
  }
  const std::string manifest = (Work() / "cohort.csv").string();

  // Killed half way: after the first missing study is done again, while the next one runs.
  const pid_t batch = Spawn({ "batch", manifest, "-o", resume.string(), "--resume", "--jobs", "1", "--threads", "1" },
                            Work() / "resume1.stdout", Work() / "resume1.stderr");
  ASSERT_GT(batch, 0);
  const auto limit = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  auto rerunDone = [&]
  {
    int n = 0;
    for (const auto & id : missing)
      n += ReadRecord(resume, id).has_value();
    return n;
  };
  while (rerunDone() < 1 && std::chrono::steady_clock::now() < limit)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(rerunDone(), 1) << Read(Work() / "resume1.stderr");
  std::this_thread::sleep_for(std::chrono::seconds(2)); // the next study is running now
  ::kill(batch, SIGTERM);
  const auto stopStart = std::chrono::steady_clock::now();
  EXPECT_EQ(WaitExit(batch), 128 + SIGTERM) << Read(Work() / "resume1.stderr");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - stopStart).count(), 30);
  EXPECT_TRUE(ProcessesMentioning(resume.string()).empty()) << ProcessesMentioning(resume.string()).front();
  for (const auto & entry : fs::directory_iterator(resume))
    EXPECT_NE(entry.path().filename().string().rfind(".partial-", 0), 0u) << entry.path();
  const Table interrupted = ReadSummary(resume / "batch_summary.tsv");
  int skipped = 0;
  for (const auto & id : missing)
    skipped += interrupted.at(id).at("status") == "skipped";
  EXPECT_EQ(skipped, 2) << "one rerun finished, one was stopped, one never started";
  EXPECT_NE(Read(Work() / "resume1.stderr").find("Rerun with --resume"), std::string::npos);

  // Rerun with --resume: only the two missing studies (and the two failed ones) run.
  const pid_t again = Spawn({ "batch", manifest, "-o", resume.string(), "--resume", "--jobs", "2", "--threads", "1" },
                            Work() / "resume2.stdout", Work() / "resume2.stderr");
  EXPECT_EQ(WaitExit(again), 7) << Read(Work() / "resume2.stderr");
  const std::string log = Read(Work() / "resume2.stderr");
  std::set<std::string> started;
  for (std::size_t at = 0; (at = log.find("batch: started ", at)) != std::string::npos; ++at)
  {
    const auto begin = at + std::string("batch: started ").size();
    started.insert(log.substr(begin, log.find(" (", begin) - begin));
  }
  std::set<std::string> expected{ "truncated", "no_reference" };
  for (const auto & id : missing)
    if (interrupted.at(id).at("status") == "skipped")
      expected.insert(id);
  EXPECT_EQ(started, expected) << log;

  // The summary is the first batch's, apart from timings and memory.
  const Table first = ReadSummary(out / "batch_summary.tsv");
  Table resumed = ReadSummary(resume / "batch_summary.tsv");
  ASSERT_EQ(resumed.size(), first.size());
  for (const auto & [id, row] : first)
    for (const auto & [column, value] : row)
    {
      if (column == "seconds" || column == "peak_memory_mb")
        continue;
      EXPECT_EQ(resumed.at(id).at(column), value) << id << " " << column;
    }
}

} // namespace
} // namespace icanscan::batch
