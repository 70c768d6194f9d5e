#pragma once

// Checks shared by the export tests: what icanscan wrote (or an archive returned) against the run's OUT.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace icanscan::test
{

/** \brief The segmentation, read with DcmSegmentation::loadFile, rebuilds volumes/labels.nii.gz voxel for voxel
 * from its 14 structure segments (by tracking ID) and each lesion mask of OUT (Dice 1.0, no voxel different); a
 * lesion class OUT has no mask for has no segment. Google Test expectations. */
void ExpectSegmentationMatchesRun(const std::filesystem::path & seg, const std::filesystem::path & run);

/** \brief Every structure and lesion number of the SR equals report.json to the precision of its decimal string; a
 * null is a NUM without value. Google Test expectations. */
void ExpectReportMatchesJson(const std::filesystem::path & sr, const nlohmann::json & report);

/** \brief True when `text` (a number written as a DICOM DS) equals `value` to the precision of its digits. */
bool EqualToDsPrecision(const std::string & text, double value);

} // namespace icanscan::test
