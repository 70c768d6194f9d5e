#include "core/FolderLock.h"

#include "core/Error.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>

namespace icanscan
{
namespace fs = std::filesystem;
namespace
{
std::string ReadHolder(int descriptor)
{
  char buffer[512] = {};
  const ssize_t got = ::pread(descriptor, buffer, sizeof(buffer) - 1, 0);
  std::string text = got > 0 ? std::string(buffer, static_cast<std::size_t>(got)) : std::string();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0'))
    text.pop_back();
  return text.empty() ? std::string("another process (the lock file does not say which)") : text;
}

/** The program and subcommand of this process ("icanscan run"), without paths or options (they may name a patient). */
std::string ProgramName()
{
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string program, command;
  std::getline(in, program, '\0');
  std::getline(in, command, '\0');
  program = fs::path(program).filename().string();
  if (!command.empty() && command[0] != '-' && command.find('/') == std::string::npos && command.size() < 32)
    program += " " + command;
  return program.empty() ? std::string("unknown program") : program;
}
} // namespace

std::string DescribeThisProcess()
{
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0)
    std::strcpy(host, "unknown host");
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char when[32] = {};
  std::strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return "pid " + std::to_string(::getpid()) + " on " + host + " (" + ProgramName() + "), since " + when;
}

FileLock::FileLock(fs::path path, int descriptor)
  : m_Path(std::move(path))
  , m_Descriptor(descriptor)
{
}

std::unique_ptr<FileLock> FileLock::TryAcquire(const fs::path & lockFile, std::string * holder)
{
  // A holder that releases between our open() and flock() unlinks the file we opened: check that the locked file is
  // still the one at the path, else try again with the new one.
  for (int attempt = 0; attempt < 16; ++attempt)
  {
    const int fd = ::open(lockFile.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
      throw OutputError(lockFile.string() + ": cannot create the lock file: " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    {
      const int error = errno;
      if (holder != nullptr)
        *holder = error == EWOULDBLOCK ? ReadHolder(fd) : std::string("unknown (") + std::strerror(error) + ")";
      ::close(fd);
      return nullptr;
    }
    struct stat opened = {}, current = {};
    if (::fstat(fd, &opened) != 0 || ::stat(lockFile.c_str(), &current) != 0 || opened.st_ino != current.st_ino ||
        opened.st_dev != current.st_dev)
    {
      ::close(fd);
      continue;
    }
    const std::string me = DescribeThisProcess() + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size()))
    {
      // The lock is held; only its description is missing. Not worth failing the run for.
    }
    return std::unique_ptr<FileLock>(new FileLock(lockFile, fd));
  }
  throw OutputError(lockFile.string() + ": the lock file keeps being replaced by other processes");
}

FileLock::~FileLock()
{
  ::unlink(m_Path.c_str());
  ::close(m_Descriptor);
}

std::vector<fs::path> RemoveStaleFolders(const fs::path & parent, const std::string & prefix, double unlockedAgeSeconds)
{
  std::vector<fs::path> removed;
  std::error_code ec;
  std::vector<fs::path> candidates;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec))
  {
    const std::string name = it->path().filename().string();
    std::error_code typeError;
    if (name.compare(0, prefix.size(), prefix) == 0 && it->is_directory(typeError) && !it->is_symlink(typeError))
      candidates.push_back(it->path());
  }
  for (const auto & folder : candidates)
  {
    const fs::path lockFile = folder / kFolderLockName;
    bool stale = false;
    std::unique_ptr<FileLock> lock;
    if (fs::exists(lockFile, ec))
    {
      try
      {
        lock = FileLock::TryAcquire(lockFile);
      }
      catch (const Error &)
      {
      }
      stale = lock != nullptr;
    }
    else
    {
      // Without a lock file (a run of an older version, or one killed while creating the folder): stale when its
      // process is gone and it has not changed for a while.
      const auto modified = fs::last_write_time(folder, ec);
      if (!ec)
      {
        const double age = std::chrono::duration<double>(fs::file_time_type::clock::now() - modified).count();
        const std::string rest = folder.filename().string().substr(prefix.size());
        const long pid = std::atol(rest.c_str());
        const bool alive = pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
        stale = age > unlockedAgeSeconds && !alive;
      }
    }
    if (!stale)
      continue;
    lock.reset();
    fs::remove_all(folder, ec);
    if (!ec)
      removed.push_back(folder);
  }
  return removed;
}

} // namespace icanscan
