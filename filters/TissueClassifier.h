#pragma once

#include "filters/ImageTypes.h"
#include "itkImage.h"

#include <cstddef>
#include <vector>

namespace icanscan::filters
{

using TissueIntensityImage = FloatImage;
using TissueMaskImage = MaskImage;
using TissueLabelImage = ByteLabelImage;

/** \brief Parameters of ClassifyTissue. */
struct TissueClassifierParams
{
  /** Number of intensity classes; [2, 8]. Three gives CSF/GM/WM on a T1-weighted brain (classes ordered dark to
   * bright: 1 CSF, 2 GM, 3 WM) and WM/GM/CSF on a T2-weighted one. */
  unsigned numberOfClasses = 3;
  /** Histogram bins over the masked intensity range; [16, 16384]. Each bin keeps the exact sum and sum of squares of
   * its intensities, so the bins only limit where a class boundary may fall (range / bins). The search costs
   * numberOfClasses * bins² / 2 steps. */
  unsigned histogramBins = 4096;
  /** Masked voxels below this percentile or above 100 minus it do not move the class boundaries (they are still
   * labelled, with the darkest or brightest class); keeps a few extreme voxels (vessels, a bright artefact) from
   * claiming a class of their own; [0, 10]. */
  double outlierPercentile = 0.1;
};

/** \brief Result of ClassifyTissue. */
struct TissueClassification
{
  TissueLabelImage::Pointer labels; //!< 0 outside the mask, 1..K inside, in ascending order of class mean
  std::vector<double> means;        //!< class means (image units), means[k] belongs to label k+1
  std::vector<double> thresholds;   //!< K-1 decision boundaries: label k+1 for thresholds[k-1] <= value < thresholds[k]
  std::vector<std::size_t> counts;  //!< voxels per class
};

/** \brief Classifies the voxels inside a mask into K intensity classes: k-means on the intensities, solved exactly.
 *
 * In one dimension the k-means optimum (least within-class sum of squares, which is also Otsu's multi-threshold
 * criterion) is a set of K-1 thresholds, found here globally by dynamic programming over the histogram bins, so there
 * is no start to choose and no local optimum (Lloyd iterations from quantiles can end in one when the classes have
 * very different sizes). Each voxel then gets the class of the nearest optimal mean (the optimum's own boundaries up
 * to a bin, and well defined across an empty intensity gap). Intensity-only (no spatial prior, no bias correction): run
 * it on a bias-corrected image. `mask` must share the image's grid; voxels where it is non-zero are classified.
 *
 * Throws ConfigError naming a parameter out of its range, InputError for a null image, a mask on another grid, or
 * fewer masked voxels than classes (or fewer distinct intensities). */
TissueClassification ClassifyTissue(const TissueIntensityImage * image,
                                    const TissueMaskImage * mask,
                                    const TissueClassifierParams & params = {});

} // namespace icanscan::filters
