#include "core/RemoveOnSignal.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <mutex>
#include <thread>

namespace icanscan
{
namespace
{
constexpr int kSignals[] = { SIGINT, SIGTERM, SIGHUP };

/** Shared by the handler (only the pipe and the pid, both async-signal-safe to read) and the clean-up thread. Never
 * destroyed: a signal may arrive while static objects are being torn down. */
struct Registry
{
  std::mutex mutex;
  std::map<unsigned long, std::filesystem::path> paths;
  unsigned long nextId = 1;
  pid_t owner = 0; //!< the process whose clean-up thread reads the pipe (a forked child has none)
};

Registry & TheRegistry()
{
  static Registry * registry = new Registry;
  return *registry;
}

volatile sig_atomic_t g_WriteEnd = -1;
volatile pid_t g_Owner = 0;

void OnSignal(int signal)
{
  const int savedErrno = errno;
  struct sigaction defaults = {};
  defaults.sa_handler = SIG_DFL;
  sigemptyset(&defaults.sa_mask);
  ::sigaction(signal, &defaults, nullptr); // a second signal ends the process at once
  if (g_WriteEnd >= 0 && g_Owner == ::getpid())
  {
    const unsigned char byte = static_cast<unsigned char>(signal);
    if (::write(g_WriteEnd, &byte, 1) == 1)
    {
      errno = savedErrno;
      return;
    }
  }
  ::raise(signal);
  errno = savedErrno;
}

void CleanUpThenDie(int readEnd)
{
  unsigned char byte = 0;
  while (true)
  {
    const ssize_t got = ::read(readEnd, &byte, 1);
    if (got == 1)
      break;
    if (got < 0 && errno == EINTR)
      continue;
    return;
  }
  Registry & registry = TheRegistry();
  {
    std::lock_guard<std::mutex> guard(registry.mutex);
    for (int attempt = 0; attempt < 3; ++attempt) // other threads may still be writing into a staging folder
      for (const auto & entry : registry.paths)
      {
        std::error_code ec;
        std::filesystem::remove_all(entry.second, ec);
      }
  }
  const int signal = byte;
  struct sigaction defaults = {};
  defaults.sa_handler = SIG_DFL;
  sigemptyset(&defaults.sa_mask);
  ::sigaction(signal, &defaults, nullptr);
  ::kill(::getpid(), signal);
}

/** Starts the clean-up thread and installs the handlers, once per process (again in a forked child). */
void EnsureInstalled(Registry & registry)
{
  if (registry.owner == ::getpid())
    return;
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0)
    return; // no clean-up on signals; the next run removes what is left
  try
  {
    std::thread(CleanUpThenDie, ends[0]).detach();
  }
  catch (const std::exception &)
  {
    ::close(ends[0]);
    ::close(ends[1]);
    return;
  }
  registry.owner = ::getpid();
  g_WriteEnd = ends[1];
  g_Owner = registry.owner;
  for (const int signal : kSignals)
  {
    struct sigaction previous = {};
    if (::sigaction(signal, nullptr, &previous) != 0 || previous.sa_handler != SIG_DFL ||
        (previous.sa_flags & SA_SIGINFO) != 0)
      continue;
    struct sigaction action = {};
    action.sa_handler = OnSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal, &action, nullptr);
  }
}
} // namespace

RemoveOnSignal::RemoveOnSignal(std::filesystem::path path)
{
  Registry & registry = TheRegistry();
  std::lock_guard<std::mutex> guard(registry.mutex);
  EnsureInstalled(registry);
  m_Id = registry.nextId++;
  registry.paths[m_Id] = std::move(path);
}

RemoveOnSignal::~RemoveOnSignal()
{
  Registry & registry = TheRegistry();
  std::lock_guard<std::mutex> guard(registry.mutex);
  registry.paths.erase(m_Id);
}

} // namespace icanscan
