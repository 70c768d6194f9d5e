#pragma once

#include "dicom/StudyIndex.h"

#include <nlohmann/json.hpp>

#include <string>

namespace icanscan::pipeline
{

/** \brief The index as JSON: one entry per volume set (id, series number, description, role and reasons, dims,
 * spacing, b-values, verdict and messages) and the skipped files (path relative to the study, reason, whether it was
 * damaged). No patient identifiers; always valid UTF-8. */
nlohmann::json StudyIndexToJson(const dicom::StudyIndex & index);

/** \brief The index as a human-readable table, one line per volume set plus indented reasons and messages. */
std::string StudyIndexToText(const dicom::StudyIndex & index);

} // namespace icanscan::pipeline
