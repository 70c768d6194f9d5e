#include "synthetic/PhantomContrast.h"

#include <cmath>

namespace icanscan::synthetic
{
namespace
{

constexpr std::size_t kCompartments = static_cast<std::size_t>(Compartment::Count);
using Seq = PhantomSequences;

double SpinEcho(const TissueProperties & t, double tr, double te)
{
  return t.pd * (1.0 - std::exp(-tr / t.t1)) * std::exp(-te / t.t2);
}

double InversionRecovery(const TissueProperties & t, double tr, double te, double ti)
{
  return t.pd * std::abs(1.0 - 2.0 * std::exp(-ti / t.t1) + std::exp(-tr / t.t1)) * std::exp(-te / t.t2);
}

/** The four signals of one set of properties, before scaling. */
struct Signals
{
  double t2, flair, b0, b1000, localizer;
};

double SpoiledGradientEcho(const TissueProperties & t, double tr, double te, double flipDeg)
{
  const double a = flipDeg * 3.14159265358979323846 / 180.0;
  const double e1 = std::exp(-tr / t.t1);
  return t.pd * std::sin(a) * (1.0 - e1) / (1.0 - std::cos(a) * e1) * std::exp(-te / t.t2);
}

Signals Evaluate(const TissueProperties & t, bool fat)
{
  Signals s;
  s.t2 = SpinEcho(t, Seq::kT2RepetitionMs, Seq::kT2EchoMs);
  s.flair = InversionRecovery(t, Seq::kFlairRepetitionMs, Seq::kFlairEchoMs, Seq::kFlairInversionMs);
  s.b0 = SpinEcho(t, Seq::kDwiRepetitionMs, Seq::kDwiEchoMs) * (fat ? Seq::kDwiFatFactor : 1.0);
  s.b1000 = s.b0 * std::exp(-Seq::kBValue * t.adc * 1e-6);
  s.localizer = SpoiledGradientEcho(t, Seq::kLocalizerRepetitionMs, Seq::kLocalizerEchoMs, Seq::kLocalizerFlipDeg);
  return s;
}

FloatImage::Pointer NewMap(const itk::ImageBase<3> * grid)
{
  auto image = FloatImage::New();
  image->CopyInformation(grid);
  image->SetRegions(grid->GetLargestPossibleRegion());
  image->Allocate(true);
  return image;
}

TissueProperties WithLesions(TissueProperties t,
                             const std::vector<const float *> & weights,
                             const PhantomCase & phantomCase,
                             std::size_t voxel)
{
  for (std::size_t l = 0; l < weights.size(); ++l)
  {
    const double w = weights[l][voxel];
    if (w <= 1e-3)
      continue;
    const auto & f = phantomCase.lesions[l].signal;
    t.pd *= 1.0 + w * (f.pdFactor - 1.0);
    t.t2 *= 1.0 + w * (f.t2Factor - 1.0);
    t.adc *= 1.0 + w * (f.adcFactor - 1.0);
  }
  return t;
}

} // namespace

const std::array<TissueProperties, static_cast<std::size_t>(Compartment::Count)> & PhantomTissues()
{
  static const std::array<TissueProperties, kCompartments> tissues{ {
    { 1.00, 4000.0, 2000.0, 3000.0 }, // CSF
    { 0.80, 950.0, 100.0, 850.0 },    // cortex
    { 0.70, 600.0, 80.0, 700.0 },     // white matter
    { 0.75, 800.0, 90.0, 750.0 },     // deep grey
    { 0.90, 260.0, 130.0, 1000.0 },   // fat (long apparent T2 in turbo spin echo: J-coupling)
    { 0.70, 870.0, 45.0, 1400.0 },    // muscle and soft tissue
    { 0.05, 300.0, 10.0, 500.0 },     // bone
  } };
  return tissues;
}

ContrastMaps MakeContrastMaps(const PhantomAnatomy & anatomy, const PhantomCase & phantomCase, bool localizer)
{
  const auto & tissues = PhantomTissues();
  std::array<Signals, kCompartments> normal{};
  for (std::size_t c = 0; c < kCompartments; ++c)
    normal[c] = Evaluate(tissues[c], c == static_cast<std::size_t>(Compartment::Fat));
  const auto & white = normal[static_cast<std::size_t>(Compartment::WhiteMatter)];
  const double scaleT2 = Seq::kWhiteMatterLevel / white.t2;
  const double scaleFlair = Seq::kWhiteMatterLevel / white.flair;
  const double scaleDwi = Seq::kWhiteMatterLevel / white.b0;
  const double scaleLocalizer = Seq::kWhiteMatterLevel / white.localizer;

  ContrastMaps maps;
  maps.t2 = NewMap(anatomy.labels);
  maps.flair = NewMap(anatomy.labels);
  maps.dwiB0 = NewMap(anatomy.labels);
  maps.dwiB1000 = NewMap(anatomy.labels);
  float * t2 = maps.t2->GetBufferPointer();
  float * flair = maps.flair->GetBufferPointer();
  float * b0 = maps.dwiB0->GetBufferPointer();
  float * b1000 = maps.dwiB1000->GetBufferPointer();
  if (localizer)
    maps.localizer = NewMap(anatomy.labels);
  float * t1w = localizer ? maps.localizer->GetBufferPointer() : nullptr;
  const unsigned char * labels = anatomy.labels->GetBufferPointer();
  const unsigned char * head = anatomy.head->GetBufferPointer();
  const float * csf = anatomy.csf->GetBufferPointer();
  const float * gm = anatomy.gm->GetBufferPointer();
  const float * wm = anatomy.wm->GetBufferPointer();
  std::vector<const float *> weights;
  for (const auto & w : anatomy.lesionWeights)
    weights.push_back(w->GetBufferPointer());

  for (std::size_t i = 0; i < anatomy.labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    Signals s{};
    const auto tissue = static_cast<HeadTissue>(head[i]);
    if (tissue == HeadTissue::Brain || csf[i] + gm[i] + wm[i] > 0.0f)
    {
      const bool deep = labels[i] >= static_cast<unsigned char>(pipeline::Structure::ThalamusLeft) &&
                        labels[i] <= static_cast<unsigned char>(pipeline::Structure::BasalGangliaRight);
      const std::size_t grey = static_cast<std::size_t>(deep ? Compartment::DeepGrey : Compartment::Cortex);
      bool underLesion = false;
      for (const float * w : weights)
        underLesion |= w[i] > 1e-3f;
      const std::array<std::pair<std::size_t, float>, 3> parts{
        { { static_cast<std::size_t>(Compartment::Csf), csf[i] },
          { grey, gm[i] },
          { static_cast<std::size_t>(Compartment::WhiteMatter), wm[i] } }
      };
      for (const auto & [compartment, fraction] : parts)
      {
        if (fraction <= 0.0f)
          continue;
        const bool lesional = underLesion && compartment != static_cast<std::size_t>(Compartment::Csf);
        const Signals c =
          lesional ? Evaluate(WithLesions(tissues[compartment], weights, phantomCase, i), false) : normal[compartment];
        s.t2 += fraction * c.t2;
        s.flair += fraction * c.flair;
        s.b0 += fraction * c.b0;
        s.b1000 += fraction * c.b1000;
        s.localizer += fraction * c.localizer;
      }
    }
    else
    {
      switch (tissue)
      {
        case HeadTissue::ExternalCsf:
          s = normal[static_cast<std::size_t>(Compartment::Csf)];
          break;
        case HeadTissue::Fat:
          s = normal[static_cast<std::size_t>(Compartment::Fat)];
          break;
        case HeadTissue::Muscle:
          s = normal[static_cast<std::size_t>(Compartment::Muscle)];
          break;
        case HeadTissue::Bone:
          s = normal[static_cast<std::size_t>(Compartment::Bone)];
          break;
        default:
          break;
      }
    }
    t2[i] = static_cast<float>(s.t2 * scaleT2);
    flair[i] = static_cast<float>(s.flair * scaleFlair);
    b0[i] = static_cast<float>(s.b0 * scaleDwi);
    b1000[i] = static_cast<float>(s.b1000 * scaleDwi);
    if (t1w)
      t1w[i] = static_cast<float>(s.localizer * scaleLocalizer);
  }
  return maps;
}

} // namespace icanscan::synthetic
