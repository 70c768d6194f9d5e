#pragma once

#include "filters/ImageTypes.h"

#include <array>
#include <vector>

namespace icanscan::filters
{

/** \brief Parameters of CorrectBias (N4, Tustison et al. 2010). Defaults follow ANTs' N4BiasFieldCorrection. */
struct BiasCorrectionParams
{
  /** N4 runs on a coarser grid: each axis is shrunk by round(shrinkSpacingMm / spacing), capped by
   * maxShrinkFactor, so 0.45 mm in-plane voxels become ~1.8 mm while 5 mm slices are not shrunk at all (their
   * spacing is already coarser than this). The bias field is smooth, so nothing is lost. [0.5, 20] mm. */
  double shrinkSpacingMm = 4.0;
  unsigned maxShrinkFactor = 4; //!< [1, 8]; 1 runs N4 at full resolution
  /** Iterations per fitting level; the B-spline mesh doubles at each level. 1-8 levels, each in [1, 1000]. */
  std::vector<unsigned> iterationsPerLevel{ 50, 50, 50, 50 };
  /** Stop a level when the coefficient of variation of the bias-field update falls below this; (0, 0.1]. */
  double convergenceThreshold = 1e-6;
  /** B-spline mesh element size of the first level, mm: elements per axis = round(field of view / this), at least
   * 1; 200 mm gives N4's default single element on a head. [20, 1000] mm. */
  double initialMeshSpacingMm = 200.0;
  unsigned splineOrder = 3;        //!< [2, 3]
  unsigned histogramBins = 200;    //!< log-intensity histogram bins for sharpening; [20, 1000]
  double wienerFilterNoise = 0.01; //!< Wiener deconvolution noise; (0, 1]
  double biasFieldFwhm = 0.15;     //!< FWHM of the Gaussian the bias blurs the log histogram with; (0, 1]
};

/** \brief Result of CorrectBias. */
struct BiasCorrectionResult
{
  FloatImage::Pointer corrected; //!< input / biasField at full resolution, on the input grid
  /** Multiplicative bias field at full resolution, scaled to geometric mean 1 inside the mask so the corrected
   * image keeps the input's intensity scale there. */
  FloatImage::Pointer biasField;
  std::array<unsigned, 3> shrinkFactors{ 1, 1, 1 }; //!< per axis, as used
  std::vector<unsigned> iterationsPerLevel;         //!< iterations N4 ran at each fitting level
  double finalConvergence = 0;                      //!< last convergence measurement
  double seconds = 0;
};

/** \brief Checks every parameter; throws ConfigError naming the first bad one, its value and the valid range. */
void ValidateBiasCorrectionParams(const BiasCorrectionParams & params);

/** \brief N4 bias field correction. N4 estimates the field on a shrunk copy of the image whose first and last voxel
 * centres coincide with the input's, so the B-spline field it fits is evaluated exactly on the full-resolution grid.
 * Only voxels inside `mask` (non-zero; null = whole image) with positive intensity drive the fit; the field is
 * applied everywhere. `mask` must be on the image grid (InputError otherwise). Each axis needs >= 4 voxels. */
BiasCorrectionResult CorrectBias(const FloatImage * image,
                                 const MaskImage * mask,
                                 const BiasCorrectionParams & params = {});

} // namespace icanscan::filters
