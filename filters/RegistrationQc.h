#pragma once

#include "filters/ImageTypes.h"

#include "itkMatrixOffsetTransformBase.h"

#include <limits>
#include <string>
#include <vector>

namespace icanscan::filters
{

/** \brief Verdict of AssessRegistration, from best to worst. */
enum class QcVerdict
{
  Ok,      //!< every measurement within its limits
  Suspect, //!< at least one measurement in its suspect band: look at the overlay before using the result
  Failed,  //!< at least one measurement beyond its failure limit: do not use the result
};

/** \brief "ok", "suspect" or "failed". */
std::string ToString(QcVerdict verdict);

/** \brief Thresholds of AssessRegistration. Suspect limits sit where a correct intra-study registration is rarely
 * found, failed limits where it is never found; both were set on synthetic thick-slice pairs (tests/filters) and
 * ICANS practice, and are meant to be tuned on real studies. */
struct RegistrationQcParams
{
  /** Measurements run on grids of max(native, this) per axis: fast, and the same for 0.45 mm and 1.8 mm series.
   * [0.5, 4] mm. */
  double workingSpacingMm = 2.0;
  unsigned histogramBins = 32; //!< Mattes MI bins, as the registration; [8, 256]

  /** Metric gain = (initial - final) / |initial| of the dense Mattes value (lower is better, so a gain > 0 means
   * the registration improved the match). Starting from the scanner geometry a good result is never worse than its
   * start; a few % worse means the optimiser walked away. Suspect below -0.02, failed below -0.10. */
  double suspectMetricGain = -0.02;
  double failedMetricGain = -0.10;
  /** Mutual information at the result (nats, = -final Mattes value). Same-anatomy T2/FLAIR/b0 pairs share 0.3-0.8
   * nats inside the brain; unrelated images (noise, another patient's slab) share < 0.05. */
  double suspectMutualInformation = 0.15;
  double failedMutualInformation = 0.05;

  /** Dice of the fixed brain mask with the moving brain mask mapped through the transform, over the fixed voxels
   * that map inside the moving field of view (needs a moving mask). Thick slices cost a few % at the vertex and base
   * even when aligned; a 3 mm error on a brain costs ~ 5 %. Suspect below 0.90, failed below 0.80. [0, 1]. */
  double suspectDice = 0.90;
  double failedDice = 0.80;

  /** Edge agreement: correlation of gradient magnitudes inside the fixed brain mask dilated by edgeMaskMarginMm
   * (so the brain outline counts), after Gaussian smoothing of edgeSigmaMm. Aligned contrasts of one brain
   * correlate 0.4-0.9; a 3-5 mm error halves it. Suspect below 0.30, failed below 0.15. */
  double suspectEdgeCorrelation = 0.30;
  double failedEdgeCorrelation = 0.15;
  double edgeMaskMarginMm = 4.0; //!< [0, 20] mm
  double edgeSigmaMm = 2.0;      //!< [0, 10] mm

  /** Share of the fixed brain mask that maps inside the moving field of view: below it too little is compared for
   * the other measurements to mean anything. Failed below 0.5. [0, 1]. */
  double failedCoverage = 0.5;

  /** Transform plausibility: patients move a few degrees and millimetres between series of one session. Rotation
   * angle of the rotation matrix (deg), and displacement of the fixed brain's centroid (mm). */
  double suspectRotationDeg = 8.0;
  double failedRotationDeg = 20.0;
  double suspectTranslationMm = 15.0;
  double failedTranslationMm = 30.0;
  /** The matrix must be a rotation: |det - 1| and max |RᵀR - I| at most this, else failed (reflection, scaling or
   * shear is not a rigid motion). (0, 0.1]. */
  double rotationTolerance = 1e-4;
};

/** \brief Every measurement of AssessRegistration; NaN when it could not be made (e.g. Dice without moving mask). */
struct RegistrationQcReport
{
  QcVerdict verdict = QcVerdict::Ok;
  /** One line per measurement outside its ok band: "<measurement> = <value> <comparison> <threshold> (<verdict>)". */
  std::vector<std::string> reasons;
  double initialMetric = std::numeric_limits<double>::quiet_NaN(); //!< dense Mattes value at the initial transform
  double finalMetric = std::numeric_limits<double>::quiet_NaN();   //!< at the result
  double metricGain = std::numeric_limits<double>::quiet_NaN();
  double mutualInformation = std::numeric_limits<double>::quiet_NaN(); //!< -finalMetric, nats
  double dice = std::numeric_limits<double>::quiet_NaN();
  double edgeCorrelation = std::numeric_limits<double>::quiet_NaN();
  double coverage = std::numeric_limits<double>::quiet_NaN();
  double rotationDeg = std::numeric_limits<double>::quiet_NaN();
  double translationMm = std::numeric_limits<double>::quiet_NaN();
  double determinant = std::numeric_limits<double>::quiet_NaN();
  double orthogonalityError = std::numeric_limits<double>::quiet_NaN(); //!< max |RᵀR - I|
};

/** \brief Checks every threshold; throws ConfigError naming the first bad one, its value and the valid range. */
void ValidateRegistrationQcParams(const RegistrationQcParams & params);

/** \brief Judges a registration result (`transform`: fixed point -> moving point) from measurable evidence: metric
 * gain against `initial` (null = identity, the scanner geometry), mutual information, brain-mask Dice (when
 * `movingMask` is given), edge agreement, coverage and transform plausibility. `fixedMask` (brain) is required;
 * masks must be on their image's grid (InputError otherwise). */
RegistrationQcReport AssessRegistration(const FloatImage * fixed,
                                        const FloatImage * moving,
                                        const MaskImage * fixedMask,
                                        const MaskImage * movingMask,
                                        const itk::MatrixOffsetTransformBase<double, 3, 3> * transform,
                                        const itk::MatrixOffsetTransformBase<double, 3, 3> * initial = nullptr,
                                        const RegistrationQcParams & params = {});

} // namespace icanscan::filters
