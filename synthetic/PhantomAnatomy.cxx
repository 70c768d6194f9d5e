#include "synthetic/PhantomAnatomy.h"

#include "filters/MaskMorphology.h"
#include "synthetic/BasalCisterns.h"
#include "synthetic/CsfSpaces.h"
#include "synthetic/HeadShell.h"
#include "synthetic/PhantomPathology.h"
#include "synthetic/SurfaceMotion.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <sstream>

namespace icanscan::synthetic
{
namespace
{

using pipeline::Structure;

template<typename TImage>
typename TImage::Pointer Copy(const TImage * image)
{
  auto copy = TImage::New();
  copy->CopyInformation(image);
  copy->SetRegions(image->GetLargestPossibleRegion());
  copy->Allocate();
  std::copy_n(image->GetBufferPointer(), image->GetBufferedRegion().GetNumberOfPixels(), copy->GetBufferPointer());
  return copy;
}

double VoxelMl(const itk::ImageBase<3> * image)
{
  const auto & s = image->GetSpacing();
  return s[0] * s[1] * s[2] / 1000.0;
}

/** Lateral ventricle volume (ml) left (LPS x >= 0) and right of the midline. */
std::array<double, 2> VentricleSidesMl(const LabelImage * labels)
{
  std::array<double, 2> ml{};
  const double voxel = VoxelMl(labels);
  const unsigned char * l = labels->GetBufferPointer();
  const auto toPhysical = Affine3::IndexToPhysical(labels);
  const auto size = labels->GetLargestPossibleRegion().GetSize();
  std::size_t i = 0;
  for (unsigned z = 0; z < size[2]; ++z)
    for (unsigned y = 0; y < size[1]; ++y)
      for (unsigned x = 0; x < size[0]; ++x, ++i)
        if (l[i] == static_cast<unsigned char>(Structure::LateralVentricles))
          ml[toPhysical(Vec3{ double(x), double(y), double(z) })[0] >= 0.0 ? 0 : 1] += voxel;
  return ml;
}

double IntracranialMl(const LabelImage * head)
{
  std::size_t n = 0;
  const unsigned char * h = head->GetBufferPointer();
  for (std::size_t i = 0; i < head->GetBufferedRegion().GetNumberOfPixels(); ++i)
    n += h[i] == static_cast<unsigned char>(HeadTissue::Brain) ||
         h[i] == static_cast<unsigned char>(HeadTissue::ExternalCsf);
  return n * VoxelMl(head);
}

/** One state of the subject to measure in its own space. */
struct State
{
  const LabelImage * labels;
  const LabelImage * head;
  const FloatImage * csf;
  const LabelImage * cisterns;
};

/** Volumes in the subject's space: the source grid's points scaled about the brain centre are the subject's 1 mm
 * grid; each is followed through the warp to the source and takes the label there (nearest voxel) and the CSF
 * fraction (linear). */
SubjectVolumes MeasureSubject(const PhantomAnatomy & a, const State & s)
{
  const auto toPhysical = Affine3::IndexToPhysical(s.labels);
  const auto toIndex = toPhysical.Inverse();
  const auto size = s.labels->GetLargestPossibleRegion().GetSize();
  const std::array<unsigned, 3> dims{ unsigned(size[0]), unsigned(size[1]), unsigned(size[2]) };
  const double voxel = VoxelMl(s.labels) * a.scale * a.scale * a.scale;
  SubjectVolumes total;
  std::mutex mutex;
  auto slice = [&](itk::SizeValueType z)
  {
    SubjectVolumes v;
    for (unsigned y = 0; y < size[1]; ++y)
      for (unsigned x = 0; x < size[0]; ++x)
      {
        const Vec3 source = a.warp.Map(toPhysical(Vec3{ double(x), double(y), double(z) }));
        const Vec3 c = toIndex(source);
        const long i = std::lround(c[0]), j = std::lround(c[1]), k = std::lround(c[2]);
        if (i < 0 || j < 0 || k < 0 || i >= long(size[0]) || j >= long(size[1]) || k >= long(size[2]))
          continue;
        const std::size_t o = i + size[0] * (j + size[1] * std::size_t(k));
        const unsigned char label = s.labels->GetBufferPointer()[o];
        const auto head = static_cast<HeadTissue>(s.head->GetBufferPointer()[o]);
        const bool cistern = s.cisterns && s.cisterns->GetBufferPointer()[o];
        if (label >= 1 && label <= pipeline::kStructureCount)
          v.structureMl[label] += voxel;
        if (label == static_cast<unsigned char>(Structure::LateralVentricles))
          v.ventriclesMl[source[0] >= 0.0 ? 0 : 1] += voxel;
        if (head == HeadTissue::Brain || head == HeadTissue::ExternalCsf)
          v.intracranialMl += voxel;
        const double csf = head == HeadTissue::ExternalCsf
                             ? 1.0
                             : (head == HeadTissue::Brain ? LinearAt(s.csf->GetBufferPointer(), dims, c) : 0.0);
        if (cistern)
          v.cisternCsfMl += csf * voxel;
        else if (head == HeadTissue::ExternalCsf)
          v.externalCsfMl += voxel;
        else if (label == 0)
          v.sulcalCsfMl += csf * voxel;
      }
    const std::lock_guard<std::mutex> lock(mutex);
    for (std::size_t l = 0; l < v.structureMl.size(); ++l)
      total.structureMl[l] += v.structureMl[l];
    for (unsigned side = 0; side < 2; ++side)
      total.ventriclesMl[side] += v.ventriclesMl[side];
    total.sulcalCsfMl += v.sulcalCsfMl;
    total.externalCsfMl += v.externalCsfMl;
    total.cisternCsfMl += v.cisternCsfMl;
    total.intracranialMl += v.intracranialMl;
  };
  itk::MultiThreaderBase::New()->ParallelizeArray(0, size[2], slice, nullptr);
  return total;
}

/** The normal subject: drawn sulcal CSF, ventricles and thalami. */
void ApplyVariations(PhantomAnatomy & a, const DrawnAnatomy & drawn)
{
  TissueMaps maps{ a.labels.GetPointer(), a.head.GetPointer(), a.csf.GetPointer(), a.gm.GetPointer(),
                   a.wm.GetPointer() };
  if (std::abs(drawn.sulcalFactor - 1.0) > 1e-6)
  {
    const double delta = ScaleSulcalCsf(maps, a.cisterns, drawn.sulcalFactor);
    std::ostringstream note;
    note << "sulcal CSF x" << drawn.sulcalFactor << ": CSF boundary moved by " << delta << " mm";
    a.notes.push_back(note.str());
  }
  std::vector<LabelImage::Pointer> none;
  // Ventricles, then the thalami against the source's volumes (the ventricle motion moved them a little); the
  // thalami change the ventricles by a few per cent in turn, which truth.json records as the measured factor.
  const auto ventricles = static_cast<std::size_t>(Structure::LateralVentricles);
  if (std::abs(drawn.ventricleFactor - 1.0) > 1e-6)
  {
    SurfaceMotionParams motion;
    motion.volumeFactor = drawn.ventricleFactor;
    std::string note;
    DeformAnatomy(
      a, MakeSurfaceField(filters::SelectValues(a.labels, { static_cast<unsigned char>(ventricles) }), motion, note),
      none);
    a.notes.push_back("lateral ventricles: " + note);
  }
  const auto now = VolumesMl(a.labels);
  auto percent = [&](Structure s, double f)
  { return 100.0 * (f * a.templateMl[static_cast<std::size_t>(s)] / now[static_cast<std::size_t>(s)] - 1.0); };
  const std::vector<std::pair<Structure, double>> thalami{
    { Structure::ThalamusLeft, percent(Structure::ThalamusLeft, drawn.thalamusFactorLeft) },
    { Structure::ThalamusRight, percent(Structure::ThalamusRight, drawn.thalamusFactorRight) }
  };
  if (std::abs(thalami[0].second) > 0.05 || std::abs(thalami[1].second) > 0.05)
    DeformAnatomy(a, CalibratedSwelling(a.labels, thalami, 10.0, a.notes), none);
}

} // namespace

StructureVolumes VolumesMl(const LabelImage * labels)
{
  StructureVolumes ml{};
  const double voxel = VoxelMl(labels);
  const unsigned char * l = labels->GetBufferPointer();
  for (std::size_t i = 0; i < labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
    if (l[i] <= pipeline::kStructureCount)
      ml[l[i]] += voxel;
  return ml;
}

PhantomAnatomy BuildPhantomAnatomy(const AnatomySource & source,
                                   const PhantomCase & phantomCase,
                                   const PhantomAnatomyParams & params)
{
  PhantomAnatomy a;
  a.drawn = params.drawn;
  std::seed_seq warpSeed{ params.seed, 1u };
  std::seed_seq focalSeed{ params.seed, 2u };
  std::seed_seq shellSeed{ params.seed, 5u };
  std::mt19937 warpRng(warpSeed);
  std::mt19937 focalRng(focalSeed);
  std::mt19937 shellRng(shellSeed);

  a.labels = Copy(source.labels.GetPointer());
  a.csf = Copy(source.csf.GetPointer());
  a.gm = Copy(source.gm.GetPointer());
  a.wm = Copy(source.wm.GetPointer());
  a.head = source.head ? Copy(source.head.GetPointer()) : MakeHeadShell(source.brainMask, {}, shellRng);
  a.cisterns = BasalCisternRegion(a.labels, source.brainstem);
  a.notes.insert(a.notes.end(), source.notes.begin(), source.notes.end());
  a.templateMl = VolumesMl(a.labels);
  a.templateVentriclesMl = a.templateMl[static_cast<std::size_t>(Structure::LateralVentricles)];
  {
    TissueMaps maps{ a.labels.GetPointer(), a.head.GetPointer(), a.csf.GetPointer(), a.gm.GetPointer(),
                     a.wm.GetPointer() };
    a.templateSulcalMl = MeasureCsf(maps, a.cisterns).sulcalMl;
  }
  a.templateIntracranialMl = IntracranialMl(a.head);

  ApplyVariations(a, params.drawn);
  {
    TissueMaps maps{ a.labels.GetPointer(), a.head.GetPointer(), a.csf.GetPointer(), a.gm.GetPointer(),
                     a.wm.GetPointer() };
    a.normalSulcalMl = MeasureCsf(maps, a.cisterns).sulcalMl;
  }
  a.normalMl = VolumesMl(a.labels);
  a.normalVentriclesMl = VentricleSidesMl(a.labels);
  const auto normalLabels = Copy(a.labels.GetPointer());
  const auto normalHead = Copy(a.head.GetPointer());
  const auto normalCsf = Copy(a.csf.GetPointer());
  const auto normalCisterns = Copy(a.cisterns.GetPointer());

  ApplyPathology(a, phantomCase, source.brainMask, focalRng);
  a.caseMl = VolumesMl(a.labels);
  a.caseVentriclesMl = VentricleSidesMl(a.labels);

  const unsigned char * brain = source.brainMask->GetBufferPointer();
  const auto toPhysical = Affine3::IndexToPhysical(source.brainMask);
  const auto size = source.brainMask->GetLargestPossibleRegion().GetSize();
  std::size_t i = 0;
  for (unsigned z = 0; z < size[2]; ++z)
    for (unsigned y = 0; y < size[1]; ++y)
      for (unsigned x = 0; x < size[0]; ++x, ++i)
        if (brain[i] && x % 3 == 0 && y % 3 == 0 && z % 3 == 0)
          a.brainPoints.push_back(toPhysical(Vec3{ double(x), double(y), double(z) }));
  a.brainCentre = filters::Centroid(source.brainMask);

  std::uniform_real_distribution<double> amplitude(3.0, 6.0);
  a.warpMaximumMm = params.warpMaximumMm > 0.0 ? params.warpMaximumMm : amplitude(warpRng);
  a.warp = MakeRandomWarp(source.labels, a.brainPoints, a.warpMaximumMm, params.warpCorrelationMm, params.warpSpacingMm,
                          warpRng);
  a.warpJacobian = a.warp.JacobianRange();

  // Head size: the normal subject's intracranial volume (through the warp) scaled to the drawn one.
  a.normal = MeasureSubject(a, { normalLabels, normalHead, normalCsf, normalCisterns });
  if (params.drawn.intracranialMl > 0.0)
  {
    a.scale = std::cbrt(params.drawn.intracranialMl / a.normal.intracranialMl);
    a.normal = MeasureSubject(a, { normalLabels, normalHead, normalCsf, normalCisterns });
  }
  a.pathological = MeasureSubject(a, { a.labels, a.head, a.csf, a.cisterns });
  std::ostringstream note;
  note << "subject: intracranial " << a.normal.intracranialMl << " ml (head scale " << a.scale << "), lateral "
       << "ventricles " << a.normal.structureMl[static_cast<std::size_t>(Structure::LateralVentricles)]
       << " ml, sulcal CSF " << a.normal.sulcalCsfMl << " ml, basal cisterns " << a.normal.cisternCsfMl << " ml";
  a.notes.push_back(note.str());
  return a;
}

} // namespace icanscan::synthetic
