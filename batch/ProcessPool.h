#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace icanscan::batch
{

/** \brief How to start one child process. */
struct ProcessSpec
{
  std::vector<std::string> argv; //!< argv[0] is the executable (a path; PATH is not searched)
  std::filesystem::path log;     //!< stdout and stderr of the child go to this file (created or truncated)
  double timeoutSeconds = 0;     //!< wall-time limit in s; 0 = none. SIGTERM at the limit, SIGKILL 10 s later
};

/** \brief How a child process ended. */
struct ProcessEnd
{
  int exitCode = -1;       //!< the exit status when the process exited, -1 when a signal ended it
  int signal = 0;          //!< the signal that ended it, 0 when it exited
  bool timedOut = false;   //!< ended by the pool at its wall-time limit
  bool stopped = false;    //!< ended by TerminateAll() (the batch was interrupted)
  double seconds = 0;      //!< wall time from start to end
  double peakMemoryMb = 0; //!< peak resident memory (MiB) of the process and the children it waited for

  /** The code a shell reports: the exit status, or 128 + the signal. */
  int ShellCode() const { return signal ? 128 + signal : exitCode; }
};

/** \brief Runs child processes side by side, each in its own process group, and reports how each ended.
 *
 * A child that crashes, runs out of memory or is killed never affects the others or the pool. Children are asked to
 * die with the pool's process (Linux PR_SET_PDEATHSIG), so a killed batch leaves no orphan running. The pool does not
 * limit how many run at once: the caller starts only as many as it wants. Not thread-safe; use from one thread. */
class ProcessPool
{
public:
  ProcessPool() = default;
  /** Terminates (SIGTERM, then SIGKILL) and reaps every child still running. */
  ~ProcessPool();
  ProcessPool(const ProcessPool &) = delete;
  ProcessPool & operator=(const ProcessPool &) = delete;

  /** Starts `spec` under `key` (unique among running children) and returns its pid. Throws OutputError naming the
   * log when it cannot be created, UsageError for an empty argv or a key already running, Error when fork fails. An
   * executable that cannot be run makes the child exit with 127 and a line in its log. */
  pid_t Start(const std::string & key, const ProcessSpec & spec);

  /** Children that ended since the last call, with their keys (non-blocking). Also enforces the time limits. */
  std::vector<std::pair<std::string, ProcessEnd>> Reap();

  /** Sends SIGTERM to every running child's process group, SIGKILL to those still alive after `graceSeconds`, waits
   * for all of them and returns how each ended (with `stopped` set). */
  std::vector<std::pair<std::string, ProcessEnd>> TerminateAll(double graceSeconds);

  std::size_t Running() const { return m_Children.size(); }

  /** The pid of the running child `key`, 0 when none runs under it. */
  pid_t PidOf(const std::string & key) const;

private:
  struct Child
  {
    std::string key;
    std::chrono::steady_clock::time_point start;
    double timeoutSeconds = 0;
    bool timedOut = false;
    bool stopped = false;
    std::chrono::steady_clock::time_point killAt; //!< SIGKILL time after a SIGTERM; unset before
    bool termSent = false;
  };
  std::vector<std::pair<std::string, ProcessEnd>> ReapOnce();
  std::map<pid_t, Child> m_Children;
};

} // namespace icanscan::batch
