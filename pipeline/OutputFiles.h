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
