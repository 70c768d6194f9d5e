#pragma once

#include <csignal>
#include <filesystem>

namespace icanscan::app
{

/** \brief While alive, SIGINT, SIGTERM and SIGHUP set Flag() to the signal's number instead of ending the process, so
 * that a batch can stop its running studies cleanly; the previous handlers come back when it is destroyed. */
class StopSignals
{
public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals &) = delete;
  StopSignals & operator=(const StopSignals &) = delete;

  /** 0 until one of the signals arrives, then its number. */
  static const volatile std::sig_atomic_t * Flag();

private:
  struct sigaction m_Previous[3] = {};
};

/** \brief This executable's path (/proc/self/exe): what `batch` and `bids` start for each study. */
std::filesystem::path OwnExecutable();

} // namespace icanscan::app
