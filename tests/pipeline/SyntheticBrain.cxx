#include "SyntheticBrain.h"

#include <algorithm>
#include <random>

namespace icanscan::pipeline::test
{

std::size_t Linear(unsigned x, unsigned y, unsigned z)
{
  return x + kNx * (y + static_cast<std::size_t>(kNy) * z);
}

void ForEach(const Box & box, const std::function<void(std::size_t)> & f)
{
  for (unsigned z = box.z0; z < box.z1; ++z)
    for (unsigned y = box.y0; y < box.y1; ++y)
      for (unsigned x = box.x0; x < box.x1; ++x)
        f(Linear(x, y, z));
}

SyntheticBrain::SyntheticBrain()
{
  for (unsigned z = 1; z < 11; ++z)
    for (unsigned y = 2; y < 58; ++y)
      for (unsigned x = 2; x < 58; ++x)
      {
        const std::size_t i = Linear(x, y, z);
        m_Brain->GetBufferPointer()[i] = 1;
        const unsigned edge = std::min({ x - 2, 57 - x, y - 2, 57 - y });
        if (edge == 0)
          m_Tissue->GetBufferPointer()[i] = kCsf;
        else if (edge <= 5)
          m_Tissue->GetBufferPointer()[i] = kGm;
        else
        {
          m_Tissue->GetBufferPointer()[i] = kWm;
          m_Labels->GetBufferPointer()[i] =
            static_cast<unsigned char>(x >= 30 ? Structure::WhiteMatterLeft : Structure::WhiteMatterRight);
        }
      }
  Paint(kVentricleLeft, Structure::LateralVentricles, kCsf);
  Paint(kVentricleRight, Structure::LateralVentricles, kCsf);
  Paint(kCallosumBody, Structure::CorpusCallosumBody, kWm);
  Paint(kThalamusLeft, Structure::ThalamusLeft, kGm);
  Paint(kThalamusRight, Structure::ThalamusRight, kGm);
  Paint(kBasalGangliaLeft, Structure::BasalGangliaLeft, kGm);
  Paint(kBasalGangliaRight, Structure::BasalGangliaRight, kGm);
  Paint(kHippocampusLeft, Structure::HippocampusLeft, kGm);
  Paint(kHippocampusRight, Structure::HippocampusRight, kGm);
}

void SyntheticBrain::Paint(const Box & box, Structure label, unsigned char tissue)
{
  ForEach(box,
          [&](std::size_t i)
          {
            m_Labels->GetBufferPointer()[i] = static_cast<unsigned char>(label);
            m_Tissue->GetBufferPointer()[i] = tissue;
          });
}

void SyntheticBrain::SetTissue(const Box & box, unsigned char tissue)
{
  ForEach(box, [&](std::size_t i) { m_Tissue->GetBufferPointer()[i] = tissue; });
}

Image::Pointer SyntheticBrain::Render(const Levels & levels, float noise, unsigned seed) const
{
  std::mt19937 random(seed);
  std::normal_distribution<float> gauss(0.0f, noise);
  auto image = NewImage<Image>();
  const std::size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    const float e = gauss(random); // drawn for every voxel: the noise of a voxel does not depend on the anatomy
    if (!m_Brain->GetBufferPointer()[i])
      continue;
    const unsigned char label = m_Labels->GetBufferPointer()[i];
    const unsigned char tissue = m_Tissue->GetBufferPointer()[i];
    float level = levels.wm;
    if (tissue == kCsf)
      level = levels.csf;
    else if (tissue == kGm)
      level = PoolOf(label, tissue) == TissuePool::DeepGrey ? levels.deep : levels.cortex;
    image->GetBufferPointer()[i] = level + e;
  }
  return image;
}

std::vector<unsigned char> SyntheticBrain::Where(std::initializer_list<Structure> labels) const
{
  std::vector<unsigned char> out(m_Labels->GetLargestPossibleRegion().GetNumberOfPixels(), 0);
  for (std::size_t i = 0; i < out.size(); ++i)
    for (const Structure s : labels)
      out[i] = out[i] || m_Labels->GetBufferPointer()[i] == static_cast<unsigned char>(s);
  return out;
}

void Study::Rerender()
{
  flair = brain.Render(kFlair, kNoise, 1);
  t2 = brain.Render(kT2, kNoise, 2);
  dwi = brain.Render(kDwi, kNoise, 3);
  adc = brain.Render(kAdcUm2s, kAdcNoise, 4);
}

LesionDetectionInput Study::Input(bool withFlair, bool withT2, bool withDiffusion) const
{
  LesionDetectionInput in;
  in.labels = brain.Labels();
  in.tissue = brain.Tissue();
  in.brainMask = brain.Brain();
  in.flair = withFlair ? flair.GetPointer() : nullptr;
  in.t2 = withT2 ? t2.GetPointer() : nullptr;
  if (withDiffusion)
  {
    in.dwiHigh = dwi;
    in.adc = adc;
  }
  return in;
}

std::vector<unsigned char> BoxMask(const Box & box)
{
  std::vector<unsigned char> out(static_cast<std::size_t>(kNx) * kNy * kNz, 0);
  ForEach(box, [&](std::size_t i) { out[i] = 1; });
  return out;
}

void Scale(Image * image, const Box & box, float factor)
{
  ForEach(box, [&](std::size_t i) { image->GetBufferPointer()[i] *= factor; });
}

void Scale(Image * image, const std::vector<unsigned char> & where, float factor)
{
  for (std::size_t i = 0; i < where.size(); ++i)
    if (where[i])
      image->GetBufferPointer()[i] *= factor;
}

std::size_t Count(const Mask * mask)
{
  std::size_t count = 0;
  const std::size_t n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    count += mask->GetBufferPointer()[i] != 0;
  return count;
}

std::size_t CountIn(const Mask * mask, const std::vector<unsigned char> & truth)
{
  std::size_t count = 0;
  for (std::size_t i = 0; i < truth.size(); ++i)
    count += truth[i] && mask->GetBufferPointer()[i];
  return count;
}

double Dice(const Mask * mask, const std::vector<unsigned char> & truth)
{
  std::size_t t = 0;
  for (const auto v : truth)
    t += v != 0;
  return 2.0 * static_cast<double>(CountIn(mask, truth)) / static_cast<double>(Count(mask) + t);
}

LesionDetectionParams Unshaded()
{
  LesionDetectionParams params;
  params.correctBias = false;
  return params;
}

LesionDetectionResult Detect(const LesionDetectionInput & in, const LesionDetectionParams & params)
{
  return LesionDetectionStage(params).Run(in);
}

} // namespace icanscan::pipeline::test
