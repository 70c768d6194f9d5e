#include "synthetic/SurfaceMotion.h"

#include "filters/MaskMorphology.h"

#include "itkSmoothingRecursiveGaussianImageFilter.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace icanscan::synthetic
{
namespace
{

constexpr double kPi = 3.14159265358979323846;

/** An image holding `region` of `grid` with its own index starting at 0 (so filters see a plain image). */
template<typename TImage>
typename TImage::Pointer CropOf(const itk::ImageBase<3> * grid, const LabelImage::RegionType & region, unsigned step)
{
  auto image = TImage::New();
  typename TImage::RegionType own;
  typename TImage::SpacingType spacing;
  for (unsigned d = 0; d < 3; ++d)
  {
    own.SetSize(d, (region.GetSize(d) + step - 1) / step);
    spacing[d] = grid->GetSpacing()[d] * step;
  }
  image->SetRegions(own);
  image->SetSpacing(spacing);
  image->SetDirection(grid->GetDirection());
  typename TImage::PointType origin;
  grid->TransformIndexToPhysicalPoint(region.GetIndex(), origin);
  image->SetOrigin(origin);
  image->Allocate(true);
  return image;
}

double Profile(double sd, const SurfaceMotionParams & p)
{
  if (sd < 0.0)
  {
    // Enlarging pulls the inside apart: a deeper fade keeps that stretch mild (the inside is one tissue).
    const double inside = p.volumeFactor > 1.0 ? 3.0 * p.insideMm : p.insideMm;
    const double t = std::clamp(1.0 + sd / inside, 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
  }
  if (sd <= 0.5)
    return 1.0;
  if (sd >= 0.5 + p.falloffMm)
    return 0.0;
  const double c = std::cos(0.5 * kPi * (sd - 0.5) / p.falloffMm);
  return c * c;
}

/** exp(k v) by scaling and squaring: the pull-back field of the flow of v over unit time. */
DisplacementField Exponential(const DisplacementField & velocity, double k)
{
  constexpr int squarings = 7;
  DisplacementField u = velocity;
  const auto size = u.Size();
  const std::size_t count = std::size_t{ size[0] } * size[1] * size[2];
  const auto scale = static_cast<float>(k / double(1 << squarings));
  for (std::size_t i = 0; i < 3 * count; ++i)
    u.Values()[i] = velocity.Values()[i] * scale;
  for (int s = 0; s < squarings; ++s)
  {
    DisplacementField next = u;
    for (unsigned z = 0; z < size[2]; ++z)
      for (unsigned y = 0; y < size[1]; ++y)
        for (unsigned x = 0; x < size[0]; ++x)
        {
          const std::size_t o = u.Offset(x, y, z);
          const float * here = &u.Values()[3 * o];
          if (here[0] == 0.0f && here[1] == 0.0f && here[2] == 0.0f)
            continue;
          const Vec3 p = u.GridPoint(x, y, z);
          const Vec3 moved = u.At({ p[0] + here[0], p[1] + here[1], p[2] + here[2] });
          for (unsigned d = 0; d < 3; ++d)
            next.Values()[3 * o + d] = static_cast<float>(here[d] + moved[d]);
        }
    u = std::move(next);
  }
  return u;
}

std::size_t Count(const LabelImage * image)
{
  std::size_t n = 0;
  const unsigned char * p = image->GetBufferPointer();
  for (std::size_t i = 0; i < image->GetBufferedRegion().GetNumberOfPixels(); ++i)
    n += p[i] != 0;
  return n;
}

} // namespace

DisplacementField MakeSurfaceField(const LabelImage * region, const SurfaceMotionParams & params, std::string & note)
{
  if (!(params.volumeFactor > 0.2 && params.volumeFactor < 4.0))
    throw std::logic_error("phantom: surface motion volume factor " + std::to_string(params.volumeFactor) +
                           " out of (0.2, 4)");
  if (std::abs(params.volumeFactor - 1.0) < 1e-6)
    return {};
  const auto crop = filters::ForegroundRegion(region, params.falloffMm + 3.0 * params.smoothingMm + 6.0);
  if (crop.GetNumberOfPixels() == 0)
    throw std::logic_error("phantom: surface motion of an empty region");

  // Signed distance (mm, + outside) on the crop, blurred, then sampled on the field's 2 mm grid.
  const auto outside = filters::DistanceMm(region, crop);
  const auto inside = filters::DepthMm(region, crop);
  auto signedDistance = CropOf<FloatImage>(region, crop, 1);
  auto regionCrop = CropOf<LabelImage>(region, crop, 1);
  {
    itk::ImageRegionConstIterator<LabelImage> r(region, crop);
    std::size_t i = 0;
    for (; !r.IsAtEnd(); ++r, ++i)
    {
      signedDistance->GetBufferPointer()[i] = outside->GetBufferPointer()[i] - inside->GetBufferPointer()[i];
      regionCrop->GetBufferPointer()[i] = r.Get() ? 1 : 0;
    }
  }
  auto blur = itk::SmoothingRecursiveGaussianImageFilter<FloatImage, FloatImage>::New();
  blur->SetInput(signedDistance);
  blur->SetSigma(params.smoothingMm);
  blur->Update();
  const FloatImage * sd = blur->GetOutput();
  const auto sdSize = sd->GetLargestPossibleRegion().GetSize();
  const auto toIndex = Affine3::IndexToPhysical(sd).Inverse();

  const auto fieldGrid = CropOf<LabelImage>(region, crop, 2);
  DisplacementField velocity(fieldGrid);
  const auto size = velocity.Size();
  const auto & direction = sd->GetDirection();
  const auto & spacing = sd->GetSpacing();
  for (unsigned z = 0; z < size[2]; ++z)
    for (unsigned y = 0; y < size[1]; ++y)
      for (unsigned x = 0; x < size[0]; ++x)
      {
        const Vec3 p = velocity.GridPoint(x, y, z);
        const Vec3 c = toIndex(p);
        std::array<double, 3> gradIndex{};
        bool inside3 = true;
        for (unsigned d = 0; d < 3 && inside3; ++d)
          inside3 = c[d] >= 1.0 && c[d] <= sdSize[d] - 2.0;
        if (!inside3)
          continue;
        const std::array<unsigned, 3> sizeArray{ static_cast<unsigned>(sdSize[0]), static_cast<unsigned>(sdSize[1]),
                                                 static_cast<unsigned>(sdSize[2]) };
        const double value = LinearAt(sd->GetBufferPointer(), sizeArray, c);
        double g = Profile(value, params);
        if (params.weight)
          g *= std::clamp(params.weight(p), 0.0, 1.0);
        if (g <= 0.0)
          continue;
        for (unsigned d = 0; d < 3; ++d)
        {
          Vec3 plus = c, minus = c;
          plus[d] += 1.0;
          minus[d] -= 1.0;
          gradIndex[d] =
            0.5 *
            (LinearAt(sd->GetBufferPointer(), sizeArray, plus) - LinearAt(sd->GetBufferPointer(), sizeArray, minus)) /
            spacing[d];
        }
        const std::size_t o = velocity.Offset(x, y, z);
        for (unsigned r = 0; r < 3; ++r)
        {
          double grad = 0.0;
          for (unsigned d = 0; d < 3; ++d)
            grad += direction[r][d] * gradIndex[d];
          velocity.Values()[3 * o + r] = static_cast<float>(-g * grad);
        }
      }

  const double before = static_cast<double>(Count(regionCrop));
  const double wanted = before * params.volumeFactor;
  // Surface area (faces to the outside) for the first guess: the wall moves by k mm at unit speed.
  std::size_t faces = 0;
  {
    const auto cs = regionCrop->GetLargestPossibleRegion().GetSize();
    const unsigned char * m = regionCrop->GetBufferPointer();
    for (unsigned z = 1; z + 1 < cs[2]; ++z)
      for (unsigned y = 1; y + 1 < cs[1]; ++y)
        for (unsigned x = 1; x + 1 < cs[0]; ++x)
        {
          const std::size_t i = x + cs[0] * (y + std::size_t{ cs[1] } * z);
          if (!m[i])
            continue;
          faces +=
            !m[i - 1] + !m[i + 1] + !m[i - cs[0]] + !m[i + cs[0]] + !m[i - cs[0] * cs[1]] + !m[i + cs[0] * cs[1]];
        }
  }
  auto volumeFor = [&](double k) { return static_cast<double>(Count(PullBack(regionCrop, Exponential(velocity, k)))); };
  // The volume grows with k: bracket the wanted volume (doubling a first guess from the surface area), then
  // regula falsi with bisection steps, at most 16 evaluations in all.
  const double sign = wanted > before ? 1.0 : -1.0;
  double guess = std::abs(wanted - before) / std::max<double>(1.0, faces) * spacing[2];
  double kLow = 0.0, vLow = before, kHigh = sign * std::max(0.2, guess), vHigh = volumeFor(kHigh);
  int evaluations = 1;
  while ((vHigh - wanted) * sign < 0.0 && evaluations < 8)
  {
    kLow = kHigh;
    vLow = vHigh;
    kHigh *= 2.0;
    vHigh = volumeFor(kHigh);
    ++evaluations;
  }
  double k1 = kHigh, v1 = vHigh;
  for (bool bisect = false; std::abs(v1 / wanted - 1.0) > 0.005 && evaluations < 16; bisect = !bisect, ++evaluations)
  {
    const double t = std::abs(vHigh - vLow) > 0.5 && !bisect ? (wanted - vLow) / (vHigh - vLow) : 0.5;
    k1 = kLow + std::clamp(t, 0.05, 0.95) * (kHigh - kLow);
    v1 = volumeFor(k1);
    if ((v1 - wanted) * sign < 0.0)
    {
      kLow = k1;
      vLow = v1;
    }
    else
    {
      kHigh = k1;
      vHigh = v1;
    }
  }
  DisplacementField field = Exponential(velocity, k1);
  const auto [low, high] = field.JacobianRange();
  // The flow of a smooth velocity does not fold; a small Jacobian only means strong stretching at a pointed end
  // (the CSF inside a horn). Below 0.05 the discretisation would make it fold.
  if (!(low > 0.05))
    throw std::logic_error("phantom: the surface motion folds (Jacobian " + std::to_string(low) + ")");
  std::ostringstream text;
  text << "surface motion: volume x" << params.volumeFactor << " asked, x" << v1 / before << " obtained (wall speed "
       << k1 << " mm, Jacobian " << low << " to " << high << ")";
  note = text.str();
  return field;
}

} // namespace icanscan::synthetic
