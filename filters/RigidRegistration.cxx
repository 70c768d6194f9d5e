#include "filters/RigidRegistration.h"

#include "filters/ImageSimilarity.h"
#include "filters/ParamCheck.h"
#include "filters/SingleThreadedScope.h"
#include "filters/Resample.h"

#include "itkCenteredTransformInitializer.h"
#include "itkEuler3DTransform.h"
#include "itkImageMaskSpatialObject.h"
#include "itkImageRegistrationMethodv4.h"
#include "itkMattesMutualInformationImageToImageMetricv4.h"
#include "itkRegistrationParameterScalesFromPhysicalShift.h"
#include "itkRegularStepGradientDescentOptimizerv4.h"
#include "itkTransformFileReader.h"
#include "itkTransformFileWriter.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace icanscan::filters
{
namespace
{
constexpr const char * kComponent = "rigid registration";
using Metric = itk::MattesMutualInformationImageToImageMetricv4<FloatImage, FloatImage>;
using Optimizer = itk::RegularStepGradientDescentOptimizerv4<double>;
using Registration = itk::ImageRegistrationMethodv4<FloatImage, FloatImage, RigidTransform>;
using MaskObject = itk::ImageMaskSpatialObject<3>;

struct WorkingImage
{
  FloatImage::ConstPointer image;
  MaskImage::ConstPointer mask; //!< null when no mask was given
};

/** The image on a grid of max(own spacing, workingSpacingMm) per axis, anti-aliased; the mask follows. */
WorkingImage ToWorkingGrid(const FloatImage * image, const MaskImage * mask, double workingSpacingMm)
{
  WorkingImage out;
  auto grid = MakeWorkingGrid(image, workingSpacingMm);
  if (grid->GetSpacing() == image->GetSpacing())
  {
    // Every axis is already at least as coarse as the working spacing: use the images as they are.
    out.image = image;
    out.mask = mask;
    return out;
  }
  out.image = ResampleImage(image, grid, nullptr, ResampleParams{});
  if (mask != nullptr)
    out.mask = ResampleMask(mask, grid);
  return out;
}

MaskObject::Pointer MakeMaskObject(const MaskImage * mask)
{
  auto object = MaskObject::New();
  object->SetImage(mask);
  object->Update();
  return object;
}

/** Centroid of the mask's voxels, or the centre of the image when the mask is null or empty. */
itk::Point<double, 3> Centroid(const FloatImage * image, const MaskImage * mask)
{
  const auto region = image->GetLargestPossibleRegion();
  itk::ContinuousIndex<double, 3> centre;
  for (unsigned d = 0; d < 3; ++d)
    centre[d] = region.GetIndex()[d] + (region.GetSize()[d] - 1) / 2.0;
  if (mask != nullptr)
  {
    double sum[3] = { 0, 0, 0 };
    std::size_t count = 0;
    itk::ImageRegionConstIteratorWithIndex<MaskImage> it(mask, mask->GetLargestPossibleRegion());
    for (it.GoToBegin(); !it.IsAtEnd(); ++it)
    {
      if (it.Get() == 0)
        continue;
      for (unsigned d = 0; d < 3; ++d)
        sum[d] += it.GetIndex()[d];
      ++count;
    }
    if (count > 0)
      for (unsigned d = 0; d < 3; ++d)
        centre[d] = sum[d] / static_cast<double>(count);
  }
  itk::Point<double, 3> point;
  image->TransformContinuousIndexToPhysicalPoint(centre, point);
  return point;
}

FloatImage::Pointer Masked(const FloatImage * image, const MaskImage * mask)
{
  auto out = FloatImage::New();
  out->CopyInformation(image);
  out->SetRegions(image->GetLargestPossibleRegion());
  out->Allocate();
  const std::size_t n = image->GetBufferedRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    out->GetBufferPointer()[i] = mask->GetBufferPointer()[i] != 0 ? image->GetBufferPointer()[i] : 0.0f;
  return out;
}

RigidTransform::Pointer InitialTransform(const WorkingImage & fixed,
                                         const WorkingImage & moving,
                                         RigidInitialization mode)
{
  auto transform = RigidTransform::New();
  transform->SetIdentity();
  if (mode == RigidInitialization::Header)
  {
    transform->SetCenter(Centroid(fixed.image, fixed.mask));
    return transform;
  }
  using Initializer = itk::CenteredTransformInitializer<RigidTransform, FloatImage, FloatImage>;
  auto initializer = Initializer::New();
  initializer->SetTransform(transform);
  if (mode == RigidInitialization::Moments)
  {
    initializer->SetFixedImage(fixed.mask ? Masked(fixed.image, fixed.mask).GetPointer() : fixed.image.GetPointer());
    initializer->SetMovingImage(moving.mask ? Masked(moving.image, moving.mask).GetPointer()
                                            : moving.image.GetPointer());
    initializer->MomentsOn();
  }
  else
  {
    initializer->SetFixedImage(fixed.image);
    initializer->SetMovingImage(moving.image);
    initializer->GeometryOn();
  }
  initializer->InitializeTransform();
  return transform;
}

/** Per-axis shrink factor: the finest axis by `factor`, coarser axes only while they stay finer than that. */
Registration::ShrinkFactorsPerDimensionContainerType ShrinkFactors(const FloatImage * image, unsigned factor)
{
  const auto & spacing = image->GetSpacing();
  const double finest = *std::min_element(spacing.Begin(), spacing.End());
  Registration::ShrinkFactorsPerDimensionContainerType factors;
  for (unsigned d = 0; d < 3; ++d)
  {
    const auto f = static_cast<unsigned>(std::floor(factor * finest / spacing[d] + 1e-6));
    const auto size = static_cast<unsigned>(image->GetLargestPossibleRegion().GetSize()[d]);
    factors[d] = std::clamp(f, 1u, std::max(1u, size / 2));
  }
  return factors;
}
} // namespace

void ValidateRigidRegistrationParams(const RigidRegistrationParams & params)
{
  detail::CheckRange(kComponent, "workingSpacingMm", params.workingSpacingMm, 0.5, 4.0);
  detail::CheckRange(kComponent, "histogramBins", params.histogramBins, 8u, 256u);
  detail::CheckRangeOpenLow(kComponent, "samplingFraction", params.samplingFraction, 0.0, 1.0);
  if (params.randomSeed < 0)
    detail::BadParam(kComponent, "randomSeed", ToText(params.randomSeed), "a value >= 0");
  const std::size_t levels = params.shrinkFactors.size();
  if (levels < 1 || levels > 6 || params.smoothingSigmasMm.size() != levels || params.iterations.size() != levels)
    detail::BadParam(kComponent, "levels (shrinkFactors/smoothingSigmasMm/iterations)",
                     ToText(params.shrinkFactors.size()) + "/" + ToText(params.smoothingSigmasMm.size()) + "/" +
                       ToText(params.iterations.size()),
                     "the same number of entries, 1 to 6");
  for (unsigned f : params.shrinkFactors)
    detail::CheckRange(kComponent, "shrinkFactors[]", f, 1u, 16u);
  for (double s : params.smoothingSigmasMm)
    detail::CheckRange(kComponent, "smoothingSigmasMm[]", s, 0.0, 10.0);
  for (unsigned i : params.iterations)
    detail::CheckRange(kComponent, "iterations[]", i, 1u, 10000u);
  detail::CheckRangeOpenLow(kComponent, "maximumStepMm", params.maximumStepMm, 0.0, 20.0);
  detail::CheckRange(kComponent, "relaxationFactor", params.relaxationFactor, 0.1, 0.9);
  detail::CheckRangeOpenLow(kComponent, "minimumStepMm", params.minimumStepMm, 0.0, 1.0);
  if (params.minimumStepMm >= params.maximumStepMm)
    detail::BadParam(kComponent, "minimumStepMm", ToText(params.minimumStepMm),
                     "a value below maximumStepMm = " + ToText(params.maximumStepMm));
}

RigidRegistrationResult RegisterRigid(const FloatImage * fixed,
                                      const FloatImage * moving,
                                      const MaskImage * fixedMask,
                                      const MaskImage * movingMask,
                                      const RigidRegistrationParams & params)
{
  ValidateRigidRegistrationParams(params);
  detail::RequireImage(fixed, "rigid registration fixed image");
  detail::RequireImage(moving, "rigid registration moving image");
  if (fixedMask != nullptr)
    detail::RequireSameGrid(fixed, fixedMask, "rigid registration fixed mask");
  if (movingMask != nullptr)
    detail::RequireSameGrid(moving, movingMask, "rigid registration moving mask");
  const auto start = std::chrono::steady_clock::now();
  // The threaded Mattes metric sums its work units' derivatives in finishing order: transforms then differ from run
  // to run in the 14th digit, enough to flip a resampled voxel across a detection threshold. One thread: identical.
  const SingleThreadedScope singleThreaded;

  const WorkingImage fixedW = ToWorkingGrid(fixed, fixedMask, params.workingSpacingMm);
  const WorkingImage movingW = ToWorkingGrid(moving, movingMask, params.workingSpacingMm);

  RigidRegistrationResult result;
  auto transform = InitialTransform(fixedW, movingW, params.initialization);
  result.initial = RigidTransform::New();
  result.initial->SetFixedParameters(transform->GetFixedParameters());
  result.initial->SetParameters(transform->GetParameters());

  auto metric = Metric::New();
  metric->SetNumberOfHistogramBins(params.histogramBins);
  // The default gradient filter smooths with sigma = the largest spacing (5 mm on thick slices) through a recursive
  // Gaussian, which gave derivatives that drove the optimiser away from the optimum on 5 mm stacks; central
  // differences on the level-smoothed image are exact enough and cost nothing to set up.
  metric->SetUseMovingImageGradientFilter(false);
  metric->SetUseFixedImageGradientFilter(false);
  MaskObject::Pointer fixedObject, movingObject;
  if (fixedW.mask)
  {
    fixedObject = MakeMaskObject(fixedW.mask);
    metric->SetFixedImageMask(fixedObject);
  }
  if (movingW.mask)
  {
    movingObject = MakeMaskObject(movingW.mask);
    metric->SetMovingImageMask(movingObject);
  }

  auto scales = itk::RegistrationParameterScalesFromPhysicalShift<Metric>::New();
  scales->SetMetric(metric);
  auto optimizer = Optimizer::New();
  optimizer->SetScalesEstimator(scales);
  optimizer->SetDoEstimateScales(true);
  // Re-estimating the learning rate every iteration turns the regular step into a physical displacement.
  optimizer->SetDoEstimateLearningRateAtEachIteration(true);
  optimizer->SetDoEstimateLearningRateOnce(false);
  optimizer->SetMaximumStepSizeInPhysicalUnits(params.maximumStepMm);
  optimizer->SetRelaxationFactor(params.relaxationFactor);
  optimizer->SetMinimumStepLength(0.0); // the physical minimum step is enforced by the observer below
  optimizer->SetGradientMagnitudeTolerance(1e-8);
  optimizer->SetNumberOfIterations(params.iterations.front());
  optimizer->SetReturnBestParametersAndValue(false);

  const auto levels = static_cast<unsigned>(params.shrinkFactors.size());
  auto registration = Registration::New();
  registration->SetFixedImage(fixedW.image);
  registration->SetMovingImage(movingW.image);
  registration->SetMetric(metric);
  registration->SetOptimizer(optimizer);
  registration->SetInitialTransform(transform);
  registration->InPlaceOn();
  registration->SetNumberOfLevels(levels);
  Registration::SmoothingSigmasArrayType sigmas(levels);
  for (unsigned l = 0; l < levels; ++l)
  {
    registration->SetShrinkFactorsPerDimension(l, ShrinkFactors(fixedW.image, params.shrinkFactors[l]));
    sigmas[l] = params.smoothingSigmasMm[l];
  }
  registration->SetSmoothingSigmasPerLevel(sigmas);
  registration->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(true);
  registration->SetMetricSamplingStrategy(Registration::MetricSamplingStrategyEnum::RANDOM);
  registration->SetMetricSamplingPercentage(params.samplingFraction);
  registration->MetricSamplingReinitializeSeed(params.randomSeed);

  result.iterationsPerLevel.assign(levels, 0);
  result.metricPerLevel.assign(levels, 0.0);
  result.stopConditions.assign(levels, "");
  Registration * reg = registration.GetPointer();
  Optimizer * opt = optimizer.GetPointer();
  registration->AddObserver(itk::MultiResolutionIterationEvent(), [reg, opt, &params](const itk::EventObject &)
                            { opt->SetNumberOfIterations(params.iterations[reg->GetCurrentLevel()]); });
  optimizer->AddObserver(itk::IterationEvent(),
                         [reg, opt, &params, &result](const itk::EventObject &)
                         {
                           const auto level = reg->GetCurrentLevel();
                           result.iterationsPerLevel[level] = static_cast<unsigned>(opt->GetCurrentIteration()) + 1;
                           result.metricPerLevel[level] = opt->GetCurrentMetricValue();
                           const double step = opt->GetCurrentLearningRateRelaxation() * params.maximumStepMm;
                           if (step < params.minimumStepMm)
                           {
                             result.stopConditions[level] = "step " + ToText(step) + " mm below minimumStepMm";
                             opt->StopOptimization();
                           }
                           else if (result.iterationsPerLevel[level] >= params.iterations[level])
                             result.stopConditions[level] = "maximum iterations";
                         });

  try
  {
    registration->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw InputError(std::string("rigid registration failed: ") + e.GetDescription());
  }

  result.transform = RigidTransform::New();
  result.transform->SetFixedParameters(registration->GetTransform()->GetFixedParameters());
  result.transform->SetParameters(registration->GetTransform()->GetParameters());
  for (unsigned l = 0; l < levels; ++l)
    if (result.stopConditions[l].empty())
      result.stopConditions[l] = "optimizer: gradient tolerance";

  result.initialMetric = MattesMutualInformation(fixedW.image, movingW.image, fixedW.mask, movingW.mask, result.initial,
                                                 params.histogramBins)
                           .value;
  result.finalMetric = MattesMutualInformation(fixedW.image, movingW.image, fixedW.mask, movingW.mask, result.transform,
                                               params.histogramBins)
                         .value;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

void WriteTransform(const itk::TransformBaseTemplate<double> * transform, const std::filesystem::path & path)
{
  if (transform == nullptr)
    throw OutputError("cannot write transform file " + path.string() + ": no transform (null)");
  auto writer = itk::TransformFileWriterTemplate<double>::New();
  writer->SetInput(transform);
  writer->SetFileName(path.string());
  try
  {
    writer->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw OutputError("cannot write transform file " + path.string() + ": " + e.GetDescription());
  }
}

RigidTransform::Pointer ReadRigidTransform(const std::filesystem::path & path)
{
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw InputError("transform file " + path.string() + " does not exist or is not a file");
  auto reader = itk::TransformFileReaderTemplate<double>::New();
  reader->SetFileName(path.string());
  try
  {
    reader->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw InputError("cannot read transform file " + path.string() + ": " + e.GetDescription());
  }
  const auto * list = reader->GetTransformList();
  if (list == nullptr || list->size() != 1)
    throw InputError("transform file " + path.string() + " holds " + std::to_string(list ? list->size() : 0) +
                     " transforms, expected exactly one rigid transform");
  const auto * stored = list->front().GetPointer();
  auto rigid = RigidTransform::New();
  if (const auto * versor = dynamic_cast<const RigidTransform *>(stored))
  {
    rigid->SetFixedParameters(versor->GetFixedParameters());
    rigid->SetParameters(versor->GetParameters());
    return rigid;
  }
  if (const auto * euler = dynamic_cast<const itk::Euler3DTransform<double> *>(stored))
  {
    rigid->SetCenter(euler->GetCenter());
    try
    {
      rigid->SetMatrix(euler->GetMatrix());
    }
    catch (const itk::ExceptionObject & e)
    {
      throw InputError("transform file " + path.string() +
                       ": Euler3DTransform matrix is not a rotation: " + e.GetDescription());
    }
    rigid->SetTranslation(euler->GetTranslation());
    return rigid;
  }
  throw InputError("transform file " + path.string() + " holds a " + stored->GetTransformTypeAsString() +
                   ", expected VersorRigid3DTransform_double_3_3 or Euler3DTransform_double_3_3");
}

} // namespace icanscan::filters
