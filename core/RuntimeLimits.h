#pragma once

#include "core/Error.h"

#include <string>

namespace icanscan
{

/** \brief Most threads a command may be asked for (`--threads`): more than any machine we run on has cores, far
 * fewer than the thousands that exhaust memory or the process's thread limit. */
constexpr int kMaxThreads = 256;

/** \brief Throws UsageError naming the value unless 0 <= threads <= kMaxThreads (0 = all cores). */
inline void CheckThreadCount(int threads)
{
  if (threads < 0 || threads > kMaxThreads)
    throw UsageError("--threads " + std::to_string(threads) + ": expected 0 (all cores) to " +
                     std::to_string(kMaxThreads));
}

} // namespace icanscan
