#pragma once

#include "filters/ImageTypes.h"

#include <map>

namespace icanscan::pipeline
{

/** \brief Settings of the lesion filling before the baseline registration (fixed; not in the config file). */
struct LesionFillParams
{
  /** A structure's own level is the median of its voxels outside the lesions grown by this (their partial-volume
   * rim). */
  double lesionMarginMm = 2.0;
  /** The structure's own level is used when at least this fraction of its voxels lies outside the grown lesions; a
   * structure that is mostly lesion takes its level from the baseline instead. */
  double ownRemainderMin = 0.3;
};

/** \brief Median intensity of `image` over each structure of `labels` (core/Structures.h values) outside `exclude`
 * (0/1, may be null), with the fraction of the structure's voxels that entered it. Same grid required (InputError). */
struct StructureLevels
{
  std::map<unsigned char, double> median;
  std::map<unsigned char, double> outsideFraction; //!< voxels outside `exclude` / voxels of the structure
};
StructureLevels MeasureStructureLevels(const filters::FloatImage * image,
                                       const filters::ByteLabelImage * labels,
                                       const filters::ByteLabelImage * exclude);

/** \brief The white matter's level: the mean of the left and right white-matter medians present (0 when neither). */
double WhiteMatterLevel(const StructureLevels & levels);

/** \brief The normal level of each structure in the follow-up, for filling its lesions: the follow-up's own median
 * outside the lesions where enough of the structure lies outside them (`params.ownRemainderMin`), else the
 * baseline's median of the same structure scaled by the ratio of the two scans' white-matter medians (outside the
 * lesions in the follow-up). A structure neither gives is left out (its lesions stay unfilled). */
std::map<unsigned char, double> NormalLevelsForFilling(const StructureLevels & followup,
                                                       const StructureLevels & baseline,
                                                       const LesionFillParams & params = {});

/** \brief How FillLesions treats what is not lesion tissue. */
struct FillOptions
{
  /** Signal of CSF in the image (0: unknown). When brighter than a lesion (T2), lesion voxels closer to it than to the
   * lesion's own level (its median inside its structure) are CSF caught in the lesion mask and keep their signal. */
  double csfLevel = 0.0;
  /** The partial-volume rim: voxels within `rimWidthMm` outside a filled component whose signal lies between
   * `surroundLevel` (the darker tissue around, e.g. the white-matter median) and the lesion's own level are read as a
   * mix of the two, and their lesion part is given the fill level; other rim voxels keep theirs. Off when either is
   * 0. */
  double rimWidthMm = 0.0;
  double surroundLevel = 0.0;
};

/** \brief Lesion filling (as before atrophy measurement in multiple sclerosis): each connected component of
 * `lesions` (26-connected) is replaced by the level in `levels` of the tissue structure of `labels` that holds most of
 * its voxels (the ventricles never do), so a registration matches the lesion's boundaries rather than its changed
 * signal; CSF inside the mask and the partial-volume rim as `options` say. Components whose structure has no level
 * are left as they are and marked in `unfilled`. Same grid required (InputError). */
struct FilledImage
{
  filters::FloatImage::Pointer image;
  filters::ByteLabelImage::Pointer filled;   //!< 0/1: voxels of filled components (CSF kept in them included)
  filters::ByteLabelImage::Pointer unfilled; //!< 0/1: lesion voxels left with their own signal
};
FilledImage FillLesions(const filters::FloatImage * image,
                        const filters::ByteLabelImage * lesions,
                        const filters::ByteLabelImage * labels,
                        const std::map<unsigned char, double> & levels,
                        const FillOptions & options = {});

} // namespace icanscan::pipeline
