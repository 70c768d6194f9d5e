#pragma once

// The phantom runs of the e2e fixture (tests/e2e/make_phantom_runs.sh) as the export tests use them.

#include "filters/ImageTypes.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::test
{

/** \brief build/e2e (ICANSCAN_E2E_DIR); empty when the variable is not set. */
std::filesystem::path E2eDir();

/** \brief True when CI=true: there a missing fixture run or a missing Orthanc fails the test instead of skipping it. */
bool UnderCi();

/** \brief The run OUT and the DICOM study of one fixture case. */
std::filesystem::path CaseRun(const std::string & name);
std::filesystem::path CaseStudy(const std::string & name);

/** \brief A new empty temporary folder (removed by RemoveFolder unless ICANSCAN_KEEP_TEMP is set). */
std::filesystem::path NewTempFolder(const std::string & name);
void RemoveFolder(const std::filesystem::path & folder);

/** \brief A copy of a case's run OUT (report, html, volumes, transforms; dicom/ too when `withDicom`). */
std::filesystem::path CopyRun(const std::string & name, const std::filesystem::path & destination, bool withDicom);

nlohmann::json ReadJson(const std::filesystem::path & file);
std::string ReadAll(const std::filesystem::path & file); //!< .gz files are decompressed
filters::MaskImage::Pointer ReadMask(const std::filesystem::path & file);

/** \brief Voxels where the two images differ in value (same size required). */
std::size_t CountDifferent(const filters::MaskImage * a, const filters::MaskImage * b);
/** \brief Dice of the non-zero voxels (1 when both are empty). */
double Dice(const filters::MaskImage * a, const filters::MaskImage * b);

/** \brief Every regular file under `folder`, sorted. */
std::vector<std::filesystem::path> FilesUnder(const std::filesystem::path & folder);

} // namespace icanscan::test
