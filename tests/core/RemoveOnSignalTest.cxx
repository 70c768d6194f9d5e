#include "core/RemoveOnSignal.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace icanscan
{
namespace
{
namespace fs = std::filesystem;

fs::path MakeFolder()
{
  const fs::path folder = fs::temp_directory_path() / ("icanscan-signal-test-" + std::to_string(::getpid()) + "-" +
                                                       std::to_string(std::random_device{}()));
  fs::create_directories(folder / "volumes");
  std::ofstream(folder / "volumes" / "T2.nii.gz") << "half-written";
  return folder;
}

/** Runs `body` in a child process and returns its wait status. */
template<typename Body>
int InChild(Body body)
{
  const pid_t child = ::fork();
  if (child == 0)
  {
    body();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return status;
}

TEST(RemoveOnSignalTest, TerminationSignalsRemoveTheFolderAndStillEndTheProcess)
{
  for (const int signal : { SIGTERM, SIGINT, SIGHUP })
  {
    const fs::path folder = MakeFolder();
    const int status = InChild(
      [&]
      {
        RemoveOnSignal cleanup(folder);
        ::kill(::getpid(), signal);
        for (int i = 0; i < 500; ++i)
          ::usleep(10000); // the clean-up thread ends the process meanwhile
        ::_exit(3);
      });
    EXPECT_TRUE(WIFSIGNALED(status)) << "signal " << signal << ": status " << status;
    if (WIFSIGNALED(status))
    {
      EXPECT_EQ(WTERMSIG(status), signal);
    }
    EXPECT_FALSE(fs::exists(folder)) << "signal " << signal << " left " << folder;
    fs::remove_all(folder);
  }
}

TEST(RemoveOnSignalTest, AFolderNoLongerRegisteredIsKept)
{
  const fs::path kept = MakeFolder();
  const fs::path removed = MakeFolder();
  const int status = InChild(
    [&]
    {
      {
        RemoveOnSignal done(kept); // a finished output: unregistered when its guard goes
      }
      RemoveOnSignal cleanup(removed);
      ::kill(::getpid(), SIGTERM);
      for (int i = 0; i < 500; ++i)
        ::usleep(10000);
    });
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_TRUE(fs::exists(kept / "volumes" / "T2.nii.gz"));
  EXPECT_FALSE(fs::exists(removed));
  fs::remove_all(kept);
  fs::remove_all(removed);
}

TEST(RemoveOnSignalTest, AnIgnoredSignalStaysIgnored)
{
  const fs::path folder = MakeFolder();
  const int status = InChild(
    [&]
    {
      ::signal(SIGHUP, SIG_IGN); // as under nohup
      RemoveOnSignal cleanup(folder);
      ::kill(::getpid(), SIGHUP);
      ::usleep(100000);
      ::_exit(0);
    });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_TRUE(fs::exists(folder));
  fs::remove_all(folder);
}

} // namespace
} // namespace icanscan
