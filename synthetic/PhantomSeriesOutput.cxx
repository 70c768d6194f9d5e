#include "synthetic/PhantomSeriesOutput.h"

#include "core/Error.h"
#include "dicom/MrSeriesWriter.h"
#include "dicom/SeriesRole.h"
#include "synthetic/PhantomTruth.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <system_error>

namespace icanscan::synthetic
{
namespace
{

namespace fs = std::filesystem;
using Seq = PhantomSequences;
using Kind = PhantomSeriesKind;
constexpr double kPi = 3.14159265358979323846;
constexpr double kHalfExtentMm = 115.0; //!< normalisation of the bias field's polynomial

/** Renames the files to distinct random names ("MR" + 6 digits) so their order says nothing about the slices. */
void ShuffleNames(const std::vector<dicom::WrittenFile> & files, std::mt19937 & rng)
{
  std::uniform_int_distribution<unsigned> number(0, 999999);
  std::set<unsigned> used;
  for (const auto & file : files)
  {
    unsigned n = 0;
    do
      n = number(rng);
    while (!used.insert(n).second);
    char name[16];
    std::snprintf(name, sizeof(name), "MR%06u", n);
    const fs::path from = fs::u8path(file.path);
    std::error_code ec;
    fs::rename(from, from.parent_path() / name, ec);
    if (ec)
      throw OutputError("phantom: cannot rename '" + file.path + "': " + ec.message());
  }
}

/** Scanner ADC (µm²/s) from the noisy b0 and b1000: ln(S0/Sb)/b, blanked where b0 is background, clipped at 4095. */
FloatImage::Pointer AdcMap(const FloatImage * b0, const FloatImage * b1000)
{
  auto adc = FloatImage::New();
  adc->CopyInformation(b0);
  adc->SetRegions(b0->GetLargestPossibleRegion());
  adc->Allocate();
  const float * s0 = b0->GetBufferPointer();
  const float * sb = b1000->GetBufferPointer();
  float * out = adc->GetBufferPointer();
  const double threshold = 0.1 * Seq::kWhiteMatterLevel;
  for (std::size_t n = 0; n < adc->GetBufferedRegion().GetNumberOfPixels(); ++n)
  {
    double value = 0.0;
    if (s0[n] > threshold)
      value = sb[n] > 0.0f ? std::log(double(s0[n]) / sb[n]) / Seq::kBValue * 1e6 : 4095.0;
    out[n] = static_cast<float>(std::clamp(std::round(value), 0.0, 4095.0));
  }
  return adc;
}

std::string Layout(const dicom::MrSeriesSpec & spec)
{
  std::string text = spec.manufacturer + ": ImageType ";
  for (std::size_t i = 0; i < spec.imageType.size(); ++i)
    text += (i ? "\\" : "") + spec.imageType[i];
  if (spec.bValue)
    text += ", (0018,9087) " + std::to_string(static_cast<int>(*spec.bValue));
  for (const auto & e : spec.extraElements)
  {
    char tag[16];
    std::snprintf(tag, sizeof(tag), "(%04X,%04X)", e.group, e.element);
    text += std::string(", ") + tag + " " + e.value;
  }
  return text;
}

void AddSeries(PhantomSeriesOutput & out,
               const std::string & role,
               const dicom::MrSeriesSpec & spec,
               const fs::path & dir,
               const SeriesGeometry & geometry,
               const RigidTransform * motion,
               const std::string & layout)
{
  PhantomSeries series;
  series.role = role;
  series.seriesNumber = spec.seriesNumber;
  series.description = spec.seriesDescription;
  series.folder = dir;
  series.geometry = geometry;
  series.motion = Affine3::FromTransform(motion);
  series.transformFile = out.truthFolder / (role + "_true_transform.tfm");
  series.layout = layout;
  WriteTransformFile(motion, series.transformFile);
  out.study.series.push_back(series);
}

} // namespace

RigidTransform::Pointer RandomRigid(std::mt19937 & rng,
                                    double minDeg,
                                    double maxDeg,
                                    double minMm,
                                    double maxMm,
                                    const Vec3 & centre)
{
  std::normal_distribution<double> normal(0.0, 1.0);
  auto direction = [&]
  {
    itk::Vector<double, 3> v;
    do
    {
      for (unsigned d = 0; d < 3; ++d)
        v[d] = normal(rng);
    } while (v.GetNorm() < 1e-6);
    v.Normalize();
    return v;
  };
  const auto axis = direction();
  const double angle = std::uniform_real_distribution<double>(minDeg, maxDeg)(rng) * kPi / 180.0;
  const auto shift = direction() * std::uniform_real_distribution<double>(minMm, maxMm)(rng);
  auto rigid = RigidTransform::New();
  RigidTransform::InputPointType c;
  for (unsigned d = 0; d < 3; ++d)
    c[d] = centre[d];
  rigid->SetCenter(c);
  rigid->SetRotation(axis, angle);
  rigid->SetTranslation(shift);
  return rigid;
}

RigidTransform::Pointer IdentityRigid(const Vec3 & centre)
{
  auto rigid = RigidTransform::New();
  RigidTransform::InputPointType c;
  for (unsigned d = 0; d < 3; ++d)
    c[d] = centre[d];
  rigid->SetCenter(c);
  return rigid;
}

std::mt19937 PhantomSeriesOutput::NoiseRng(unsigned series) const
{
  std::seed_seq seed{ params.seed, 100u + 10u * session + series };
  return std::mt19937(seed);
}

dicom::MrSeriesSpec PhantomSeriesOutput::Spec(PhantomSeriesKind kind) const
{
  auto spec = VendorSeriesSpec(study.protocol, kind, params.geometry == PhantomGeometry::Iso3d);
  spec.studyInstanceUid = studyUid;
  spec.patientName = "PHANTOM^ICANS";
  spec.patientId = "ICANSCAN-PHANTOM-" + std::to_string(params.seed);
  spec.patientAge = patientAge;
  spec.patientBirthDate = patientBirthDate;
  return spec;
}

void WriteLocalizer(PhantomSeriesOutput & out, const PhantomPlan & plan)
{
  auto random = out.NoiseRng(1);
  auto spec = out.Spec(Kind::Localizer);
  spec.seriesInstanceUid = dicom::MrSeriesWriter::GenerateUid();
  spec.sliceThickness = 6.0;
  const fs::path dir = out.dicomFolder / SeriesFolderName(out.study.protocol, Kind::Localizer, spec);
  const auto matrix = std::max(16u, static_cast<unsigned>(std::lround(256 * out.params.matrixScale)));
  const std::array<std::pair<Vec3, Vec3>, 3> planes{ { { Vec3{ 0, 1, 0 }, Vec3{ 0, 0, -1 } },
                                                       { Vec3{ 1, 0, 0 }, Vec3{ 0, 0, -1 } },
                                                       { Vec3{ 1, 0, 0 }, Vec3{ 0, 1, 0 } } } };
  std::vector<dicom::WrittenFile> files;
  for (const auto & [row, column] : planes)
  {
    auto geometry = OrientedStack(plan.brainInScanner, row, column, { matrix, matrix }, 256.0 / matrix, 3, 12.0);
    geometry.sliceThicknessMm = 6.0;
    auto image = out.renderer.Render(geometry, Affine3{}, { out.maps.localizer }).front();
    PhantomSeriesRenderer::AddRicianNoise(image, 0.03 * Seq::kWhiteMatterLevel, random);
    const auto written = dicom::MrSeriesWriter::Write(image, spec, dir, "tmp_{n}");
    files.insert(files.end(), written.begin(), written.end());
    spec.firstInstanceNumber += 3;
  }
  ShuffleNames(files, random);
  out.study.otherSeries.push_back(std::to_string(spec.seriesNumber) + " " + spec.seriesDescription + " (localizer, " +
                                  Layout(spec) + ")");
}

void WriteT2(PhantomSeriesOutput & out, const SeriesGeometry & geometry, const RigidTransform * motion)
{
  auto random = out.NoiseRng(2);
  auto t2 = out.renderer.Render(geometry, Affine3::FromTransform(motion), { out.maps.t2 }).front();
  PhantomSeriesRenderer::ApplyBias(t2, geometry, BiasField::Random(geometry.Centre(), kHalfExtentMm, 0.06, random));
  PhantomSeriesRenderer::AddRicianNoise(t2, 0.025 * Seq::kWhiteMatterLevel, random);
  auto spec = out.Spec(Kind::T2);
  spec.sliceThickness = geometry.sliceThicknessMm;
  const fs::path dir = out.dicomFolder / SeriesFolderName(out.study.protocol, Kind::T2, spec);
  ShuffleNames(dicom::MrSeriesWriter::Write(t2, spec, dir, "tmp_{n}"), random);
  AddSeries(out, dicom::ToString(dicom::SeriesRole::T2), spec, dir, geometry, motion, Layout(spec));
}

void WriteFlair(PhantomSeriesOutput & out,
                const SeriesGeometry & geometry,
                const RigidTransform * motion,
                PhantomSeriesKind kind)
{
  auto random = out.NoiseRng(3);
  auto flair = out.renderer.Render(geometry, Affine3::FromTransform(motion), { out.maps.flair }).front();
  PhantomSeriesRenderer::ApplyBias(
    flair, geometry, BiasField::Random(out.study.series.front().geometry.Centre(), kHalfExtentMm, 0.06, random));
  PhantomSeriesRenderer::AddRicianNoise(flair, 0.03 * Seq::kWhiteMatterLevel, random);
  auto spec = out.Spec(kind);
  spec.sliceThickness = geometry.sliceThicknessMm;
  const fs::path dir = out.dicomFolder / SeriesFolderName(out.study.protocol, kind, spec);
  ShuffleNames(dicom::MrSeriesWriter::Write(flair, spec, dir, "tmp_{n}"), random);
  AddSeries(out, dicom::ToString(dicom::SeriesRole::FLAIR), spec, dir, geometry, motion, Layout(spec));
}

void WriteDiffusion(PhantomSeriesOutput & out,
                    const SeriesGeometry & geometry,
                    const RigidTransform * motion,
                    const Vec3 & centre)
{
  auto random = out.NoiseRng(4);
  auto dwi = out.renderer.Render(geometry, Affine3::FromTransform(motion), { out.maps.dwiB0, out.maps.dwiB1000 });
  const auto bias = BiasField::Random(centre, kHalfExtentMm, 0.06, random);
  for (auto & image : dwi)
  {
    PhantomSeriesRenderer::ApplyBias(image, geometry, bias);
    PhantomSeriesRenderer::AddRicianNoise(image, 0.02 * Seq::kWhiteMatterLevel, random);
  }
  const std::string seriesUid = dicom::MrSeriesWriter::GenerateUid();
  auto b0 = out.Spec(Kind::DwiB0);
  b0.seriesInstanceUid = seriesUid;
  b0.sliceThickness = geometry.sliceThicknessMm;
  const fs::path dir = out.dicomFolder / SeriesFolderName(out.study.protocol, Kind::DwiB0, b0);
  auto files = dicom::MrSeriesWriter::Write(dwi[0], b0, dir, "tmp_{n}");
  auto trace = out.Spec(Kind::DwiTrace);
  trace.seriesInstanceUid = seriesUid;
  trace.sliceThickness = geometry.sliceThicknessMm;
  trace.acquisitionNumber = 2;
  trace.firstInstanceNumber = static_cast<int>(geometry.size[2]) + 1;
  const auto second = dicom::MrSeriesWriter::Write(dwi[1], trace, dir, "tmp_{n}");
  files.insert(files.end(), second.begin(), second.end());
  ShuffleNames(files, random);
  AddSeries(out, dicom::ToString(dicom::SeriesRole::DWI), trace, dir, geometry, motion,
            "b0: " + Layout(b0) + "; trace: " + Layout(trace));

  auto adc = AdcMap(dwi[0], dwi[1]);
  auto adcSpec = out.Spec(Kind::Adc);
  adcSpec.sliceThickness = geometry.sliceThicknessMm;
  const fs::path adcDir = out.dicomFolder / SeriesFolderName(out.study.protocol, Kind::Adc, adcSpec);
  ShuffleNames(dicom::MrSeriesWriter::Write(adc, adcSpec, adcDir, "tmp_{n}"), random);
  AddSeries(out, dicom::ToString(dicom::SeriesRole::ADC), adcSpec, adcDir, geometry, motion, Layout(adcSpec));
}

} // namespace icanscan::synthetic
