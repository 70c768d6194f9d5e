#include "synthetic/PhantomStudyWriter.h"

#include "core/Error.h"
#include "dicom/SeriesRole.h"
#include "pipeline/report/NiftiWriter.h"
#include "pipeline/report/OutputFiles.h"
#include "synthetic/PhantomContrast.h"
#include "synthetic/PhantomSeriesOutput.h"
#include "synthetic/PhantomTruth.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <ctime>

namespace icanscan::synthetic
{
namespace
{

namespace fs = std::filesystem;
using Seq = PhantomSequences;
using Kind = PhantomSeriesKind;

FloatImage::Pointer AsFloat(const LabelImage * labels)
{
  auto image = FloatImage::New();
  image->CopyInformation(labels);
  image->SetRegions(labels->GetLargestPossibleRegion());
  image->Allocate();
  std::copy_n(labels->GetBufferPointer(), labels->GetBufferedRegion().GetNumberOfPixels(), image->GetBufferPointer());
  return image;
}

/** Voxels of `region` whose CSF (fraction or subarachnoid CSF) is at least one half. */
LabelImage::Pointer CsfIn(const PhantomAnatomy & a, const LabelImage * region)
{
  auto out = LabelImage::New();
  out->CopyInformation(region);
  out->SetRegions(region->GetLargestPossibleRegion());
  out->Allocate();
  for (std::size_t i = 0; i < region->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    const auto h = static_cast<HeadTissue>(a.head->GetBufferPointer()[i]);
    const bool csf = h == HeadTissue::ExternalCsf || (h == HeadTissue::Brain && a.csf->GetBufferPointer()[i] >= 0.5f);
    out->GetBufferPointer()[i] = region->GetBufferPointer()[i] && csf ? 1 : 0;
  }
  return out;
}

/** Extent [low, high] (mm) of the brain points along `normal` in the scanner frame. */
std::pair<double, double> Extent(const std::vector<Vec3> & brainPoints, const Affine3 & toScanner, const Vec3 & normal)
{
  double low = 1e9, high = -1e9;
  for (const auto & p : brainPoints)
  {
    const Vec3 q = toScanner(p);
    const double along = q[0] * normal[0] + q[1] * normal[1] + q[2] * normal[2];
    low = std::min(low, along);
    high = std::max(high, along);
  }
  return { low, high };
}

/** Birth date (DICOM DA) that makes the subject `ageYears` old today (the study date MrSeriesWriter writes). */
std::string BirthDateFor(double ageYears)
{
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char date[40];
  std::snprintf(date, sizeof(date), "%04d%02d%02d", local.tm_year + 1900 - static_cast<int>(ageYears), local.tm_mon + 1,
                std::min(local.tm_mday, 28));
  return date;
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

PhantomStudyWriter::PhantomStudyWriter(AnatomySource source)
  : m_Source(std::move(source))
{
}

PhantomStudyWriter::PhantomStudyWriter(const pipeline::Atlas & atlas)
  : m_Source(ColinAnatomySource(atlas))
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
    studies.push_back(WriteStudy(params, phantomCase, phantomCase, 0, {}, folder));
    return studies;
  }
  for (unsigned s = 0; s < phantomCase.sessions.size(); ++s)
  {
    const auto & session = phantomCase.sessions[s];
    studies.push_back(
      WriteStudy(params, phantomCase, FindPhantomCase(session.caseName), s, session, folder / session.folder));
  }
  return studies;
}

PhantomStudy PhantomStudyWriter::WriteStudy(const PhantomParams & params,
                                            const PhantomCase & topCase,
                                            const PhantomCase & sessionCase,
                                            unsigned session,
                                            const PhantomSession & sessionInfo,
                                            const fs::path & folder) const
{
  const auto start = std::chrono::steady_clock::now();
  const bool vary = params.variability.value_or(!m_Source.descriptorFile.empty());
  PhantomStudy study;
  study.session = sessionInfo.folder;
  study.caseName = sessionCase.name;
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

  // One subject and one protocol for every session of a case: drawn from the seed and the top-level case.
  const PhantomCase realised = RealiseCase(sessionCase, params.seed, vary, sessionInfo.swellingPercent);
  study.protocol = DrawProtocol(params.seed, topCase.name, vary, params.vendor);
  PhantomAnatomyParams anatomyParams;
  anatomyParams.seed = params.seed;
  anatomyParams.warpMaximumMm = params.warpMaximumMm;
  anatomyParams.drawn = DrawAnatomy(params.seed, vary, topCase.population);
  auto lap = start;
  auto logStep = [&lap](const std::string & what)
  {
    const auto now = std::chrono::steady_clock::now();
    spdlog::debug("phantom: {} in {:.2f} s", what, std::chrono::duration<double>(now - lap).count());
    lap = now;
  };
  const auto anatomy = BuildPhantomAnatomy(m_Source, realised, anatomyParams);
  for (const auto & note : anatomy.notes)
    spdlog::debug("phantom: {}", note);
  logStep("anatomy");
  const auto maps = MakeContrastMaps(anatomy, realised, study.protocol.localizer);
  logStep("contrast maps");

  // Head pose and plan: one stream per session, independent of the case. The head-size scale comes first.
  std::seed_seq planSeed{ params.seed, 10u + session };
  std::mt19937 rng(planSeed);
  const auto pose = RandomRigid(rng, 3.0, 10.0, 2.0, 10.0, anatomy.brainCentre);
  Affine3 scale;
  for (unsigned r = 0; r < 3; ++r)
  {
    scale.m[r][r] = anatomy.scale;
    scale.t[r] = anatomy.brainCentre[r] * (1.0 - anatomy.scale);
  }
  const Affine3 anatomyToScanner = scale.Then(Affine3::FromTransform(pose));
  const Vec3 brainInScanner = anatomyToScanner(anatomy.brainCentre);
  const double tilt = std::uniform_real_distribution<double>(-8.0, 8.0)(rng);
  std::uniform_real_distribution<double> jitter(-5.0, 5.0);

  const bool iso3d = params.geometry == PhantomGeometry::Iso3d;
  const auto & protocol = study.protocol;
  const double t2Spacing = iso3d ? 1.0 : protocol.t2SliceMm + protocol.t2GapMm;
  const auto probe = AxialStack(brainInScanner, tilt, { 1, 1 }, 1.0, 1, t2Spacing);
  const auto [low, high] = Extent(anatomy.brainPoints, anatomyToScanner, probe.axes[2]);
  const double along = 0.5 * (low + high);
  Vec3 centre = brainInScanner;
  const double shift =
    along - (centre[0] * probe.axes[2][0] + centre[1] * probe.axes[2][1] + centre[2] * probe.axes[2][2]);
  const double rowShift = jitter(rng), columnShift = jitter(rng);
  for (unsigned r = 0; r < 3; ++r)
    centre[r] += shift * probe.axes[2][r] + rowShift * probe.axes[0][r] + columnShift * probe.axes[1][r];

  // Today's studies cover the brain and 5 mm; drawn protocols cover the skull too (12 mm each side).
  const double margin = vary ? 24.0 : 10.0;
  auto plan = [&](unsigned matrix, double pixelMm, double thickness, double gap)
  {
    const double spacing = iso3d ? 1.0 : thickness + gap;
    const auto slices = static_cast<unsigned>(std::ceil((high - low + margin) / spacing));
    const auto scaled = std::max(16u, static_cast<unsigned>(std::lround(matrix * params.matrixScale)));
    auto g = AxialStack(centre, tilt, { scaled, scaled }, pixelMm * matrix / scaled, slices, spacing);
    g.sliceThicknessMm = iso3d ? 0.0 : thickness;
    return g;
  };
  PhantomPlan geometries;
  geometries.t2 = iso3d ? plan(230, 1.0, 1.0, 0.0) : plan(512, 0.45, protocol.t2SliceMm, protocol.t2GapMm);
  geometries.flair = iso3d ? plan(230, 1.0, 1.0, 0.0) : plan(256, 0.9, protocol.flairSliceMm, protocol.flairGapMm);
  if (protocol.flair3dSagittal)
  {
    const auto matrix = std::max(16u, static_cast<unsigned>(std::lround(256 * params.matrixScale)));
    const auto slices = std::max(16u, static_cast<unsigned>(std::lround(176 * params.matrixScale)));
    geometries.flair = OrientedStack(brainInScanner, Vec3{ 0, 1, 0 }, Vec3{ 0, 0, -1 }, { matrix, matrix },
                                     256.0 / matrix, slices, 176.0 / slices);
  }
  geometries.dwi = iso3d ? plan(230, 1.0, 1.0, 0.0) : plan(128, 1.8, protocol.dwiSliceMm, protocol.dwiGapMm);
  geometries.centre = centre;
  geometries.brainInScanner = brainInScanner;

  PhantomSeriesOutput output{ params,
                              study,
                              anatomy,
                              maps,
                              PhantomSeriesRenderer(anatomy, anatomyToScanner),
                              dicomFolder,
                              truthFolder,
                              dicom::MrSeriesWriter::GenerateUid(),
                              session,
                              DicomAge(anatomy.drawn.ageYears),
                              BirthDateFor(anatomy.drawn.ageYears) };
  const auto t2Motion = IdentityRigid(centre);
  const auto flairMotion = RandomRigid(rng, 1.0, 3.0, 1.0, 3.0, centre);
  const auto dwiMotion = RandomRigid(rng, 1.0, 3.0, 1.0, 3.0, centre);
  if (protocol.localizer)
    WriteLocalizer(output, geometries);
  WriteT2(output, geometries.t2, t2Motion);
  {
    const Affine3 none = Affine3::FromTransform(t2Motion);
    const auto & renderer = output.renderer;
    const auto & g = geometries.t2;
    pipeline::WriteNifti({ AsFloat(renderer.SampleLabels(g, none, anatomy.labels)) }, truthFolder / "labels.nii.gz");
    pipeline::WriteNifti({ AsFloat(renderer.SampleLabels(g, none, anatomy.lesionT2Flair)) },
                         truthFolder / "lesion_t2flair.nii.gz");
    pipeline::WriteNifti({ AsFloat(renderer.SampleLabels(g, none, anatomy.lesionDwi)) },
                         truthFolder / "lesion_dwi.nii.gz");
    pipeline::WriteNifti({ AsFloat(renderer.SampleLabels(g, none, CsfIn(anatomy, anatomy.cisterns))) },
                         truthFolder / "cisterns.nii.gz");
    if (anatomy.infarctCore)
      pipeline::WriteNifti({ AsFloat(renderer.SampleLabels(g, none, anatomy.infarctCore)) },
                           truthFolder / "infarct_core.nii.gz");
    logStep("T2 series and truth maps");
  }
  WriteFlair(output, geometries.flair, flairMotion, protocol.flair3dSagittal ? Kind::Flair3d : Kind::Flair);
  logStep("FLAIR series");
  WriteDiffusion(output, geometries.dwi, dwiMotion, centre);
  logStep("DWI and ADC series");

  study.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const PhantomTruthContext context{ params, realised, anatomy, study, pose.GetPointer(), tilt, m_Source, vary };
  pipeline::WriteTextFileAtomically(truthFolder / "truth.json", PhantomTruthJson(context));
  spdlog::info("phantom: {} study{} written to {} in {:.1f} s", sessionCase.name,
               sessionInfo.folder.empty() ? "" : " (" + sessionInfo.folder + ")", folder.string(), study.seconds);
  return study;
}

} // namespace icanscan::synthetic
