#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace icanscan
{

/** \brief An exclusive lock held through flock(2) on a lock file for this object's lifetime.
 *
 * The lock file records its holder (process id, host, program and start time), so that a process that finds the
 * lock taken can say who holds it. The kernel drops the lock when its process ends, however it ends: a lock file
 * left by a killed run is free and is taken over (and removed) by the next one. Works between processes and between
 * two locks of one process. */
class FileLock
{
public:
  /** The lock on `lockFile` (created when missing), or nullptr when another holder has it; `holder` then receives
   * what the lock file says about that holder. Throws OutputError when the lock file cannot be created. */
  static std::unique_ptr<FileLock> TryAcquire(const std::filesystem::path & lockFile, std::string * holder = nullptr);

  /** Removes the lock file, then releases the lock. */
  ~FileLock();
  FileLock(const FileLock &) = delete;
  FileLock & operator=(const FileLock &) = delete;

  const std::filesystem::path & Path() const { return m_Path; }

private:
  FileLock(std::filesystem::path path, int descriptor);

  std::filesystem::path m_Path;
  int m_Descriptor;
};

/** \brief Who this process is, as written into lock files: "pid 123 on host (icanscan run), since <UTC time>". */
std::string DescribeThisProcess();

/** \brief Name of the lock file inside a staging or temporary folder (see RemoveStaleFolders). */
constexpr const char * kFolderLockName = ".icanscan-lock";

/** \brief Removes the folders in `parent` whose names start with `prefix` and that no live process owns: their
 * `kFolderLockName` lock is free (its process was killed), or, for a folder without a lock file, it has not been
 * modified for `unlockedAgeSeconds` and the process whose id follows the prefix in its name is gone. Returns the
 * folders removed. Never throws; a folder that cannot be removed stays. */
std::vector<std::filesystem::path> RemoveStaleFolders(const std::filesystem::path & parent,
                                                      const std::string & prefix,
                                                      double unlockedAgeSeconds = 600.0);

} // namespace icanscan
