#include "synthetic/PhantomAnatomy.h"

#include "filters/MaskMorphology.h"

#include "itkSmoothingRecursiveGaussianImageFilter.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace icanscan::synthetic
{
namespace
{

FloatImage::Pointer NewFloatLike(const itk::ImageBase<3> * grid)
{
  auto image = FloatImage::New();
  image->CopyInformation(grid);
  image->SetRegions(grid->GetLargestPossibleRegion());
  image->Allocate(true);
  return image;
}

template<typename TVisit>
void ForEachPoint(const itk::ImageBase<3> * grid, TVisit visit)
{
  const auto toPhysical = Affine3::IndexToPhysical(grid);
  const auto size = grid->GetLargestPossibleRegion().GetSize();
  std::size_t n = 0;
  for (unsigned k = 0; k < size[2]; ++k)
    for (unsigned j = 0; j < size[1]; ++j)
      for (unsigned i = 0; i < size[0]; ++i, ++n)
        visit(n, toPhysical(Vec3{ double(i), double(j), double(k) }), i, j, k);
}

std::array<double, pipeline::kStructureCount + 1> VolumesMl(const LabelImage * labels)
{
  std::array<double, pipeline::kStructureCount + 1> ml{};
  const auto & s = labels->GetSpacing();
  const double voxel = s[0] * s[1] * s[2] / 1000.0;
  const unsigned char * l = labels->GetBufferPointer();
  for (std::size_t i = 0; i < labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
    if (l[i] <= pipeline::kStructureCount)
      ml[l[i]] += voxel;
  return ml;
}

/** Lateral ventricle volume (ml) left (LPS x >= 0) and right of the midline. */
std::array<double, 2> VentricleSidesMl(const LabelImage * labels)
{
  std::array<double, 2> ml{};
  const auto & s = labels->GetSpacing();
  const double voxel = s[0] * s[1] * s[2] / 1000.0;
  const unsigned char * l = labels->GetBufferPointer();
  ForEachPoint(labels,
               [&](std::size_t i, const Vec3 & p, unsigned, unsigned, unsigned)
               {
                 if (l[i] == static_cast<unsigned char>(pipeline::Structure::LateralVentricles))
                   ml[p[0] >= 0.0 ? 0 : 1] += voxel;
               });
  return ml;
}

/** Brain fractions from ch2bet's intensity: linear mixtures between neighbouring class means. */
void MakeFractions(const pipeline::Atlas & atlas, PhantomAnatomy & anatomy)
{
  anatomy.csf = NewFloatLike(atlas.t1);
  anatomy.gm = NewFloatLike(atlas.t1);
  anatomy.wm = NewFloatLike(atlas.t1);
  const auto & mean = atlas.tissueMeans;
  const float * t = atlas.t1Brain->GetBufferPointer();
  const unsigned char * brain = atlas.brainMask->GetBufferPointer();
  float * csf = anatomy.csf->GetBufferPointer();
  float * gm = anatomy.gm->GetBufferPointer();
  float * wm = anatomy.wm->GetBufferPointer();
  for (std::size_t i = 0; i < atlas.t1->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    if (!brain[i])
      continue;
    if (t[i] <= mean[1])
    {
      gm[i] = static_cast<float>(std::clamp((t[i] - mean[0]) / (mean[1] - mean[0]), 0.0, 1.0));
      csf[i] = 1.0f - gm[i];
    }
    else
    {
      wm[i] = static_cast<float>(std::clamp((t[i] - mean[1]) / (mean[2] - mean[1]), 0.0, 1.0));
      gm[i] = 1.0f - wm[i];
    }
  }
}

/** Head tissues outside the brain from ch2's T1 intensity (relative to the brain's CSF and WM means). */
LabelImage::Pointer MakeHead(const pipeline::Atlas & atlas)
{
  auto head = filters::NewMaskLike(atlas.t1);
  const auto nearBrain = filters::DistanceMm(atlas.brainMask, atlas.brainMask->GetLargestPossibleRegion());
  const float * t = atlas.t1->GetBufferPointer();
  const float * d = nearBrain->GetBufferPointer();
  const unsigned char * brain = atlas.brainMask->GetBufferPointer();
  unsigned char * h = head->GetBufferPointer();
  const double dark = 0.5 * (atlas.tissueMeans[0] + atlas.tissueMeans[1]) - 25.0; // about 45 on Colin27
  const double bright = atlas.tissueMeans[2] + 5.0;
  const double air = 0.15 * atlas.tissueMeans[0];
  for (std::size_t i = 0; i < atlas.t1->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    HeadTissue tissue = HeadTissue::Brain;
    if (!brain[i])
    {
      if (t[i] < air)
        tissue = HeadTissue::Air;
      else if (t[i] < dark)
        tissue = d[i] <= 4.0 ? HeadTissue::ExternalCsf : HeadTissue::Bone;
      else if (t[i] >= bright)
        tissue = HeadTissue::Fat;
      else
        tissue = HeadTissue::Muscle;
    }
    h[i] = static_cast<unsigned char>(tissue);
  }
  return head;
}

/** Diffuse swelling: the ventricles lose their outer voxel to white matter, most sulcal CSF becomes cortex. */
void ApplyDiffuseSwelling(PhantomAnatomy & anatomy)
{
  const auto ventricles =
    filters::SelectValues(anatomy.labels, { static_cast<unsigned char>(pipeline::Structure::LateralVentricles) });
  const auto core = filters::ErodeMm(ventricles, 1.0);
  unsigned char * l = anatomy.labels->GetBufferPointer();
  const unsigned char * v = ventricles->GetBufferPointer();
  const unsigned char * c = core->GetBufferPointer();
  unsigned char * h = anatomy.head->GetBufferPointer();
  float * csf = anatomy.csf->GetBufferPointer();
  float * gm = anatomy.gm->GetBufferPointer();
  float * wm = anatomy.wm->GetBufferPointer();
  ForEachPoint(anatomy.labels,
               [&](std::size_t i, const Vec3 & p, unsigned, unsigned, unsigned)
               {
                 if (v[i] && !c[i])
                 {
                   l[i] = static_cast<unsigned char>(p[0] >= 0.0 ? pipeline::Structure::WhiteMatterLeft
                                                                 : pipeline::Structure::WhiteMatterRight);
                   wm[i] += csf[i];
                   csf[i] = 0.0f;
                 }
                 else if (!l[i] && h[i] == static_cast<unsigned char>(HeadTissue::Brain))
                 {
                   const float moved = 0.7f * csf[i];
                   csf[i] -= moved;
                   gm[i] += moved;
                 }
                 else if (h[i] == static_cast<unsigned char>(HeadTissue::ExternalCsf))
                 {
                   // The swollen cortex fills most of the subarachnoid space.
                   h[i] = static_cast<unsigned char>(HeadTissue::Brain);
                   csf[i] = 0.3f;
                   gm[i] = 0.7f;
                 }
               });
  anatomy.notes.push_back("diffuse swelling: ventricles narrowed by 1 mm, 70 % of sulcal and subarachnoid CSF effaced");
}

/** A focal lesion's outline: a sphere whose radius varies smoothly with direction (lobulated, not a ball). */
struct FocalShape
{
  Vec3 centre{};
  std::array<double, 4> phase{};

  /** Radius factor in direction (dx, dy, dz): 1 +- about 0.3. */
  double Factor(double dx, double dy, double dz) const
  {
    const double azimuth = std::atan2(dy, dx);
    const double elevation = std::atan2(dz, std::sqrt(dx * dx + dy * dy));
    return 1.0 + 0.18 * std::sin(3.0 * azimuth + phase[0]) * std::cos(2.0 * elevation + phase[1]) +
           0.12 * std::sin(5.0 * azimuth + phase[2]) + 0.10 * std::sin(4.0 * elevation + phase[3]);
  }
};

/** A focal lesion centred on the structure's part 15-40 mm above the AC plane, position and outline from the seed. */
FocalShape MakeFocalShape(const LabelImage * labels, pipeline::Structure structure, std::mt19937 & rng)
{
  auto region = filters::SelectValues(labels, { static_cast<unsigned char>(structure) });
  filters::KeepWhere(region, [](const std::array<double, 3> & p) { return p[2] >= 15.0 && p[2] <= 40.0; });
  FocalShape shape;
  shape.centre = filters::Centroid(region);
  std::uniform_real_distribution<double> jitter(-4.0, 4.0);
  for (auto & v : shape.centre)
    v += jitter(rng);
  std::uniform_real_distribution<double> phase(0.0, 6.283185307179586);
  for (auto & p : shape.phase)
    p = phase(rng);
  return shape;
}

LabelImage::Pointer LesionMask(const LabelImage * labels, const PhantomLesion & lesion, const FocalShape & shape)
{
  std::vector<unsigned char> values;
  for (const auto s : lesion.structures)
    values.push_back(static_cast<unsigned char>(s));
  auto mask = filters::SelectValues(labels, values);
  if (lesion.focalRadiusMm > 0.0)
  {
    filters::KeepWhere(mask,
                       [&](const std::array<double, 3> & p)
                       {
                         const double dx = p[0] - shape.centre[0], dy = p[1] - shape.centre[1],
                                      dz = p[2] - shape.centre[2];
                         const double r = lesion.focalRadiusMm * shape.Factor(dx, dy, dz);
                         return dx * dx + dy * dy + dz * dz <= r * r;
                       });
  }
  return mask;
}

FloatImage::Pointer BlurredWeight(const LabelImage * mask)
{
  auto weight = NewFloatLike(mask);
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

/** The swelling field whose label volumes change as the sources ask: the label resampling at junctions of several
 * structures is not exactly volume-true, so each source's percentage is corrected twice by what it gave. */
DisplacementField CalibratedSwelling(const LabelImage * labels,
                                     std::vector<SwellingSource> sources,
                                     const std::vector<pipeline::Structure> & structures,
                                     std::vector<std::string> & notes)
{
  if (sources.empty())
    return {};
  std::vector<double> wanted;
  for (const auto & source : sources)
    wanted.push_back(source.volumePercent);
  const auto before = VolumesMl(labels);
  for (int round = 0; round < 2; ++round)
  {
    const auto after = VolumesMl(PullBack(labels, MakeSwellingField(labels, sources)));
    for (std::size_t i = 0; i < sources.size(); ++i)
    {
      const auto v = static_cast<std::size_t>(structures[i]);
      const double got = after[v] / before[v];
      sources[i].volumePercent =
        100.0 * ((1.0 + sources[i].volumePercent / 100.0) * (1.0 + wanted[i] / 100.0) / got - 1.0);
    }
  }
  std::ostringstream note;
  note << "swelling calibrated on the atlas labels:";
  for (std::size_t i = 0; i < sources.size(); ++i)
    note << " " << pipeline::Info(structures[i]).key << " " << wanted[i] << " % asked, " << sources[i].volumePercent
         << " % applied;";
  notes.push_back(note.str());
  return MakeSwellingField(labels, sources);
}

/** Largest septum displacement along x: midline points near the callosal body followed through the swelling. */
double MidlineShift(const DisplacementField & swelling, const LabelImage * normalLabels)
{
  if (swelling.Empty())
    return 0.0;
  const auto body = filters::Centroid(
    filters::SelectValues(normalLabels, { static_cast<unsigned char>(pipeline::Structure::CorpusCallosumBody) }));
  double shift = 0.0;
  for (double dy : { -10.0, 0.0, 10.0 })
    for (double dz : { -12.0, -6.0, 0.0 })
    {
      const Vec3 m{ 0.0, body[1] + dy, body[2] + dz };
      const double dx = swelling.Invert(m)[0] - m[0];
      if (std::abs(dx) > std::abs(shift))
        shift = dx;
    }
  return shift;
}

} // namespace

PhantomAnatomy BuildPhantomAnatomy(const pipeline::Atlas & atlas,
                                   const PhantomCase & phantomCase,
                                   const PhantomAnatomyParams & params)
{
  PhantomAnatomy anatomy;
  std::seed_seq warpSeed{ params.seed, 1u };
  std::seed_seq focalSeed{ params.seed, 2u };
  std::mt19937 warpRng(warpSeed);
  std::mt19937 focalRng(focalSeed);

  MakeFractions(atlas, anatomy);
  anatomy.head = MakeHead(atlas);
  anatomy.labels = filters::NewMaskLike(atlas.labels);
  std::copy_n(atlas.labels->GetBufferPointer(), atlas.labels->GetBufferedRegion().GetNumberOfPixels(),
              anatomy.labels->GetBufferPointer());
  anatomy.normalMl = VolumesMl(atlas.labels);
  anatomy.normalVentriclesMl = VentricleSidesMl(atlas.labels);

  if (phantomCase.diffuseSwelling)
    ApplyDiffuseSwelling(anatomy);

  // Lesions and swellings are defined on the atlas, then deformed together with it.
  std::vector<LabelImage::Pointer> lesions;
  LabelImage::Pointer focalRegion;
  for (const auto & lesion : phantomCase.lesions)
  {
    const FocalShape shape =
      lesion.focalRadiusMm > 0.0 ? MakeFocalShape(anatomy.labels, lesion.structures.front(), focalRng) : FocalShape{};
    const Vec3 & centre = shape.centre;
    lesions.push_back(LesionMask(anatomy.labels, lesion, shape));
    if (lesion.focalRadiusMm > 0.0)
    {
      focalRegion = lesions.back();
      std::ostringstream note;
      note << "focal lesion '" << lesion.name << "' centred at LPS (" << centre[0] << ", " << centre[1] << ", "
           << centre[2] << ") mm, radius " << lesion.focalRadiusMm << " mm";
      anatomy.notes.push_back(note.str());
    }
  }
  std::vector<LabelImage::Pointer> regions;
  std::vector<SwellingSource> sources;
  std::vector<pipeline::Structure> swollen;
  for (const auto & swelling : phantomCase.swellings)
  {
    for (const auto s : swelling.structures)
    {
      regions.push_back(filters::SelectValues(anatomy.labels, { static_cast<unsigned char>(s) }));
      sources.push_back({ regions.back(), swelling.volumePercent, swelling.falloffMm });
      swollen.push_back(s);
    }
  }
  std::vector<DisplacementField> fields;
  fields.push_back(CalibratedSwelling(anatomy.labels, sources, swollen, anatomy.notes));
  if (phantomCase.massEffectPushMm > 0.0)
  {
    if (!focalRegion)
      throw std::logic_error("phantom case '" + phantomCase.name + "': mass effect without a focal lesion");
    fields.push_back(MakeHemispherePush(anatomy.labels, focalRegion, atlas.brainMask, phantomCase.massEffectPushMm));
  }
  for (const auto & field : fields)
  {
    if (field.Empty())
      continue;
    anatomy.labels = PullBack(anatomy.labels, field);
    anatomy.head = PullBack(anatomy.head, field);
    anatomy.csf = PullBack(anatomy.csf, field);
    anatomy.gm = PullBack(anatomy.gm, field);
    anatomy.wm = PullBack(anatomy.wm, field);
    for (auto & lesion : lesions)
      lesion = PullBack(lesion, field);
    // Fields apply one after the other: the septum moves by the sum of their shifts (first order).
    anatomy.midlineShiftMm += MidlineShift(field, atlas.labels);
    const auto [low, high] = field.JacobianRange();
    std::ostringstream note;
    note << "deformation by the pathology: largest displacement " << field.MaxMagnitude() << " mm, Jacobian " << low
         << " to " << high << ", septum shift " << MidlineShift(field, atlas.labels) << " mm";
    anatomy.notes.push_back(note.str());
  }
  // A lesion stays inside its structures where the vote of a deformation put the structure boundary.
  for (std::size_t l = 0; l < lesions.size(); ++l)
  {
    std::array<bool, 256> allowed{};
    for (const auto s : phantomCase.lesions[l].structures)
      allowed[static_cast<unsigned char>(s)] = true;
    unsigned char * m = lesions[l]->GetBufferPointer();
    const unsigned char * labels = anatomy.labels->GetBufferPointer();
    for (std::size_t i = 0; i < lesions[l]->GetBufferedRegion().GetNumberOfPixels(); ++i)
      m[i] = m[i] && allowed[labels[i]];
  }
  anatomy.caseMl = VolumesMl(anatomy.labels);
  anatomy.caseVentriclesMl = VentricleSidesMl(anatomy.labels);

  anatomy.lesionT2Flair = filters::NewMaskLike(anatomy.labels);
  anatomy.lesionDwi = filters::NewMaskLike(anatomy.labels);
  for (std::size_t l = 0; l < lesions.size(); ++l)
  {
    anatomy.lesionWeights.push_back(BlurredWeight(lesions[l]));
    const unsigned char * m = lesions[l]->GetBufferPointer();
    unsigned char * t2 = anatomy.lesionT2Flair->GetBufferPointer();
    unsigned char * dwi = anatomy.lesionDwi->GetBufferPointer();
    for (std::size_t i = 0; i < lesions[l]->GetBufferedRegion().GetNumberOfPixels(); ++i)
    {
      if (!m[i])
        continue;
      t2[i] |= phantomCase.lesions[l].t2FlairInvolved ? 1 : 0;
      dwi[i] |= phantomCase.lesions[l].dwiBright ? 1 : 0;
    }
  }

  const unsigned char * brain = atlas.brainMask->GetBufferPointer();
  ForEachPoint(atlas.brainMask,
               [&](std::size_t i, const Vec3 & p, unsigned x, unsigned y, unsigned z)
               {
                 if (brain[i] && x % 3 == 0 && y % 3 == 0 && z % 3 == 0)
                   anatomy.brainPoints.push_back(p);
               });
  anatomy.brainCentre = filters::Centroid(atlas.brainMask);

  std::uniform_real_distribution<double> amplitude(3.0, 6.0);
  anatomy.warpMaximumMm = params.warpMaximumMm > 0.0 ? params.warpMaximumMm : amplitude(warpRng);
  anatomy.warp = MakeRandomWarp(atlas.t1, anatomy.brainPoints, anatomy.warpMaximumMm, params.warpCorrelationMm,
                                params.warpSpacingMm, warpRng);
  anatomy.warpJacobian = anatomy.warp.JacobianRange();
  return anatomy;
}

} // namespace icanscan::synthetic
