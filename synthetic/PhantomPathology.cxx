#include "synthetic/PhantomPathology.h"

#include "filters/MaskMorphology.h"
#include "synthetic/CsfSpaces.h"
#include "synthetic/SurfaceMotion.h"

#include "itkSmoothingRecursiveGaussianImageFilter.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace icanscan::synthetic
{
namespace
{

using pipeline::Structure;
constexpr double kPi = 3.14159265358979323846;

double Smoothstep(double t)
{
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

TissueMaps Maps(PhantomAnatomy & a)
{
  return { a.labels.GetPointer(), a.head.GetPointer(), a.csf.GetPointer(), a.gm.GetPointer(), a.wm.GetPointer() };
}

/** A focal lesion's outline: a sphere whose radius varies smoothly with direction (lobulated, not a ball). */
struct FocalShape
{
  Vec3 centre{};
  std::array<double, 4> phase{};

  /** Radius factor in direction (dx, dy, dz): 1 +- about 0.4. */
  double Factor(double dx, double dy, double dz) const
  {
    const double azimuth = std::atan2(dy, dx);
    const double elevation = std::atan2(dz, std::sqrt(dx * dx + dy * dy));
    return 1.0 + 0.18 * std::sin(3.0 * azimuth + phase[0]) * std::cos(2.0 * elevation + phase[1]) +
           0.12 * std::sin(5.0 * azimuth + phase[2]) + 0.10 * std::sin(4.0 * elevation + phase[3]);
  }
  bool Inside(const Vec3 & p, double radius) const
  {
    const double dx = p[0] - centre[0], dy = p[1] - centre[1], dz = p[2] - centre[2];
    const double r = radius * Factor(dx, dy, dz);
    return dx * dx + dy * dy + dz * dz <= r * r;
  }
};

void DrawPhases(FocalShape & shape, std::mt19937 & rng)
{
  std::uniform_real_distribution<double> phase(0.0, 2.0 * kPi);
  for (auto & p : shape.phase)
    p = phase(rng);
}

/** A focal lesion centred on the structure's part 15-40 mm above the AC plane, position and outline from the seed. */
FocalShape MakeFocalShape(const LabelImage * labels, Structure structure, std::mt19937 & rng)
{
  auto region = filters::SelectValues(labels, { static_cast<unsigned char>(structure) });
  filters::KeepWhere(region, [](const std::array<double, 3> & p) { return p[2] >= 15.0 && p[2] <= 40.0; });
  FocalShape shape;
  shape.centre = filters::Centroid(region);
  std::uniform_real_distribution<double> jitter(-4.0, 4.0);
  for (auto & v : shape.centre)
    v += jitter(rng);
  DrawPhases(shape, rng);
  return shape;
}

/** A territorial lesion centred on a white-matter voxel of the structure 32-45 mm from the midline (under the
 * cortex of the middle cerebral artery's territory), 5-30 mm above the AC plane and within 25 mm of the thalamic
 * centre front to back, drawn from the seed. */
FocalShape MakeTerritoryShape(const LabelImage * labels, Structure structure, std::mt19937 & rng)
{
  auto region = filters::SelectValues(labels, { static_cast<unsigned char>(structure) });
  const double y0 =
    filters::Centroid(filters::SelectValues(labels, { static_cast<unsigned char>(Structure::ThalamusLeft),
                                                      static_cast<unsigned char>(Structure::ThalamusRight) }))[1];
  filters::KeepWhere(region,
                     [&](const std::array<double, 3> & p)
                     {
                       return std::abs(p[0]) >= 32.0 && std::abs(p[0]) <= 45.0 && p[2] >= 5.0 && p[2] <= 30.0 &&
                              std::abs(p[1] - y0) <= 25.0;
                     });
  std::vector<std::size_t> candidates;
  const unsigned char * r = region->GetBufferPointer();
  for (std::size_t i = 0; i < region->GetBufferedRegion().GetNumberOfPixels(); ++i)
    if (r[i])
      candidates.push_back(i);
  if (candidates.empty())
    throw std::logic_error("phantom: no white matter where a territorial lesion belongs");
  FocalShape shape;
  const auto p = filters::PointOfOffset(
    labels, candidates[std::uniform_int_distribution<std::size_t>(0, candidates.size() - 1)(rng)]);
  shape.centre = { p[0], p[1], p[2] };
  DrawPhases(shape, rng);
  return shape;
}

/** Which labels a lesion may cover: its structures, and for a territorial lesion the cortex (tissue without a
 * structure label). */
bool Allowed(const PhantomLesion & lesion, unsigned char label, unsigned char head, float csf)
{
  for (const auto s : lesion.structures)
    if (label == static_cast<unsigned char>(s))
      return true;
  return lesion.placement == LesionPlacement::Territory && label == 0 &&
         head == static_cast<unsigned char>(HeadTissue::Brain) && csf < 0.5f;
}

/** The voxels of a focal or territorial shape of `radius` that the lesion may cover (within a box around it). */
LabelImage::Pointer ShapeMask(const PhantomAnatomy & a,
                              const PhantomLesion & lesion,
                              const FocalShape & shape,
                              double radius)
{
  auto mask = filters::NewMaskLike(a.labels);
  const auto toIndex = Affine3::IndexToPhysical(a.labels).Inverse();
  const auto size = a.labels->GetLargestPossibleRegion().GetSize();
  const Vec3 c = toIndex(shape.centre);
  const double reach = 1.5 * radius / a.labels->GetSpacing()[0] + 1.0;
  std::array<long, 3> low{}, high{};
  for (unsigned d = 0; d < 3; ++d)
  {
    low[d] = std::max<long>(0, static_cast<long>(std::floor(c[d] - reach)));
    high[d] = std::min<long>(static_cast<long>(size[d]) - 1, static_cast<long>(std::ceil(c[d] + reach)));
  }
  const auto toPhysical = Affine3::IndexToPhysical(a.labels);
  for (long z = low[2]; z <= high[2]; ++z)
    for (long y = low[1]; y <= high[1]; ++y)
      for (long x = low[0]; x <= high[0]; ++x)
      {
        const std::size_t i = x + size[0] * (y + size[1] * z);
        if (!Allowed(lesion, a.labels->GetBufferPointer()[i], a.head->GetBufferPointer()[i],
                     a.csf->GetBufferPointer()[i]))
          continue;
        if (shape.Inside(toPhysical(Vec3{ double(x), double(y), double(z) }), radius))
          mask->GetBufferPointer()[i] = 1;
      }
  return mask;
}

double MaskMl(const LabelImage * mask)
{
  const auto & s = mask->GetSpacing();
  return filters::CountNonZero(mask) * s[0] * s[1] * s[2] / 1000.0;
}

/** The radius (bisection) whose shape mask holds `wantedMl`. */
double RadiusForVolume(const PhantomAnatomy & a,
                       const PhantomLesion & lesion,
                       const FocalShape & shape,
                       double wantedMl)
{
  double low = 3.0, high = 45.0;
  for (int iteration = 0; iteration < 18; ++iteration)
  {
    const double mid = 0.5 * (low + high);
    (MaskMl(ShapeMask(a, lesion, shape, mid)) < wantedMl ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

/** White matter of the lesion's structures deeper than 3.5 mm from the cortex (brain tissue without a label). */
LabelImage::Pointer DeepWhiteMatter(const PhantomAnatomy & a, const PhantomLesion & lesion)
{
  std::vector<unsigned char> values;
  for (const auto s : lesion.structures)
    values.push_back(static_cast<unsigned char>(s));
  auto mask = filters::SelectValues(a.labels, values);
  auto cortex = filters::NewMaskLike(a.labels);
  for (std::size_t i = 0; i < a.labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
    cortex->GetBufferPointer()[i] =
      a.labels->GetBufferPointer()[i] == 0 &&
          a.head->GetBufferPointer()[i] == static_cast<unsigned char>(HeadTissue::Brain) &&
          a.csf->GetBufferPointer()[i] < 0.5f
        ? 1
        : 0;
  const auto box = filters::ForegroundRegion(mask, 1.0);
  const auto distance = filters::DistanceMm(cortex, box);
  itk::ImageRegionIteratorWithIndex<LabelImage> it(mask, box);
  const float * d = distance->GetBufferPointer();
  for (std::size_t i = 0; !it.IsAtEnd(); ++it, ++i)
    if (it.Get() && d[i] < 3.5f)
      it.Set(0);
  return mask;
}

FloatImage::Pointer BlurredWeight(const LabelImage * mask)
{
  auto weight = FloatImage::New();
  weight->CopyInformation(mask);
  weight->SetRegions(mask->GetLargestPossibleRegion());
  weight->Allocate();
  const unsigned char * m = mask->GetBufferPointer();
  float * w = weight->GetBufferPointer();
  for (std::size_t i = 0; i < mask->GetBufferedRegion().GetNumberOfPixels(); ++i)
    w[i] = m[i] ? 1.0f : 0.0f;
  auto smooth = itk::SmoothingRecursiveGaussianImageFilter<FloatImage, FloatImage>::New();
  smooth->SetInput(weight);
  smooth->SetSigma(1.0);
  smooth->Update();
  return smooth->GetOutput();
}

/** Diffuse swelling: lateral ventricles to half, sulcal and subarachnoid CSF to 0.3, three quarters of the cisterns'
 * CSF replaced by swollen tissue. */
void ApplyDiffuseSwelling(PhantomAnatomy & a, std::vector<LabelImage::Pointer> & extra)
{
  SurfaceMotionParams compress;
  compress.volumeFactor = 0.5;
  std::string note;
  const auto field = MakeSurfaceField(
    filters::SelectValues(a.labels, { static_cast<unsigned char>(Structure::LateralVentricles) }), compress, note);
  DeformAnatomy(a, field, extra);
  a.notes.push_back("diffuse swelling: lateral ventricles " + note);
  const double delta = ScaleSulcalCsf(Maps(a), a.cisterns, 0.3);
  std::size_t effaced = 0;
  for (std::size_t i = 0; i < a.labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    if (!a.cisterns->GetBufferPointer()[i] || a.labels->GetBufferPointer()[i])
      continue;
    unsigned char & h = a.head->GetBufferPointer()[i];
    float & c = a.csf->GetBufferPointer()[i];
    float & g = a.gm->GetBufferPointer()[i];
    if (h == static_cast<unsigned char>(HeadTissue::ExternalCsf))
    {
      h = static_cast<unsigned char>(HeadTissue::Brain);
      c = 0.25f;
      g = 0.75f;
      ++effaced;
    }
    else if (h == static_cast<unsigned char>(HeadTissue::Brain) && c > 0.0f)
    {
      g += 0.75f * c;
      c *= 0.25f;
      ++effaced;
    }
  }
  std::ostringstream text;
  text << "diffuse swelling: sulcal and subarachnoid CSF narrowed by " << -delta << " mm (to 0.3 of its volume), "
       << effaced << " voxels of the basal cisterns three-quarters effaced";
  a.notes.push_back(text.str());
}

/** 1 on the lesion's side (sign of `sideX`) within 20 mm of `centre`, fading to 0 at 45 mm; 0 within 3 mm of the
 * midline and on the other side. */
std::function<double(const Vec3 &)> NearLesion(const Vec3 & centre, double sideX)
{
  return [centre, sideX](const Vec3 & p)
  {
    const double side = Smoothstep((p[0] * sideX - 3.0) / 5.0);
    const double d = std::sqrt((p[0] - centre[0]) * (p[0] - centre[0]) + (p[1] - centre[1]) * (p[1] - centre[1]) +
                               (p[2] - centre[2]) * (p[2] - centre[2]));
    return side * (1.0 - Smoothstep((d - 20.0) / 25.0));
  };
}

} // namespace

void DeformAnatomy(PhantomAnatomy & a, const DisplacementField & field, std::vector<LabelImage::Pointer> & extra)
{
  if (field.Empty())
    return;
  a.labels = PullBack(a.labels, field);
  a.head = PullBack(a.head, field);
  a.csf = PullBack(a.csf, field);
  a.gm = PullBack(a.gm, field);
  a.wm = PullBack(a.wm, field);
  if (a.cisterns)
    a.cisterns = PullBack(a.cisterns, field);
  if (a.infarctCore)
    a.infarctCore = PullBack(a.infarctCore, field);
  for (auto & mask : extra)
    mask = PullBack(mask, field);
}

DisplacementField CalibratedSwelling(const LabelImage * labels,
                                     const std::vector<std::pair<Structure, double>> & swellings,
                                     double falloffMm,
                                     std::vector<std::string> & notes)
{
  std::vector<LabelImage::Pointer> regions;
  std::vector<SwellingSource> sources;
  std::vector<double> wanted;
  for (const auto & [structure, percent] : swellings)
  {
    if (std::abs(percent) < 1e-9)
      continue;
    regions.push_back(filters::SelectValues(labels, { static_cast<unsigned char>(structure) }));
    sources.push_back({ regions.back(), percent, falloffMm });
    wanted.push_back(percent);
  }
  if (sources.empty())
    return {};
  const auto before = VolumesMl(labels);
  // The label resampling moves boundaries in steps, so the volume follows the percentage unevenly: secant steps per
  // structure (up to 6 rounds), keeping the best percentage found.
  const std::size_t count = sources.size();
  std::vector<double> previousApplied(count), previousGot(count), bestApplied(count), bestError(count, 1e9);
  std::vector<std::size_t> structureOf(count);
  {
    std::size_t i = 0;
    for (const auto & [structure, percent] : swellings)
      if (std::abs(percent) >= 1e-9)
        structureOf[i++] = static_cast<std::size_t>(structure);
  }
  for (int round = 0; round < 6; ++round)
  {
    const auto after = VolumesMl(PullBack(labels, MakeSwellingField(labels, sources)));
    bool done = true;
    for (std::size_t i = 0; i < count; ++i)
    {
      const double got = 100.0 * (after[structureOf[i]] / before[structureOf[i]] - 1.0);
      const double applied = sources[i].volumePercent;
      if (std::abs(got - wanted[i]) < bestError[i])
      {
        bestError[i] = std::abs(got - wanted[i]);
        bestApplied[i] = applied;
      }
      done = done && bestError[i] < 0.5;
      double next = 100.0 * ((1.0 + applied / 100.0) * (1.0 + wanted[i] / 100.0) / (1.0 + got / 100.0) - 1.0);
      if (round > 0 && std::abs(got - previousGot[i]) > 0.2)
        next = applied + (wanted[i] - got) * (applied - previousApplied[i]) / (got - previousGot[i]);
      previousApplied[i] = applied;
      previousGot[i] = got;
      sources[i].volumePercent = std::clamp(next, wanted[i] - 30.0, wanted[i] + 30.0);
    }
    if (done)
      break;
  }
  for (std::size_t i = 0; i < count; ++i)
    sources[i].volumePercent = bestApplied[i];
  std::ostringstream note;
  note << "swelling calibrated on the labels:";
  for (std::size_t i = 0; i < count; ++i)
    note << " " << pipeline::Info(static_cast<Structure>(structureOf[i])).key << " " << wanted[i] << " % asked, "
         << sources[i].volumePercent << " % applied (within " << bestError[i] << " %);";
  notes.push_back(note.str());
  return MakeSwellingField(labels, sources);
}

double MidlineShift(const DisplacementField & field, const LabelImage * labels)
{
  if (field.Empty())
    return 0.0;
  const auto body =
    filters::Centroid(filters::SelectValues(labels, { static_cast<unsigned char>(Structure::CorpusCallosumBody) }));
  double shift = 0.0;
  for (double dy : { -10.0, 0.0, 10.0 })
    for (double dz : { -12.0, -6.0, 0.0 })
    {
      const Vec3 m{ 0.0, body[1] + dy, body[2] + dz };
      const double dx = field.Invert(m)[0] - m[0];
      if (std::abs(dx) > std::abs(shift))
        shift = dx;
    }
  return shift;
}

void ApplyPathology(PhantomAnatomy & a, const PhantomCase & c, const LabelImage * brainMask, std::mt19937 & focalRng)
{
  std::vector<LabelImage::Pointer> lesions;
  if (c.diffuseSwelling)
    ApplyDiffuseSwelling(a, lesions);

  // Lesions are defined on the current subject, then deformed together with it.
  LabelImage::Pointer focalRegion;
  Vec3 focalCentre{};
  for (const auto & lesion : c.lesions)
  {
    LabelImage::Pointer mask;
    if (lesion.placement == LesionPlacement::Focal || lesion.placement == LesionPlacement::Territory)
    {
      const bool territory = lesion.placement == LesionPlacement::Territory;
      const FocalShape shape = territory ? MakeTerritoryShape(a.labels, lesion.structures.front(), focalRng)
                                         : MakeFocalShape(a.labels, lesion.structures.front(), focalRng);
      const double radius = territory ? RadiusForVolume(a, lesion, shape, lesion.volumeMl.first) : lesion.focalRadiusMm;
      mask = ShapeMask(a, lesion, shape, radius);
      focalRegion = mask;
      focalCentre = shape.centre;
      std::ostringstream note;
      note << (territory ? "territorial" : "focal") << " lesion '" << lesion.name << "' centred at LPS ("
           << shape.centre[0] << ", " << shape.centre[1] << ", " << shape.centre[2] << ") mm, radius " << radius
           << " mm, " << MaskMl(mask) << " ml";
      a.notes.push_back(note.str());
      if (lesion.coreFraction > 0.0)
      {
        // Encephalomalacia: the core is CSF without a structure; the rest of the territory is the gliotic lesion.
        a.infarctCore = ShapeMask(a, lesion, shape, radius * lesion.coreFraction);
        for (std::size_t i = 0; i < mask->GetBufferedRegion().GetNumberOfPixels(); ++i)
        {
          if (!a.infarctCore->GetBufferPointer()[i])
            continue;
          mask->GetBufferPointer()[i] = 0;
          a.labels->GetBufferPointer()[i] = 0;
          a.csf->GetBufferPointer()[i] = 1.0f;
          a.gm->GetBufferPointer()[i] = 0.0f;
          a.wm->GetBufferPointer()[i] = 0.0f;
        }
      }
    }
    else if (lesion.placement == LesionPlacement::DeepWhiteMatter)
      mask = DeepWhiteMatter(a, lesion);
    else
    {
      std::vector<unsigned char> values;
      for (const auto s : lesion.structures)
        values.push_back(static_cast<unsigned char>(s));
      mask = filters::SelectValues(a.labels, values);
    }
    lesions.push_back(mask);
  }

  std::vector<std::pair<Structure, double>> swellings;
  double falloff = 10.0;
  for (const auto & swelling : c.swellings)
  {
    falloff = swelling.falloffMm;
    for (const auto s : swelling.structures)
      swellings.push_back({ s, swelling.volumePercent });
  }
  std::vector<DisplacementField> fields;
  fields.push_back(CalibratedSwelling(a.labels, swellings, falloff, a.notes));
  const double sideX = c.side == "left" ? 1.0 : -1.0; // LPS x of the lesion's side
  if (c.massEffectPushMm > 0.0 || c.volumeLossPullMm > 0.0)
  {
    if (!focalRegion)
      throw std::logic_error("phantom case '" + c.name + "': mass effect or volume loss without a focal lesion");
    // A mass pushes the deep structures together; volume loss draws the midline over, the other hemisphere following
    // as a whole (the pull fades out in its lateral part, not across the thalamus).
    const bool push = c.massEffectPushMm > 0.0;
    fields.push_back(MakeHemispherePush(a.labels, focalRegion, brainMask,
                                        push ? c.massEffectPushMm : -c.volumeLossPullMm, push ? 35.0 : 65.0));
  }
  if (c.exVacuoPercent > 0.0)
  {
    auto ventricle = filters::SelectValues(a.labels, { static_cast<unsigned char>(Structure::LateralVentricles) });
    filters::KeepWhere(ventricle, [sideX](const std::array<double, 3> & p) { return p[0] * sideX > 0.0; });
    SurfaceMotionParams exVacuo;
    exVacuo.volumeFactor = 1.0 + c.exVacuoPercent / 100.0;
    exVacuo.weight = [sideX](const Vec3 & p) { return Smoothstep((p[0] * sideX - 2.0) / 6.0); };
    std::string note;
    fields.push_back(MakeSurfaceField(ventricle, exVacuo, note));
    a.notes.push_back("ex-vacuo ventricle on the " + c.side + ": " + note);
  }
  for (const auto & field : fields)
  {
    if (field.Empty())
      continue;
    DeformAnatomy(a, field, lesions);
    // Fields apply one after the other: the septum moves by the sum of their shifts (first order).
    const double shift = MidlineShift(field, a.labels);
    a.midlineShiftMm += shift;
    const auto [low, high] = field.JacobianRange();
    std::ostringstream note;
    note << "deformation by the pathology: largest displacement " << field.MaxMagnitude() << " mm, Jacobian " << low
         << " to " << high << ", septum shift " << shift << " mm";
    a.notes.push_back(note.str());
  }
  if (c.localSulcalMm != 0.0 && focalRegion)
  {
    const auto changed = MoveCsfBoundary(Maps(a), c.localSulcalMm, NearLesion(focalCentre, sideX));
    std::ostringstream note;
    note << "sulci over the lesion " << (c.localSulcalMm > 0.0 ? "widened" : "effaced") << " by up to "
         << std::abs(c.localSulcalMm) << " mm (" << changed << " voxels)";
    a.notes.push_back(note.str());
  }

  // A lesion stays inside its structures where the vote of a deformation put the structure boundary.
  a.lesionT2Flair = filters::NewMaskLike(a.labels);
  a.lesionDwi = filters::NewMaskLike(a.labels);
  for (std::size_t l = 0; l < lesions.size(); ++l)
  {
    const auto & lesion = c.lesions[l];
    unsigned char * m = lesions[l]->GetBufferPointer();
    for (std::size_t i = 0; i < lesions[l]->GetBufferedRegion().GetNumberOfPixels(); ++i)
    {
      m[i] = m[i] && Allowed(lesion, a.labels->GetBufferPointer()[i], a.head->GetBufferPointer()[i],
                             a.csf->GetBufferPointer()[i]);
      if (!m[i])
        continue;
      a.lesionT2Flair->GetBufferPointer()[i] |= lesion.t2FlairInvolved ? 1 : 0;
      a.lesionDwi->GetBufferPointer()[i] |= lesion.dwiBright ? 1 : 0;
    }
    a.lesionMl.push_back(MaskMl(lesions[l]));
    a.lesionWeights.push_back(BlurredWeight(lesions[l]));
  }
  if (a.infarctCore)
    a.infarctCoreMl = MaskMl(a.infarctCore);
}

} // namespace icanscan::synthetic
