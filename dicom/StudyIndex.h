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
  /** True when an image or folder was lost to damage or an error (truncated, inconsistent, unreadable): the result
   * is then partial. False for objects that are simply not images (DICOMDIR, SR, text files, FIFOs). */
  bool damaged = false;
  std::string displayPath; //!< path relative to the study folder (what outputs may show); empty = path
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
  /** Files lost to damage or errors (SkippedFile::damaged). */
  std::size_t CountDamaged() const;
};

/** \brief Scans a folder (or a single file) recursively and builds the study index.
 *
 * Parses headers only (stops before the pixel data), in parallel. Symbolic links to folders are followed once (a
 * loop is listed as skipped); FIFOs, devices and sockets are never opened. Volume-set ids are unique: a series whose
 * SeriesNumber another series already uses gets the next free "<n>.<k>". Throws InputError(NoUsableDicom) when the
 * path does not exist, UsageError when params.threads is out of range; an index without any image is returned as is
 * (the caller decides). */
StudyIndex BuildStudyIndex(const std::filesystem::path & root, const StudyIndexParams & params = {});

} // namespace icanscan::dicom
