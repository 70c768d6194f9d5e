#pragma once

#include "SyntheticHead.h"

#include "filters/RigidRegistration.h"

/** Test helper: one thick-slice T2 (fixed) / FLAIR (moving) pair with a known rigid motion and its registration,
 * computed once per test process and shared by the registration and QC tests. */
namespace icanscan::filters::test
{

struct RegistrationPair
{
  HeadGrid fixedGrid;            //!< 1 x 1 x 5 mm
  HeadGrid movingGrid;           //!< 1.8 x 1.8 x 5 mm, slices offset by half a slice
  RigidTransform::Pointer truth; //!< fixed point -> moving point
  FloatImage::Pointer fixed, moving;
  MaskImage::Pointer fixedMask, movingMask;
  RigidRegistrationResult result; //!< RegisterRigid with default parameters
};

/** \brief The shared pair (built and registered on first use). */
const RegistrationPair & SharedRegistrationPair();

/** \brief A rigid transform about `centre` (mm) by rotation angles about x, y, z (deg) and a translation (mm). */
RigidTransform::Pointer MakeRigid(const std::array<double, 3> & anglesDeg,
                                  const std::array<double, 3> & translationMm,
                                  const std::array<double, 3> & centre = { 0, 0, 0 });

} // namespace icanscan::filters::test
