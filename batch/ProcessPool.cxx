#include "batch/ProcessPool.h"

#include "core/Error.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

namespace icanscan::batch
{
namespace
{
constexpr double kKillGraceSeconds = 10;

double SecondsSince(std::chrono::steady_clock::time_point start)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/** In the child, between fork and exec: only async-signal-safe calls. */
[[noreturn]] void ExecChild(int logFd, pid_t parent, char * const * argv)
{
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent) // the batch died between fork and prctl
    ::_exit(128 + SIGTERM);
  struct sigaction dflt;
  std::memset(&dflt, 0, sizeof(dflt));
  dflt.sa_handler = SIG_DFL;
  for (int s : { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD })
    ::sigaction(s, &dflt, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  const int devNull = ::open("/dev/null", O_RDONLY);
  if (devNull >= 0)
    ::dup2(devNull, STDIN_FILENO);
  ::dup2(logFd, STDOUT_FILENO);
  ::dup2(logFd, STDERR_FILENO);
  ::execv(argv[0], argv);
  const char * what = "icanscan batch: cannot execute ";
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, what, std::strlen(what));
  n = ::write(STDERR_FILENO, argv[0], std::strlen(argv[0]));
  n = ::write(STDERR_FILENO, ": ", 2);
  const char * reason = std::strerror(errno);
  n = ::write(STDERR_FILENO, reason, std::strlen(reason));
  n = ::write(STDERR_FILENO, "\n", 1);
  ::_exit(127);
}
} // namespace

ProcessPool::~ProcessPool()
{
  if (!m_Children.empty())
    TerminateAll(kKillGraceSeconds);
}

pid_t ProcessPool::Start(const std::string & key, const ProcessSpec & spec)
{
  if (spec.argv.empty())
    throw UsageError("process pool: no command given for '" + key + "'");
  if (PidOf(key) != 0)
    throw UsageError("process pool: '" + key + "' is already running");
  const int logFd = ::open(spec.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (logFd < 0)
    throw OutputError(spec.log.string() + ": cannot create the log file: " + std::strerror(errno));
  std::vector<std::string> args = spec.argv;
  std::vector<char *> argv;
  for (auto & a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0)
  {
    const int error = errno;
    ::close(logFd);
    throw Error("cannot start '" + spec.argv[0] + "' for " + key + ": fork failed: " + std::strerror(error),
                ExitCode::OutputNotWritable);
  }
  if (pid == 0)
    ExecChild(logFd, parent, argv.data());
  ::setpgid(pid, pid); // also from the parent, so that a signal to the group cannot race the child's own call
  ::close(logFd);
  Child child;
  child.key = key;
  child.start = std::chrono::steady_clock::now();
  child.timeoutSeconds = spec.timeoutSeconds;
  m_Children[pid] = child;
  return pid;
}

pid_t ProcessPool::PidOf(const std::string & key) const
{
  for (const auto & [pid, child] : m_Children)
    if (child.key == key)
      return pid;
  return 0;
}

std::vector<std::pair<std::string, ProcessEnd>> ProcessPool::ReapOnce()
{
  std::vector<std::pair<std::string, ProcessEnd>> ended;
  const auto now = std::chrono::steady_clock::now();
  for (auto it = m_Children.begin(); it != m_Children.end();)
  {
    const pid_t pid = it->first;
    Child & child = it->second;
    int status = 0;
    struct rusage usage;
    std::memset(&usage, 0, sizeof(usage));
    const pid_t r = ::wait4(pid, &status, WNOHANG, &usage);
    if (r == pid || (r < 0 && errno == ECHILD))
    {
      ProcessEnd end;
      if (r == pid && WIFEXITED(status))
        end.exitCode = WEXITSTATUS(status);
      else if (r == pid && WIFSIGNALED(status))
        end.signal = WTERMSIG(status);
      end.timedOut = child.timedOut;
      end.stopped = child.stopped;
      end.seconds = SecondsSince(child.start);
      end.peakMemoryMb = static_cast<double>(usage.ru_maxrss) / 1024.0; // Linux: KiB
      ended.emplace_back(child.key, end);
      it = m_Children.erase(it);
      continue;
    }
    if (!child.termSent && child.timeoutSeconds > 0 && SecondsSince(child.start) >= child.timeoutSeconds)
    {
      child.timedOut = true;
      child.termSent = true;
      child.killAt = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(kKillGraceSeconds));
      ::kill(-pid, SIGTERM);
    }
    else if (child.termSent && now >= child.killAt)
      ::kill(-pid, SIGKILL);
    ++it;
  }
  return ended;
}

std::vector<std::pair<std::string, ProcessEnd>> ProcessPool::Reap()
{
  return ReapOnce();
}

std::vector<std::pair<std::string, ProcessEnd>> ProcessPool::TerminateAll(double graceSeconds)
{
  const auto killAt =
    std::chrono::steady_clock::now() +
    std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(graceSeconds));
  for (auto & [pid, child] : m_Children)
  {
    child.stopped = true;
    if (!child.termSent || killAt < child.killAt)
    {
      child.termSent = true;
      child.killAt = killAt;
    }
    ::kill(-pid, SIGTERM);
  }
  std::vector<std::pair<std::string, ProcessEnd>> ended;
  while (!m_Children.empty())
  {
    for (auto & e : ReapOnce())
      ended.push_back(std::move(e));
    if (!m_Children.empty())
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ended;
}

} // namespace icanscan::batch
