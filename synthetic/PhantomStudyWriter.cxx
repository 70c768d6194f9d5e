#include "synthetic/PhantomStudyWriter.h"

#include "core/Error.h"
#include "dicom/MrSeriesWriter.h"
#include "dicom/SeriesRole.h"
#include "pipeline/report/NiftiWriter.h"
#include "pipeline/report/OutputFiles.h"
#include "synthetic/PhantomContrast.h"
#include "synthetic/PhantomTruth.h"

#include "itkVersorRigid3DTransform.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <system_error>

namespace icanscan::synthetic
{
namespace
{

namespace fs = std::filesystem;
using Seq = PhantomSequences;
using RigidTransform = itk::VersorRigid3DTransform<double>;
constexpr double kPi = 3.14159265358979323846;

/** A rigid transform about `centre`: rotation by an angle in [minDeg, maxDeg] about a random axis, translation of a
 * length in [minMm, maxMm] in a random direction. */
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

RigidTransform::Pointer Identity(const Vec3 & centre)
{
  auto rigid = RigidTransform::New();
  RigidTransform::InputPointType c;
  for (unsigned d = 0; d < 3; ++d)
    c[d] = centre[d];
  rigid->SetCenter(c);
  return rigid;
}

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

dicom::MrSeriesSpec BaseSpec(const std::string & studyUid, unsigned seed, bool iso3d)
{
  dicom::MrSeriesSpec spec;
  spec.studyInstanceUid = studyUid;
  spec.patientName = "PHANTOM^ICANS";
  spec.patientId = "ICANSCAN-PHANTOM-" + std::to_string(seed);
  spec.mrAcquisitionType = iso3d ? "3D" : "2D";
  return spec;
}

FloatImage::Pointer AsFloat(const LabelImage * labels)
{
  auto image = FloatImage::New();
  image->CopyInformation(labels);
  image->SetRegions(labels->GetLargestPossibleRegion());
  image->Allocate();
  std::copy_n(labels->GetBufferPointer(), labels->GetBufferedRegion().GetNumberOfPixels(), image->GetBufferPointer());
  return image;
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

/** Slices that cover the brain along `normal` (+ a 5 mm margin each side) and the centre of that range. */
std::pair<unsigned, double> Coverage(const std::vector<Vec3> & brainPoints,
                                     const Affine3 & anatomyToScanner,
                                     const Vec3 & normal,
                                     double sliceMm)
{
  double low = 1e9, high = -1e9;
  for (const auto & p : brainPoints)
  {
    const Vec3 q = anatomyToScanner(p);
    const double along = q[0] * normal[0] + q[1] * normal[1] + q[2] * normal[2];
    low = std::min(low, along);
    high = std::max(high, along);
  }
  const auto slices = static_cast<unsigned>(std::ceil((high - low + 10.0) / sliceMm));
  return { slices, 0.5 * (low + high) };
}

} // namespace

std::string ToString(PhantomGeometry geometry)
{
  return geometry == PhantomGeometry::Iso3d ? "3d" : "clinical";
}

PhantomGeometry ParsePhantomGeometry(const std::string & text)
{
  if (text == "clinical")
    return PhantomGeometry::Clinical;
  if (text == "3d")
    return PhantomGeometry::Iso3d;
  throw UsageError("phantom geometry '" + text + "': expected clinical or 3d");
}

PhantomStudyWriter::PhantomStudyWriter(const pipeline::Atlas & atlas)
  : m_Atlas(atlas)
{
}

std::vector<PhantomStudy> PhantomStudyWriter::Write(const PhantomParams & params, const fs::path & folder) const
{
  const auto & phantomCase = FindPhantomCase(params.caseName);
  if (!(params.matrixScale > 0.0 && params.matrixScale <= 1.0))
    throw UsageError("phantom: matrixScale = " + std::to_string(params.matrixScale) + ", expected (0, 1]");
  if (params.warpMaximumMm < 0.0 || params.warpMaximumMm > 10.0)
    throw UsageError("phantom: warpMaximumMm = " + std::to_string(params.warpMaximumMm) + ", expected [0, 10]");
  std::vector<PhantomStudy> studies;
  if (phantomCase.sessions.empty())
  {
    studies.push_back(WriteStudy(params, phantomCase, 0, "", folder));
    return studies;
  }
  for (unsigned s = 0; s < phantomCase.sessions.size(); ++s)
  {
    const auto & [session, caseName] = phantomCase.sessions[s];
    studies.push_back(WriteStudy(params, FindPhantomCase(caseName), s, session, folder / session));
  }
  return studies;
}

PhantomStudy PhantomStudyWriter::WriteStudy(const PhantomParams & params,
                                            const PhantomCase & phantomCase,
                                            unsigned session,
                                            const std::string & sessionName,
                                            const fs::path & folder) const
{
  const auto start = std::chrono::steady_clock::now();
  PhantomStudy study;
  study.session = sessionName;
  study.caseName = phantomCase.name;
  study.folder = folder;
  const fs::path dicomFolder = folder / "dicom";
  const fs::path truthFolder = folder / "truth";
  for (const auto & sub : { dicomFolder, truthFolder })
  {
    std::error_code ec;
    if (fs::is_directory(sub, ec) && !fs::is_empty(sub, ec))
      throw OutputError("phantom: '" + sub.string() + "' already holds files; write the study into a new folder");
  }
  pipeline::EnsureWritableFolder(dicomFolder);
  pipeline::EnsureWritableFolder(truthFolder);

  PhantomAnatomyParams anatomyParams;
  anatomyParams.seed = params.seed;
  anatomyParams.warpMaximumMm = params.warpMaximumMm;
  auto lap = start;
  auto logStep = [&lap](const std::string & what)
  {
    const auto now = std::chrono::steady_clock::now();
    spdlog::debug("phantom: {} in {:.2f} s", what, std::chrono::duration<double>(now - lap).count());
    lap = now;
  };
  const auto anatomy = BuildPhantomAnatomy(m_Atlas, phantomCase, anatomyParams);
  for (const auto & note : anatomy.notes)
    spdlog::debug("phantom: {}", note);
  logStep("anatomy");
  const auto maps = MakeContrastMaps(anatomy, phantomCase);
  logStep("contrast maps");

  // Head pose and plan: one stream per session, independent of the case.
  std::seed_seq planSeed{ params.seed, 10u + session };
  std::mt19937 rng(planSeed);
  const auto pose = RandomRigid(rng, 3.0, 10.0, 2.0, 10.0, anatomy.brainCentre);
  const Affine3 anatomyToScanner = Affine3::FromTransform(pose);
  const Vec3 brainInScanner = anatomyToScanner(anatomy.brainCentre);
  const double tilt = std::uniform_real_distribution<double>(-8.0, 8.0)(rng);
  std::uniform_real_distribution<double> jitter(-5.0, 5.0);

  const bool iso3d = params.geometry == PhantomGeometry::Iso3d;
  const double sliceMm = iso3d ? 1.0 : 5.0;
  const auto probe = AxialStack(brainInScanner, tilt, { 1, 1 }, 1.0, 1, sliceMm);
  const auto [slices, along] = Coverage(anatomy.brainPoints, anatomyToScanner, probe.axes[2], sliceMm);
  Vec3 centre = brainInScanner;
  const double shift =
    along - (centre[0] * probe.axes[2][0] + centre[1] * probe.axes[2][1] + centre[2] * probe.axes[2][2]);
  const double rowShift = jitter(rng), columnShift = jitter(rng);
  for (unsigned r = 0; r < 3; ++r)
    centre[r] += shift * probe.axes[2][r] + rowShift * probe.axes[0][r] + columnShift * probe.axes[1][r];

  auto plan = [&](unsigned matrix, double pixelMm)
  {
    const auto scaled = std::max(16u, static_cast<unsigned>(std::lround(matrix * params.matrixScale)));
    return AxialStack(centre, tilt, { scaled, scaled }, pixelMm * matrix / scaled, slices, sliceMm);
  };
  const SeriesGeometry t2Geometry = iso3d ? plan(230, 1.0) : plan(512, 0.45);
  const SeriesGeometry flairGeometry = iso3d ? plan(230, 1.0) : plan(256, 0.9);
  const SeriesGeometry dwiGeometry = iso3d ? plan(230, 1.0) : plan(128, 1.8);

  const auto t2Motion = Identity(centre);
  const auto flairMotion = RandomRigid(rng, 1.0, 3.0, 1.0, 3.0, centre);
  const auto dwiMotion = RandomRigid(rng, 1.0, 3.0, 1.0, 3.0, centre);

  const PhantomSeriesRenderer renderer(anatomy, anatomyToScanner);
  const std::string studyUid = dicom::MrSeriesWriter::GenerateUid();
  const double halfExtent = 115.0;
  auto noiseRng = [&](unsigned series)
  {
    std::seed_seq seed{ params.seed, 100u + 10u * session + series };
    return std::mt19937(seed);
  };
  auto addSeries = [&](const std::string & role, int number, const std::string & description, const fs::path & dir,
                       const SeriesGeometry & geometry, const RigidTransform * motion)
  {
    PhantomSeries series;
    series.role = role;
    series.seriesNumber = number;
    series.description = description;
    series.folder = dir;
    series.geometry = geometry;
    series.motion = Affine3::FromTransform(motion);
    series.transformFile = truthFolder / (role + "_true_transform.tfm");
    WriteTransformFile(motion, series.transformFile);
    study.series.push_back(series);
  };

  // T2: the reference, and the grid of the truth maps.
  {
    auto random = noiseRng(2);
    auto t2 = renderer.Render(t2Geometry, Affine3::FromTransform(t2Motion), { maps.t2 }).front();
    PhantomSeriesRenderer::ApplyBias(t2, t2Geometry, BiasField::Random(centre, halfExtent, 0.06, random));
    PhantomSeriesRenderer::AddRicianNoise(t2, 0.025 * Seq::kWhiteMatterLevel, random);
    auto spec = BaseSpec(studyUid, params.seed, iso3d);
    spec.seriesNumber = 2;
    spec.seriesDescription = iso3d ? "T2 SPACE AX 1mm" : "T2 TSE AX";
    spec.protocolName = iso3d ? "t2_spc_tra_iso" : "t2_tse_tra";
    spec.sequenceName = iso3d ? "*spc2_150" : "*tse2d1_15";
    spec.repetitionTimeMs = Seq::kT2RepetitionMs;
    spec.echoTimeMs = Seq::kT2EchoMs;
    spec.flipAngleDeg = 150;
    const fs::path dir = dicomFolder / "2_T2_AX";
    ShuffleNames(dicom::MrSeriesWriter::Write(t2, spec, dir, "tmp_{n}"), random);
    addSeries(dicom::ToString(dicom::SeriesRole::T2), 2, spec.seriesDescription, dir, t2Geometry, t2Motion);
    t2 = nullptr;
    const Affine3 none = Affine3::FromTransform(t2Motion);
    pipeline::WriteNifti({ AsFloat(renderer.SampleLabels(t2Geometry, none, anatomy.labels)) },
                         truthFolder / "labels.nii.gz");
    pipeline::WriteNifti({ AsFloat(renderer.SampleLabels(t2Geometry, none, anatomy.lesionT2Flair)) },
                         truthFolder / "lesion_t2flair.nii.gz");
    pipeline::WriteNifti({ AsFloat(renderer.SampleLabels(t2Geometry, none, anatomy.lesionDwi)) },
                         truthFolder / "lesion_dwi.nii.gz");
    logStep("T2 series and truth maps");
  }
  {
    auto random = noiseRng(3);
    auto flair = renderer.Render(flairGeometry, Affine3::FromTransform(flairMotion), { maps.flair }).front();
    PhantomSeriesRenderer::ApplyBias(flair, flairGeometry, BiasField::Random(centre, halfExtent, 0.06, random));
    PhantomSeriesRenderer::AddRicianNoise(flair, 0.03 * Seq::kWhiteMatterLevel, random);
    auto spec = BaseSpec(studyUid, params.seed, iso3d);
    spec.seriesNumber = 3;
    spec.seriesDescription = iso3d ? "FLAIR SPACE AX 1mm" : "FLAIR AX";
    spec.protocolName = iso3d ? "t2_spc_da-fl_tra_iso" : "t2_tirm_tra_dark-fluid";
    spec.scanningSequence = "SE\\IR";
    spec.sequenceVariant = "SK\\SP\\MP";
    spec.sequenceName = iso3d ? "*spcir_278" : "*tir2d1_16";
    spec.repetitionTimeMs = Seq::kFlairRepetitionMs;
    spec.echoTimeMs = Seq::kFlairEchoMs;
    spec.inversionTimeMs = Seq::kFlairInversionMs;
    spec.flipAngleDeg = 150;
    const fs::path dir = dicomFolder / "3_FLAIR_AX";
    ShuffleNames(dicom::MrSeriesWriter::Write(flair, spec, dir, "tmp_{n}"), random);
    addSeries(dicom::ToString(dicom::SeriesRole::FLAIR), 3, spec.seriesDescription, dir, flairGeometry, flairMotion);
    logStep("FLAIR series");
  }
  {
    auto random = noiseRng(4);
    auto dwi = renderer.Render(dwiGeometry, Affine3::FromTransform(dwiMotion), { maps.dwiB0, maps.dwiB1000 });
    const auto bias = BiasField::Random(centre, halfExtent, 0.06, random);
    for (auto & image : dwi)
    {
      PhantomSeriesRenderer::ApplyBias(image, dwiGeometry, bias);
      PhantomSeriesRenderer::AddRicianNoise(image, 0.02 * Seq::kWhiteMatterLevel, random);
    }
    auto spec = BaseSpec(studyUid, params.seed, iso3d);
    spec.seriesInstanceUid = dicom::MrSeriesWriter::GenerateUid();
    spec.seriesNumber = 4;
    spec.seriesDescription = "DWI TRACE AX";
    spec.protocolName = "ep2d_diff_trace_tra";
    spec.scanningSequence = "EP";
    spec.sequenceVariant = "SK\\SP";
    spec.repetitionTimeMs = Seq::kDwiRepetitionMs;
    spec.echoTimeMs = Seq::kDwiEchoMs;
    spec.flipAngleDeg = 90;
    spec.imageType = { "ORIGINAL", "PRIMARY", "DIFFUSION", "NONE" };
    spec.sequenceName = "*ep_b0";
    spec.bValue = 0.0;
    const fs::path dir = dicomFolder / "4_DWI_TRACE_AX";
    auto files = dicom::MrSeriesWriter::Write(dwi[0], spec, dir, "tmp_{n}");
    spec.imageType = { "ORIGINAL", "PRIMARY", "DIFFUSION", "TRACEW" };
    spec.sequenceName = "*ep_b1000t";
    spec.bValue = Seq::kBValue;
    spec.acquisitionNumber = 2;
    spec.firstInstanceNumber = static_cast<int>(dwiGeometry.size[2]) + 1;
    const auto second = dicom::MrSeriesWriter::Write(dwi[1], spec, dir, "tmp_{n}");
    files.insert(files.end(), second.begin(), second.end());
    ShuffleNames(files, random);
    addSeries(dicom::ToString(dicom::SeriesRole::DWI), 4, spec.seriesDescription, dir, dwiGeometry, dwiMotion);

    auto adc = AdcMap(dwi[0], dwi[1]);
    auto adcSpec = BaseSpec(studyUid, params.seed, iso3d);
    adcSpec.seriesNumber = 5;
    adcSpec.seriesDescription = "DWI TRACE AX_ADC";
    adcSpec.protocolName = spec.protocolName;
    adcSpec.scanningSequence = "EP";
    adcSpec.sequenceVariant = "SK\\SP";
    adcSpec.sequenceName = "*ep_b0_1000";
    adcSpec.repetitionTimeMs = Seq::kDwiRepetitionMs;
    adcSpec.echoTimeMs = Seq::kDwiEchoMs;
    adcSpec.imageType = { "DERIVED", "PRIMARY", "DIFFUSION", "ADC" };
    const fs::path adcDir = dicomFolder / "5_ADC";
    ShuffleNames(dicom::MrSeriesWriter::Write(adc, adcSpec, adcDir, "tmp_{n}"), random);
    addSeries(dicom::ToString(dicom::SeriesRole::ADC), 5, adcSpec.seriesDescription, adcDir, dwiGeometry, dwiMotion);
    logStep("DWI and ADC series");
  }

  study.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const PhantomTruthContext context{ params, phantomCase, anatomy, study, pose.GetPointer(), tilt };
  pipeline::WriteTextFileAtomically(truthFolder / "truth.json", PhantomTruthJson(context));
  spdlog::info("phantom: {} study{} written to {} in {:.1f} s", phantomCase.name,
               sessionName.empty() ? "" : " (" + sessionName + ")", folder.string(), study.seconds);
  return study;
}

} // namespace icanscan::synthetic
