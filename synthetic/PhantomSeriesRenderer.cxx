#include "synthetic/PhantomSeriesRenderer.h"

#include "itkMultiThreaderBase.h"

#include <cmath>

namespace icanscan::synthetic
{
namespace
{

/** Evenly spread sample offsets inside a voxel along one axis, in index units: (n + 0.5) / count - 0.5. */
std::vector<double> Offsets(unsigned count)
{
  std::vector<double> offsets;
  for (unsigned n = 0; n < count; ++n)
    offsets.push_back((n + 0.5) / count - 0.5);
  return offsets;
}

} // namespace

double BiasField::At(const Vec3 & p) const
{
  const double x = (p[0] - centre[0]) / halfExtentMm;
  const double y = (p[1] - centre[1]) / halfExtentMm;
  const double z = (p[2] - centre[2]) / halfExtentMm;
  const std::array<double, 9> basis{ x, y, z, x * x, y * y, z * z, x * y, x * z, y * z };
  double e = 0.0;
  for (std::size_t i = 0; i < basis.size(); ++i)
    e += coefficients[i] * basis[i];
  return std::exp(e);
}

BiasField BiasField::Random(const Vec3 & centre, double halfExtentMm, double strength, std::mt19937 & rng)
{
  BiasField bias;
  bias.centre = centre;
  bias.halfExtentMm = halfExtentMm;
  std::normal_distribution<double> normal(0.0, strength);
  for (auto & c : bias.coefficients)
    c = normal(rng);
  return bias;
}

PhantomSeriesRenderer::PhantomSeriesRenderer(const PhantomAnatomy & anatomy, const Affine3 & anatomyToScanner)
  : m_Anatomy(anatomy)
  , m_ScannerToSubject(anatomyToScanner.Inverse())
  , m_AtlasToIndex(Affine3::IndexToPhysical(anatomy.labels).Inverse())
{
  for (unsigned d = 0; d < 3; ++d)
    m_AtlasSize[d] = static_cast<unsigned>(anatomy.labels->GetLargestPossibleRegion().GetSize(d));
}

Affine3 PhantomSeriesRenderer::SeriesToSubject(const SeriesGeometry & geometry, const Affine3 & motion) const
{
  return geometry.IndexToPhysical().Then(motion.Inverse()).Then(m_ScannerToSubject);
}

std::vector<FloatImage::Pointer> PhantomSeriesRenderer::Render(const SeriesGeometry & geometry,
                                                               const Affine3 & motion,
                                                               const std::vector<const FloatImage *> & maps) const
{
  std::vector<FloatImage::Pointer> images;
  std::vector<const float *> sources;
  std::vector<float *> targets;
  for (const auto * map : maps)
  {
    images.push_back(geometry.NewImage());
    sources.push_back(map->GetBufferPointer());
    targets.push_back(images.back()->GetBufferPointer());
  }
  const Affine3 toSubject = SeriesToSubject(geometry, motion);
  const auto inPlane = Offsets(geometry.inPlaneSamples);
  auto through = Offsets(geometry.sliceSamples);
  if (geometry.sliceThicknessMm > 0.0 && geometry.sliceThicknessMm < geometry.spacing[2])
    for (auto & o : through) // a gap between slices: the profile covers the thickness only
      o *= geometry.sliceThicknessMm / geometry.spacing[2];
  const double weight = 1.0 / (inPlane.size() * inPlane.size() * through.size());
  const std::size_t sliceSize = std::size_t{ geometry.size[0] } * geometry.size[1];

  auto renderSlice = [&](itk::SizeValueType k)
  {
    std::vector<double> sum(maps.size());
    for (unsigned j = 0; j < geometry.size[1]; ++j)
      for (unsigned i = 0; i < geometry.size[0]; ++i)
      {
        std::fill(sum.begin(), sum.end(), 0.0);
        for (const double ok : through)
          for (const double oj : inPlane)
            for (const double oi : inPlane)
            {
              const Vec3 subject = toSubject(Vec3{ i + oi, j + oj, k + ok });
              const Vec3 index = m_AtlasToIndex(m_Anatomy.warp.Map(subject));
              for (std::size_t m = 0; m < sources.size(); ++m)
                sum[m] += LinearAt(sources[m], m_AtlasSize, index);
            }
        const std::size_t offset = k * sliceSize + std::size_t{ j } * geometry.size[0] + i;
        for (std::size_t m = 0; m < targets.size(); ++m)
          targets[m][offset] = static_cast<float>(sum[m] * weight);
      }
  };
  itk::MultiThreaderBase::New()->ParallelizeArray(0, geometry.size[2], renderSlice, nullptr);
  return images;
}

LabelImage::Pointer PhantomSeriesRenderer::SampleLabels(const SeriesGeometry & geometry,
                                                        const Affine3 & motion,
                                                        const LabelImage * labels) const
{
  auto out = NewImageOn<LabelImage>(geometry);
  const Affine3 toSubject = SeriesToSubject(geometry, motion);
  const unsigned char * in = labels->GetBufferPointer();
  unsigned char * o = out->GetBufferPointer();
  const std::size_t sliceSize = std::size_t{ geometry.size[0] } * geometry.size[1];
  auto sampleSlice = [&](itk::SizeValueType k)
  {
    for (unsigned j = 0; j < geometry.size[1]; ++j)
      for (unsigned i = 0; i < geometry.size[0]; ++i)
      {
        const Vec3 c = m_AtlasToIndex(m_Anatomy.warp.Map(toSubject(Vec3{ double(i), double(j), double(k) })));
        const long x = std::lround(c[0]), y = std::lround(c[1]), z = std::lround(c[2]);
        const bool inside = x >= 0 && y >= 0 && z >= 0 && x < long(m_AtlasSize[0]) && y < long(m_AtlasSize[1]) &&
                            z < long(m_AtlasSize[2]);
        o[k * sliceSize + std::size_t{ j } * geometry.size[0] + i] =
          inside ? in[x + std::size_t{ m_AtlasSize[0] } * (y + std::size_t{ m_AtlasSize[1] } * z)] : 0;
      }
  };
  itk::MultiThreaderBase::New()->ParallelizeArray(0, geometry.size[2], sampleSlice, nullptr);
  return out;
}

void PhantomSeriesRenderer::ApplyBias(FloatImage * image, const SeriesGeometry & geometry, const BiasField & bias)
{
  const Affine3 toPhysical = geometry.IndexToPhysical();
  float * p = image->GetBufferPointer();
  std::size_t n = 0;
  for (unsigned k = 0; k < geometry.size[2]; ++k)
    for (unsigned j = 0; j < geometry.size[1]; ++j)
      for (unsigned i = 0; i < geometry.size[0]; ++i, ++n)
        p[n] = static_cast<float>(p[n] * bias.At(toPhysical(Vec3{ double(i), double(j), double(k) })));
}

void PhantomSeriesRenderer::AddRicianNoise(FloatImage * image, double sigma, std::mt19937 & rng)
{
  std::normal_distribution<double> noise(0.0, sigma);
  float * p = image->GetBufferPointer();
  for (std::size_t n = 0; n < image->GetBufferedRegion().GetNumberOfPixels(); ++n)
  {
    const double re = p[n] + noise(rng);
    const double im = noise(rng);
    p[n] = static_cast<float>(std::round(std::sqrt(re * re + im * im)));
  }
}

} // namespace icanscan::synthetic
