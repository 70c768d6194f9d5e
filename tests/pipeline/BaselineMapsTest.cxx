#include "pipeline/baseline/BaselineComparison.h"

#include <gtest/gtest.h>

namespace
{
using icanscan::filters::RigidTransform;
using icanscan::pipeline::MapsToBaselineReference;
using icanscan::pipeline::SeriesRegistration;
using icanscan::pipeline::StudyGeometry;
using Point = itk::Point<double, 3>;

RigidTransform::Pointer Rigid(double angleAboutX, double x, double y, double z)
{
  auto t = RigidTransform::New();
  itk::Vector<double, 3> axis(0.0);
  axis[0] = 1.0;
  t->SetRotation(axis, angleAboutX);
  RigidTransform::OutputVectorType translation;
  translation[0] = x;
  translation[1] = y;
  translation[2] = z;
  t->SetTranslation(translation);
  return t;
}

/** A baseline whose reference is its T2 and whose FLAIR was registered to it. */
StudyGeometry BaselineWithFlair()
{
  StudyGeometry baseline;
  baseline.referenceRole = "T2";
  SeriesRegistration flair;
  flair.role = "FLAIR";
  flair.transform = Rigid(0.1, 0.0, 2.0, 5.0);
  baseline.registrations.push_back(flair);
  return baseline;
}

void ExpectNear(const Point & a, const Point & b)
{
  for (unsigned d = 0; d < 3; ++d)
    EXPECT_NEAR(a[d], b[d], 1e-9) << "axis " << d;
}

/** The event is registered to the baseline's FLAIR, which is not its reference (T2): the maps go through the FLAIR's
 * own registration (T2 point -> FLAIR point), in the right order, and the two maps are each other's inverse. */
TEST(BaselineMaps, GoThroughTheRegisteredSeriesWhenItIsNotTheReference)
{
  const StudyGeometry baseline = BaselineWithFlair();
  const auto rigid = Rigid(0.2, 3.0, 0.0, 0.0); // event point -> baseline FLAIR point
  const auto maps = MapsToBaselineReference(baseline, "FLAIR", rigid);
  const Point p{ { 10.0, 20.0, 30.0 } };
  const Point inFlair = rigid->TransformPoint(p);
  const Point expected = baseline.registrations.front().transform->GetInverseTransform()->TransformPoint(inFlair);
  ExpectNear(maps.eventToBaseline->TransformPoint(p), expected);
  ExpectNear(maps.baselineToEvent->TransformPoint(expected), p);
  // Composed the other way round the point would land elsewhere: the order is tested, not only the parts.
  const Point swapped =
    rigid->TransformPoint(baseline.registrations.front().transform->GetInverseTransform()->TransformPoint(p));
  EXPECT_GT(swapped.EuclideanDistanceTo(expected), 0.5);
}

TEST(BaselineMaps, RegisteredToTheReferenceItselfTheRigidAlignmentIsAll)
{
  const StudyGeometry baseline = BaselineWithFlair();
  const auto rigid = Rigid(0.2, 3.0, 0.0, 0.0);
  const auto maps = MapsToBaselineReference(baseline, "T2", rigid);
  const Point p{ { -15.0, 4.0, 22.0 } };
  ExpectNear(maps.eventToBaseline->TransformPoint(p), rigid->TransformPoint(p));
  ExpectNear(maps.baselineToEvent->TransformPoint(rigid->TransformPoint(p)), p);
}

} // namespace
