#include "SyntheticHead.h"

#include "itkImageRegionConstIteratorWithIndex.h"
#include "itkImageRegionIteratorWithIndex.h"

#include <cmath>
#include <random>

namespace icanscan::filters::test
{
namespace
{
/** Inside the ellipsoid of semi-axes r centred at c. */
bool Inside(const std::array<double, 3> & p, const std::array<double, 3> & c, const std::array<double, 3> & r)
{
  double sum = 0;
  for (unsigned d = 0; d < 3; ++d)
  {
    const double t = (p[d] - c[d]) / r[d];
    sum += t * t;
  }
  return sum <= 1.0;
}

std::array<double, 3> Shrunk(const std::array<double, 3> & r, double by)
{
  return { r[0] - by, r[1] - by, r[2] - by };
}

constexpr std::array<double, 3> kCentre{ 0, 0, 0 };
constexpr std::array<double, 3> kHead{ 78, 96, 74 };
// Brain slightly off-centre (forward and up) inside a CSF layer that is thicker at the back.
constexpr std::array<double, 3> kBrainCentre{ 1.5, 2.5, 2.0 };
constexpr std::array<double, 3> kBrain{ 63, 81, 59 };

itk::Point<double, 3> GridPoint(const FloatImage * image, const itk::ContinuousIndex<double, 3> & index)
{
  itk::Point<double, 3> point;
  image->TransformContinuousIndexToPhysicalPoint(index, point);
  return point;
}
} // namespace

int TissueAt(const std::array<double, 3> & p, bool withLesion)
{
  if (!Inside(p, kCentre, kHead))
    return 0;
  if (!Inside(p, kCentre, Shrunk(kHead, 5)))
    return 1;
  if (!Inside(p, kCentre, Shrunk(kHead, 10)))
    return 2;
  if (!BrainAt(p))
    return 3;
  if (withLesion && Inside(p, { 24, 30, 18 }, { 9, 11, 8 }))
    return 8;
  if (Inside(p, { -9, 8, 12 }, { 6, 22, 9 }) || Inside(p, { 10, 4, 10 }, { 5, 18, 8 }))
    return 6;
  if (Inside(p, { -14, -8, -2 }, { 8, 11, 9 }) || Inside(p, { 15, -6, 0 }, { 7, 12, 8 }))
    return 7;
  // Cortex with gyri: in the outer centimetre, an angular pattern makes CSF-filled sulci lined by grey matter, so
  // that, as in a real brain, edges run in every direction and rotations are well determined.
  double s = 0;
  for (unsigned d = 0; d < 3; ++d)
  {
    const double t = (p[d] - kBrainCentre[d]) / kBrain[d];
    s += t * t;
  }
  const double depth = (1.0 - std::sqrt(s)) * 68.0; // approximate mm below the brain surface
  if (depth < 10.0)
  {
    const double x = p[0] - kBrainCentre[0], y = p[1] - kBrainCentre[1], z = p[2] - kBrainCentre[2];
    const double theta = std::atan2(y, x);
    const double phi = std::atan2(z, std::hypot(x, y));
    const double gyri = std::cos(6 * theta + 2.0 * std::sin(3 * phi)) * std::cos(5 * phi + 0.7 * theta);
    if (depth < 8.0 && gyri > 0.55)
      return 3;
    if (depth < 4.0 || gyri > 0.3)
      return 4;
  }
  return 5;
}

bool BrainAt(const std::array<double, 3> & p)
{
  return Inside(p, kBrainCentre, kBrain);
}

bool IntracranialAt(const std::array<double, 3> & p)
{
  return Inside(p, kCentre, Shrunk(kHead, 10));
}

FloatImage::Pointer MakeGridImage(const HeadGrid & grid)
{
  auto image = FloatImage::New();
  FloatImage::SizeType size;
  FloatImage::SpacingType spacing;
  FloatImage::PointType origin;
  for (unsigned d = 0; d < 3; ++d)
  {
    size[d] = grid.size[d];
    spacing[d] = grid.spacing[d];
    origin[d] = -(static_cast<double>(grid.size[d]) - 1.0) / 2.0 * grid.spacing[d] + grid.offsetMm[d];
  }
  image->SetRegions(size);
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->Allocate(true);
  return image;
}

FloatImage::Pointer MakeHead(const HeadGrid & grid,
                             const HeadContrast & contrast,
                             const itk::Transform<double, 3, 3> * headToImage,
                             double noiseSigma,
                             std::uint32_t seed,
                             bool withLesion)
{
  auto image = MakeGridImage(grid);
  itk::Transform<double, 3, 3>::ConstPointer inverse;
  if (headToImage != nullptr)
    inverse = headToImage->GetInverseTransform();
  const float table[9] = { 0.0f,           contrast.scalp,     contrast.skull,    contrast.csf,   contrast.grey,
                           contrast.white, contrast.ventricle, contrast.deepGrey, contrast.lesion };
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0.0, noiseSigma);
  const unsigned samples = grid.subSamples[0] * grid.subSamples[1] * grid.subSamples[2];
  itk::ImageRegionIteratorWithIndex<FloatImage> it(image, image->GetLargestPossibleRegion());
  for (it.GoToBegin(); !it.IsAtEnd(); ++it)
  {
    double sum = 0;
    for (unsigned a = 0; a < grid.subSamples[0]; ++a)
      for (unsigned b = 0; b < grid.subSamples[1]; ++b)
        for (unsigned c = 0; c < grid.subSamples[2]; ++c)
        {
          itk::ContinuousIndex<double, 3> index;
          const unsigned sub[3] = { a, b, c };
          for (unsigned d = 0; d < 3; ++d)
            index[d] = it.GetIndex()[d] + (sub[d] + 0.5) / grid.subSamples[d] - 0.5;
          auto point = GridPoint(image, index);
          if (inverse)
            point = inverse->TransformPoint(point);
          sum += table[TissueAt({ point[0], point[1], point[2] }, withLesion)];
        }
    const double value = sum / samples;
    // Noise on the real and imaginary channel, magnitude taken: Rician like MR magnitude images.
    const double re = value + (noiseSigma > 0 ? noise(random) : 0.0);
    const double im = noiseSigma > 0 ? noise(random) : 0.0;
    it.Set(static_cast<float>(std::sqrt(re * re + im * im)));
  }
  return image;
}

MaskImage::Pointer MakeIntracranialMask(const HeadGrid & grid, const itk::Transform<double, 3, 3> * headToImage)
{
  auto reference = MakeGridImage(grid);
  auto mask = MaskImage::New();
  mask->CopyInformation(reference);
  mask->SetRegions(reference->GetLargestPossibleRegion());
  mask->Allocate(true);
  itk::Transform<double, 3, 3>::ConstPointer inverse;
  if (headToImage != nullptr)
    inverse = headToImage->GetInverseTransform();
  itk::ImageRegionIteratorWithIndex<MaskImage> it(mask, mask->GetLargestPossibleRegion());
  for (it.GoToBegin(); !it.IsAtEnd(); ++it)
  {
    itk::Point<double, 3> point;
    mask->TransformIndexToPhysicalPoint(it.GetIndex(), point);
    if (inverse)
      point = inverse->TransformPoint(point);
    it.Set(IntracranialAt({ point[0], point[1], point[2] }) ? 1 : 0);
  }
  return mask;
}

MaskImage::Pointer MakeBrainMask(const HeadGrid & grid)
{
  auto mask = MakeIntracranialMask(grid);
  itk::ImageRegionIteratorWithIndex<MaskImage> it(mask, mask->GetLargestPossibleRegion());
  for (it.GoToBegin(); !it.IsAtEnd(); ++it)
  {
    itk::Point<double, 3> point;
    mask->TransformIndexToPhysicalPoint(it.GetIndex(), point);
    it.Set(BrainAt({ point[0], point[1], point[2] }) ? 1 : 0);
  }
  return mask;
}

double MeanTargetError(const itk::Transform<double, 3, 3> * recovered,
                       const itk::Transform<double, 3, 3> * truth,
                       const MaskImage * mask)
{
  double sum = 0;
  std::size_t count = 0;
  itk::ImageRegionConstIteratorWithIndex<MaskImage> it(mask, mask->GetLargestPossibleRegion());
  for (it.GoToBegin(); !it.IsAtEnd(); ++it)
  {
    if (it.Get() == 0)
      continue;
    itk::Point<double, 3> point;
    mask->TransformIndexToPhysicalPoint(it.GetIndex(), point);
    sum += recovered->TransformPoint(point).EuclideanDistanceTo(truth->TransformPoint(point));
    ++count;
  }
  return count > 0 ? sum / static_cast<double>(count) : 0.0;
}

} // namespace icanscan::filters::test
