#include "synthetic/PhantomDeformation.h"

#include "filters/MaskMorphology.h"

#include "itkSmoothingRecursiveGaussianImageFilter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace icanscan::synthetic
{
namespace
{

constexpr double kPi = 3.14159265358979323846;

double Smoothstep(double t)
{
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

/** 1 up to 2 mm from the region, cos² fade to 0 at 2 mm + falloff. */
double Falloff(double distance, double falloffMm)
{
  constexpr double core = 2.0;
  if (distance <= core)
    return 1.0;
  if (distance >= core + falloffMm)
    return 0.0;
  const double c = std::cos(0.5 * kPi * (distance - core) / falloffMm);
  return c * c;
}

LabelImage::Pointer GridOnly(const itk::ImageBase<3> * grid, const LabelImage::RegionType & region)
{
  auto image = LabelImage::New();
  LabelImage::RegionType own;
  own.SetSize(region.GetSize());
  image->SetRegions(own);
  image->SetSpacing(grid->GetSpacing());
  image->SetDirection(grid->GetDirection());
  LabelImage::PointType origin;
  grid->TransformIndexToPhysicalPoint(region.GetIndex(), origin);
  image->SetOrigin(origin);
  return image;
}

void CheckFolding(const DisplacementField & field, const std::string & what)
{
  const auto [low, high] = field.JacobianRange();
  if (!(low > 0.2))
    throw std::logic_error("phantom: the " + what + " folds (Jacobian " + std::to_string(low) +
                           ", largest displacement " + std::to_string(field.MaxMagnitude()) + " mm)");
}

} // namespace

DisplacementField::DisplacementField(const itk::ImageBase<3> * grid)
{
  for (unsigned d = 0; d < 3; ++d)
    m_Size[d] = static_cast<unsigned>(grid->GetLargestPossibleRegion().GetSize(d));
  m_IndexToPhysical = Affine3::IndexToPhysical(grid);
  if (grid->GetLargestPossibleRegion().GetIndex() != LabelImage::IndexType{ { 0, 0, 0 } })
  {
    LabelImage::PointType first;
    grid->TransformIndexToPhysicalPoint(grid->GetLargestPossibleRegion().GetIndex(), first);
    for (unsigned r = 0; r < 3; ++r)
      m_IndexToPhysical.t[r] = first[r];
  }
  m_PhysicalToIndex = m_IndexToPhysical.Inverse();
  m_Values.assign(std::size_t{ 3 } * m_Size[0] * m_Size[1] * m_Size[2], 0.0f);
}

Vec3 DisplacementField::At(const Vec3 & x) const
{
  if (m_Values.empty())
    return {};
  const Vec3 c = m_PhysicalToIndex(x);
  std::array<long, 3> i0{};
  std::array<double, 3> f{};
  for (unsigned d = 0; d < 3; ++d)
  {
    if (!(c[d] >= 0.0 && c[d] <= m_Size[d] - 1.0))
      return {};
    i0[d] = std::clamp<long>(static_cast<long>(c[d]), 0, std::max<long>(0, static_cast<long>(m_Size[d]) - 2));
    f[d] = c[d] - i0[d];
  }
  Vec3 u{};
  for (int corner = 0; corner < 8; ++corner)
  {
    double w = 1.0;
    std::array<long, 3> i = i0;
    for (unsigned d = 0; d < 3; ++d)
    {
      const bool upper = (corner >> d) & 1;
      if (upper && m_Size[d] > 1)
        ++i[d];
      w *= upper ? f[d] : 1.0 - f[d];
    }
    if (w == 0.0)
      continue;
    const float * v = &m_Values[3 * Offset(i[0], i[1], i[2])];
    u[0] += w * v[0];
    u[1] += w * v[1];
    u[2] += w * v[2];
  }
  return u;
}

Vec3 DisplacementField::Invert(const Vec3 & target) const
{
  Vec3 y = target;
  for (int iteration = 0; iteration < 50; ++iteration)
  {
    const Vec3 u = At(y);
    const Vec3 next{ target[0] - u[0], target[1] - u[1], target[2] - u[2] };
    const double step = std::abs(next[0] - y[0]) + std::abs(next[1] - y[1]) + std::abs(next[2] - y[2]);
    y = next;
    if (step < 1e-4)
      break;
  }
  return y;
}

std::array<std::array<long, 2>, 3> DisplacementField::IndexBoxIn(const itk::ImageBase<3> * image) const
{
  std::array<std::array<long, 2>, 3> box{};
  const auto size = image->GetLargestPossibleRegion().GetSize();
  if (m_Values.empty())
  {
    for (auto & b : box)
      b = { 0, -1 };
    return box;
  }
  const auto toIndex = Affine3::IndexToPhysical(image).Inverse();
  std::array<double, 3> low{ 1e30, 1e30, 1e30 }, high{ -1e30, -1e30, -1e30 };
  for (int corner = 0; corner < 8; ++corner)
  {
    const Vec3 g{ (corner & 1) ? m_Size[0] - 1.0 : 0.0, (corner & 2) ? m_Size[1] - 1.0 : 0.0,
                  (corner & 4) ? m_Size[2] - 1.0 : 0.0 };
    const Vec3 c = toIndex(m_IndexToPhysical(g));
    for (unsigned d = 0; d < 3; ++d)
    {
      low[d] = std::min(low[d], c[d]);
      high[d] = std::max(high[d], c[d]);
    }
  }
  for (unsigned d = 0; d < 3; ++d)
    box[d] = { std::max<long>(0, static_cast<long>(std::floor(low[d])) - 1),
               std::min<long>(static_cast<long>(size[d]) - 1, static_cast<long>(std::ceil(high[d])) + 1) };
  return box;
}

double DisplacementField::MaxMagnitude() const
{
  double largest = 0.0;
  for (std::size_t i = 0; i + 2 < m_Values.size(); i += 3)
    largest =
      std::max(largest, std::sqrt(double(m_Values[i]) * m_Values[i] + double(m_Values[i + 1]) * m_Values[i + 1] +
                                  double(m_Values[i + 2]) * m_Values[i + 2]));
  return largest;
}

std::pair<double, double> DisplacementField::JacobianRange() const
{
  double low = 1.0, high = 1.0;
  const auto & toIndex = m_PhysicalToIndex.m;
  for (unsigned k = 1; k + 1 < m_Size[2]; ++k)
    for (unsigned j = 1; j + 1 < m_Size[1]; ++j)
      for (unsigned i = 1; i + 1 < m_Size[0]; ++i)
      {
        // du/d(index) by central differences, then du/dx = du/d(index) * d(index)/dx.
        const std::array<std::size_t, 3> plus{ Offset(i + 1, j, k), Offset(i, j + 1, k), Offset(i, j, k + 1) };
        const std::array<std::size_t, 3> minus{ Offset(i - 1, j, k), Offset(i, j - 1, k), Offset(i, j, k - 1) };
        double dIndex[3][3];
        bool moving = false;
        for (int c = 0; c < 3; ++c)
          for (int r = 0; r < 3; ++r)
          {
            dIndex[r][c] = 0.5 * (m_Values[3 * plus[c] + r] - m_Values[3 * minus[c] + r]);
            moving |= dIndex[r][c] != 0.0;
          }
        if (!moving)
          continue;
        double jac[3][3];
        for (int r = 0; r < 3; ++r)
          for (int c = 0; c < 3; ++c)
            jac[r][c] = (r == c ? 1.0 : 0.0) + dIndex[r][0] * toIndex[0][c] + dIndex[r][1] * toIndex[1][c] +
                        dIndex[r][2] * toIndex[2][c];
        const double det = jac[0][0] * (jac[1][1] * jac[2][2] - jac[1][2] * jac[2][1]) -
                           jac[0][1] * (jac[1][0] * jac[2][2] - jac[1][2] * jac[2][0]) +
                           jac[0][2] * (jac[1][0] * jac[2][1] - jac[1][1] * jac[2][0]);
        low = std::min(low, det);
        high = std::max(high, det);
      }
  return { low, high };
}

DisplacementField MakeRandomWarp(const itk::ImageBase<3> * extent,
                                 const std::vector<Vec3> & brainPoints,
                                 double maximumMm,
                                 double correlationMm,
                                 double spacingMm,
                                 std::mt19937 & rng)
{
  // The noise grid reaches 3 correlation lengths beyond `extent`, so the smoothing's border effects stay out of it;
  // the field fades to zero over that band.
  const double padMm = 3.0 * correlationMm;
  auto grid = FloatImage::New();
  FloatImage::RegionType region;
  FloatImage::SpacingType spacing;
  std::array<long, 3> pad{};
  for (unsigned d = 0; d < 3; ++d)
  {
    const double length = (extent->GetLargestPossibleRegion().GetSize(d) - 1.0) * extent->GetSpacing()[d];
    pad[d] = static_cast<long>(std::ceil(padMm / spacingMm));
    region.SetSize(d, static_cast<unsigned long>(std::ceil(length / spacingMm)) + 1 + 2 * pad[d]);
    spacing[d] = spacingMm;
  }
  grid->SetRegions(region);
  grid->SetSpacing(spacing);
  grid->SetDirection(extent->GetDirection());
  FloatImage::PointType first;
  extent->TransformIndexToPhysicalPoint(extent->GetLargestPossibleRegion().GetIndex(), first);
  FloatImage::PointType origin;
  for (unsigned r = 0; r < 3; ++r)
  {
    origin[r] = first[r];
    for (unsigned d = 0; d < 3; ++d)
      origin[r] -= extent->GetDirection()[r][d] * spacingMm * pad[d];
  }
  grid->SetOrigin(origin);
  grid->Allocate();

  DisplacementField field(grid);
  const auto size = field.Size();
  std::normal_distribution<double> normal(0.0, 1.0);
  for (unsigned component = 0; component < 3; ++component)
  {
    float * p = grid->GetBufferPointer();
    for (std::size_t i = 0; i < region.GetNumberOfPixels(); ++i)
      p[i] = static_cast<float>(normal(rng));
    auto smooth = itk::SmoothingRecursiveGaussianImageFilter<FloatImage, FloatImage>::New();
    smooth->SetInput(grid);
    smooth->SetSigma(correlationMm);
    smooth->Update();
    const float * s = smooth->GetOutput()->GetBufferPointer();
    float * v = field.Values();
    for (unsigned k = 0; k < size[2]; ++k)
      for (unsigned j = 0; j < size[1]; ++j)
        for (unsigned i = 0; i < size[0]; ++i)
        {
          double border = std::numeric_limits<double>::max();
          const std::array<unsigned, 3> index{ i, j, k };
          for (unsigned d = 0; d < 3; ++d)
            border = std::min(border, std::min(index[d], size[d] - 1 - index[d]) * spacingMm);
          const std::size_t o = field.Offset(i, j, k);
          v[3 * o + component] = static_cast<float>(s[o] * Smoothstep(border / padMm));
        }
  }
  double largest = 0.0;
  for (const auto & p : brainPoints)
  {
    const Vec3 u = field.At(p);
    largest = std::max(largest, std::sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]));
  }
  if (largest <= 0.0)
    throw std::logic_error("phantom: the random warp is zero over the brain");
  const auto scale = static_cast<float>(maximumMm / largest);
  float * v = field.Values();
  for (std::size_t i = 0; i < 3 * region.GetNumberOfPixels(); ++i)
    v[i] *= scale;
  CheckFolding(field, "random warp");
  return field;
}

DisplacementField MakeSwellingField(const itk::ImageBase<3> * grid, const std::vector<SwellingSource> & sources)
{
  if (sources.empty())
    return {};
  struct Prepared
  {
    FloatImage::Pointer distance; // on the crop
    Vec3 centre;
    double a;
    const SwellingSource * source;
  };
  // One crop holding every source's reach.
  LabelImage::RegionType crop;
  bool first = true;
  for (const auto & source : sources)
  {
    auto region = filters::ForegroundRegion(source.region, source.falloffMm + 4.0);
    if (region.GetNumberOfPixels() == 0)
      throw std::logic_error("phantom: a swelling region is empty");
    if (first)
      crop = region;
    else
    {
      LabelImage::IndexType low, high;
      for (unsigned d = 0; d < 3; ++d)
      {
        low[d] = std::min(crop.GetIndex(d), region.GetIndex(d));
        high[d] = std::max(crop.GetIndex(d) + static_cast<long>(crop.GetSize(d)),
                           region.GetIndex(d) + static_cast<long>(region.GetSize(d)));
      }
      crop.SetIndex(low);
      for (unsigned d = 0; d < 3; ++d)
        crop.SetSize(d, static_cast<unsigned long>(high[d] - low[d]));
    }
    first = false;
  }
  std::vector<Prepared> prepared;
  for (const auto & source : sources)
  {
    Prepared p;
    p.distance = filters::DistanceMm(source.region, crop);
    p.centre = filters::Centroid(source.region);
    p.a = 1.0 - std::pow(1.0 + source.volumePercent / 100.0, -1.0 / 3.0);
    p.source = &source;
    prepared.push_back(p);
  }

  const auto cropGrid = GridOnly(grid, crop);
  DisplacementField field(cropGrid);
  const auto size = field.Size();
  float * v = field.Values();
  constexpr double softness = 1.0; // mm, soft-min of the distances
  std::vector<double> weight(prepared.size());
  for (unsigned k = 0; k < size[2]; ++k)
    for (unsigned j = 0; j < size[1]; ++j)
      for (unsigned i = 0; i < size[0]; ++i)
      {
        const std::size_t o = field.Offset(i, j, k);
        double nearest = std::numeric_limits<double>::max();
        for (const auto & p : prepared)
          nearest = std::min<double>(nearest, p.distance->GetBufferPointer()[o]);
        double total = 0.0;
        for (std::size_t s = 0; s < prepared.size(); ++s)
          total += weight[s] = std::exp(-(prepared[s].distance->GetBufferPointer()[o] - nearest) / softness);
        const Vec3 x = field.GridPoint(i, j, k);
        Vec3 u{};
        for (std::size_t s = 0; s < prepared.size(); ++s)
        {
          const auto & p = prepared[s];
          const double w = Falloff(p.distance->GetBufferPointer()[o], p.source->falloffMm) * weight[s] / total;
          for (unsigned d = 0; d < 3; ++d)
            u[d] += p.a * w * (p.centre[d] - x[d]);
        }
        for (unsigned d = 0; d < 3; ++d)
          v[3 * o + d] = static_cast<float>(u[d]);
      }
  CheckFolding(field, "swelling");
  return field;
}

DisplacementField MakeHemispherePush(const itk::ImageBase<3> * grid,
                                     const LabelImage * lesion,
                                     const LabelImage * brain,
                                     double pushMm,
                                     double fadePastMidlineMm)
{
  const Vec3 c = filters::Centroid(lesion);
  const double towardsMidline = c[0] < 0.0 ? 1.0 : -1.0; // along LPS x
  // Medial edge of the lesion, as a distance from its centre towards the midline.
  double medial = 0.0;
  {
    const auto toPhysical = Affine3::IndexToPhysical(lesion);
    const auto size = lesion->GetLargestPossibleRegion().GetSize();
    const unsigned char * m = lesion->GetBufferPointer();
    std::size_t n = 0;
    for (unsigned k = 0; k < size[2]; ++k)
      for (unsigned j = 0; j < size[1]; ++j)
        for (unsigned i = 0; i < size[0]; ++i, ++n)
          if (m[n])
            medial = std::max(medial, (toPhysical(Vec3{ double(i), double(j), double(k) })[0] - c[0]) * towardsMidline);
  }
  const double fadeEnd = std::abs(c[0]) + fadePastMidlineMm; // into the other hemisphere
  constexpr double sigma = 30.0;
  constexpr double surfaceMm = 25.0;
  const auto region = filters::ForegroundRegion(brain, 2.0); // a background rim: the depth sees the surface
  const auto depth = filters::DepthMm(brain, region);
  const auto cropGrid = GridOnly(grid, region);
  DisplacementField field(cropGrid);
  const auto size = field.Size();
  float * v = field.Values();
  const float * d = depth->GetBufferPointer();
  for (unsigned k = 0; k < size[2]; ++k)
    for (unsigned j = 0; j < size[1]; ++j)
      for (unsigned i = 0; i < size[0]; ++i)
      {
        const std::size_t o = field.Offset(i, j, k);
        if (d[o] <= 0.0f)
          continue;
        const Vec3 x = field.GridPoint(i, j, k);
        const double t = (x[0] - c[0]) * towardsMidline;
        double across = 1.0;
        if (t > medial)
        {
          const double f = std::cos(0.5 * kPi * std::min(1.0, (t - medial) / (fadeEnd - medial)));
          across = f * f;
        }
        const double r2 = (x[1] - c[1]) * (x[1] - c[1]) + (x[2] - c[2]) * (x[2] - c[2]);
        const double w = across * std::exp(-0.5 * r2 / (sigma * sigma)) * Smoothstep(d[o] / surfaceMm);
        v[3 * o] = static_cast<float>(-pushMm * w * towardsMidline); // pull-back: the tissue came from the lesion side
      }
  CheckFolding(field, "mass effect");
  return field;
}

FloatImage::Pointer PullBack(const FloatImage * image, const DisplacementField & field)
{
  auto out = FloatImage::New();
  out->CopyInformation(image);
  out->SetRegions(image->GetLargestPossibleRegion());
  out->Allocate();
  const auto toPhysical = Affine3::IndexToPhysical(image);
  const auto toIndex = toPhysical.Inverse();
  std::array<unsigned, 3> size{};
  for (unsigned d = 0; d < 3; ++d)
    size[d] = static_cast<unsigned>(image->GetLargestPossibleRegion().GetSize(d));
  const float * in = image->GetBufferPointer();
  float * o = out->GetBufferPointer();
  std::copy_n(in, image->GetBufferedRegion().GetNumberOfPixels(), o); // u = 0 beyond the field's box
  const auto box = field.IndexBoxIn(image);
  for (long k = box[2][0]; k <= box[2][1]; ++k)
    for (long j = box[1][0]; j <= box[1][1]; ++j)
      for (long i = box[0][0]; i <= box[0][1]; ++i)
      {
        const std::size_t n = i + std::size_t{ size[0] } * (j + std::size_t{ size[1] } * k);
        const Vec3 x = toPhysical(Vec3{ double(i), double(j), double(k) });
        const Vec3 u = field.At(x);
        if (u[0] == 0.0 && u[1] == 0.0 && u[2] == 0.0)
          o[n] = in[n];
        else
          o[n] = static_cast<float>(LinearAt(in, size, toIndex(Vec3{ x[0] + u[0], x[1] + u[1], x[2] + u[2] })));
      }
  return out;
}

LabelImage::Pointer PullBack(const LabelImage * image, const DisplacementField & field)
{
  auto out = LabelImage::New();
  out->CopyInformation(image);
  out->SetRegions(image->GetLargestPossibleRegion());
  out->Allocate();
  const auto toPhysical = Affine3::IndexToPhysical(image);
  const auto toIndex = toPhysical.Inverse();
  std::array<long, 3> size{};
  for (unsigned d = 0; d < 3; ++d)
    size[d] = static_cast<long>(image->GetLargestPossibleRegion().GetSize(d));
  const unsigned char * in = image->GetBufferPointer();
  unsigned char * o = out->GetBufferPointer();
  std::copy_n(in, image->GetBufferedRegion().GetNumberOfPixels(), o); // u = 0 beyond the field's box
  const auto box = field.IndexBoxIn(image);
  for (long k = box[2][0]; k <= box[2][1]; ++k)
    for (long j = box[1][0]; j <= box[1][1]; ++j)
      for (long i = box[0][0]; i <= box[0][1]; ++i)
      {
        const std::size_t n = i + size[0] * (j + size[1] * k);
        const Vec3 x = toPhysical(Vec3{ double(i), double(j), double(k) });
        const Vec3 u = field.At(x);
        if (u[0] == 0.0 && u[1] == 0.0 && u[2] == 0.0)
        {
          o[n] = in[n];
          continue;
        }
        // Trilinear vote of the 8 neighbours: the label boundary moves with the field by any fraction of a voxel
        // (nearest neighbour would move it in whole voxels, which biases small volume changes).
        const Vec3 c = toIndex(Vec3{ x[0] + u[0], x[1] + u[1], x[2] + u[2] });
        std::array<long, 3> base{};
        std::array<double, 3> f{};
        for (unsigned d = 0; d < 3; ++d)
        {
          base[d] = static_cast<long>(std::floor(c[d]));
          f[d] = c[d] - base[d];
        }
        std::array<unsigned char, 8> labels{};
        std::array<double, 8> weights{};
        std::size_t used = 0;
        for (int corner = 0; corner < 8; ++corner)
        {
          std::array<long, 3> at{};
          double w = 1.0;
          for (unsigned d = 0; d < 3; ++d)
          {
            const bool upper = (corner >> d) & 1;
            at[d] = base[d] + (upper ? 1 : 0);
            w *= upper ? f[d] : 1.0 - f[d];
          }
          if (w <= 0.0)
            continue;
          const bool inside =
            at[0] >= 0 && at[1] >= 0 && at[2] >= 0 && at[0] < size[0] && at[1] < size[1] && at[2] < size[2];
          const unsigned char label = inside ? in[at[0] + size[0] * (at[1] + size[1] * at[2])] : 0;
          std::size_t slot = 0;
          while (slot < used && labels[slot] != label)
            ++slot;
          if (slot == used)
            labels[used++] = label;
          weights[slot] += w;
        }
        std::size_t best = 0;
        for (std::size_t slot = 1; slot < used; ++slot)
          if (weights[slot] > weights[best])
            best = slot;
        o[n] = used ? labels[best] : 0;
      }
  return out;
}

} // namespace icanscan::synthetic
