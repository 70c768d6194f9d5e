#include "pipeline/oedema/OedemaMarkers.h"

#include "core/Error.h"
#include "filters/MaskMorphology.h"
#include "pipeline/geometry/StructureLabels.h"
#include "pipeline/oedema/CsfFraction.h"
#include "pipeline/oedema/HyperintenseExtent.h"
#include "pipeline/oedema/SeptumMidline.h"

#include "itkMatrixOffsetTransformBase.h"
#include "vnl/vnl_det.h"

#include <algorithm>
#include <cmath>

namespace icanscan::pipeline
{
namespace
{
using Mask = OedemaInput::Mask;
using Point = itk::Point<double, 3>;

std::vector<std::size_t> LabelCounts(const Mask * labels)
{
  std::vector<std::size_t> counts(256, 0);
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    ++counts[labels->GetBufferPointer()[i]];
  return counts;
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

/** Where the deformable transforms of the composite (all but the first, the affine) take `p`. */
Point DeformablePart(const itk::CompositeTransform<double, 3> & transform, Point p)
{
  // A composite applies its transforms from the last added to the first.
  for (auto k = transform.GetNumberOfTransforms(); k > 1; --k)
    p = transform.GetNthTransformConstPointer(k - 1)->TransformPoint(p);
  return p;
}

/** Mean Jacobian determinant over every `stride`-th voxel of `region`. */
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

CsfFractionMap SubjectCsf(const OedemaInput & in)
{
  if (in.adcUm2s)
    return MeasureCsfFraction(in.adcUm2s, true, in.tissue, in.brainMask, in.hyperintense, "the ADC");
  if (in.csfImage)
    return MeasureCsfFraction(in.csfImage, in.csfImageBright, in.tissue, in.brainMask, in.hyperintense,
                              in.csfImageSequence.empty() ? "the reference" : in.csfImageSequence);
  return CsfFractionFromClasses(in.tissue, in.brainMask);
}

/** CSF of the atlas (ml) in its ventricle region, in its basal-cistern region and elsewhere (sulci), and the cistern
 * region's volume, measured with the same partial-volume mix on its T1. */
struct AtlasCsf
{
  double ventricleMl = 0, sulcalMl = 0, cisternMl = 0, cisternRegionMl = 0, brainMl = 0;
};

AtlasCsf MeasureAtlasCsf(const Atlas & atlas, const BasalCisternRegion & cisterns, double ventricleRegionMm)
{
  const auto * brain = atlas.brainMask.GetPointer();
  const auto map = MeasureCsfFraction(atlas.t1, false, atlas.tissue, brain, nullptr, "the atlas T1");
  const auto region = VentricleRegion(atlas.labels, brain, ventricleRegionMm);
  const double ml = filters::VoxelVolumeMl(brain);
  AtlasCsf out;
  for (std::size_t i = 0; i < map.fraction.size(); ++i)
  {
    if (!brain->GetBufferPointer()[i])
      continue;
    out.brainMl += ml;
    const double f = map.fraction[i] * ml;
    if (region->GetBufferPointer()[i])
      out.ventricleMl += f;
    else if (cisterns.Contains(filters::PointOfOffset(brain, i)))
    {
      out.cisternMl += f;
      out.cisternRegionMl += ml;
    }
    else
      out.sulcalMl += f;
  }
  return out;
}

/** The other side's structure of a "_left" / "_right" key, or null. */
const StructureInfo * Counterpart(const std::string & key)
{
  std::string other;
  if (key.size() > 5 && key.compare(key.size() - 5, 5, "_left") == 0)
    other = key.substr(0, key.size() - 5) + "_right";
  else if (key.size() > 6 && key.compare(key.size() - 6, 6, "_right") == 0)
    other = key.substr(0, key.size() - 6) + "_left";
  for (const auto & info : AllStructures())
    if (other == info.key)
      return &info;
  return nullptr;
}

bool IsInvolved(const OedemaInput & in, const std::string & key)
{
  const auto it = in.involved.find(key);
  return it != in.involved.end() && it->second;
}

/** Swelling of the involved structures: against the local atlas expectation (the registration's volume change in a
 * shell around the structure; a pair involved on both sides together), and against the uninvolved counterpart when
 * only one side is involved. */
void MeasureSwelling(const OedemaInput & in,
                     const Atlas & atlas,
                     const std::vector<std::size_t> & counts,
                     const std::vector<std::size_t> & atlasCounts,
                     OedemaMarkers & m)
{
  const double voxelMl = filters::VoxelVolumeMl(in.labels);
  const double atlasVoxelMl = filters::VoxelVolumeMl(atlas.labels);
  for (const auto & info : AllStructures())
  {
    const auto s = info.structure;
    if (s == Structure::WhiteMatterLeft || s == Structure::WhiteMatterRight || s == Structure::LateralVentricles)
      continue;
    if (!IsInvolved(in, info.key))
      continue;
    const double labelMl = static_cast<double>(counts[static_cast<std::size_t>(s)]) * voxelMl;
    const StructureInfo * pair = Counterpart(info.key);
    const bool bothSides = pair && IsInvolved(in, pair->key);
    // Both sides involved: the whole hyperintense structure, which the registration shrinks back (reachMm); one side
    // or midline: the lesion within 3 mm of the label, as the side-to-side and atlas rules were validated on.
    HyperintenseExtentParams extent;
    if (!bothSides)
      extent.reachMm = 3.0;
    const double extentMl = HyperintenseStructureMl(
      in.labels, in.hyperintense, s, pair ? std::optional<Structure>(pair->structure) : std::nullopt, extent);
    const double measured = std::max(labelMl, extentMl);
    m.structureMl[info.key] = measured;
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
    if (expected > 0)
      m.swellingPct[info.key] = 100.0 * (measured / expected - 1.0);
    if (!pair || bothSides)
      continue;
    const double otherMl = static_cast<double>(counts[static_cast<std::size_t>(pair->structure)]) * voxelMl;
    if (otherMl > 0)
      m.contralateralSwellingPct[info.key] = 100.0 * (measured / otherMl - 1.0);
  }
  // A pair involved on both sides is judged as a pair: its two volumes against its two expectations, so neither side's
  // normal asymmetry nor one side's registration error decides alone.
  for (const auto & info : AllStructures())
  {
    const StructureInfo * pair = Counterpart(info.key);
    if (!pair || !m.swellingPct.count(info.key) || !m.swellingPct.count(pair->key))
      continue;
    const double expected = m.expectedVolumeMl[info.key] + m.expectedVolumeMl[pair->key];
    if (expected > 0)
      m.swellingPct[info.key] = 100.0 * ((m.structureMl[info.key] + m.structureMl[pair->key]) / expected - 1.0);
  }
}
} // namespace

OedemaMarkers MeasureOedemaMarkers(const OedemaInput & in, const OedemaParams & params)
{
  if (!in.labels || !in.tissue || !in.brainMask || !in.subjectToAtlas || !in.atlas || !in.hyperintense)
    throw InputError("oedema markers: a required input (labels, tissue, brain mask, lesions, transform, atlas) is "
                     "missing");
  OedemaMarkers m;
  const Atlas & atlas = *in.atlas;
  const double voxelMl = filters::VoxelVolumeMl(in.labels);
  const double atlasVoxelMl = filters::VoxelVolumeMl(atlas.labels);
  const auto counts = LabelCounts(in.labels);
  const auto atlasCounts = LabelCounts(atlas.labels);
  const double atlasIcv = static_cast<double>(LabelCounts(atlas.brainMask)[1]) * atlasVoxelMl;
  m.intracranialMl = static_cast<double>(LabelCounts(in.brainMask)[1]) * voxelMl;
  const double scale = m.intracranialMl / atlasIcv; // expected subject volume = atlas volume x this
  m.greyWhiteContrast = in.greyWhiteContrast;

  // CSF as a partial-volume fraction (ADC, else T2/FLAIR, else the CSF class), on the atlas the same way on its T1.
  // The ventricles are the CSF near where the atlas puts them, the cisterns the CSF in the atlas's basal-cistern box,
  // the sulci the rest of the brain.
  const auto csf = SubjectCsf(in);
  m.csfMethod = csf.method;
  const auto cisterns = PlaceBasalCisterns(atlas, params.cisterns);
  const auto atlasCsf = MeasureAtlasCsf(atlas, cisterns, params.ventricleRegionMm);
  const auto region =
    VentricleRegion(in.propagatedLabels ? in.propagatedLabels : in.labels, in.brainMask, params.ventricleRegionMm);
  const double midlineX = AtlasMidlineX(atlas);
  double ventricles = 0, sulci = 0, cisternCsf = 0, cisternRegion = 0;
  std::array<double, 2> ventricleBySide{ 0, 0 }, csfBySide{ 0, 0 }, lesionBySide{ 0, 0 }; // left, right
  const std::size_t n = in.labels->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!in.brainMask->GetBufferPointer()[i])
      continue;
    const Point atlasPoint = in.subjectToAtlas->TransformPoint(filters::PointOfOffset(in.labels, i));
    const std::size_t side = atlasPoint[0] > midlineX ? 0 : 1;
    const double f = csf.fraction[i] * voxelMl;
    if (in.hyperintense->GetBufferPointer()[i])
      lesionBySide[side] += voxelMl;
    if (region->GetBufferPointer()[i])
    {
      ventricles += f;
      ventricleBySide[side] += f;
      csfBySide[side] += f;
    }
    else if (cisterns.Contains(atlasPoint))
    {
      cisternCsf += f;
      cisternRegion += voxelMl;
    }
    else
    {
      sulci += f;
      csfBySide[side] += f;
    }
  }
  m.ventricleMl = ventricles;
  m.ventricleExpectedMl = atlasCsf.ventricleMl * scale;
  m.ventricleRatio = m.ventricleMl / m.ventricleExpectedMl;
  m.sulcalCsfMl = sulci;
  m.sulcalCsfExpectedMl = atlasCsf.sulcalMl * scale;
  m.sulcalRatio = m.sulcalCsfMl / m.sulcalCsfExpectedMl;
  m.cisternCsfMl = cisternCsf;
  m.cisternCsfExpectedMl = atlasCsf.cisternMl * scale;
  m.cisternCoverage = atlasCsf.cisternRegionMl > 0 ? cisternRegion / (atlasCsf.cisternRegionMl * scale) : 0.0;
  if (m.cisternCoverage >= params.minCisternCoverage && m.cisternCsfExpectedMl > 0)
    m.cisternRatio = m.cisternCsfMl / m.cisternCsfExpectedMl;
  m.ventricleLeftMl = ventricleBySide[0];
  m.ventricleRightMl = ventricleBySide[1];
  const double larger = std::max(m.ventricleLeftMl, m.ventricleRightMl);
  m.ventricleAsymmetry = larger > 0 ? std::min(m.ventricleLeftMl, m.ventricleRightMl) / larger : NAN;
  m.hemisphereCsfLeftMl = csfBySide[0];
  m.hemisphereCsfRightMl = csfBySide[1];
  m.lesionLeftMl = lesionBySide[0];
  m.lesionRightMl = lesionBySide[1];

  // Midline: the septum against the skull midline measures the shift itself; the registration's displacement at the
  // corpus callosum body is the fallback (it smooths a local push away).
  const auto * affine = dynamic_cast<const itk::MatrixOffsetTransformBase<double, 3, 3> *>(
    in.subjectToAtlas->GetNthTransformConstPointer(0));
  if (affine && in.subjectToAtlas->GetNumberOfTransforms() > 1)
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
  }

  for (const auto & info : AllStructures())
    if (info.structure != Structure::LateralVentricles)
      m.expectedVolumeMl[info.key] =
        static_cast<double>(atlasCounts[static_cast<std::size_t>(info.structure)]) * atlasVoxelMl * scale;
  MeasureSwelling(in, atlas, counts, atlasCounts, m);
  return m;
}

} // namespace icanscan::pipeline
