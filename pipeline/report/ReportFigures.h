#pragma once

#include "pipeline/report/ReportHtml.h"
#include "pipeline/StudyRunStage.h"

#include <vector>

namespace icanscan::pipeline
{

/** \brief Key images of a run for report.html: one axial slice through each finding's centroid (FLAIR or T2 for
 * hyperintensity, the DWI trace for restriction) with the lesion masks filled (T2/FLAIR red, DWI blue) and the
 * finding's structure outlined in yellow; an overview through the thalami when there is no finding. Radiological
 * convention. At most `maxFigures`. */
std::vector<KeyImageFigure> MakeReportFigures(const StudyAnalysis & analysis, std::size_t maxFigures = 8);

} // namespace icanscan::pipeline
