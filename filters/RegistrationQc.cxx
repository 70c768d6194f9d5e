#include "filters/RegistrationQc.h"

#include "filters/ImageSimilarity.h"
#include "filters/MaskMorphology.h"
#include "filters/ParamCheck.h"
#include "filters/Resample.h"

#include "itkAffineTransform.h"
#include "itkEuler3DTransform.h"
#include "itkImageRegionConstIteratorWithIndex.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace icanscan::filters
{
namespace
{
constexpr const char * kComponent = "registration QC";

struct Working
{
  FloatImage::ConstPointer image;
  MaskImage::ConstPointer mask;
};

Working ToWorkingGrid(const FloatImage * image, const MaskImage * mask, double spacingMm)
{
  auto grid = MakeWorkingGrid(image, spacingMm);
  if (grid->GetSpacing() == image->GetSpacing())
    return { image, mask };
  Working out;
  out.image = ResampleImage(image, grid);
  if (mask != nullptr)
    out.mask = ResampleMask(mask, grid);
  return out;
}

std::string Number(double value)
{
  std::ostringstream out;
  out << std::setprecision(4) << value;
  return out.str();
}

/** Records a lower-is-worse measurement against its suspect and failed limits. */
void JudgeAtLeast(RegistrationQcReport & report, const std::string & name, double value, double suspect, double failed)
{
  if (std::isnan(value))
    return;
  if (value < failed)
  {
    report.verdict = QcVerdict::Failed;
    report.reasons.push_back(name + " = " + Number(value) + " < " + Number(failed) + " (failed)");
  }
  else if (value < suspect)
  {
    report.verdict = std::max(report.verdict, QcVerdict::Suspect);
    report.reasons.push_back(name + " = " + Number(value) + " < " + Number(suspect) + " (suspect)");
  }
}

/** Records a higher-is-worse measurement against its suspect and failed limits. */
void JudgeAtMost(RegistrationQcReport & report, const std::string & name, double value, double suspect, double failed)
{
  if (std::isnan(value))
    return;
  if (value > failed)
  {
    report.verdict = QcVerdict::Failed;
    report.reasons.push_back(name + " = " + Number(value) + " > " + Number(failed) + " (failed)");
  }
  else if (value > suspect)
  {
    report.verdict = std::max(report.verdict, QcVerdict::Suspect);
    report.reasons.push_back(name + " = " + Number(value) + " > " + Number(suspect) + " (suspect)");
  }
}

/** `transform` preceded by a small rigid motion about `centre`: x -> transform(motion(x)). */
itk::AffineTransform<double, 3>::Pointer Perturbed(const itk::MatrixOffsetTransformBase<double, 3, 3> * transform,
                                                   const itk::Point<double, 3> & centre,
                                                   unsigned axis,
                                                   double radians,
                                                   double shiftMm)
{
  auto motion = itk::Euler3DTransform<double>::New();
  motion->SetCenter(centre);
  motion->SetRotation(axis == 0 ? radians : 0.0, axis == 1 ? radians : 0.0, axis == 2 ? radians : 0.0);
  itk::Vector<double, 3> shift;
  shift.Fill(0);
  shift[axis] = shiftMm;
  motion->SetTranslation(shift);
  auto result = itk::AffineTransform<double, 3>::New();
  result->SetMatrix(transform->GetMatrix());
  result->SetOffset(transform->GetOffset());
  auto step = itk::AffineTransform<double, 3>::New();
  step->SetMatrix(motion->GetMatrix());
  step->SetOffset(motion->GetOffset());
  result->Compose(step, true);
  return result;
}

void CheckPair(const std::string & name, double suspect, double failed, bool higherIsBetter)
{
  const bool ordered = higherIsBetter ? failed <= suspect : failed >= suspect;
  if (!ordered)
    detail::BadParam(kComponent, "failed" + name, Number(failed),
                     std::string(higherIsBetter ? "a value <= " : "a value >= ") + "suspect" + name + " = " +
                       Number(suspect));
}
} // namespace

std::string ToString(QcVerdict verdict)
{
  switch (verdict)
  {
    case QcVerdict::Ok:
      return "ok";
    case QcVerdict::Suspect:
      return "suspect";
    case QcVerdict::Failed:
      return "failed";
  }
  return "failed";
}

void ValidateRegistrationQcParams(const RegistrationQcParams & p)
{
  detail::CheckRange(kComponent, "workingSpacingMm", p.workingSpacingMm, 0.5, 4.0);
  detail::CheckRange(kComponent, "histogramBins", p.histogramBins, 8u, 256u);
  detail::CheckRange(kComponent, "suspectMetricGain", p.suspectMetricGain, -1.0, 1.0);
  detail::CheckRange(kComponent, "failedMetricGain", p.failedMetricGain, -1.0, 1.0);
  CheckPair("MetricGain", p.suspectMetricGain, p.failedMetricGain, true);
  detail::CheckRange(kComponent, "suspectOptimalityGap", p.suspectOptimalityGap, 0.0, 1.0);
  detail::CheckRange(kComponent, "failedOptimalityGap", p.failedOptimalityGap, 0.0, 1.0);
  CheckPair("OptimalityGap", p.suspectOptimalityGap, p.failedOptimalityGap, false);
  detail::CheckRange(kComponent, "optimalityStepMm", p.optimalityStepMm, 0.5, 10.0);
  detail::CheckRange(kComponent, "optimalityStepDeg", p.optimalityStepDeg, 0.5, 10.0);
  detail::CheckRange(kComponent, "suspectMutualInformation", p.suspectMutualInformation, 0.0, 5.0);
  detail::CheckRange(kComponent, "failedMutualInformation", p.failedMutualInformation, 0.0, 5.0);
  CheckPair("MutualInformation", p.suspectMutualInformation, p.failedMutualInformation, true);
  detail::CheckRange(kComponent, "suspectDice", p.suspectDice, 0.0, 1.0);
  detail::CheckRange(kComponent, "failedDice", p.failedDice, 0.0, 1.0);
  CheckPair("Dice", p.suspectDice, p.failedDice, true);
  detail::CheckRange(kComponent, "suspectEdgeCorrelation", p.suspectEdgeCorrelation, -1.0, 1.0);
  detail::CheckRange(kComponent, "failedEdgeCorrelation", p.failedEdgeCorrelation, -1.0, 1.0);
  CheckPair("EdgeCorrelation", p.suspectEdgeCorrelation, p.failedEdgeCorrelation, true);
  detail::CheckRange(kComponent, "edgeMaskErosionMm", p.edgeMaskErosionMm, 0.0, 20.0);
  detail::CheckRange(kComponent, "edgeSigmaMm", p.edgeSigmaMm, 0.0, 10.0);
  detail::CheckRange(kComponent, "failedCoverage", p.failedCoverage, 0.0, 1.0);
  detail::CheckRange(kComponent, "suspectRotationDeg", p.suspectRotationDeg, 0.0, 180.0);
  detail::CheckRange(kComponent, "failedRotationDeg", p.failedRotationDeg, 0.0, 180.0);
  CheckPair("RotationDeg", p.suspectRotationDeg, p.failedRotationDeg, false);
  detail::CheckRange(kComponent, "suspectTranslationMm", p.suspectTranslationMm, 0.0, 500.0);
  detail::CheckRange(kComponent, "failedTranslationMm", p.failedTranslationMm, 0.0, 500.0);
  CheckPair("TranslationMm", p.suspectTranslationMm, p.failedTranslationMm, false);
  detail::CheckRangeOpenLow(kComponent, "rotationTolerance", p.rotationTolerance, 0.0, 0.1);
}

RegistrationQcReport AssessRegistration(const FloatImage * fixed,
                                        const FloatImage * moving,
                                        const MaskImage * fixedMask,
                                        const MaskImage * movingMask,
                                        const itk::MatrixOffsetTransformBase<double, 3, 3> * transform,
                                        const itk::MatrixOffsetTransformBase<double, 3, 3> * initial,
                                        const RegistrationQcParams & params)
{
  ValidateRegistrationQcParams(params);
  detail::RequireImage(fixed, "QC fixed image");
  detail::RequireImage(moving, "QC moving image");
  detail::RequireImage(fixedMask, "QC fixed brain mask");
  detail::RequireSameGrid(fixed, fixedMask, "QC fixed brain mask");
  if (movingMask != nullptr)
    detail::RequireSameGrid(moving, movingMask, "QC moving brain mask");
  if (transform == nullptr)
    throw InputError("QC: no transform to assess (null)");
  if (CountNonZero(fixedMask) == 0)
    throw InputError("QC: the fixed brain mask is empty");

  RegistrationQcReport report;

  // Transform plausibility first: it needs no image.
  const auto & matrix = transform->GetMatrix().GetVnlMatrix();
  report.determinant = matrix(0, 0) * (matrix(1, 1) * matrix(2, 2) - matrix(1, 2) * matrix(2, 1)) -
                       matrix(0, 1) * (matrix(1, 0) * matrix(2, 2) - matrix(1, 2) * matrix(2, 0)) +
                       matrix(0, 2) * (matrix(1, 0) * matrix(2, 1) - matrix(1, 1) * matrix(2, 0));
  const auto gram = matrix.transpose() * matrix;
  double orthogonality = 0;
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned c = 0; c < 3; ++c)
      orthogonality = std::max(orthogonality, std::abs(gram(r, c) - (r == c ? 1.0 : 0.0)));
  report.orthogonalityError = orthogonality;
  const double cosine = std::clamp((matrix(0, 0) + matrix(1, 1) + matrix(2, 2) - 1.0) / 2.0, -1.0, 1.0);
  report.rotationDeg = std::acos(cosine) * 180.0 / M_PI;
  const auto centroid = Centroid(fixedMask);
  const itk::Point<double, 3> centre(centroid.data());
  report.translationMm = centre.EuclideanDistanceTo(transform->TransformPoint(centre));

  const Working f = ToWorkingGrid(fixed, fixedMask, params.workingSpacingMm);
  const Working m = ToWorkingGrid(moving, movingMask, params.workingSpacingMm);

  // Coverage and Dice over the fixed voxels that map inside the moving field of view.
  const auto movingRegion = m.image->GetLargestPossibleRegion();
  auto inside = NewMaskLike(f.image);
  auto mapped = NewMaskLike(f.image);
  std::size_t brain = 0, brainInside = 0;
  std::size_t i = 0;
  itk::ImageRegionConstIteratorWithIndex<MaskImage> it(f.mask, f.mask->GetLargestPossibleRegion());
  for (it.GoToBegin(); !it.IsAtEnd(); ++it, ++i)
  {
    itk::Point<double, 3> point;
    f.mask->TransformIndexToPhysicalPoint(it.GetIndex(), point);
    const auto target = transform->TransformPoint(point);
    const auto index = m.image->TransformPhysicalPointToContinuousIndex<double>(target);
    MaskImage::IndexType nearest;
    bool in = true;
    for (unsigned d = 0; d < 3; ++d)
    {
      nearest[d] = static_cast<itk::IndexValueType>(std::lround(index[d]));
      in = in && nearest[d] >= movingRegion.GetIndex()[d] &&
           nearest[d] < movingRegion.GetIndex()[d] + static_cast<itk::IndexValueType>(movingRegion.GetSize()[d]);
    }
    inside->GetBufferPointer()[i] = in ? 1 : 0;
    if (in && m.mask)
      mapped->GetBufferPointer()[i] = m.mask->GetPixel(nearest) != 0 ? 1 : 0;
    if (it.Get() != 0)
    {
      ++brain;
      brainInside += in;
    }
  }
  report.coverage = brain > 0 ? static_cast<double>(brainInside) / static_cast<double>(brain) : 0.0;
  if (m.mask)
    report.dice = Dice(f.mask, mapped, inside);

  const auto before = MattesMutualInformation(f.image, m.image, f.mask, m.mask, initial, params.histogramBins);
  const auto after = MattesMutualInformation(f.image, m.image, f.mask, m.mask, transform, params.histogramBins);
  report.initialMetric = before.value;
  report.finalMetric = after.value;
  report.mutualInformation = -after.value;
  if (std::abs(before.value) > 1e-9)
    report.metricGain = (before.value - after.value) / std::abs(before.value);

  // Local optimality: would a small rigid step from the result improve the metric?
  if (std::abs(after.value) > 1e-9)
  {
    double best = after.value;
    const double radians = params.optimalityStepDeg * M_PI / 180.0;
    for (unsigned axis = 0; axis < 3; ++axis)
      for (double sign : { -1.0, 1.0 })
      {
        for (bool rotate : { false, true })
        {
          auto neighbour = Perturbed(transform, centre, axis, rotate ? sign * radians : 0.0,
                                     rotate ? 0.0 : sign * params.optimalityStepMm);
          best = std::min(
            best, MattesMutualInformation(f.image, m.image, f.mask, m.mask, neighbour, params.histogramBins).value);
        }
      }
    report.optimalityGap = (after.value - best) / std::abs(after.value);
  }

  auto edgeMask = ErodeMm(f.mask, params.edgeMaskErosionMm);
  if (CountNonZero(edgeMask) < 1000)
    edgeMask = DilateMm(f.mask, 0.0); // a small brain: the whole mask rather than nothing
  report.edgeCorrelation = GradientMagnitudeCorrelation(f.image, m.image, edgeMask, transform, params.edgeSigmaMm);

  if (report.determinant < 0)
  {
    report.verdict = QcVerdict::Failed;
    report.reasons.push_back("rotation determinant = " + Number(report.determinant) + " < 0: reflection (failed)");
  }
  else if (std::abs(report.determinant - 1.0) > params.rotationTolerance || orthogonality > params.rotationTolerance)
  {
    report.verdict = QcVerdict::Failed;
    report.reasons.push_back("rotation determinant = " + Number(report.determinant) +
                             ", max |R'R - I| = " + Number(orthogonality) + ": not a rotation beyond tolerance " +
                             Number(params.rotationTolerance) + " (failed)");
  }
  JudgeAtMost(report, "rotation angle (deg)", report.rotationDeg, params.suspectRotationDeg, params.failedRotationDeg);
  JudgeAtMost(report, "brain centroid displacement (mm)", report.translationMm, params.suspectTranslationMm,
              params.failedTranslationMm);
  JudgeAtLeast(report, "brain coverage by moving field of view", report.coverage, params.failedCoverage,
               params.failedCoverage);
  JudgeAtLeast(report, "metric gain (relative Mattes MI)", report.metricGain, params.suspectMetricGain,
               params.failedMetricGain);
  JudgeAtMost(report,
              "optimality gap (metric improvement " + Number(params.optimalityStepMm) + " mm / " +
                Number(params.optimalityStepDeg) + " deg from the result)",
              report.optimalityGap, params.suspectOptimalityGap, params.failedOptimalityGap);
  JudgeAtLeast(report, "mutual information (nats)", report.mutualInformation, params.suspectMutualInformation,
               params.failedMutualInformation);
  JudgeAtLeast(report, "brain mask Dice", report.dice, params.suspectDice, params.failedDice);
  JudgeAtLeast(report, "edge agreement (gradient-magnitude correlation)", report.edgeCorrelation,
               params.suspectEdgeCorrelation, params.failedEdgeCorrelation);
  return report;
}

} // namespace icanscan::filters
