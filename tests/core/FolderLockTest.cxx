#include "core/Error.h"
#include "core/FolderLock.h"
#include "core/RuntimeLimits.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

namespace icanscan
{
namespace
{
namespace fs = std::filesystem;

class FolderLockTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    m_Root = fs::temp_directory_path() /
             ("icanscan-lock-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
    fs::create_directories(m_Root);
  }
  void TearDown() override { fs::remove_all(m_Root); }

  /** A folder as a staging folder looks, with its lock file. */
  fs::path MakeFolder(const std::string & name)
  {
    const fs::path folder = m_Root / name;
    fs::create_directories(folder);
    std::ofstream(folder / "partial.nii.gz") << "half-written";
    return folder;
  }

  fs::path m_Root;
};

TEST_F(FolderLockTest, SecondLockIsRefusedNamingTheHolder)
{
  const fs::path file = m_Root / ".icanscan-lock-out";
  auto first = FileLock::TryAcquire(file);
  ASSERT_NE(first, nullptr);
  std::string holder;
  EXPECT_EQ(FileLock::TryAcquire(file, &holder), nullptr);
  EXPECT_NE(holder.find("pid " + std::to_string(::getpid())), std::string::npos) << holder;
  first.reset();
  EXPECT_FALSE(fs::exists(file)) << "the lock file is removed on release";
  EXPECT_NE(FileLock::TryAcquire(file), nullptr) << "free again after release";
}

TEST_F(FolderLockTest, LockOfAKilledProcessIsFreeAgain)
{
  const fs::path file = m_Root / ".icanscan-lock-out";
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0)
  {
    auto lock = FileLock::TryAcquire(file);
    const char byte = lock ? 'y' : 'n';
    (void)!::write(ready[1], &byte, 1);
    ::pause();
    ::_exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ASSERT_EQ(byte, 'y');
  std::string holder;
  EXPECT_EQ(FileLock::TryAcquire(file, &holder), nullptr) << "held by the child";
  EXPECT_NE(holder.find("pid " + std::to_string(child)), std::string::npos) << holder;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(fs::exists(file)) << "a killed holder leaves its lock file";
  EXPECT_NE(FileLock::TryAcquire(file), nullptr) << "but its lock is free";
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST_F(FolderLockTest, StaleFoldersGoLiveOnesStay)
{
  // A folder whose lock is free (its run was killed), one whose lock is held (a live run), one without a lock whose
  // process is gone and which is old, and one without a lock that was just made.
  const fs::path killed = MakeFolder(".partial-out-111");
  {
    std::ofstream(killed / kFolderLockName) << "pid 111";
  }
  const fs::path live = MakeFolder(".partial-out-222");
  auto liveLock = FileLock::TryAcquire(live / kFolderLockName);
  ASSERT_NE(liveLock, nullptr);
  const fs::path oldUnlocked = MakeFolder(".partial-out-2147483646");
  fs::last_write_time(oldUnlocked, fs::file_time_type::clock::now() - std::chrono::hours(2));
  const fs::path freshUnlocked = MakeFolder(".partial-out-2147483645");
  const fs::path otherOutput = MakeFolder(".partial-other-333");
  {
    std::ofstream(otherOutput / kFolderLockName) << "pid 333";
  }

  const auto removed = RemoveStaleFolders(m_Root, ".partial-out-");
  EXPECT_EQ(removed.size(), 2u);
  EXPECT_FALSE(fs::exists(killed));
  EXPECT_FALSE(fs::exists(oldUnlocked));
  EXPECT_TRUE(fs::exists(live / "partial.nii.gz")) << "a live run's folder is never touched";
  EXPECT_TRUE(fs::exists(freshUnlocked)) << "a folder without a lock may be being created";
  EXPECT_TRUE(fs::exists(otherOutput)) << "another output's folder is not ours to clean";
}

TEST_F(FolderLockTest, ThreadCountOutsideItsRangeIsAUsageError)
{
  EXPECT_NO_THROW(CheckThreadCount(0));
  EXPECT_NO_THROW(CheckThreadCount(kMaxThreads));
  try
  {
    CheckThreadCount(100000);
    FAIL() << "100000 threads accepted";
  }
  catch (const UsageError & e)
  {
    EXPECT_EQ(e.Code(), ExitCode::Usage);
    EXPECT_NE(std::string(e.what()).find("100000"), std::string::npos);
  }
  EXPECT_THROW(CheckThreadCount(-1), UsageError);
}

} // namespace
} // namespace icanscan
