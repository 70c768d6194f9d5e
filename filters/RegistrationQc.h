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
  /** Local optimality: the Mattes value is also measured with the result moved by +-optimalityStepMm along each
   * axis and turned by +-optimalityStepDeg about each axis (about the fixed brain centroid). The gap is the largest
   * relative improvement one of these 12 neighbours offers, (result - neighbour) / |result|: <= 0 at a true optimum.
   * A result a few mm off that is still no worse than a poor start (which the metric gain cannot see) fails here:
   * on the synthetic thick-slice pair a correct result has gap 0, 2 mm or 3 degrees off has 0.15-0.4. Costs 12
   * metric evaluations. Suspect above 0.01, failed above 0.05. */
  double suspectOptimalityGap = 0.01;
  double failedOptimalityGap = 0.05;
  double optimalityStepMm = 2.0;  //!< [0.5, 10] mm
  double optimalityStepDeg = 2.0; //!< [0.5, 10] degrees
  /** Mutual information at the result (nats, = -final Mattes value). Same-anatomy T2/FLAIR/b0 pairs share 0.4-0.9
   * nats inside the brain; unrelated images (noise, another patient's slab) share < 0.05. */
  double suspectMutualInformation = 0.15;
  double failedMutualInformation = 0.05;

  /** Dice of the fixed brain mask with the moving brain mask mapped through the transform, over the fixed voxels
   * that map inside the moving field of view (needs a moving mask). Masks made separately on each series disagree
   * by a few % even when aligned, and a whole-brain Dice is forgiving (synthetic pair: 0.98 aligned, 0.955 at 4 mm,
   * 0.60-0.69 at 40 mm), so this is a coarse check. Suspect below 0.90, failed below 0.80. [0, 1]. */
  double suspectDice = 0.90;
  double failedDice = 0.80;

  /** Edge agreement: correlation of gradient magnitudes inside the fixed brain mask eroded by edgeMaskErosionMm,
   * after Gaussian smoothing of edgeSigmaMm. The erosion keeps the brain outline out: it is the CSF/bone edge on T2
   * but the brain/CSF edge on FLAIR, so outlines do not correspond across contrasts, while interior edges
   * (ventricles, deep grey matter, grey/white) do. Aligned contrasts of one brain correlate 0.6-0.9; a 4 mm error
   * lowers it by ~0.15, a 40 mm error to ~0. A coarse check: suspect below 0.5, failed below 0.3. */
  double suspectEdgeCorrelation = 0.5;
  double failedEdgeCorrelation = 0.3;
  double edgeMaskErosionMm = 5.0; //!< [0, 20] mm
  double edgeSigmaMm = 2.0;       //!< [0, 10] mm

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
  double optimalityGap = std::numeric_limits<double>::quiet_NaN();
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
 * gain against `initial` (null = identity, the scanner geometry), local optimality, mutual information, brain-mask Dice
 * (when `movingMask` is given), edge agreement, coverage and transform plausibility. `fixedMask` (brain) is required;
 * masks must be on their image's grid (InputError otherwise). */
RegistrationQcReport AssessRegistration(const FloatImage * fixed,
                                        const FloatImage * moving,
                                        const MaskImage * fixedMask,
                                        const MaskImage * movingMask,
                                        const itk::MatrixOffsetTransformBase<double, 3, 3> * transform,
                                        const itk::MatrixOffsetTransformBase<double, 3, 3> * initial = nullptr,
                                        const RegistrationQcParams & params = {});

} // namespace icanscan::filters
