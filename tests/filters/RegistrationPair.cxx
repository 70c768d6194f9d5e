#include "RegistrationPair.h"

#include "itkEuler3DTransform.h"

#include <cmath>

namespace icanscan::filters::test
{

RigidTransform::Pointer MakeRigid(const std::array<double, 3> & anglesDeg,
                                  const std::array<double, 3> & translationMm,
                                  const std::array<double, 3> & centre)
{
  auto euler = itk::Euler3DTransform<double>::New();
  const double toRadians = std::acos(-1.0) / 180.0;
  euler->SetRotation(anglesDeg[0] * toRadians, anglesDeg[1] * toRadians, anglesDeg[2] * toRadians);
  auto rigid = RigidTransform::New();
  itk::Point<double, 3> c;
  itk::Vector<double, 3> t;
  for (unsigned d = 0; d < 3; ++d)
  {
    c[d] = centre[d];
    t[d] = translationMm[d];
  }
  rigid->SetCenter(c);
  rigid->SetMatrix(euler->GetMatrix());
  rigid->SetTranslation(t);
  return rigid;
}

const RegistrationPair & SharedRegistrationPair()
{
  static const RegistrationPair pair = []
  {
    RegistrationPair p;
    p.fixedGrid.spacing = { 1.0, 1.0, 5.0 };
    p.fixedGrid.size = { 180, 210, 32 };
    p.fixedGrid.subSamples = { 1, 1, 5 };
    p.movingGrid.spacing = { 1.8, 1.8, 5.0 };
    p.movingGrid.size = { 100, 117, 31 };
    p.movingGrid.offsetMm = { 0.9, -0.9, 2.5 };
    // Patient motion between series: 2-3 degrees and 1.5-2.5 mm, about a point that is not the grid centre.
    p.truth = MakeRigid({ 2.0, -1.5, 2.5 }, { 2.0, -1.5, 2.5 }, { 5, -10, 8 });
    p.fixed = MakeHead(p.fixedGrid, kT2, nullptr, 0.02, 11);
    p.moving = MakeHead(p.movingGrid, kFlair, p.truth, 0.02, 12);
    p.fixedMask = MakeIntracranialMask(p.fixedGrid);
    p.movingMask = MakeIntracranialMask(p.movingGrid, p.truth);
    p.result = RegisterRigid(p.fixed, p.moving, p.fixedMask, p.movingMask);
    return p;
  }();
  return pair;
}

} // namespace icanscan::filters::test
