#pragma once

#include "pipeline/RunConfig.h"
#include "pipeline/StudyRunStage.h"

#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief The report's methods paragraphs, written from the settings the run used (`params`) and what the analysis
 * did (reference series, hyperintensity sequence, ADC source, midline method): a changed setting changes the text. */
std::vector<std::string> MethodsText(const StudyAnalysis & analysis, const RunParams & params);

} // namespace icanscan::pipeline
