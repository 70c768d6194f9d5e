#pragma once

#include <filesystem>

namespace icanscan::batch
{

/** \brief Holds OUT_ROOT/batch.lock (an exclusive flock) while a batch writes OUT_ROOT, so that two batches never write
 * the same studies at once. Released when destroyed (or when the process dies). */
class OutRootLock
{
public:
  /** Creates OUT_ROOT when needed; throws OutputError naming OUT_ROOT when it cannot be written or another batch holds
   * the lock. */
  explicit OutRootLock(const std::filesystem::path & outRoot);
  ~OutRootLock();
  OutRootLock(const OutRootLock &) = delete;
  OutRootLock & operator=(const OutRootLock &) = delete;

private:
  int m_Fd = -1;
};

} // namespace icanscan::batch
