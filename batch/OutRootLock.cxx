#include "batch/OutRootLock.h"

#include "core/Error.h"
#include "pipeline/report/OutputFiles.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace icanscan::batch
{

OutRootLock::OutRootLock(const std::filesystem::path & outRoot)
{
  pipeline::EnsureWritableFolder(outRoot);
  const auto file = outRoot / "batch.lock";
  m_Fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (m_Fd < 0)
    throw OutputError(file.string() + ": cannot create the batch lock: " + std::strerror(errno));
  if (::flock(m_Fd, LOCK_EX | LOCK_NB) != 0)
  {
    const int error = errno;
    ::close(m_Fd);
    m_Fd = -1;
    if (error == EWOULDBLOCK)
      throw OutputError(outRoot.string() + ": another icanscan batch is writing this OUT_ROOT (" + file.string() +
                        " is locked); wait for it or choose another OUT_ROOT");
    throw OutputError(file.string() + ": cannot lock: " + std::strerror(error));
  }
}

OutRootLock::~OutRootLock()
{
  if (m_Fd >= 0)
    ::close(m_Fd);
}

} // namespace icanscan::batch
