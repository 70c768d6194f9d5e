#pragma once

#include "filters/BSplineMutualInformation.h"

namespace icanscan::filters
{

/** \brief Parameters of RegisterBSplineStochastic. */
struct StochasticBSplineParams
{
  double gridSpacingMm = 10.0; //!< control-point spacing; [5, 100] mm
  unsigned iterations = 300;   //!< gradient steps, each on fresh samples; [1, 100000]
  unsigned samples = 3000;     //!< random fixed points per step; [100, 1000000]
  unsigned histogramBins = 32; //!< Mattes mutual information bins; [8, 256]
  double maxStepMm = 1.0;      //!< largest control-point move of the first step (later steps decay); (0, 10] mm
  double gainOffset = 20;      //!< A of the gain a / (k + 1 + A)^exponent; [0, 10000]
  double gainExponent = 0.602; //!< decay exponent of the gain (Spall's value); (0, 1]
  unsigned randomSeed = 1;
};

/** \brief Result of RegisterBSplineStochastic: maps a fixed point to the moving point. */
struct StochasticBSplineResult
{
  FineBSplineTransform::Pointer transform;
  double initialMetric = 0; //!< negative mutual information before (identity) and after, on one large sample set
  double finalMetric = 0;
  double seconds = 0;
};

/** \brief Deformable registration with a B-spline grid on the fixed image, by stochastic gradient descent on Mattes
 * mutual information with new random samples at every step (the scheme of elastix's stochastic optimisers: each step is
 * cheap and no fixed sample set is over-fitted, so fine grids stay affordable and stable). Samples are random
 * coordinates in the fixed image (within `fixedMask` when given). The gain decays as a / (k + 1 + A)^exponent, with a
 * chosen so that the first step moves the largest control point by maxStepMm; no step moves one further. Seeded:
 * identical inputs give identical results. Throws ConfigError naming a bad parameter, InputError for an empty mask. */
StochasticBSplineResult RegisterBSplineStochastic(const RegistrationImage * fixed,
                                                  const RegistrationImage * moving,
                                                  const RegistrationMask * fixedMask,
                                                  const StochasticBSplineParams & params);

/** \brief An identity B-spline whose domain is `image`'s field of view, with control points about `gridSpacingMm`
 * apart (at least one mesh element per axis). */
FineBSplineTransform::Pointer IdentityBSplineOn(const RegistrationImage * image, double gridSpacingMm);

/** \brief Checks every parameter; throws ConfigError naming the first bad one, its value and the valid range. */
void ValidateStochasticBSplineParams(const StochasticBSplineParams & params);

} // namespace icanscan::filters
