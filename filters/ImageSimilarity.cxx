#include "filters/ImageSimilarity.h"

#include "filters/ParamCheck.h"

#include "itkDiscreteGaussianImageFilter.h"
#include "itkIdentityTransform.h"
#include "itkImageMaskSpatialObject.h"
#include "itkImageRegionConstIteratorWithIndex.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkMattesMutualInformationImageToImageMetricv4.h"

#include <cmath>

namespace icanscan::filters
{
namespace
{
constexpr const char * kComponent = "image similarity";
using MaskObject = itk::ImageMaskSpatialObject<3>;

MaskObject::Pointer MakeMaskObject(const MaskImage * mask)
{
  auto object = MaskObject::New();
  object->SetImage(mask);
  object->Update();
  return object;
}

itk::Transform<double, 3, 3>::Pointer CloneOrIdentity(const itk::Transform<double, 3, 3> * transform)
{
  if (transform == nullptr)
    return itk::IdentityTransform<double, 3>::New().GetPointer();
  return transform->Clone().GetPointer();
}

/** Gradient magnitude (per mm) by central differences after Gaussian smoothing of sigmaMm. */
FloatImage::Pointer GradientMagnitude(const FloatImage * image, double sigmaMm)
{
  FloatImage::ConstPointer source = image;
  if (sigmaMm > 0)
  {
    auto smoother = itk::DiscreteGaussianImageFilter<FloatImage, FloatImage>::New();
    smoother->SetInput(image);
    smoother->SetVariance(sigmaMm * sigmaMm);
    smoother->SetUseImageSpacingOn();
    smoother->SetMaximumError(0.01);
    smoother->SetMaximumKernelWidth(64);
    smoother->Update();
    source = smoother->GetOutput();
  }
  const auto size = image->GetLargestPossibleRegion().GetSize();
  const auto & spacing = image->GetSpacing();
  auto out = FloatImage::New();
  out->CopyInformation(image);
  out->SetRegions(image->GetLargestPossibleRegion());
  out->Allocate();
  const float * in = source->GetBufferPointer();
  float * g = out->GetBufferPointer();
  const std::size_t stride[3] = { 1, size[0], size[0] * size[1] };
  std::size_t i = 0;
  for (std::size_t z = 0; z < size[2]; ++z)
    for (std::size_t y = 0; y < size[1]; ++y)
      for (std::size_t x = 0; x < size[0]; ++x, ++i)
      {
        const std::size_t index[3] = { x, y, z };
        double sum = 0;
        for (unsigned d = 0; d < 3; ++d)
        {
          if (size[d] < 2)
            continue;
          const bool first = index[d] == 0, last = index[d] + 1 == size[d];
          const double ahead = in[last ? i : i + stride[d]];
          const double behind = in[first ? i : i - stride[d]];
          const double derivative = (ahead - behind) / ((first || last ? 1.0 : 2.0) * spacing[d]);
          sum += derivative * derivative;
        }
        g[i] = static_cast<float>(std::sqrt(sum));
      }
  return out;
}
} // namespace

MutualInformationValue MattesMutualInformation(const FloatImage * fixed,
                                               const FloatImage * moving,
                                               const MaskImage * fixedMask,
                                               const MaskImage * movingMask,
                                               const itk::Transform<double, 3, 3> * transform,
                                               unsigned histogramBins)
{
  detail::RequireImage(fixed, "mutual information fixed image");
  detail::RequireImage(moving, "mutual information moving image");
  detail::CheckRange(kComponent, "histogramBins", histogramBins, 8u, 256u);
  if (fixedMask != nullptr)
    detail::RequireSameGrid(fixed, fixedMask, "fixed mask");
  if (movingMask != nullptr)
    detail::RequireSameGrid(moving, movingMask, "moving mask");

  using Metric = itk::MattesMutualInformationImageToImageMetricv4<FloatImage, FloatImage>;
  auto metric = Metric::New();
  metric->SetNumberOfHistogramBins(histogramBins);
  metric->SetFixedImage(fixed);
  metric->SetMovingImage(moving);
  metric->SetVirtualDomainFromImage(fixed);
  auto t = CloneOrIdentity(transform);
  metric->SetMovingTransform(t);
  MaskObject::Pointer fixedObject, movingObject;
  if (fixedMask != nullptr)
  {
    fixedObject = MakeMaskObject(fixedMask);
    metric->SetFixedImageMask(fixedObject);
  }
  if (movingMask != nullptr)
  {
    movingObject = MakeMaskObject(movingMask);
    metric->SetMovingImageMask(movingObject);
  }
  metric->SetUseFixedImageGradientFilter(false);
  metric->SetUseMovingImageGradientFilter(false);
  MutualInformationValue result;
  try
  {
    metric->Initialize();
    result.value = metric->GetValue();
    result.samples = metric->GetNumberOfValidPoints();
  }
  catch (const itk::ExceptionObject &)
  {
    // ITK throws when too few samples map inside the moving image: no shared information to measure.
    result.value = 0;
    result.samples = 0;
  }
  return result;
}

double Dice(const MaskImage * a, const MaskImage * b, const MaskImage * region)
{
  detail::RequireImage(a, "Dice mask A");
  detail::RequireImage(b, "Dice mask B");
  detail::RequireSameGrid(a, b, "Dice mask B");
  if (region != nullptr)
    detail::RequireSameGrid(a, region, "Dice region");
  const std::size_t n = a->GetBufferedRegion().GetNumberOfPixels();
  std::size_t countA = 0, countB = 0, both = 0;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (region != nullptr && region->GetBufferPointer()[i] == 0)
      continue;
    const bool inA = a->GetBufferPointer()[i] != 0, inB = b->GetBufferPointer()[i] != 0;
    countA += inA;
    countB += inB;
    both += inA && inB;
  }
  return countA + countB == 0 ? 1.0 : 2.0 * static_cast<double>(both) / static_cast<double>(countA + countB);
}

double GradientMagnitudeCorrelation(const FloatImage * fixed,
                                    const FloatImage * moving,
                                    const MaskImage * mask,
                                    const itk::Transform<double, 3, 3> * transform,
                                    double sigmaMm)
{
  detail::RequireImage(fixed, "edge agreement fixed image");
  detail::RequireImage(moving, "edge agreement moving image");
  detail::CheckRange(kComponent, "sigmaMm", sigmaMm, 0.0, 20.0);
  if (mask != nullptr)
    detail::RequireSameGrid(fixed, mask, "edge agreement mask");

  auto fixedGradient = GradientMagnitude(fixed, sigmaMm);
  auto movingGradient = GradientMagnitude(moving, sigmaMm);
  auto interpolator = itk::LinearInterpolateImageFunction<FloatImage, double>::New();
  interpolator->SetInputImage(movingGradient);
  auto t = CloneOrIdentity(transform);

  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  std::size_t count = 0;
  itk::ImageRegionConstIteratorWithIndex<FloatImage> it(fixedGradient, fixedGradient->GetLargestPossibleRegion());
  std::size_t i = 0;
  for (it.GoToBegin(); !it.IsAtEnd(); ++it, ++i)
  {
    if (mask != nullptr && mask->GetBufferPointer()[i] == 0)
      continue;
    itk::Point<double, 3> point;
    fixedGradient->TransformIndexToPhysicalPoint(it.GetIndex(), point);
    const auto mapped = t->TransformPoint(point);
    if (!interpolator->IsInsideBuffer(mapped))
      continue;
    const double x = it.Get();
    const double y = interpolator->Evaluate(mapped);
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
    ++count;
  }
  if (count < 100)
    return 0.0;
  const double c = static_cast<double>(count);
  const double covariance = sxy - sx * sy / c;
  const double varianceX = sxx - sx * sx / c, varianceY = syy - sy * sy / c;
  if (!(varianceX > 0 && varianceY > 0))
    return 0.0;
  return covariance / std::sqrt(varianceX * varianceY);
}

} // namespace icanscan::filters
