#pragma once

#include <filesystem>

namespace icanscan
{

/** \brief While this object lives, `path` (a staging or temporary folder, or a file) is removed when the process is
 * stopped by SIGINT, SIGTERM or SIGHUP; the signal then ends the process as it would have (exit status 128 + signal).
 *
 * The signal handler only writes to a pipe; a helper thread does the removal in ordinary context. A second signal
 * during the clean-up ends the process at once. A signal that the process ignores (e.g. SIGHUP under nohup) stays
 * ignored, and a handler installed by someone else is left alone. What a SIGKILL or a crash leaves behind is removed
 * by the next run (see RemoveStaleFolders). */
class RemoveOnSignal
{
public:
  explicit RemoveOnSignal(std::filesystem::path path);
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal &) = delete;
  RemoveOnSignal & operator=(const RemoveOnSignal &) = delete;

private:
  unsigned long m_Id;
};

} // namespace icanscan
