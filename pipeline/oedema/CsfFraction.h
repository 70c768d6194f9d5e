#pragma once

#include "filters/ImageTypes.h"

#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief The two intensities a partial-volume CSF fraction mixes: the patient's own parenchyma and CSF. */
struct CsfLevels
{
  double parenchyma = 0; //!< median of grey + white matter voxels (tissue classes), lesions left out
  double csf = 0;        //!< CSF-class voxels: 90th percentile when CSF is bright (ADC, T2), 10th when dark (FLAIR, T1)
};

/** \brief A per-voxel CSF fraction (0..1) in raster order, with how it was obtained. */
struct CsfFractionMap
{
  std::vector<float> fraction; //!< one per voxel of the image's grid; 0 outside `within`
  CsfLevels levels;
  std::string method; //!< one sentence for the report's notes
};

/** \brief Partial-volume CSF fraction: the linear mix of the patient's parenchyma and CSF levels that the voxel's
 * intensity sits at, clamped to 0..1, inside `within`. A 5 mm slice through a sulcus holds tissue and CSF; counting
 * its fraction instead of thresholding it keeps CSF volumes independent of the slice thickness. `csfBright`: CSF is
 * brighter than tissue (ADC, T2) or darker (FLAIR, T1). `lesions` (may be null: T2/FLAIR hyperintensity) are left out
 * of the parenchyma level and count as no CSF (their T2 and ADC rise with oedema, not with CSF). Falls back to the
 * binary CSF class (fraction 0 or 1) when the two levels are not apart (|csf - parenchyma| below a quarter of the
 * parenchyma level, or fewer than 50 voxels of either), and says so in `method`. */
CsfFractionMap MeasureCsfFraction(const filters::FloatImage * image,
                                  bool csfBright,
                                  const filters::ByteLabelImage * tissue,
                                  const filters::ByteLabelImage * within,
                                  const filters::ByteLabelImage * lesions,
                                  const std::string & sequence);

/** \brief The binary CSF class as a fraction map (no intensity image to mix). */
CsfFractionMap CsfFractionFromClasses(const filters::ByteLabelImage * tissue, const filters::ByteLabelImage * within);

} // namespace icanscan::pipeline
