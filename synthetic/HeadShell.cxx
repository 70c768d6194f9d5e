#include "synthetic/HeadShell.h"

#include "filters/MaskMorphology.h"

#include "itkSmoothingRecursiveGaussianImageFilter.h"

#include <cmath>

namespace icanscan::synthetic
{
namespace
{

constexpr double kPi = 3.14159265358979323846;

/** A smooth random field in about [-1, 1]: the mean of plane waves with random direction, wavelength and phase. */
class SmoothVariation
{
public:
  SmoothVariation(std::mt19937 & rng, unsigned waves)
  {
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> wavelength(60.0, 160.0), phase(0.0, 2.0 * kPi);
    for (unsigned w = 0; w < waves; ++w)
    {
      Vec3 k{ normal(rng), normal(rng), normal(rng) };
      const double norm = std::sqrt(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]) + 1e-9;
      const double scale = 2.0 * kPi / wavelength(rng) / norm;
      for (auto & v : k)
        v *= scale;
      m_Waves.push_back({ k, phase(rng) });
    }
  }
  double At(const Vec3 & p) const
  {
    double sum = 0.0;
    for (const auto & [k, phase] : m_Waves)
      sum += std::sin(k[0] * p[0] + k[1] * p[1] + k[2] * p[2] + phase);
    return m_Waves.empty() ? 0.0 : sum * std::sqrt(2.0 / m_Waves.size());
  }

private:
  std::vector<std::pair<Vec3, double>> m_Waves;
};

double Smoothstep(double t)
{
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

} // namespace

LabelImage::Pointer MakeHeadShell(const LabelImage * brainMask, const HeadShellParams & params, std::mt19937 & rng)
{
  // Inner skull surface: the blurred brain mask's 0.35 level.
  auto blurInput = FloatImage::New();
  blurInput->CopyInformation(brainMask);
  blurInput->SetRegions(brainMask->GetLargestPossibleRegion());
  blurInput->Allocate();
  const std::size_t n = brainMask->GetBufferedRegion().GetNumberOfPixels();
  const unsigned char * brain = brainMask->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    blurInput->GetBufferPointer()[i] = brain[i] ? 1.0f : 0.0f;
  auto blur = itk::SmoothingRecursiveGaussianImageFilter<FloatImage, FloatImage>::New();
  blur->SetInput(blurInput);
  blur->SetSigma(params.hullSmoothingMm);
  blur->Update();
  auto hull = filters::NewMaskLike(brainMask);
  const float * b = blur->GetOutput()->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    hull->GetBufferPointer()[i] = (brain[i] || b[i] >= 0.35f) ? 1 : 0;
  blur = nullptr;
  blurInput = nullptr;
  const auto distance = filters::DistanceMm(hull, hull->GetLargestPossibleRegion());

  const SmoothVariation csfVariation(rng, 6), boneVariation(rng, 6), scalpVariation(rng, 6);
  const Vec3 centre = filters::Centroid(brainMask);
  auto head = filters::NewMaskLike(brainMask);
  unsigned char * h = head->GetBufferPointer();
  const float * d = distance->GetBufferPointer();
  const auto toPhysical = Affine3::IndexToPhysical(brainMask);
  const auto size = brainMask->GetLargestPossibleRegion().GetSize();
  std::size_t i = 0;
  for (unsigned z = 0; z < size[2]; ++z)
    for (unsigned y = 0; y < size[1]; ++y)
      for (unsigned x = 0; x < size[0]; ++x, ++i)
      {
        if (brain[i])
        {
          h[i] = static_cast<unsigned char>(HeadTissue::Brain);
          continue;
        }
        if (hull->GetBufferPointer()[i])
        {
          h[i] = static_cast<unsigned char>(HeadTissue::ExternalCsf);
          continue;
        }
        if (d[i] > 40.0) // beyond every layer at its thickest
          continue;
        const Vec3 p = toPhysical(Vec3{ double(x), double(y), double(z) });
        const double v = params.variation;
        const double csf = params.csfMm * (1.0 + v * csfVariation.At(p));
        const double bone = 1.0 + v * boneVariation.At(p);
        const double scalp = 1.0 + v * scalpVariation.At(p);
        // Temporalis: lateral (|x| beyond 45 mm from the centre), from the skull base up to 40 mm above the centre.
        const double lateral = Smoothstep((std::abs(p[0] - centre[0]) - 45.0) / 15.0);
        const double height = Smoothstep((40.0 - (p[2] - centre[2])) / 20.0);
        const double galea = params.galeaMm * scalp + params.temporalisMm * lateral * height;
        const std::array<std::pair<double, HeadTissue>, 7> layers{ {
          { csf, HeadTissue::ExternalCsf },
          { params.innerTableMm * bone, HeadTissue::Bone },
          { params.diploeMm * bone, HeadTissue::Fat },
          { params.outerTableMm * bone, HeadTissue::Bone },
          { galea, HeadTissue::Muscle },
          { params.fatMm * scalp, HeadTissue::Fat },
          { params.skinMm, HeadTissue::Muscle },
        } };
        double edge = 0.0;
        HeadTissue tissue = HeadTissue::Air;
        for (const auto & [thickness, layer] : layers)
        {
          edge += thickness;
          if (d[i] <= edge)
          {
            tissue = layer;
            break;
          }
        }
        h[i] = static_cast<unsigned char>(tissue);
      }
  return head;
}

} // namespace icanscan::synthetic
