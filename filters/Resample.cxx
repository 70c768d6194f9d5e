#include "filters/Resample.h"

#include "filters/ParamCheck.h"

#include "itkBSplineInterpolateImageFunction.h"
#include "itkDiscreteGaussianImageFilter.h"
#include "itkIdentityTransform.h"
#include "itkImageRegionConstIteratorWithIndex.h"
#include "itkMultiThreaderBase.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkMinimumMaximumImageCalculator.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"
#include "itkWindowedSincInterpolateImageFunction.h"

#include <algorithm>
#include <array>
#include <memory>
#include <cmath>

namespace icanscan::filters
{
namespace
{
constexpr const char * kComponent = "resample";

itk::InterpolateImageFunction<FloatImage, double>::Pointer MakeInterpolator(const ResampleParams & params)
{
  switch (params.interpolation)
  {
    case InterpolationMode::Nearest:
      return itk::NearestNeighborInterpolateImageFunction<FloatImage, double>::New().GetPointer();
    case InterpolationMode::Linear:
      return itk::LinearInterpolateImageFunction<FloatImage, double>::New().GetPointer();
    case InterpolationMode::BSpline:
    {
      auto interpolator = itk::BSplineInterpolateImageFunction<FloatImage, double, double>::New();
      interpolator->SetSplineOrder(params.bsplineOrder);
      return interpolator.GetPointer();
    }
    case InterpolationMode::WindowedSinc:
      break;
  }
  // The sinc radius is a template parameter: one instantiation per allowed radius.
  switch (params.sincRadius)
  {
    case 2:
      return itk::WindowedSincInterpolateImageFunction<FloatImage, 2, itk::Function::WelchWindowFunction<2>>::New()
        .GetPointer();
    case 3:
      return itk::WindowedSincInterpolateImageFunction<FloatImage, 3, itk::Function::WelchWindowFunction<3>>::New()
        .GetPointer();
    case 4:
      return itk::WindowedSincInterpolateImageFunction<FloatImage, 4, itk::Function::WelchWindowFunction<4>>::New()
        .GetPointer();
    default:
      return itk::WindowedSincInterpolateImageFunction<FloatImage, 5, itk::Function::WelchWindowFunction<5>>::New()
        .GetPointer();
  }
}

/** Gaussian sigma (mm) per input axis that brings the input resolution to the output grid's along that axis. */
itk::Vector<double, 3> AntiAliasSigma(const itk::ImageBase<3> * input, const itk::ImageBase<3> * grid)
{
  itk::Vector<double, 3> sigma;
  for (unsigned d = 0; d < 3; ++d)
  {
    double outSpacing = 0;
    for (unsigned k = 0; k < 3; ++k)
    {
      double cosine = 0;
      for (unsigned r = 0; r < 3; ++r)
        cosine += input->GetDirection()(r, d) * grid->GetDirection()(r, k);
      outSpacing = std::max(outSpacing, std::abs(cosine) * grid->GetSpacing()[k]);
    }
    const double in = input->GetSpacing()[d];
    // Below 10 % of a voxel the blur is invisible; skipping it keeps identity resampling exact.
    const double s = std::sqrt(std::max(0.0, outSpacing * outSpacing - in * in)) / 2.3548;
    sigma[d] = s > 0.1 * in ? s : 0.0;
  }
  return sigma;
}

template<typename TImage>
typename TImage::Pointer ResampleNearest(const TImage * image,
                                         const itk::ImageBase<3> * grid,
                                         const itk::Transform<double, 3, 3> * transform,
                                         typename TImage::PixelType background)
{
  auto resampler = itk::ResampleImageFilter<TImage, TImage, double>::New();
  resampler->SetInput(image);
  resampler->SetReferenceImage(grid);
  resampler->UseReferenceImageOn();
  resampler->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<TImage, double>::New());
  if (transform != nullptr)
    resampler->SetTransform(transform);
  resampler->SetDefaultPixelValue(background);
  resampler->Update();
  return resampler->GetOutput();
}
} // namespace

void ValidateResampleParams(const ResampleParams & params)
{
  detail::CheckRange(kComponent, "bsplineOrder", params.bsplineOrder, 1u, 5u);
  detail::CheckRange(kComponent, "sincRadius", params.sincRadius, 2u, 5u);
  if (!std::isfinite(params.defaultValue))
    detail::BadParam(kComponent, "defaultValue", ToText(params.defaultValue), "a finite value");
}

FloatImage::Pointer ResampleImage(const FloatImage * image,
                                  const itk::ImageBase<3> * grid,
                                  const itk::Transform<double, 3, 3> * transform,
                                  const ResampleParams & params)
{
  ValidateResampleParams(params);
  detail::RequireImage(image, "resample input image");
  detail::RequireImage(grid, "resample reference grid");

  FloatImage::ConstPointer source = image;
  const itk::Vector<double, 3> sigma = AntiAliasSigma(image, grid);
  if (params.antiAlias && params.interpolation != InterpolationMode::Nearest &&
      (sigma[0] > 0 || sigma[1] > 0 || sigma[2] > 0))
  {
    auto smoother = itk::DiscreteGaussianImageFilter<FloatImage, FloatImage>::New();
    smoother->SetInput(image);
    itk::FixedArray<double, 3> variance;
    for (unsigned d = 0; d < 3; ++d)
      variance[d] = sigma[d] * sigma[d];
    smoother->SetVariance(variance);
    smoother->SetUseImageSpacingOn();
    smoother->SetMaximumError(0.01);
    smoother->SetMaximumKernelWidth(64);
    smoother->Update();
    source = smoother->GetOutput();
  }

  auto resampler = itk::ResampleImageFilter<FloatImage, FloatImage, double>::New();
  resampler->SetInput(source);
  resampler->SetReferenceImage(grid);
  resampler->UseReferenceImageOn();
  resampler->SetInterpolator(MakeInterpolator(params));
  if (transform != nullptr)
    resampler->SetTransform(transform);
  resampler->SetDefaultPixelValue(static_cast<float>(params.defaultValue));
  resampler->Update();
  FloatImage::Pointer output = resampler->GetOutput();

  if (params.clampToInputRange &&
      (params.interpolation == InterpolationMode::BSpline || params.interpolation == InterpolationMode::WindowedSinc))
  {
    auto range = itk::MinimumMaximumImageCalculator<FloatImage>::New();
    range->SetImage(image);
    range->Compute();
    const float lo = std::min(range->GetMinimum(), static_cast<float>(params.defaultValue));
    const float hi = std::max(range->GetMaximum(), static_cast<float>(params.defaultValue));
    float * buffer = output->GetBufferPointer();
    const std::size_t n = output->GetBufferedRegion().GetNumberOfPixels();
    for (std::size_t i = 0; i < n; ++i)
      buffer[i] = std::clamp(buffer[i], lo, hi);
  }
  return output;
}

LabelImage::Pointer ResampleLabels(const LabelImage * labels,
                                   const itk::ImageBase<3> * grid,
                                   const itk::Transform<double, 3, 3> * transform,
                                   LabelImage::PixelType background)
{
  detail::RequireImage(labels, "resample input label map");
  detail::RequireImage(grid, "resample reference grid");
  return ResampleNearest(labels, grid, transform, background);
}

MaskImage::Pointer ResampleMask(const MaskImage * mask,
                                const itk::ImageBase<3> * grid,
                                const itk::Transform<double, 3, 3> * transform)
{
  detail::RequireImage(mask, "resample input mask");
  detail::RequireImage(grid, "resample reference grid");
  return ResampleNearest(mask, grid, transform, MaskImage::PixelType{ 0 });
}

namespace
{
/** Where a transform sends the voxels of a grid, evaluated on lattice nodes every few voxels (plus the last voxel of
 * each axis) and interpolated trilinearly in between. */
class TransformLattice
{
public:
  TransformLattice(const itk::ImageBase<3> * grid, const itk::Transform<double, 3, 3> * transform, double latticeMm)
  {
    const auto size = grid->GetLargestPossibleRegion().GetSize();
    for (unsigned d = 0; d < 3; ++d)
    {
      const auto step = std::max<itk::IndexValueType>(
        1, static_cast<itk::IndexValueType>(std::floor(latticeMm / grid->GetSpacing()[d])));
      for (itk::IndexValueType i = 0; i < static_cast<itk::IndexValueType>(size[d]); i += step)
        m_Nodes[d].push_back(i);
      if (m_Nodes[d].back() != static_cast<itk::IndexValueType>(size[d]) - 1)
        m_Nodes[d].push_back(static_cast<itk::IndexValueType>(size[d]) - 1);
      m_Cell[d].resize(size[d]);
      std::size_t cell = 0;
      for (itk::IndexValueType i = 0; i < static_cast<itk::IndexValueType>(size[d]); ++i)
      {
        while (cell + 2 < m_Nodes[d].size() && m_Nodes[d][cell + 1] <= i)
          ++cell;
        m_Cell[d][static_cast<std::size_t>(i)] = cell;
      }
    }
    m_Points.resize(m_Nodes[0].size() * m_Nodes[1].size() * m_Nodes[2].size());
    itk::MultiThreaderBase::New()->ParallelizeArray(
      0, m_Points.size(),
      [&](itk::SizeValueType k)
      {
        itk::Index<3> index;
        std::size_t rest = k;
        for (unsigned d = 0; d < 3; ++d)
        {
          index[d] = m_Nodes[d][rest % m_Nodes[d].size()];
          rest /= m_Nodes[d].size();
        }
        itk::Point<double, 3> p;
        grid->TransformIndexToPhysicalPoint(index, p);
        m_Points[k] = transform->TransformPoint(p);
      },
      nullptr);
  }

  itk::Point<double, 3> Map(const itk::Index<3> & index) const
  {
    std::size_t cell[3];
    double fraction[3];
    for (unsigned d = 0; d < 3; ++d)
    {
      cell[d] = m_Cell[d][static_cast<std::size_t>(index[d])];
      const bool single = m_Nodes[d].size() == 1;
      fraction[d] = single ? 0.0
                           : static_cast<double>(index[d] - m_Nodes[d][cell[d]]) /
                               static_cast<double>(m_Nodes[d][cell[d] + 1] - m_Nodes[d][cell[d]]);
    }
    itk::Vector<double, 3> sum;
    sum.Fill(0);
    for (unsigned corner = 0; corner < 8; ++corner)
    {
      double weight = 1;
      std::size_t offset = 0, stride = 1;
      for (unsigned d = 0; d < 3; ++d)
      {
        const bool upper = ((corner >> d) & 1U) && m_Nodes[d].size() > 1;
        weight *= ((corner >> d) & 1U) ? fraction[d] : 1.0 - fraction[d];
        offset += (cell[d] + (upper ? 1 : 0)) * stride;
        stride *= m_Nodes[d].size();
      }
      if (weight != 0)
        sum += m_Points[offset].GetVectorFromOrigin() * weight;
    }
    itk::Point<double, 3> p;
    p.Fill(0);
    return p + sum;
  }

private:
  std::array<std::vector<itk::IndexValueType>, 3> m_Nodes;
  std::array<std::vector<std::size_t>, 3> m_Cell;
  std::vector<itk::Point<double, 3>> m_Points;
};
} // namespace

std::vector<MaskImage::Pointer> ResampleMasks(const std::vector<const MaskImage *> & masks,
                                              const itk::ImageBase<3> * grid,
                                              const itk::Transform<double, 3, 3> * transform,
                                              double transformLatticeMm)
{
  detail::RequireImage(grid, "resample reference grid");
  detail::CheckRange(kComponent, "transformLatticeMm", transformLatticeMm, 0.0, 20.0);
  std::vector<MaskImage::Pointer> out;
  if (masks.empty())
    return out;
  for (const auto * mask : masks)
    detail::RequireImage(mask, "resample input mask");
  const MaskImage * first = masks.front();
  const auto sameGrid = [&](const MaskImage * m)
  {
    return m->GetLargestPossibleRegion() == first->GetLargestPossibleRegion() && m->GetOrigin() == first->GetOrigin() &&
           m->GetSpacing() == first->GetSpacing() && m->GetDirection() == first->GetDirection();
  };
  if (!std::all_of(masks.begin(), masks.end(), sameGrid))
  {
    for (const auto * mask : masks)
      out.push_back(ResampleMask(mask, grid, transform));
    return out;
  }
  for (std::size_t k = 0; k < masks.size(); ++k)
  {
    auto m = MaskImage::New();
    m->CopyInformation(grid);
    m->SetRegions(grid->GetLargestPossibleRegion());
    m->Allocate(true);
    out.push_back(m);
  }
  std::unique_ptr<TransformLattice> lattice;
  if (transform != nullptr && transformLatticeMm > 0)
    lattice = std::make_unique<TransformLattice>(grid, transform, transformLatticeMm);
  const auto region = grid->GetLargestPossibleRegion();
  itk::MultiThreaderBase::New()->ParallelizeImageRegion<3>(
    region,
    [&](const itk::ImageRegion<3> & part)
    {
      for (itk::ImageRegionConstIteratorWithIndex<MaskImage> it(out.front(), part); !it.IsAtEnd(); ++it)
      {
        itk::Point<double, 3> p;
        if (lattice)
          p = lattice->Map(it.GetIndex());
        else
        {
          grid->TransformIndexToPhysicalPoint(it.GetIndex(), p);
          if (transform != nullptr)
            p = transform->TransformPoint(p);
        }
        MaskImage::IndexType source;
        if (!first->TransformPhysicalPointToIndex(p, source))
          continue;
        const auto from = first->ComputeOffset(source);
        const auto to = out.front()->ComputeOffset(it.GetIndex());
        for (std::size_t k = 0; k < masks.size(); ++k)
          out[k]->GetBufferPointer()[to] = masks[k]->GetBufferPointer()[from];
      }
    },
    nullptr);
  return out;
}

itk::ImageBase<3>::Pointer MakeGridWithSpacing(const itk::ImageBase<3> * image, const itk::Vector<double, 3> & spacing)
{
  detail::RequireImage(image, "resample input image");
  for (unsigned d = 0; d < 3; ++d)
    detail::CheckRange(kComponent, "spacing[" + std::to_string(d) + "]", spacing[d], 0.05, 50.0);

  const auto size = image->GetLargestPossibleRegion().GetSize();
  itk::ImageBase<3>::SizeType newSize;
  itk::ImageBase<3>::SpacingType newSpacing;
  itk::ContinuousIndex<double, 3> centreIndex;
  for (unsigned d = 0; d < 3; ++d)
  {
    newSpacing[d] = spacing[d];
    const double extent = size[d] * image->GetSpacing()[d];
    newSize[d] = std::max<itk::SizeValueType>(1, static_cast<itk::SizeValueType>(std::lround(extent / spacing[d])));
    centreIndex[d] = image->GetLargestPossibleRegion().GetIndex()[d] + (size[d] - 1) / 2.0;
  }
  // Keep the centre of the field of view where it is.
  itk::Point<double, 3> centre;
  image->TransformContinuousIndexToPhysicalPoint(centreIndex, centre);
  itk::Point<double, 3> origin = centre;
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned c = 0; c < 3; ++c)
      origin[r] -= image->GetDirection()(r, c) * (newSize[c] - 1) / 2.0 * newSpacing[c];

  auto grid = itk::ImageBase<3>::New();
  grid->SetRegions(newSize);
  grid->SetSpacing(newSpacing);
  grid->SetOrigin(origin);
  grid->SetDirection(image->GetDirection());
  return grid;
}

itk::ImageBase<3>::Pointer MakeWorkingGrid(const itk::ImageBase<3> * image, double minSpacingMm)
{
  detail::RequireImage(image, "resample input image");
  detail::CheckRange(kComponent, "working minSpacingMm", minSpacingMm, 0.05, 50.0);
  itk::Vector<double, 3> spacing;
  for (unsigned d = 0; d < 3; ++d)
    spacing[d] = std::max(image->GetSpacing()[d], minSpacingMm);
  return MakeGridWithSpacing(image, spacing);
}

FloatImage::Pointer ResliceToSpacing(const FloatImage * image,
                                     const itk::Vector<double, 3> & spacing,
                                     const ResampleParams & params)
{
  ValidateResampleParams(params);
  auto grid = MakeGridWithSpacing(image, spacing);
  return ResampleImage(image, grid, nullptr, params);
}

FloatImage::Pointer ResliceToIsotropic(const FloatImage * image, double spacingMm, const ResampleParams & params)
{
  detail::CheckRange(kComponent, "isotropic spacingMm", spacingMm, 0.05, 50.0);
  itk::Vector<double, 3> spacing;
  spacing.Fill(spacingMm);
  return ResliceToSpacing(image, spacing, params);
}

} // namespace icanscan::filters
