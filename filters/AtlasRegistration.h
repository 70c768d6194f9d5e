#pragma once

#include "filters/IntensityOutliers.h"
#include "filters/StochasticBSplineRegistration.h"

#include "itkCompositeTransform.h"
#include "itkImage.h"

#include <vector>

namespace icanscan::filters
{

/** \brief Default stochastic B-spline level with a given grid spacing (mm). */
inline StochasticBSplineParams FineLevel(double gridSpacingMm)
{
  StochasticBSplineParams level;
  level.gridSpacingMm = gridSpacingMm;
  return level;
}

/** \brief Parameters of RegisterAtlas. Every length is in mm, every iteration count per resolution level. */
struct AtlasRegistrationParams
{
  double workingSpacingMm = 2.0; //!< fixed image resampled to this isotropic grid for the metric; (0.5, 6]
  unsigned histogramBins = 32;   //!< Mattes mutual information bins; [8, 128]
  unsigned randomSeed = 121;     //!< metric sampling seed
  /** Single-threaded metric: identical inputs give identical results (the threaded Mattes metric sums its
   * histogram in a varying order, which moves Dice by about ±0.02 between runs), at about 1.3x the time. */
  bool deterministic = true;
  unsigned affineSamples = 20000;                       //!< random metric samples per level; [1000, 1e7]
  std::vector<unsigned> affineShrinkFactors{ 4, 2, 1 }; //!< per level, relative to the working grid
  std::vector<double> affineSmoothingVoxels{ 2, 1, 0 }; //!< Gaussian sigma per level, in working-grid voxels
  std::vector<unsigned> affineIterations{ 150, 100, 50 };
  bool deformable = true;                    //!< add a B-spline stage after the affine
  double bsplineInitialGridSpacingMm = 60.0; //!< control-point spacing at the first B-spline level
  /** Per B-spline level; the grid spacing halves each level. One level (60 mm): a second one (30 mm) cost 12 s for no
   * gain in Dice once the stochastic 10 mm level follows (bench/atlas_dice.sh against MNI152 Harvard-Oxford). */
  std::vector<unsigned> bsplineShrinkFactors{ 2 };
  std::vector<double> bsplineSmoothingVoxels{ 1 };
  /** L-BFGS iterations; ITK v4 runs all levels with one optimizer, so the first count applies to every level. */
  std::vector<unsigned> bsplineIterations{ 40 };
  unsigned bsplineSamples = 30000; //!< random metric samples per level; [1000, 1e7]
  double bsplineMaxStepMm = 1.0;   //!< largest control-point move per iteration
  /** Finer B-spline levels after those, each optimised stochastically (RegisterBSplineStochastic) on the atlas carried
   * through the levels before it. ITK's Mattes metric costs samples x parameters per evaluation of a B-spline, which
   * makes fine grids unaffordable with the v4 method; the stochastic levels cost O(samples) per step. Empty: none. */
  std::vector<StochasticBSplineParams> fineLevels{ FineLevel(20.0), FineLevel(10.0) };
  /** Voxel size of the atlas carried through the previous levels for each fine level; (0.5, 6] mm. 1.5 mm: Dice as at
   * 1 mm (MNI152 Harvard-Oxford, bench/atlas_dice.sh) for a third of the resampling time. */
  double fineMovingSpacingMm = 1.5;
  /** The fine levels leave out the subject's voxels whose intensity is an outlier for the atlas intensity there
   * (MaskIntensityOutliers, robust z > 4): lesions and swollen, hyperintense tissue do not pull the fit. Measured:
   * swollen thalamic phantom 0.76/0.77 -> 0.82/0.81, swollen MNI152 thalami 0.69/0.73 -> 0.72/0.73, normal studies
   * unchanged (within 0.01). */
  bool fineOutliers = true;
  IntensityOutlierParams outliers;
};

/** \brief Result of RegisterAtlas: maps a fixed (subject) point to the moving (atlas) point. */
struct AtlasRegistrationResult
{
  itk::CompositeTransform<double, 3>::Pointer transform; //!< affine, B-spline, fine B-spline (applied last first)
  double affineMetric = 0;                               //!< final Mattes MI after the affine stage (lower is better)
  double finalMetric = 0;                                //!< after the B-spline stage (= affineMetric without it)
  /** Negative MI of each fine level's own metric before and after it (on one large sample set per level). */
  std::vector<std::pair<double, double>> fineMetrics;
  std::vector<double> fineOutlierFractions; //!< fraction of the mask left out of each fine level as outliers
  double seconds = 0;
};

/** \brief Registers an atlas image (moving) to a subject image (fixed): moments initialisation, multi-resolution
 * affine, then a coarse B-spline (60 mm, L-BFGS) and finer B-spline levels (20 and 10 mm, stochastic gradient descent
 * with new samples every step), all with Mattes mutual information (the atlas is T1-weighted, the subject
 * T2/FLAIR). The metric runs on the fixed image resampled to an isotropic working grid, so 5 mm clinical slices and
 * 1 mm volumes are handled alike. `fixedMask` (optional) restricts the metric to the subject's brain: lesions and
 * swelling outside the mask cannot pull the fit. `initial` (optional) starts the affine stage from a given affine
 * (e.g. a head-to-head pass before a brain-masked pass). Throws ConfigError naming a bad parameter. */
AtlasRegistrationResult RegisterAtlas(const RegistrationImage * fixed,
                                      const RegistrationImage * moving,
                                      const RegistrationMask * fixedMask,
                                      const AtlasRegistrationParams & params,
                                      const itk::Transform<double, 3, 3> * initial = nullptr);

/** \brief Checks every parameter; throws ConfigError naming the first bad one, its value and the valid range. */
void ValidateAtlasRegistrationParams(const AtlasRegistrationParams & params);

} // namespace icanscan::filters
