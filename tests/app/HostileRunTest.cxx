// Hostile input through the real executable: a file another user cannot read, a run stopped by SIGTERM (staging and
// temporary folders removed, the signal still ends the process), and one whole run on a study with Latin-1 text, a
// damaged file and a patient's name in its path.
#include "CliRunner.h"

#include "synthetic/DemoStudy.h"
#include "tests/dicom/DicomFixtures.h"
#include "tests/hostile/MalformedDicom.h"
#include "tests/hostile/MalformedNifti.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

extern char ** environ;

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;

std::string ReadText(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/** Starts the icanscan executable with `args`, stderr to `errFile`, extra environment entries "NAME=value". */
pid_t Start(const std::vector<std::string> & args, const fs::path & errFile, const std::vector<std::string> & env = {})
{
  std::vector<std::string> all{ ICANSCAN_EXECUTABLE };
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char *> argv;
  for (auto & a : all)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment(env);
  for (char ** e = environ; *e != nullptr; ++e)
    environment.emplace_back(*e);
  std::vector<char *> envp;
  for (auto & e : environment)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

/** Waits until `found` says yes (polling), at most `seconds`. */
template<typename Found>
bool WaitFor(Found found, double seconds)
{
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end)
  {
    if (found())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool HasEntryStartingWith(const fs::path & folder, const std::string & prefix)
{
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0)
      return true;
  return false;
}

class HostileRunTest : public ::testing::Test
{
protected:
  void SetUp() override { m_Root = MakeTempDir("hostile run"); }
  void TearDown() override { RemoveTempDir(m_Root); }
  fs::path m_Root;
};

TEST_F(HostileRunTest, UnreadableFileIsSkippedAsLostAndSaysPartial)
{
  const fs::path study = m_Root / "study";
  WriteSmallSeries(study, 2);
  const auto locked = WriteSmallSeries(study / "locked", 3, 1);
  fs::permissions(locked.front().path, fs::perms::none);
  const fs::path out = m_Root / "out";
  const fs::path err = m_Root / "stderr.txt";
  int status = 0;
  if (::geteuid() == 0)
  {
    // Root reads everything: run the real executable as 'nobody', for whom the file is unreadable.
    fs::permissions(m_Root, fs::perms::all);
    const pid_t child = ::fork();
    if (child == 0)
    {
      const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
      ::dup2(fd, 2);
      ::dup2(::open("/dev/null", O_WRONLY), 1);
      if (::setgid(65534) != 0 || ::setuid(65534) != 0)
        ::_exit(99);
      ::execl(ICANSCAN_EXECUTABLE, "icanscan", "convert", study.c_str(), "-o", out.c_str(), nullptr);
      ::_exit(98);
    }
    ::waitpid(child, &status, 0);
  }
  else
    ::waitpid(Start({ "convert", study.string(), "-o", out.string() }, err), &status, 0);
  fs::permissions(locked.front().path, fs::perms::owner_all);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 7) << ReadText(err);
  EXPECT_TRUE(ContainsWord(ReadText(err), "locked/S3_1.dcm: skipped: cannot be opened: Permission denied"))
    << ReadText(err);
  EXPECT_TRUE(fs::exists(out / "2_T2_series_2.nii.gz"));
}

TEST_F(HostileRunTest, SigtermDuringARunLeavesNoStagingNorLock)
{
  const fs::path study = m_Root / "study";
  synthetic::WriteDemoStudy(study);
  const fs::path out = m_Root / "out";
  const pid_t run = Start({ "run", study.string(), "-o", out.string() }, m_Root / "stderr.txt");
  ASSERT_GT(run, 0);
  ASSERT_TRUE(WaitFor([&] { return HasEntryStartingWith(m_Root, ".partial-out-"); }, 60.0))
    << ReadText(m_Root / "stderr.txt");
  EXPECT_TRUE(HasEntryStartingWith(m_Root, ".icanscan-lock-out")) << "OUT is locked while the run writes it";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ::kill(run, SIGTERM);
  int status = 0;
  ::waitpid(run, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << "status " << status;
  EXPECT_FALSE(HasEntryStartingWith(m_Root, ".partial-")) << "staging folder left behind";
  EXPECT_FALSE(HasEntryStartingWith(m_Root, ".icanscan-lock")) << "lock file left behind";
  EXPECT_FALSE(fs::exists(out)) << "a stopped run writes no OUT";
}

TEST_F(HostileRunTest, SigtermDuringANiftiRunRemovesTheTemporaryDicomCopy)
{
  const fs::path study = m_Root / "nifti";
  fs::create_directories(study);
  WriteSmallNifti(study / "sub-01_T2w.nii.gz");
  WriteSmallNifti(study / "sub-01_FLAIR.nii.gz");
  const fs::path temp = m_Root / "tmp";
  fs::create_directories(temp);
  const pid_t run = Start({ "run", study.string(), "-o", (m_Root / "out").string() }, m_Root / "stderr.txt",
                          { "TMPDIR=" + temp.string() });
  ASSERT_GT(run, 0);
  ASSERT_TRUE(WaitFor([&] { return HasEntryStartingWith(temp, "icanscan-nifti-"); }, 60.0))
    << ReadText(m_Root / "stderr.txt");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(run, SIGTERM);
  int status = 0;
  ::waitpid(run, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << "status " << status << "\n"
                                                                  << ReadText(m_Root / "stderr.txt");
  EXPECT_TRUE(fs::is_empty(temp)) << "the DICOM copy of the NIfTI study is left in the temporary folder";
  EXPECT_FALSE(HasEntryStartingWith(m_Root, ".partial-"));
}

TEST_F(HostileRunTest, WholeRunWithLatin1TextADamagedFileAndANameInThePath)
{
  const fs::path study = m_Root / "MUSTERMANN^ERIKA" / "study";
  synthetic::WriteDemoStudy(study);
  std::vector<std::string> t2;
  for (const auto & entry : fs::recursive_directory_iterator(study))
    if (entry.is_regular_file() && ReadStringAttribute(entry.path().string(), "SeriesNumber") == "1")
      t2.push_back(entry.path().string());
  ASSERT_FALSE(t2.empty());
  SetDescriptionBytes(t2, "ISO_IR 100",
                      "Sch\xE4"
                      "del T2");
  fs::copy_file(t2.front(), study / "damaged.dcm");
  TruncateInPixelData((study / "damaged.dcm").string());
  const fs::path out = m_Root / "out";
  const auto r = RunIcanscan({ "run", study.string(), "-o", out.string() });
  EXPECT_EQ(r.code, 7) << "a damaged file makes the result partial\n" << r.err;
  EXPECT_TRUE(ContainsWord(r.err, "damaged.dcm: skipped")) << r.err;
  const auto report = nlohmann::json::parse(ReadText(out / "report.json"));
  EXPECT_TRUE(ContainsWord(report.dump(), "Sch\xC3\xA4"
                                          "del T2"))
    << "the Latin-1 description, as UTF-8";
  for (const auto & entry : fs::recursive_directory_iterator(out))
  {
    if (entry.is_regular_file())
    {
      EXPECT_FALSE(ContainsWord(ReadText(entry.path()), "MUSTERMANN")) << entry.path() << " names the input path";
    }
  }
}

} // namespace
} // namespace icanscan::test
