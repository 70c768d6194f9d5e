#pragma once

#include "batch/StudyList.h"

#include <filesystem>
#include <string>

namespace icanscan::batch
{

/** \brief Every file under `root` (or `root` itself when it is a file), one line each: path relative to `root`, size
 * in bytes and modification time in ns, sorted by path. Folder symbolic links are not followed (as the study index
 * does not follow them); file links are described by their targets. "missing" when `root` does not exist. */
std::string DescribeFiles(const std::filesystem::path & root);

/** \brief The SHA-256 (hex) of what decides a study's result: the file lists of the study and its baseline, the
 * contents of clinical.json and of the config file (empty path = defaults), the role overrides and the icanscan
 * version. Two runs with the same fingerprint get the same inputs and settings; touching, adding or removing a file
 * changes it. The number of threads is left out: results do not depend on it. */
std::string InputFingerprint(const StudyEntry & study,
                             const std::filesystem::path & configFile,
                             const std::string & version);

} // namespace icanscan::batch
