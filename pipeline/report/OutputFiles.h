#pragma once

#include <filesystem>
#include <string>

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

/** \brief A file-name-safe form of a DICOM description: letters, digits, '-' kept, runs of others become '_'. */
std::string SanitizeFileName(const std::string & text);

} // namespace icanscan::pipeline

namespace icanscan::pipeline
{

/** \brief An output folder written in a temporary sibling and moved into place by Commit(), so a killed or failed
 * run leaves no half-written OUT. When OUT already exists, Commit() replaces the entries it wrote and keeps the rest.
 * Without Commit() the destructor removes the temporary folder. */
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
  std::filesystem::path m_Staging;
  bool m_Committed = false;
};

} // namespace icanscan::pipeline
