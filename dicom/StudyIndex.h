#pragma once

#include "dicom/VolumeSet.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace icanscan::dicom
{

/** \brief A file that was found but not used, and why. */
struct SkippedFile
{
  std::string path;
  std::string reason;
};

/** \brief Options of a study scan. */
struct StudyIndexParams
{
  int threads = 0; //!< OpenMP threads for header parsing; 0 = OpenMP default
  /** Role overrides: key is a volume-set id ("7", "7.2") or a SeriesInstanceUID. */
  std::map<std::string, SeriesRole> roleOverrides;
};

/** \brief Every volume set of a study folder, with verdicts and roles, plus the files that were skipped. */
struct StudyIndex
{
  std::filesystem::path root;
  std::vector<VolumeSet> volumeSets; //!< sorted by series number, then id
  std::vector<SkippedFile> skipped;
  std::size_t filesScanned = 0;

  std::size_t CountUsable() const;
};

/** \brief Scans a folder (or a single file) recursively and builds the study index.
 *
 * Parses headers only (stops before the pixel data), in parallel. Throws InputError(NoUsableDicom) when the path
 * does not exist; an index without any image is returned as is (the caller decides). */
StudyIndex BuildStudyIndex(const std::filesystem::path & root, const StudyIndexParams & params = {});

} // namespace icanscan::dicom
