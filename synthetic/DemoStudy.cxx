#include "synthetic/DemoStudy.h"

#include "dicom/MrSeriesWriter.h"

#include "core/Error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>
#include <system_error>
#include <vector>

namespace icanscan::synthetic
{
namespace
{

using ImageType = dicom::MrSeriesWriter::ImageType;
using Vec3 = std::array<double, 3>;

enum Tissue : std::size_t
{
  Air,
  Scalp,
  Skull,
  Csf,
  Cortex,
  WhiteMatter,
  DeepGrey,
  TissueCount
};

using TissueSignals = std::array<double, TissueCount>;

/** 1.5 T relaxation times (ms), relative proton density and ADC (1e-6 mm²/s). The scalp is fat; its ADC only
 * matters inside the fat-suppressed DWI, where it is faint. */
struct TissueProperties
{
  double pd;
  double t1;
  double t2;
  double adc;
};

constexpr std::array<TissueProperties, TissueCount> kTissues{ {
  { 0.0, 1.0, 1.0, 0.0 },          // air
  { 0.9, 260.0, 80.0, 1000.0 },    // scalp (fat)
  { 0.05, 300.0, 10.0, 500.0 },    // skull
  { 1.0, 4000.0, 2000.0, 3000.0 }, // CSF
  { 0.8, 950.0, 100.0, 800.0 },    // cortex
  { 0.7, 600.0, 80.0, 700.0 },     // white matter
  { 0.75, 800.0, 90.0, 750.0 },    // thalamus
} };

constexpr double kPi = 3.14159265358979323846;
constexpr double kWhiteMatterLevel = 500.0; //!< every magnitude series is scaled so white matter shows this value
constexpr double kNoiseFraction = 0.015;    //!< noise sigma relative to the white matter level

/** Head centre in scanner LPS coordinates (mm): off the isocentre, as real heads are. */
constexpr Vec3 kHeadCentre{ 1.5, -12.0, 18.0 };

struct Ellipsoid
{
  Vec3 centre; //!< relative to the head centre, LPS mm
  Vec3 semiAxes;

  bool Contains(const Vec3 & p) const
  {
    double sum = 0.0;
    for (int d = 0; d < 3; ++d)
    {
      const double u = (p[d] - centre[d]) / semiAxes[d];
      sum += u * u;
    }
    return sum <= 1.0;
  }
};

const Ellipsoid kHead{ { 0, 0, 0 }, { 74, 92, 66 } };
const Ellipsoid kSkullOuter{ { 0, 0, 0 }, { 69, 87, 61 } };
const Ellipsoid kSkullInner{ { 0, 0, 0 }, { 63, 81, 55 } };
const Ellipsoid kBrain{ { 0, 0, 0 }, { 60, 78, 52 } };
const Ellipsoid kWhite{ { 0, 0, 0 }, { 56, 74, 48 } };
const std::array<Ellipsoid, 2> kVentricles{ { { { -9, 0, 12 }, { 5, 24, 8 } }, { { 9, 0, 12 }, { 5, 24, 8 } } } };
const std::array<Ellipsoid, 2> kThalami{ { { { -11, 12, -4 }, { 9, 13, 9 } }, { { 11, 12, -4 }, { 9, 13, 9 } } } };

Tissue Classify(const Vec3 & world)
{
  const Vec3 p{ world[0] - kHeadCentre[0], world[1] - kHeadCentre[1], world[2] - kHeadCentre[2] };
  if (!kHead.Contains(p))
  {
    return Air;
  }
  if (!kSkullOuter.Contains(p))
  {
    return Scalp;
  }
  if (!kSkullInner.Contains(p))
  {
    return Skull;
  }
  if (!kBrain.Contains(p) || kVentricles[0].Contains(p) || kVentricles[1].Contains(p))
  {
    return Csf;
  }
  if (kThalami[0].Contains(p) || kThalami[1].Contains(p))
  {
    return DeepGrey;
  }
  return kWhite.Contains(p) ? WhiteMatter : Cortex;
}

/** An empty image whose centre voxel sits on the head centre. Columns 0..2 of `direction` are the row direction,
 * column direction and slice normal (right-handed). */
ImageType::Pointer MakeGrid(const std::array<unsigned, 3> & size,
                            const Vec3 & spacing,
                            const std::array<Vec3, 3> & axes)
{
  auto image = ImageType::New();
  ImageType::RegionType region;
  ImageType::SpacingType sp;
  ImageType::DirectionType direction;
  ImageType::PointType origin;
  for (unsigned d = 0; d < 3; ++d)
  {
    region.SetSize(d, size[d]);
    sp[d] = spacing[d];
    for (unsigned r = 0; r < 3; ++r)
    {
      direction[r][d] = axes[d][r];
    }
  }
  for (unsigned r = 0; r < 3; ++r)
  {
    origin[r] = kHeadCentre[r];
    for (unsigned d = 0; d < 3; ++d)
    {
      origin[r] -= axes[d][r] * spacing[d] * 0.5 * (size[d] - 1.0);
    }
  }
  image->SetRegions(region);
  image->SetSpacing(sp);
  image->SetDirection(direction);
  image->SetOrigin(origin);
  image->Allocate(true);
  return image;
}

/** Fills `image` with the partial-volume mixture of the tissue signals (2x2 samples in plane, 3 through the slice). */
void Render(ImageType * image, const TissueSignals & signals)
{
  constexpr std::array<unsigned, 3> samples{ 2, 2, 3 };
  const auto size = image->GetBufferedRegion().GetSize();
  const auto & origin = image->GetOrigin();
  const auto & spacing = image->GetSpacing();
  const auto & direction = image->GetDirection();
  float * out = image->GetBufferPointer();
  const double weight = 1.0 / (samples[0] * samples[1] * samples[2]);
  for (std::size_t k = 0; k < size[2]; ++k)
  {
    for (std::size_t j = 0; j < size[1]; ++j)
    {
      for (std::size_t i = 0; i < size[0]; ++i)
      {
        double value = 0.0;
        for (unsigned sk = 0; sk < samples[2]; ++sk)
        {
          for (unsigned sj = 0; sj < samples[1]; ++sj)
          {
            for (unsigned si = 0; si < samples[0]; ++si)
            {
              const Vec3 index{ i + (si + 0.5) / samples[0] - 0.5, j + (sj + 0.5) / samples[1] - 0.5,
                                k + (sk + 0.5) / samples[2] - 0.5 };
              Vec3 world{ origin[0], origin[1], origin[2] };
              for (unsigned r = 0; r < 3; ++r)
              {
                for (unsigned d = 0; d < 3; ++d)
                {
                  world[r] += direction[r][d] * spacing[d] * index[d];
                }
              }
              value += signals[Classify(world)];
            }
          }
        }
        *out++ = static_cast<float>(value * weight);
      }
    }
  }
}

ImageType::Pointer Copy(const ImageType * image)
{
  auto copy = ImageType::New();
  copy->CopyInformation(image);
  copy->SetRegions(image->GetBufferedRegion());
  copy->Allocate();
  std::copy_n(image->GetBufferPointer(), image->GetBufferedRegion().GetNumberOfPixels(), copy->GetBufferPointer());
  return copy;
}

/** Magnitude of the signal plus complex Gaussian noise, rounded to integers like a scanner's stored values. */
void AddRicianNoise(ImageType * image, double sigma, std::mt19937 & rng)
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

/** Per-tissue signals of a contrast, scaled so white matter shows kWhiteMatterLevel. */
template<typename TWeighting>
TissueSignals Signals(TWeighting weighting, double fatFactor = 1.0)
{
  TissueSignals signals{};
  for (std::size_t t = 0; t < TissueCount; ++t)
  {
    signals[t] = kTissues[t].pd * weighting(kTissues[t]);
  }
  signals[Scalp] *= fatFactor;
  const double scale = kWhiteMatterLevel / signals[WhiteMatter];
  for (auto & s : signals)
  {
    s *= scale;
  }
  return signals;
}

TissueSignals SpinEcho(double tr, double te, double fatFactor = 1.0)
{
  return Signals([&](const TissueProperties & t) { return (1.0 - std::exp(-tr / t.t1)) * std::exp(-te / t.t2); },
                 fatFactor);
}

TissueSignals InversionRecovery(double tr, double te, double ti)
{
  return Signals([&](const TissueProperties & t)
                 { return std::abs(1.0 - 2.0 * std::exp(-ti / t.t1) + std::exp(-tr / t.t1)) * std::exp(-te / t.t2); });
}

TissueSignals SpoiledGradientEcho(double tr, double te, double flipDeg)
{
  const double a = flipDeg * kPi / 180.0;
  return Signals(
    [&](const TissueProperties & t)
    {
      const double e1 = std::exp(-tr / t.t1);
      return std::sin(a) * (1.0 - e1) / (1.0 - std::cos(a) * e1) * std::exp(-te / t.t2);
    });
}

/** Swaps a few nearby file names so the name order is not the slice order, as after a PACS export. */
void ShuffleNames(const std::vector<dicom::WrittenFile> & files, std::mt19937 & rng)
{
  const std::size_t n = files.size();
  if (n < 2)
  {
    return;
  }
  std::vector<std::size_t> target(n);
  for (std::size_t i = 0; i < n; ++i)
  {
    target[i] = i;
  }
  std::uniform_int_distribution<std::size_t> pick(0, n - 2);
  std::uniform_int_distribution<std::size_t> reach(1, 3);
  for (std::size_t swaps = std::max<std::size_t>(1, n / 6); swaps > 0; --swaps)
  {
    const std::size_t i = pick(rng);
    std::swap(target[i], target[std::min(n - 1, i + reach(rng))]);
  }
  std::error_code ec;
  for (std::size_t i = 0; i < n; ++i)
  {
    std::filesystem::rename(files[i].path, files[i].path + ".shuffle", ec);
    if (ec)
    {
      throw OutputError("WriteDemoStudy: cannot rename '" + files[i].path + "': " + ec.message());
    }
  }
  for (std::size_t i = 0; i < n; ++i)
  {
    std::filesystem::rename(files[i].path + ".shuffle", files[target[i]].path, ec);
    if (ec)
    {
      throw OutputError("WriteDemoStudy: cannot rename '" + files[i].path + ".shuffle' to '" + files[target[i]].path +
                        "': " + ec.message());
    }
  }
}

dicom::MrSeriesSpec BaseSpec(const std::string & studyUid, const std::string & frameUid)
{
  dicom::MrSeriesSpec spec;
  spec.studyInstanceUid = studyUid;
  spec.frameOfReferenceUid = frameUid;
  return spec;
}

} // namespace

void WriteDemoStudy(const std::filesystem::path & folder, unsigned seed)
{
  std::mt19937 rng(seed);
  const double sigma = kNoiseFraction * kWhiteMatterLevel;
  const std::string studyUid = dicom::MrSeriesWriter::GenerateUid();
  const std::string frameUid = dicom::MrSeriesWriter::GenerateUid();

  const double tilt = 5.0 * kPi / 180.0; // about the left-right axis, like a plane along the AC-PC line
  const std::array<Vec3, 3> axial{
    { { 1, 0, 0 }, { 0, std::cos(tilt), std::sin(tilt) }, { 0, -std::sin(tilt), std::cos(tilt) } }
  };
  const std::array<unsigned, 3> size{ 96, 96, 24 };
  const Vec3 spacing{ 2.4, 2.4, 5.0 };

  {
    auto t2 = MakeGrid(size, spacing, axial);
    Render(t2, SpinEcho(4000, 100));
    AddRicianNoise(t2, sigma, rng);
    auto spec = BaseSpec(studyUid, frameUid);
    spec.seriesNumber = 1;
    spec.seriesDescription = "T2 TSE AX";
    spec.protocolName = "t2_tse_tra";
    spec.sequenceName = "*tse2d1_15";
    spec.repetitionTimeMs = 4000;
    spec.echoTimeMs = 100;
    spec.flipAngleDeg = 150;
    ShuffleNames(dicom::MrSeriesWriter::Write(t2, spec, folder / "1_T2_TSE_AX", "IM_{n}"), rng);
  }
  {
    auto flair = MakeGrid(size, spacing, axial);
    Render(flair, InversionRecovery(9000, 120, 2500));
    AddRicianNoise(flair, sigma, rng);
    auto spec = BaseSpec(studyUid, frameUid);
    spec.seriesNumber = 2;
    spec.seriesDescription = "FLAIR AX";
    spec.protocolName = "t2_tirm_tra_dark-fluid";
    spec.scanningSequence = "SE\\IR";
    spec.sequenceVariant = "SK\\SP\\MP";
    spec.sequenceName = "*tir2d1_16";
    spec.repetitionTimeMs = 9000;
    spec.echoTimeMs = 120;
    spec.inversionTimeMs = 2500;
    spec.flipAngleDeg = 150;
    ShuffleNames(dicom::MrSeriesWriter::Write(flair, spec, folder / "2_FLAIR_AX", "IMG{n}.dcm"), rng);
  }

  // Diffusion: b=1000 per tissue from the ADC, and the ADC map from the noiseless mixtures, so partial-volume voxels
  // obey S_b = S_0 * exp(-b * ADC) too.
  const double b = 1000.0;
  const TissueSignals b0Signals = SpinEcho(5000, 90, 0.1); // fat suppressed
  TissueSignals bSignals = b0Signals;
  for (std::size_t t = 0; t < TissueCount; ++t)
  {
    bSignals[t] *= std::exp(-b * kTissues[t].adc * 1e-6);
  }
  auto b0 = MakeGrid(size, spacing, axial);
  auto b1000 = MakeGrid(size, spacing, axial);
  Render(b0, b0Signals);
  Render(b1000, bSignals);
  auto adc = Copy(b0);
  {
    std::normal_distribution<double> noise(0.0, 15.0);
    const float * s0 = b0->GetBufferPointer();
    const float * sb = b1000->GetBufferPointer();
    float * out = adc->GetBufferPointer();
    const double threshold = 0.05 * kWhiteMatterLevel; // scanners blank the ADC where b=0 is mostly noise
    for (std::size_t n = 0; n < adc->GetBufferedRegion().GetNumberOfPixels(); ++n)
    {
      const double value = s0[n] > threshold && sb[n] > 0.0 ? std::log(s0[n] / sb[n]) / b * 1e6 : 0.0;
      out[n] = value > 0.0 ? static_cast<float>(std::max(0.0, std::round(value + noise(rng)))) : 0.0f;
    }
  }
  AddRicianNoise(b0, sigma, rng);
  AddRicianNoise(b1000, sigma, rng);
  {
    auto spec = BaseSpec(studyUid, frameUid);
    spec.seriesInstanceUid = dicom::MrSeriesWriter::GenerateUid();
    spec.seriesNumber = 3;
    spec.seriesDescription = "DWI TRACE AX";
    spec.protocolName = "ep2d_diff_trace_tra";
    spec.scanningSequence = "EP";
    spec.sequenceVariant = "SK\\SP";
    spec.repetitionTimeMs = 5000;
    spec.echoTimeMs = 90;
    spec.flipAngleDeg = 90;
    spec.imageType = { "ORIGINAL", "PRIMARY", "DIFFUSION", "NONE" };
    spec.sequenceName = "*ep_b0";
    spec.bValue = 0.0;
    spec.acquisitionNumber = 1;
    spec.firstInstanceNumber = 1;
    auto files = dicom::MrSeriesWriter::Write(b0, spec, folder / "3 DWI trace", "{n}");
    spec.imageType = { "ORIGINAL", "PRIMARY", "DIFFUSION", "TRACEW" };
    spec.sequenceName = "*ep_b1000t";
    spec.bValue = b;
    spec.acquisitionNumber = 2;
    spec.firstInstanceNumber = static_cast<int>(size[2]) + 1;
    const auto second = dicom::MrSeriesWriter::Write(b1000, spec, folder / "3 DWI trace", "{n}");
    files.insert(files.end(), second.begin(), second.end());
    ShuffleNames(files, rng);
  }
  {
    auto spec = BaseSpec(studyUid, frameUid);
    spec.seriesNumber = 4;
    spec.seriesDescription = "DWI TRACE AX_ADC";
    spec.protocolName = "ep2d_diff_trace_tra";
    spec.scanningSequence = "EP";
    spec.sequenceVariant = "SK\\SP";
    spec.sequenceName = "*ep_b0_1000";
    spec.repetitionTimeMs = 5000;
    spec.echoTimeMs = 90;
    spec.imageType = { "DERIVED", "PRIMARY", "DIFFUSION", "ADC" };
    ShuffleNames(dicom::MrSeriesWriter::Write(adc, spec, folder / "4_ADC", "IM_{n}.dcm"), rng);
  }
  {
    const std::array<std::array<Vec3, 3>, 3> planes{ {
      { { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } } },   // axial
      { { { 1, 0, 0 }, { 0, 0, -1 }, { 0, 1, 0 } } },  // coronal
      { { { 0, 1, 0 }, { 0, 0, -1 }, { -1, 0, 0 } } }, // sagittal
    } };
    const TissueSignals signals = SpoiledGradientEcho(8, 4, 20);
    auto spec = BaseSpec(studyUid, frameUid);
    spec.seriesInstanceUid = dicom::MrSeriesWriter::GenerateUid();
    spec.seriesNumber = 5;
    spec.seriesDescription = "localizer";
    spec.protocolName = "localizer";
    spec.imageType = { "ORIGINAL", "PRIMARY", "LOCALIZER" };
    spec.scanningSequence = "GR";
    spec.sequenceVariant = "SP";
    spec.sequenceName = "*fl2d1";
    spec.repetitionTimeMs = 8;
    spec.echoTimeMs = 4;
    spec.flipAngleDeg = 20;
    std::vector<dicom::WrittenFile> files;
    for (std::size_t p = 0; p < planes.size(); ++p)
    {
      auto slice = MakeGrid({ 128, 128, 1 }, { 2.0, 2.0, 7.0 }, planes[p]);
      Render(slice, signals);
      AddRicianNoise(slice, sigma, rng);
      spec.firstInstanceNumber = static_cast<int>(p) + 1;
      const auto written = dicom::MrSeriesWriter::Write(slice, spec, folder / "5_localizer", "loc_{n}");
      files.insert(files.end(), written.begin(), written.end());
    }
    ShuffleNames(files, rng);
  }
}

} // namespace icanscan::synthetic
