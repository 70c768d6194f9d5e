#include "filters/AtlasRegistration.h"

#include "core/TextFormat.h"

#include "core/Error.h"
#include "filters/SingleThreadedScope.h"

#include "itkAffineTransform.h"
#include "itkBSplineTransform.h"
#include "itkBSplineTransformParametersAdaptor.h"
#include "itkCenteredTransformInitializer.h"
#include "itkGradientDescentOptimizerv4.h"
#include "itkLBFGS2Optimizerv4.h"
#include "itkImageMaskSpatialObject.h"
#include "itkImageRegistrationMethodv4.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkMattesMutualInformationImageToImageMetricv4.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkRegistrationParameterScalesFromPhysicalShift.h"
#include "itkResampleImageFilter.h"
#include "itkSmoothingRecursiveGaussianImageFilter.h"

#include "itkMultiThreaderBase.h"
#include "itkMersenneTwisterRandomVariateGenerator.h"

#include <chrono>
#include <mutex>
#include <cmath>
#include <sstream>

namespace icanscan::filters
{
namespace
{
using AffineTransform = itk::AffineTransform<double, 3>;
using BSplineTransform = itk::BSplineTransform<double, 3, 3>;
using Metric = itk::MattesMutualInformationImageToImageMetricv4<RegistrationImage, RegistrationImage>;
using Optimizer = itk::GradientDescentOptimizerv4;
using MaskObject = itk::ImageMaskSpatialObject<3>;

[[noreturn]] void Bad(const std::string & name, const std::string & value, const std::string & expected)
{
  throw ConfigError("atlas registration parameter " + name + " = " + value + ": expected " + expected);
}

template<typename A, typename B>
void CheckLevels(const std::string & stage,
                 const std::vector<A> & shrink,
                 const std::vector<B> & sigma,
                 const std::vector<unsigned> & iterations)
{
  if (shrink.empty() || shrink.size() != sigma.size() || shrink.size() != iterations.size())
    Bad(stage + " levels", ToText(shrink.size()) + "/" + ToText(sigma.size()) + "/" + ToText(iterations.size()),
        "the same non-zero number of shrink factors, smoothing sigmas and iteration counts");
  for (auto s : shrink)
    if (s < 1 || s > 16)
      Bad(stage + "ShrinkFactors", ToText(s), "1..16");
  for (auto s : sigma)
    if (s < 0 || s > 10)
      Bad(stage + "SmoothingVoxels", ToText(s), "0..10");
  for (auto i : iterations)
    if (i > 10000)
      Bad(stage + "Iterations", ToText(i), "0..10000");
}

/** The fixed image on an isotropic working grid, low-pass filtered first where it is finer than that grid. */
RegistrationImage::Pointer ToWorkingGrid(const RegistrationImage * image, double spacingMm)
{
  auto smoother = itk::SmoothingRecursiveGaussianImageFilter<RegistrationImage, RegistrationImage>::New();
  smoother->SetInput(image);
  itk::FixedArray<double, 3> sigma;
  for (unsigned d = 0; d < 3; ++d)
    sigma[d] = image->GetSpacing()[d] < spacingMm ? 0.5 * spacingMm : 0.01 * image->GetSpacing()[d];
  smoother->SetSigmaArray(sigma);
  smoother->Update();

  const auto size = image->GetLargestPossibleRegion().GetSize();
  RegistrationImage::SizeType newSize;
  RegistrationImage::SpacingType newSpacing;
  for (unsigned d = 0; d < 3; ++d)
  {
    newSpacing[d] = spacingMm;
    newSize[d] = std::max<itk::SizeValueType>(1, std::lround(size[d] * image->GetSpacing()[d] / spacingMm));
  }
  // Keep the centre of the field of view where it is.
  itk::ContinuousIndex<double, 3> centreIndex;
  for (unsigned d = 0; d < 3; ++d)
    centreIndex[d] = (size[d] - 1) / 2.0;
  itk::Point<double, 3> centre;
  image->TransformContinuousIndexToPhysicalPoint(centreIndex, centre);
  itk::Point<double, 3> origin = centre;
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned c = 0; c < 3; ++c)
      origin[r] -= image->GetDirection()(r, c) * (newSize[c] - 1) / 2.0 * spacingMm;

  auto resampler = itk::ResampleImageFilter<RegistrationImage, RegistrationImage>::New();
  resampler->SetInput(smoother->GetOutput());
  resampler->SetSize(newSize);
  resampler->SetOutputSpacing(newSpacing);
  resampler->SetOutputOrigin(origin);
  resampler->SetOutputDirection(image->GetDirection());
  resampler->Update();
  return resampler->GetOutput();
}

RegistrationMask::Pointer MaskOnGrid(const RegistrationMask * mask, const RegistrationImage * grid)
{
  auto resampler = itk::ResampleImageFilter<RegistrationMask, RegistrationMask>::New();
  resampler->SetInput(mask);
  resampler->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<RegistrationMask, double>::New());
  resampler->UseReferenceImageOn();
  resampler->SetReferenceImage(grid);
  resampler->Update();
  return resampler->GetOutput();
}

/** A fixed number of random samples per level (as elastix does), whatever the grid size: the metric cost stays
 * bounded on large fields of view. */
template<typename TRegistration>
void ConfigureLevels(TRegistration * registration,
                     const RegistrationImage * working,
                     const std::vector<unsigned> & shrink,
                     const std::vector<double> & sigma,
                     unsigned samples,
                     unsigned seed)
{
  typename TRegistration::ShrinkFactorsArrayType shrinkArray(shrink.size());
  typename TRegistration::SmoothingSigmasArrayType sigmaArray(sigma.size());
  typename TRegistration::MetricSamplingPercentageArrayType percentages(shrink.size());
  const double voxels = static_cast<double>(working->GetLargestPossibleRegion().GetNumberOfPixels());
  for (std::size_t i = 0; i < shrink.size(); ++i)
  {
    shrinkArray[i] = shrink[i];
    sigmaArray[i] = sigma[i];
    const double levelVoxels = voxels / (static_cast<double>(shrink[i]) * shrink[i] * shrink[i]);
    percentages[i] = std::min(1.0, samples / levelVoxels);
  }
  registration->SetNumberOfLevels(static_cast<itk::SizeValueType>(shrink.size()));
  registration->SetShrinkFactorsPerLevel(shrinkArray);
  registration->SetSmoothingSigmasPerLevel(sigmaArray);
  registration->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(false);
  registration->SetMetricSamplingStrategy(TRegistration::MetricSamplingStrategyEnum::RANDOM);
  registration->SetMetricSamplingPercentagePerLevel(percentages);
  registration->MetricSamplingReinitializeSeed(static_cast<int>(seed));
}

Metric::Pointer MakeMetric(unsigned bins, const RegistrationMask * mask)
{
  auto metric = Metric::New();
  metric->SetNumberOfHistogramBins(bins);

  metric->SetUseMovingImageGradientFilter(false);
  metric->SetUseFixedImageGradientFilter(false);
  if (mask != nullptr)
  {
    auto object = MaskObject::New();
    object->SetImage(mask);
    object->Update();
    metric->SetFixedImageMask(object);
  }
  return metric;
}

/** Runs one optimizer level schedule: iterations change per level through an observer-free loop of stages. */
Optimizer::Pointer MakeOptimizer(unsigned iterations, double maxStepMm)
{
  auto optimizer = Optimizer::New();
  optimizer->SetNumberOfIterations(iterations);
  optimizer->SetMaximumStepSizeInPhysicalUnits(maxStepMm);
  optimizer->SetDoEstimateLearningRateAtEachIteration(true);
  optimizer->SetDoEstimateLearningRateOnce(false);
  optimizer->SetMinimumConvergenceValue(1e-6);
  optimizer->SetConvergenceWindowSize(10);
  return optimizer;
}

/** `image` resampled through `transform` onto a grid of `spacingMm` over the same extent. Resampling gives the same
 * voxels on any number of threads, so this one uses `threads` even inside a SingleThreadedScope. */
RegistrationImage::Pointer Carry(const RegistrationImage * image,
                                 const itk::Transform<double, 3, 3> * transform,
                                 double spacingMm,
                                 itk::ThreadIdType threads)
{
  RegistrationImage::SpacingType spacing;
  RegistrationImage::SizeType size;
  for (unsigned d = 0; d < 3; ++d)
  {
    spacing[d] = spacingMm;
    size[d] = static_cast<itk::SizeValueType>(
      std::ceil(image->GetLargestPossibleRegion().GetSize()[d] * image->GetSpacing()[d] / spacingMm));
  }
  auto resampler = itk::ResampleImageFilter<RegistrationImage, RegistrationImage>::New();
  resampler->SetInput(image);
  resampler->SetTransform(transform);
  resampler->SetOutputSpacing(spacing);
  resampler->SetSize(size);
  resampler->SetOutputOrigin(image->GetOrigin());
  resampler->SetOutputDirection(image->GetDirection());
  resampler->GetMultiThreader()->SetMaximumNumberOfThreads(threads);
  resampler->SetNumberOfWorkUnits(threads);
  resampler->Update();
  return resampler->GetOutput();
}

AffineTransform::Pointer InitialAffine(const RegistrationImage * fixed,
                                       const RegistrationImage * moving,
                                       const itk::Transform<double, 3, 3> * initial)
{
  auto affine = AffineTransform::New();
  if (initial != nullptr)
  {
    const auto * matrixOffset = dynamic_cast<const itk::MatrixOffsetTransformBase<double, 3, 3> *>(initial);
    if (matrixOffset == nullptr)
      throw ConfigError("atlas registration: the initial transform must be affine (matrix + offset)");
    affine->SetCenter(matrixOffset->GetCenter());
    affine->SetMatrix(matrixOffset->GetMatrix());
    affine->SetTranslation(matrixOffset->GetTranslation());
    return affine;
  }
  auto initializer = itk::CenteredTransformInitializer<AffineTransform, RegistrationImage, RegistrationImage>::New();
  initializer->SetTransform(affine);
  initializer->SetFixedImage(fixed);
  initializer->SetMovingImage(moving);
  initializer->MomentsOn();
  initializer->InitializeTransform();
  return affine;
}
} // namespace

void ValidateAtlasRegistrationParams(const AtlasRegistrationParams & p)
{
  if (!(p.workingSpacingMm > 0.5 && p.workingSpacingMm <= 6.0))
    Bad("workingSpacingMm", ToText(p.workingSpacingMm), "(0.5, 6] mm");
  if (p.histogramBins < 8 || p.histogramBins > 128)
    Bad("histogramBins", ToText(p.histogramBins), "8..128");
  if (p.affineSamples < 1000 || p.affineSamples > 10000000)
    Bad("affineSamples", ToText(p.affineSamples), "1000..10000000");
  if (p.bsplineSamples < 1000 || p.bsplineSamples > 10000000)
    Bad("bsplineSamples", ToText(p.bsplineSamples), "1000..10000000");
  if (!(p.bsplineInitialGridSpacingMm >= 10 && p.bsplineInitialGridSpacingMm <= 200))
    Bad("bsplineInitialGridSpacingMm", ToText(p.bsplineInitialGridSpacingMm), "10..200 mm");
  if (!(p.fineMovingSpacingMm > 0.5 && p.fineMovingSpacingMm <= 6.0))
    Bad("fineMovingSpacingMm", ToText(p.fineMovingSpacingMm), "(0.5, 6] mm");
  if (!(p.bsplineMaxStepMm > 0 && p.bsplineMaxStepMm <= 10))
    Bad("bsplineMaxStepMm", ToText(p.bsplineMaxStepMm), "(0, 10] mm");
  CheckLevels("affine", p.affineShrinkFactors, p.affineSmoothingVoxels, p.affineIterations);
  if (p.deformable)
  {
    CheckLevels("bspline", p.bsplineShrinkFactors, p.bsplineSmoothingVoxels, p.bsplineIterations);
    if (p.fineOutliers)
      ValidateIntensityOutlierParams(p.outliers);
    for (const auto & level : p.fineLevels)
      ValidateStochasticBSplineParams(level);
  }
}

AtlasRegistrationResult RegisterAtlas(const RegistrationImage * fixed,
                                      const RegistrationImage * moving,
                                      const RegistrationMask * fixedMask,
                                      const AtlasRegistrationParams & params,
                                      const itk::Transform<double, 3, 3> * initial)
{
  ValidateAtlasRegistrationParams(params);
  // ITK objects that draw random samples without an explicit seed (the scale estimator's random iterator) take
  // theirs from the global generator, which starts from the clock: seed it, or results change from run to run.
  itk::Statistics::MersenneTwisterRandomVariateGenerator::GetInstance()->SetSeed(params.randomSeed);
  const SingleThreadedScope singleThreaded(params.deterministic);
  if (fixed == nullptr || moving == nullptr)
    throw ConfigError("atlas registration: fixed and moving images are required");
  const auto start = std::chrono::steady_clock::now();
  AtlasRegistrationResult result;

  const RegistrationImage::Pointer working = ToWorkingGrid(fixed, params.workingSpacingMm);
  const RegistrationMask::Pointer mask = fixedMask ? MaskOnGrid(fixedMask, working) : nullptr;

  // Affine stage, one optimizer per level schedule: ITK v4 runs all levels with one optimizer, so the
  // iteration count is the first level's; later levels converge sooner through the convergence window.
  using AffineRegistration = itk::ImageRegistrationMethodv4<RegistrationImage, RegistrationImage, AffineTransform>;
  auto affine = InitialAffine(working, moving, initial);
  auto affineRegistration = AffineRegistration::New();
  affineRegistration->SetFixedImage(working);
  affineRegistration->SetMovingImage(moving);
  affineRegistration->SetMetric(MakeMetric(params.histogramBins, mask));
  auto scales = itk::RegistrationParameterScalesFromPhysicalShift<Metric>::New();
  scales->SetMetric(dynamic_cast<Metric *>(affineRegistration->GetModifiableMetric()));
  auto affineOptimizer = MakeOptimizer(params.affineIterations.front(), 2.0);
  affineOptimizer->SetScalesEstimator(scales);
  affineRegistration->SetOptimizer(affineOptimizer);
  affineRegistration->SetInitialTransform(affine);
  affineRegistration->InPlaceOn();
  ConfigureLevels(affineRegistration.GetPointer(), working, params.affineShrinkFactors, params.affineSmoothingVoxels,
                  params.affineSamples, params.randomSeed);
  affineRegistration->Update();
  result.affineMetric = affineOptimizer->GetCurrentMetricValue();
  result.finalMetric = result.affineMetric;

  result.transform = itk::CompositeTransform<double, 3>::New();
  result.transform->AddTransform(affine);

  if (params.deformable)
  {
    using BSplineRegistration = itk::ImageRegistrationMethodv4<RegistrationImage, RegistrationImage, BSplineTransform>;
    auto bspline = IdentityBSplineOn(working, params.bsplineInitialGridSpacingMm);
    const BSplineTransform::MeshSizeType mesh = bspline->GetTransformDomainMeshSize();

    // The atlas pre-warped by the affine onto the working grid: the metric then sees the B-spline alone, whose local
    // support keeps each sample's Jacobian small (a composite moving-initial transform makes it dense and slow).
    // The pre-warped atlas keeps the atlas's own resolution (not the coarser working grid).
    auto prewarp = itk::ResampleImageFilter<RegistrationImage, RegistrationImage>::New();
    prewarp->SetInput(moving);
    prewarp->SetTransform(affine);
    RegistrationImage::SpacingType fine;
    RegistrationImage::SizeType fineSize;
    double atlasSpacing = moving->GetSpacing()[0];
    for (unsigned d = 1; d < 3; ++d)
      atlasSpacing = std::min(atlasSpacing, moving->GetSpacing()[d]);
    atlasSpacing = std::min(atlasSpacing, working->GetSpacing()[0]);
    for (unsigned d = 0; d < 3; ++d)
    {
      fine[d] = atlasSpacing;
      fineSize[d] = static_cast<itk::SizeValueType>(
        std::ceil(working->GetLargestPossibleRegion().GetSize()[d] * working->GetSpacing()[d] / atlasSpacing));
    }
    prewarp->SetOutputSpacing(fine);
    prewarp->SetSize(fineSize);
    prewarp->SetOutputDirection(working->GetDirection());
    prewarp->SetOutputOrigin(working->GetOrigin());
    prewarp->Update();

    auto bsplineRegistration = BSplineRegistration::New();
    bsplineRegistration->SetFixedImage(working);
    bsplineRegistration->SetMovingImage(prewarp->GetOutput());
    bsplineRegistration->SetMetric(MakeMetric(params.histogramBins, mask));
    bsplineRegistration->SetInitialTransform(bspline);
    bsplineRegistration->InPlaceOn();
    // L-BFGS needs no scale or step estimation (whose cost grows with the number of control points); all
    // parameters are displacements in mm.
    auto bsplineOptimizer = itk::LBFGS2Optimizerv4::New();
    bsplineOptimizer->SetNumberOfIterations(params.bsplineIterations.front());
    bsplineOptimizer->SetHessianApproximationAccuracy(5);
    bsplineOptimizer->SetSolutionAccuracy(1e-5);
    bsplineOptimizer->SetMaximumLineSearchEvaluations(10);
    bsplineRegistration->SetOptimizer(bsplineOptimizer);
    ConfigureLevels(bsplineRegistration.GetPointer(), working, params.bsplineShrinkFactors,
                    params.bsplineSmoothingVoxels, params.bsplineSamples, params.randomSeed + 1);

    typename BSplineRegistration::TransformParametersAdaptorsContainerType adaptors;
    for (std::size_t level = 0; level < params.bsplineShrinkFactors.size(); ++level)
    {
      auto adaptor = itk::BSplineTransformParametersAdaptor<BSplineTransform>::New();
      BSplineTransform::MeshSizeType levelMesh;
      for (unsigned d = 0; d < 3; ++d)
        levelMesh[d] = mesh[d] << level;
      adaptor->SetTransform(bspline);
      adaptor->SetRequiredTransformDomainMeshSize(levelMesh);
      adaptor->SetRequiredTransformDomainOrigin(bspline->GetTransformDomainOrigin());
      adaptor->SetRequiredTransformDomainDirection(bspline->GetTransformDomainDirection());
      adaptor->SetRequiredTransformDomainPhysicalDimensions(bspline->GetTransformDomainPhysicalDimensions());
      adaptors.push_back(adaptor);
    }
    bsplineRegistration->SetTransformParametersAdaptorsPerLevel(adaptors);
    bsplineRegistration->Update();
    result.finalMetric = bsplineOptimizer->GetCurrentMetricValue();
    result.transform->AddTransform(bspline);

    // Each fine level sees the affine-warped atlas carried through the levels before it, and only itself.
    RegistrationImage::Pointer carried = prewarp->GetOutput();
    const itk::Transform<double, 3, 3> * previous = bspline;
    for (const auto & level : params.fineLevels)
    {
      carried = Carry(carried, previous, params.fineMovingSpacingMm, singleThreaded.Saved());
      RegistrationMask::Pointer fineMask = mask;
      if (params.fineOutliers)
      {
        // Lesions and swelling have no counterpart in the atlas: left out of the fine levels' cost.
        const auto outliers = MaskIntensityOutliers(working, carried, mask, params.outliers);
        fineMask = outliers.kept;
        result.fineOutlierFractions.push_back(static_cast<double>(outliers.outlierVoxels) /
                                              std::max<std::size_t>(1, outliers.keptVoxels + outliers.outlierVoxels));
      }
      const auto fine = RegisterBSplineStochastic(working, carried, fineMask, level);
      result.fineMetrics.emplace_back(fine.initialMetric, fine.finalMetric);
      result.transform->AddTransform(fine.transform);
      previous = fine.transform;
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

} // namespace icanscan::filters
