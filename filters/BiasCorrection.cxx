#include "filters/BiasCorrection.h"

#include "filters/ParamCheck.h"
#include "filters/SingleThreadedScope.h"
#include "filters/Resample.h"

#include "itkBSplineControlPointImageFilter.h"
#include "itkCommand.h"
#include "itkN4BiasFieldCorrectionImageFilter.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

namespace icanscan::filters
{
namespace
{
constexpr const char * kComponent = "bias correction";
using N4Filter = itk::N4BiasFieldCorrectionImageFilter<FloatImage, MaskImage, FloatImage>;

/** A grid with `factors` times fewer voxels per axis whose first and last voxel centres are the input's: the
 * B-spline parametric domain N4 fits on is then exactly the input's. */
itk::ImageBase<3>::Pointer ShrunkGrid(const FloatImage * image, const std::array<unsigned, 3> & factors)
{
  const auto region = image->GetLargestPossibleRegion();
  itk::ImageBase<3>::SizeType size;
  itk::ImageBase<3>::SpacingType spacing;
  for (unsigned d = 0; d < 3; ++d)
  {
    const auto n = region.GetSize()[d];
    size[d] = factors[d] == 1 ? n : (n - 1 + factors[d] - 1) / factors[d] + 1;
    spacing[d] = factors[d] == 1
                   ? image->GetSpacing()[d]
                   : image->GetSpacing()[d] * static_cast<double>(n - 1) / static_cast<double>(size[d] - 1);
  }
  itk::Point<double, 3> origin;
  image->TransformIndexToPhysicalPoint(region.GetIndex(), origin);
  auto grid = itk::ImageBase<3>::New();
  grid->SetRegions(size);
  grid->SetSpacing(spacing);
  grid->SetOrigin(origin);
  grid->SetDirection(image->GetDirection());
  return grid;
}
} // namespace

void ValidateBiasCorrectionParams(const BiasCorrectionParams & params)
{
  detail::CheckRange(kComponent, "shrinkSpacingMm", params.shrinkSpacingMm, 0.5, 20.0);
  detail::CheckRange(kComponent, "maxShrinkFactor", params.maxShrinkFactor, 1u, 8u);
  if (params.iterationsPerLevel.empty() || params.iterationsPerLevel.size() > 8)
    detail::BadParam(kComponent, "iterationsPerLevel", ToText(params.iterationsPerLevel.size()) + " levels",
                     "1 to 8 levels");
  for (unsigned iterations : params.iterationsPerLevel)
    detail::CheckRange(kComponent, "iterationsPerLevel[]", iterations, 1u, 1000u);
  detail::CheckRangeOpenLow(kComponent, "convergenceThreshold", params.convergenceThreshold, 0.0, 0.1);
  detail::CheckRange(kComponent, "initialMeshSpacingMm", params.initialMeshSpacingMm, 20.0, 1000.0);
  detail::CheckRange(kComponent, "splineOrder", params.splineOrder, 2u, 3u);
  detail::CheckRange(kComponent, "histogramBins", params.histogramBins, 20u, 1000u);
  detail::CheckRangeOpenLow(kComponent, "wienerFilterNoise", params.wienerFilterNoise, 0.0, 1.0);
  detail::CheckRangeOpenLow(kComponent, "biasFieldFwhm", params.biasFieldFwhm, 0.0, 1.0);
}

BiasCorrectionResult CorrectBias(const FloatImage * image, const MaskImage * mask, const BiasCorrectionParams & params)
{
  ValidateBiasCorrectionParams(params);
  detail::RequireImage(image, "bias correction image");
  if (mask != nullptr)
    detail::RequireSameGrid(image, mask, "bias correction mask");
  const auto start = std::chrono::steady_clock::now();
  const auto fullSize = image->GetLargestPossibleRegion().GetSize();
  for (unsigned d = 0; d < 3; ++d)
  {
    if (fullSize[d] < 4)
      throw InputError("bias correction: image has " + std::to_string(fullSize[d]) + " voxels along axis " +
                       std::to_string(d) + ", N4 needs at least 4");
  }

  BiasCorrectionResult result;
  for (unsigned d = 0; d < 3; ++d)
  {
    const long factor = std::lround(params.shrinkSpacingMm / image->GetSpacing()[d]);
    result.shrinkFactors[d] = static_cast<unsigned>(std::clamp<long>(factor, 1, params.maxShrinkFactor));
  }

  // Full-resolution fit region: inside the mask and positive (N4 works on log intensities).
  const std::size_t n = image->GetBufferedRegion().GetNumberOfPixels();
  auto fitMask = MaskImage::New();
  fitMask->CopyInformation(image);
  fitMask->SetRegions(image->GetLargestPossibleRegion());
  fitMask->Allocate();
  for (std::size_t i = 0; i < n; ++i)
  {
    const bool inside = mask == nullptr || mask->GetBufferPointer()[i] != 0;
    fitMask->GetBufferPointer()[i] = inside && image->GetBufferPointer()[i] > 0 ? 1 : 0;
  }

  auto grid = ShrunkGrid(image, result.shrinkFactors);
  ResampleParams linear;
  linear.antiAlias = false; // N4 sharpens the histogram; blurring it first would work against that
  auto shrunk = ResampleImage(image, grid, nullptr, linear);
  auto shrunkMask = ResampleMask(fitMask, grid);
  std::size_t fitVoxels = 0;
  for (std::size_t i = 0; i < shrunkMask->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    if (shrunk->GetBufferPointer()[i] <= 0)
      shrunkMask->GetBufferPointer()[i] = 0;
    fitVoxels += shrunkMask->GetBufferPointer()[i] != 0;
  }
  if (fitVoxels < 100)
    throw InputError("bias correction: only " + std::to_string(fitVoxels) +
                     " positive voxels inside the mask on the shrunk grid, need at least 100");

  const auto levels = static_cast<unsigned>(params.iterationsPerLevel.size());
  // N4's B-spline fits sum their threads' partial results in finishing order: single-threaded, the same image gives
  // the same field on every run (the fit runs on the shrunk copy, so this costs little).
  auto singleThreaded = std::make_unique<SingleThreadedScope>();
  auto n4 = N4Filter::New();
  n4->SetInput(shrunk);
  n4->SetMaskImage(shrunkMask);
  n4->SetNumberOfFittingLevels(levels);
  N4Filter::VariableSizeArrayType iterations(levels);
  for (unsigned l = 0; l < levels; ++l)
    iterations[l] = params.iterationsPerLevel[l];
  n4->SetMaximumNumberOfIterations(iterations);
  n4->SetConvergenceThreshold(static_cast<float>(params.convergenceThreshold));
  n4->SetSplineOrder(params.splineOrder);
  N4Filter::ArrayType controlPoints;
  for (unsigned d = 0; d < 3; ++d)
  {
    const double extent = (fullSize[d] - 1) * image->GetSpacing()[d];
    const long elements = std::max(1L, std::lround(extent / params.initialMeshSpacingMm));
    controlPoints[d] = static_cast<unsigned>(elements) + params.splineOrder;
  }
  n4->SetNumberOfControlPoints(controlPoints);
  n4->SetNumberOfHistogramBins(params.histogramBins);
  n4->SetWienerFilterNoise(static_cast<float>(params.wienerFilterNoise));
  n4->SetBiasFieldFullWidthAtHalfMaximum(static_cast<float>(params.biasFieldFwhm));

  result.iterationsPerLevel.assign(levels, 0);
  N4Filter * filter = n4.GetPointer();
  n4->AddObserver(itk::IterationEvent(),
                  [filter, &result](const itk::EventObject &)
                  {
                    const unsigned level = filter->GetCurrentLevel();
                    if (level < result.iterationsPerLevel.size())
                      result.iterationsPerLevel[level] = filter->GetElapsedIterations();
                    result.finalConvergence = filter->GetCurrentConvergenceMeasurement();
                  });
  try
  {
    n4->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw InputError(std::string("bias correction: N4 failed: ") + e.GetDescription());
  }
  singleThreaded.reset(); // evaluating the field below is per voxel: any number of threads gives the same result

  // Evaluate the fitted log field on the full grid: same first/last voxel centres, so the same parametric domain.
  using ScalarImage = N4Filter::ScalarImageType;
  auto reconstruct =
    itk::BSplineControlPointImageFilter<N4Filter::BiasFieldControlPointLatticeType, ScalarImage>::New();
  reconstruct->SetInput(n4->GetLogBiasFieldControlPointLattice());
  reconstruct->SetSplineOrder(params.splineOrder);
  reconstruct->SetSize(fullSize);
  reconstruct->SetSpacing(image->GetSpacing());
  reconstruct->SetOrigin(grid->GetOrigin());
  reconstruct->SetDirection(image->GetDirection());
  reconstruct->Update();
  const auto * logField = reconstruct->GetOutput()->GetBufferPointer();

  double logSum = 0;
  std::size_t logCount = 0;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (fitMask->GetBufferPointer()[i] != 0)
    {
      logSum += logField[i][0];
      ++logCount;
    }
  }
  const double logMean = logCount > 0 ? logSum / static_cast<double>(logCount) : 0.0;

  result.biasField = FloatImage::New();
  result.biasField->CopyInformation(image);
  result.biasField->SetRegions(image->GetLargestPossibleRegion());
  result.biasField->Allocate();
  result.corrected = FloatImage::New();
  result.corrected->CopyInformation(image);
  result.corrected->SetRegions(image->GetLargestPossibleRegion());
  result.corrected->Allocate();
  for (std::size_t i = 0; i < n; ++i)
  {
    const double bias = std::exp(logField[i][0] - logMean);
    result.biasField->GetBufferPointer()[i] = static_cast<float>(bias);
    result.corrected->GetBufferPointer()[i] = static_cast<float>(image->GetBufferPointer()[i] / bias);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

} // namespace icanscan::filters
