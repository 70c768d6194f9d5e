#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace icanscan
{
class FileLock;
class RemoveOnSignal;
} // namespace icanscan

namespace icanscan::pipeline
{

/** \brief Creates `folder` (and parents) and checks that a file can be created in it; throws OutputError naming the
 * folder otherwise. */
void EnsureWritableFolder(const std::filesystem::path & folder);

/** \brief Writes text to `file` through a temporary file in the same folder and a rename, so a reader never sees a
 * half-written file. Throws OutputError naming the file. */
void WriteTextFileAtomically(const std::filesystem::path & file, const std::string & text);

/** \brief A temporary path next to `file` that keeps its extension (".nii.gz" included). */
std::filesystem::path TemporarySibling(const std::filesystem::path & file);

/** \brief Moves a finished temporary file into place; throws OutputError naming both. */
void CommitFile(const std::filesystem::path & temporary, const std::filesystem::path & file);

/** \brief A file-name-safe form of a DICOM description: letters, digits, '-' kept, runs of others become '_'; at most
 * `maxLength` characters (a 10,000-character description must not make a file name too long to create). */
std::string SanitizeFileName(const std::string & text, std::size_t maxLength = 64);

/** \brief Refuses an output folder that is an input folder or lies inside one (the next run would read the outputs
 * as input, and a NIfTI study would gain the written volumes as series): UsageError naming both. */
void CheckOutputOutsideInputs(const std::filesystem::path & output, const std::vector<std::string> & inputs);

} // namespace icanscan::pipeline

namespace icanscan::pipeline
{

/** \brief An output folder reserved for this process: a second run into the same folder (from this machine or
 * another one sharing the file system) is refused with an OutputError naming the holder (process id, host, command,
 * start time). Checks first that the folder is a folder (or can be created) and writable. The lock is the file
 * `.icanscan-lock-<name>` beside the folder, removed when this object goes; one left by a killed run is free again
 * (flock) and is taken over. */
class OutputFolderLock
{
public:
  explicit OutputFolderLock(const std::filesystem::path & destination);
  ~OutputFolderLock();
  OutputFolderLock(const OutputFolderLock &) = delete;
  OutputFolderLock & operator=(const OutputFolderLock &) = delete;

private:
  std::unique_ptr<FileLock> m_Lock;
  std::unique_ptr<RemoveOnSignal> m_Cleanup;
};

/** \brief An output folder written in a temporary sibling and moved into place by Commit(), so a killed or failed
 * run leaves no half-written OUT. When OUT already exists, Commit() replaces the entries it wrote and keeps the rest.
 * Without Commit() the destructor removes the temporary folder; a SIGINT, SIGTERM or SIGHUP removes it too, and one
 * left by a run killed otherwise (SIGKILL, a crash) is removed by the next run into the same OUT. OUT is locked
 * (OutputFolderLock) from construction: build this before any work, so that an OUT that is a file, is not writable
 * or is in use fails at once. */
class StagedOutputFolder
{
public:
  explicit StagedOutputFolder(std::filesystem::path destination);
  ~StagedOutputFolder();
  StagedOutputFolder(const StagedOutputFolder &) = delete;
  StagedOutputFolder & operator=(const StagedOutputFolder &) = delete;

  /** Where to write now. */
  const std::filesystem::path & Path() const { return m_Staging; }
  /** Moves everything into the destination; throws OutputError naming the folder. */
  void Commit();

private:
  std::filesystem::path m_Destination;
  std::unique_ptr<OutputFolderLock> m_Lock;
  std::filesystem::path m_Staging;
  std::unique_ptr<FileLock> m_StagingLock;
  std::unique_ptr<RemoveOnSignal> m_Cleanup;
  bool m_Committed = false;
};

} // namespace icanscan::pipeline
