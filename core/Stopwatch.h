#pragma once

#include <chrono>

namespace icanscan
{

/** \brief Wall time since construction or the last Restart(), in seconds (a monotonic clock). */
class Stopwatch
{
public:
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - m_Start).count(); }

  /** Returns the seconds so far and starts again. */
  double Restart()
  {
    const double s = Seconds();
    m_Start = Clock::now();
    return s;
  }

private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point m_Start = Clock::now();
};

} // namespace icanscan
