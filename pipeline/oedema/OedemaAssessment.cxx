#include "pipeline/oedema/OedemaAssessment.h"

#include "core/JsonNumber.h"
#include "core/TextFormat.h"
#include "filters/ImageTypes.h"
#include "filters/MaskMorphology.h"
#include "filters/ParamCheck.h"

#include "itkMatrixOffsetTransformBase.h"
#include "vnl/vnl_det.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
using Mask = OedemaInput::Mask;
using Point = itk::Point<double, 3>;
constexpr unsigned char kCsf = 1;

std::vector<std::size_t> LabelCounts(const Mask * labels)
{
  std::vector<std::size_t> counts(256, 0);
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    ++counts[labels->GetBufferPointer()[i]];
  return counts;
}

/** CSF of the ventricles (inside `region`) and of the sulci (the rest of the brain mask), in voxels. */
std::pair<std::size_t, std::size_t> CsfVoxels(const std::vector<unsigned char> & csf,
                                              const Mask * brain,
                                              const Mask * region)
{
  std::size_t ventricles = 0, sulci = 0;
  for (std::size_t i = 0; i < csf.size(); ++i)
  {
    if (!csf[i] || !brain->GetBufferPointer()[i])
      continue;
    (region->GetBufferPointer()[i] ? ventricles : sulci) += 1;
  }
  return { ventricles, sulci };
}

/** Where the lateral ventricles are expected: their label grown by `mm`, in the brain. */
Mask::Pointer VentricleRegion(const Mask * labels, const Mask * brain, double mm)
{
  auto region =
    filters::DilateMm(filters::SelectValues(labels, { static_cast<unsigned char>(Structure::LateralVentricles) }), mm);
  for (std::size_t i = 0; i < region->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    region->GetBufferPointer()[i] = region->GetBufferPointer()[i] && brain->GetBufferPointer()[i];
  return region;
}

double Median(std::vector<double> values)
{
  if (values.empty())
    return NAN;
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

/** Atlas x of the midline: mean x of the atlas corpus callosum body. */
double AtlasMidlineX(const Atlas & atlas)
{
  const auto * labels = atlas.labels.GetPointer();
  double sum = 0;
  std::size_t count = 0;
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    if (labels->GetBufferPointer()[i] == static_cast<unsigned char>(Structure::CorpusCallosumBody))
    {
      sum += filters::PointOfOffset(labels, i)[0];
      ++count;
    }
  return count ? sum / static_cast<double>(count) : 0.0;
}

/** Lesion voxels near a structure: in it, or within 3 mm of it on voxels not claimed by another grey structure. */
double LesionVolumeNear(const Mask * labels, const Mask * lesions, Structure s)
{
  auto own = filters::SelectValues(labels, { static_cast<unsigned char>(s) });
  const auto near = filters::DilateMm(own, 3.0);
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!near->GetBufferPointer()[i] || !lesions->GetBufferPointer()[i])
      continue;
    const auto other = static_cast<Structure>(labels->GetBufferPointer()[i]);
    const bool claimed = other != s && other != Structure::Background && other != Structure::WhiteMatterLeft &&
                         other != Structure::WhiteMatterRight && other != Structure::LateralVentricles;
    count += !claimed;
  }
  return static_cast<double>(count) * filters::VoxelVolumeMl(labels);
}

/** Determinant of the subject -> atlas Jacobian at p (central differences, 1 mm): atlas volume per subject volume. */
double JacobianDeterminant(const itk::Transform<double, 3, 3> * t, const Point & p)
{
  vnl_matrix_fixed<double, 3, 3> j;
  for (unsigned c = 0; c < 3; ++c)
  {
    Point a = p, b = p;
    a[c] -= 0.5;
    b[c] += 0.5;
    const auto d = t->TransformPoint(b) - t->TransformPoint(a);
    for (unsigned r = 0; r < 3; ++r)
      j(r, c) = d[r];
  }
  return vnl_det(j);
}

/** Mean Jacobian determinant over the voxels of `region` (every `stride`-th). */
/** Where the deformable transforms of the composite (all but the first, the affine) take `p`. */
Point DeformablePart(const itk::CompositeTransform<double, 3> & transform, Point p)
{
  // A composite applies its transforms from the last added to the first.
  for (auto k = transform.GetNumberOfTransforms(); k > 1; --k)
    p = transform.GetNthTransformConstPointer(k - 1)->TransformPoint(p);
  return p;
}

double MeanJacobian(const itk::Transform<double, 3, 3> * t, const Mask * region, std::size_t stride)
{
  double sum = 0;
  std::size_t count = 0;
  const std::size_t n = region->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; i += 1)
    if (region->GetBufferPointer()[i] && (i % stride) == 0)
    {
      sum += JacobianDeterminant(t, filters::PointOfOffset(region, i));
      ++count;
    }
  return count ? sum / static_cast<double>(count) : NAN;
}
} // namespace

const SettingSection<OedemaParams> & OedemaSettings()
{
  using P = OedemaParams;
  using B = SettingBound<P>;
  static const SettingSection<P> section{
    "oedema",
    { { "swelling_pct", &P::swellingPct, 12.0, B{ 0 }, B{ 200 }, "%",
        "a T2/FLAIR-involved structure (either side alone) at least this much larger than its local atlas "
        "expectation: focal" },
      { "midline_shift_mm", &P::midlineShiftMm, 2.0, B{ 0, true }, B{ 50 }, "mm",
        "septum pellucidum (else the registration at the corpus callosum body) shifted at least this, away from a "
        "mainly one-sided lesion (see `min_ipsilateral_lesion_ml`): focal" },
      { "large_midline_shift_mm", &P::largeMidlineShiftMm, 5.0, B{ 0, true }, B{ 50 }, "mm",
        "a shift at least this counts on its own: focal" },
      { "ventricle_asymmetry_max", &P::ventricleAsymmetryMax, 0.7, B{ 0, true }, B{ 1 }, "ratio",
        "smaller / larger lateral ventricle at most this, with `min_ipsilateral_lesion_ml` of lesion on the smaller "
        "side: focal" },
      { "ventricle_ratio_max", &P::ventricleRatioMax, 0.7, B{ 0, true }, B{ 1 }, "ratio",
        "lateral ventricles / expected for this head at most this ..." },
      { "sulcal_ratio_max", &P::sulcalRatioMax, 0.6, B{ 0, true }, B{ 1 }, "ratio",
        "... AND sulcal CSF / expected at most this: diffuse" },
      { "baseline_ventricle_change_pct", &P::baselineVentricleChangePct, -25, B{ -100 }, B{ 0, true }, "%",
        "with `--baseline`: ventricles shrank by at least this much ..." },
      { "baseline_sulcal_change_pct", &P::baselineSulcalChangePct, -25, B{ -100 }, B{ 0, true }, "%",
        "... AND sulcal CSF too: diffuse" },
      { "min_ipsilateral_lesion_ml", &P::minIpsilateralLesionMl, 2.0, B{ 0 }, B{ 1000 }, "ml",
        "T2/FLAIR lesion in the hemisphere of the smaller ventricle (`ventricle_asymmetry_max`), or on the side the "
        "septum moves away from (`midline_shift_mm`)" },
      { "csf_adc_um2s", &P::csfAdcUm2s, 1900, B{ 1000 }, B{ 3500 }, "µm²/s",
        "CSF for the ventricle and sulcal markers: ADC above this (tissue class without diffusion)" },
      { "ventricle_region_mm", &P::ventricleRegionMm, 4, B{ 0 }, B{ 20 }, "mm",
        "ventricular CSF: within this of the propagated atlas ventricles" },
      { "ventricle_calibration", &P::ventricleCalibration, 0.9, B{ 0, true }, B{ 10 }, "ratio",
        "measured / atlas ventricular CSF on normal studies (resolution and contrast differ)" },
      { "sulcal_calibration", &P::sulcalCalibration, 0.8, B{ 0, true }, B{ 10 }, "ratio", "the same for sulcal CSF" } }
  };
  return section;
}

OedemaParams::OedemaParams()
{
  ApplySettingDefaults(*this, OedemaSettings());
}

void ValidateOedemaParams(const OedemaParams & p)
{
  ValidateSettings(p, OedemaSettings());
}

OedemaAssessment AssessOedema(const OedemaInput & in,
                              const OedemaParams & params,
                              const std::optional<OedemaBaseline> & baseline)
{
  ValidateOedemaParams(params);
  OedemaAssessment result;
  if (!in.labels || !in.tissue || !in.brainMask || !in.subjectToAtlas || !in.atlas)
  {
    result.notes.push_back("no structure segmentation: oedema not assessable");
    return result;
  }
  if (!in.hyperintense)
  {
    result.notes.push_back("no usable T2 or FLAIR: oedema not assessable");
    return result;
  }
  OedemaMarkers & m = result.markers;
  const Atlas & atlas = *in.atlas;
  const double voxelMl = filters::VoxelVolumeMl(in.labels);
  const double atlasVoxelMl = filters::VoxelVolumeMl(atlas.labels);
  const auto counts = LabelCounts(in.labels);
  const auto atlasCounts = LabelCounts(atlas.labels);
  const auto brainCounts = LabelCounts(in.brainMask);
  const auto atlasBrainCounts = LabelCounts(atlas.brainMask);
  const double atlasIcv = static_cast<double>(atlasBrainCounts[1]) * atlasVoxelMl;
  m.intracranialMl = static_cast<double>(brainCounts[1]) * voxelMl;
  const double scale = m.intracranialMl / atlasIcv; // expected subject volume = atlas volume x this

  // CSF by its ADC when there is one (lesions never reach it, whatever they do to T2), else by tissue class; the
  // ventricles are the CSF near where the atlas puts them, the sulci the rest. The atlas side is measured the same way
  // on its own tissue classes; calibration factors absorb the difference of resolution and contrast.
  const std::size_t n = in.labels->GetLargestPossibleRegion().GetNumberOfPixels();
  std::vector<unsigned char> csf(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    csf[i] =
      in.adcUm2s ? in.adcUm2s->GetBufferPointer()[i] > params.csfAdcUm2s : in.tissue->GetBufferPointer()[i] == kCsf;
  result.notes.push_back(in.adcUm2s ? "CSF: ADC above " + FormatFixed(params.csfAdcUm2s, 0) + " µm²/s"
                                    : "CSF: the reference's CSF tissue class (no ADC)");
  const auto region =
    VentricleRegion(in.propagatedLabels ? in.propagatedLabels : in.labels, in.brainMask, params.ventricleRegionMm);
  const auto [ventricleVoxels, sulcalVoxels] = CsfVoxels(csf, in.brainMask, region);
  std::vector<unsigned char> atlasCsf(atlas.tissue->GetLargestPossibleRegion().GetNumberOfPixels());
  for (std::size_t i = 0; i < atlasCsf.size(); ++i)
    atlasCsf[i] = atlas.tissue->GetBufferPointer()[i] == kCsf;
  const auto [atlasVentricles, atlasSulci] =
    CsfVoxels(atlasCsf, atlas.brainMask, VentricleRegion(atlas.labels, atlas.brainMask, params.ventricleRegionMm));
  m.ventricleMl = static_cast<double>(ventricleVoxels) * voxelMl;
  m.ventricleExpectedMl = static_cast<double>(atlasVentricles) * atlasVoxelMl * scale * params.ventricleCalibration;
  m.ventricleRatio = m.ventricleMl / m.ventricleExpectedMl;
  m.sulcalCsfMl = static_cast<double>(sulcalVoxels) * voxelMl;
  m.sulcalCsfExpectedMl = static_cast<double>(atlasSulci) * atlasVoxelMl * scale * params.sulcalCalibration;
  m.sulcalRatio = m.sulcalCsfMl / m.sulcalCsfExpectedMl;
  m.greyWhiteContrast = in.greyWhiteContrast;

  // Sides and midline through the registration: the affine places the expected midline, the B-spline the real one.
  const auto * affine = dynamic_cast<const itk::MatrixOffsetTransformBase<double, 3, 3> *>(
    in.subjectToAtlas->GetNthTransformConstPointer(0));
  const bool deformable = in.subjectToAtlas->GetNumberOfTransforms() > 1;
  const double midlineX = AtlasMidlineX(atlas);
  std::array<double, 2> lesionBySide{ 0, 0 }; // left, right
  {
    std::size_t left = 0, right = 0;
    for (std::size_t i = 0; i < n; ++i)
    {
      const bool ventricle = csf[i] && region->GetBufferPointer()[i] && in.brainMask->GetBufferPointer()[i];
      const bool lesion = in.hyperintense->GetBufferPointer()[i] != 0;
      if (!ventricle && !lesion)
        continue;
      const bool isLeft = in.subjectToAtlas->TransformPoint(filters::PointOfOffset(in.labels, i))[0] > midlineX;
      if (ventricle)
        (isLeft ? left : right) += 1;
      if (lesion)
        lesionBySide[isLeft ? 0 : 1] += voxelMl;
    }
    m.ventricleLeftMl = static_cast<double>(left) * voxelMl;
    m.ventricleRightMl = static_cast<double>(right) * voxelMl;
    const double larger = std::max(m.ventricleLeftMl, m.ventricleRightMl);
    m.ventricleAsymmetry = larger > 0 ? std::min(m.ventricleLeftMl, m.ventricleRightMl) / larger : NAN;
  }
  if (affine && deformable)
  {
    const auto inverse = affine->GetMatrix().GetInverse();
    itk::Vector<double, 3> u;
    for (unsigned r = 0; r < 3; ++r)
      u[r] = inverse(r, 0);
    u.Normalize();
    std::vector<double> shifts;
    const auto body = static_cast<unsigned char>(Structure::CorpusCallosumBody);
    for (std::size_t i = 0; i < n; ++i)
      if (in.labels->GetBufferPointer()[i] == body && i % 7 == 0)
      {
        const Point p = filters::PointOfOffset(in.labels, i);
        shifts.push_back(-((DeformablePart(*in.subjectToAtlas, p) - p) * u));
      }
    m.midlineShiftRegistrationMm = Median(shifts);
  }
  // The septum against the skull midline measures the shift itself; the registration smooths a local push away.
  const auto septum = MeasureSeptumShift(in.labels, static_cast<unsigned char>(Structure::LateralVentricles),
                                         in.brainMask, in.subjectToAtlas, midlineX, params.septum);
  m.septumRows = septum.rows;
  if (std::isfinite(septum.shiftMm))
  {
    m.midlineShiftMm = septum.shiftMm;
    m.midlineMethod = "septum";
  }
  else if (std::isfinite(m.midlineShiftRegistrationMm))
  {
    m.midlineShiftMm = m.midlineShiftRegistrationMm;
    m.midlineMethod = "registration";
    result.notes.push_back("septum pellucidum not seen on enough rows (" + std::to_string(septum.rows) +
                           "): midline shift from the atlas registration at the corpus callosum body");
  }
  else
    result.notes.push_back("midline shift not measured: septum not seen and no deformable atlas registration");

  for (const auto & info : AllStructures())
  {
    if (info.structure == Structure::LateralVentricles)
      continue;
    const auto s = static_cast<std::size_t>(info.structure);
    m.expectedVolumeMl[info.key] = static_cast<double>(atlasCounts[s]) * atlasVoxelMl * scale;
  }

  // Focal: swelling of involved structures (deep grey, hippocampi, callosum; white matter swells as a whole only).
  bool focal = false, diffuse = false;
  for (const auto & info : AllStructures())
  {
    const auto s = info.structure;
    if (s == Structure::WhiteMatterLeft || s == Structure::WhiteMatterRight || s == Structure::LateralVentricles)
      continue;
    const auto it = in.involved.find(info.key);
    if (it == in.involved.end() || !it->second)
      continue;
    const double labelMl = static_cast<double>(counts[static_cast<std::size_t>(s)]) * voxelMl;
    const double lesionMl = LesionVolumeNear(in.labels, in.hyperintense, s);
    const double measured = std::max(labelMl, lesionMl);
    // Local expectation: the atlas structure scaled by the registration's volume change in a shell around it.
    auto own = filters::SelectValues(in.labels, { static_cast<unsigned char>(s) });
    auto shell = filters::DilateMm(own, 20.0);
    const auto inner = filters::DilateMm(own, 6.0);
    for (std::size_t i = 0; i < shell->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
      shell->GetBufferPointer()[i] = shell->GetBufferPointer()[i] && !inner->GetBufferPointer()[i] &&
                                     in.brainMask->GetBufferPointer()[i] && !in.hyperintense->GetBufferPointer()[i];
    const double jShell = MeanJacobian(in.subjectToAtlas, shell, 5);
    const double atlasMl = static_cast<double>(atlasCounts[static_cast<std::size_t>(s)]) * atlasVoxelMl;
    if (std::isfinite(jShell) && jShell > 0)
      m.expectedVolumeMl[info.key] = atlasMl / jShell;
    const double expected = m.expectedVolumeMl[info.key];
    if (!(expected > 0))
      continue;
    const double pct = 100.0 * (measured / expected - 1.0);
    m.swellingPct[info.key] = pct;
    if (pct >= params.swellingPct)
    {
      focal = true;
      result.reasons.push_back({ std::string("swelling_pct.") + info.key, pct, params.swellingPct,
                                 std::string(info.name) + " hyperintense and " + FormatFixed(pct, 1) +
                                   " % larger than " + "expected for this head (" + FormatFixed(measured, 1) + " vs " +
                                   FormatFixed(expected, 1) + " ml): local swelling" });
    }
  }
  if (std::isfinite(m.midlineShiftMm) && std::abs(m.midlineShiftMm) >= params.midlineShiftMm)
  {
    // Mass effect pushes the midline away from the lesion: towards the left (+) means a right-sided lesion.
    const bool towardsLeft = m.midlineShiftMm > 0;
    const double away = lesionBySide[towardsLeft ? 1 : 0];
    const double other = lesionBySide[towardsLeft ? 0 : 1];
    const bool pushed = away >= params.minIpsilateralLesionMl && away >= 2.0 * other;
    if (pushed || std::abs(m.midlineShiftMm) >= params.largeMidlineShiftMm)
    {
      focal = true;
      result.reasons.push_back(
        { "midline_shift_mm", m.midlineShiftMm, pushed ? params.midlineShiftMm : params.largeMidlineShiftMm,
          std::string(m.midlineMethod == "septum" ? "septum pellucidum"
                                                  : "midline (registration, corpus callosum body)") +
            " shifted " + FormatFixed(std::abs(m.midlineShiftMm), 1) + " mm towards the subject's " +
            (towardsLeft ? "left" : "right") +
            (pushed ? ", away from " + FormatFixed(away, 1) + " ml of hyperintensity on the " +
                        (towardsLeft ? "right" : "left")
                    : std::string()) +
            ": mass effect" });
    }
  }
  if (std::isfinite(m.ventricleAsymmetry) && m.ventricleAsymmetry <= params.ventricleAsymmetryMax)
  {
    const bool leftSmaller = m.ventricleLeftMl < m.ventricleRightMl;
    const double ipsilateral = lesionBySide[leftSmaller ? 0 : 1];
    if (ipsilateral >= params.minIpsilateralLesionMl)
    {
      focal = true;
      result.reasons.push_back({ "ventricle_asymmetry", m.ventricleAsymmetry, params.ventricleAsymmetryMax,
                                 std::string(leftSmaller ? "left" : "right") + " lateral ventricle compressed (" +
                                   FormatFixed(m.ventricleAsymmetry, 2) + " of the other side) with " +
                                   FormatFixed(ipsilateral, 1) + " ml of hyperintensity on that side: mass effect" });
    }
  }

  // Diffuse: ventricles and sulci compressed together, against the atlas or the baseline.
  if (m.ventricleRatio <= params.ventricleRatioMax && m.sulcalRatio <= params.sulcalRatioMax)
  {
    diffuse = true;
    result.reasons.push_back({ "ventricle_ratio", m.ventricleRatio, params.ventricleRatioMax,
                               "lateral ventricles " + FormatFixed(m.ventricleMl, 1) + " ml, " +
                                 FormatFixed(100 * m.ventricleRatio, 0) + " % of the " +
                                 FormatFixed(m.ventricleExpectedMl, 1) + " ml expected: compressed" });
    result.reasons.push_back({ "sulcal_ratio", m.sulcalRatio, params.sulcalRatioMax,
                               "sulcal CSF " + FormatFixed(m.sulcalCsfMl, 1) + " ml, " +
                                 FormatFixed(100 * m.sulcalRatio, 0) + " % of the " +
                                 FormatFixed(m.sulcalCsfExpectedMl, 1) + " ml expected: sulci effaced" });
  }
  if (baseline)
  {
    const double ventricleChange = 100.0 * (m.ventricleMl / baseline->markers.ventricleMl - 1.0);
    const double sulcalChange = 100.0 * (m.sulcalCsfMl / baseline->markers.sulcalCsfMl - 1.0);
    if (ventricleChange <= params.baselineVentricleChangePct && sulcalChange <= params.baselineSulcalChangePct)
    {
      diffuse = true;
      result.reasons.push_back({ "baseline_ventricle_change_pct", ventricleChange, params.baselineVentricleChangePct,
                                 "lateral ventricles " + FormatFixed(ventricleChange, 1) + " % since baseline" });
      result.reasons.push_back({ "baseline_sulcal_change_pct", sulcalChange, params.baselineSulcalChangePct,
                                 "sulcal CSF " + FormatFixed(sulcalChange, 1) + " % since baseline" });
    }
  }
  result.flag = diffuse ? OedemaFlag::Diffuse : focal ? OedemaFlag::Focal : OedemaFlag::None;
  if (result.flag == OedemaFlag::None)
    result.notes.push_back("no swelling, mass effect or global compression beyond the thresholds (signal change "
                           "alone is not oedema)");
  return result;
}

nlohmann::json ToJson(const OedemaAssessment & a)
{
  const auto & m = a.markers;
  nlohmann::json markers = { { "intracranial_ml", FiniteOrNull(m.intracranialMl) },
                             { "lateral_ventricles_ml", FiniteOrNull(m.ventricleMl) },
                             { "lateral_ventricles_expected_ml", FiniteOrNull(m.ventricleExpectedMl) },
                             { "ventricle_ratio", FiniteOrNull(m.ventricleRatio) },
                             { "lateral_ventricle_left_ml", FiniteOrNull(m.ventricleLeftMl) },
                             { "lateral_ventricle_right_ml", FiniteOrNull(m.ventricleRightMl) },
                             { "ventricle_asymmetry", FiniteOrNull(m.ventricleAsymmetry) },
                             { "sulcal_csf_ml", FiniteOrNull(m.sulcalCsfMl) },
                             { "sulcal_csf_expected_ml", FiniteOrNull(m.sulcalCsfExpectedMl) },
                             { "sulcal_ratio", FiniteOrNull(m.sulcalRatio) },
                             { "midline_shift_mm", FiniteOrNull(m.midlineShiftMm) },
                             { "midline_shift_method",
                               m.midlineMethod.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.midlineMethod) },
                             { "midline_shift_registration_mm", FiniteOrNull(m.midlineShiftRegistrationMm) },
                             { "septum_rows", m.septumRows },
                             { "grey_white_contrast", FiniteOrNull(m.greyWhiteContrast) } };
  for (const auto & [key, pct] : m.swellingPct)
    markers["swelling_pct"][key] = FiniteOrNull(pct);
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto & r : a.reasons)
    reasons.push_back(
      { { "marker", r.marker }, { "value", FiniteOrNull(r.value) }, { "threshold", r.threshold }, { "text", r.text } });
  return { { "flag", ToString(a.flag) }, { "markers", markers }, { "reasons", reasons }, { "notes", a.notes } };
}

} // namespace icanscan::pipeline
