#include "pipeline/geometry/AtlasSegmentationStage.h"

#include "core/Error.h"
#include "core/TissueClass.h"
#include "filters/ImageTypes.h"
#include "filters/MaskMorphology.h"
#include "filters/Resample.h"
#include "filters/TissueClassifier.h"
#include "pipeline/geometry/StructureLabels.h"
#include "pipeline/geometry/TissueAnatomyCheck.h"

#include "itkImageRegionIteratorWithIndex.h"

#include <chrono>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
using Mask = filters::MaskImage;

Mask::Pointer Select(const Mask * labels, std::initializer_list<Structure> structures)
{
  std::vector<unsigned char> values;
  for (Structure s : structures)
    values.push_back(static_cast<unsigned char>(s));
  return filters::SelectValues(labels, values);
}

/** Atlas hemispheres: 1 where the atlas point is on the subject's left (MNI x < 0, ITK LPS x > 0), 2 on the right. */
Mask::Pointer AtlasHemispheres(const Atlas & atlas)
{
  auto hemispheres = filters::NewMaskLike(atlas.labels);
  const auto region = hemispheres->GetLargestPossibleRegion();
  for (itk::ImageRegionIteratorWithIndex<Mask> it(hemispheres, region); !it.IsAtEnd(); ++it)
  {
    itk::Point<double, 3> p;
    hemispheres->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    it.Set(p[0] > 0 ? 1 : 2);
  }
  return hemispheres;
}

/** Which tissue class number (1..3, dark to bright) is CSF, GM and WM for a contrast. */
std::array<unsigned char, 3> ClassOrder(SubjectContrast contrast)
{
  switch (contrast)
  {
    case SubjectContrast::T1:
      return { 1, 2, 3 }; // CSF, GM, WM
    case SubjectContrast::T2:
      return { 3, 2, 1 };
    case SubjectContrast::FLAIR:
      return { 1, 3, 2 };
  }
  return { 1, 2, 3 };
}

/** Subject tissue relabelled to 1 CSF, 2 GM, 3 WM. */
Mask::Pointer SubjectTissue(const itk::Image<float, 3> * reference, const Mask * brain, SubjectContrast contrast)
{
  const auto classes = filters::ClassifyTissue(reference, brain);
  const auto order = ClassOrder(contrast);
  auto tissue = filters::NewMaskLike(reference);
  const std::size_t n = tissue->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    const unsigned char c = classes.labels->GetBufferPointer()[i];
    unsigned char t = 0;
    for (unsigned char k = 0; k < 3; ++k)
      if (c != 0 && order[k] == c)
        t = static_cast<unsigned char>(k + 1);
    tissue->GetBufferPointer()[i] = t;
  }
  return tissue;
}

/** Subject voxels of `tissueClass` within `searchMm` of the propagated structure. */
Mask::Pointer OnSubjectTissue(const Mask * propagated, const Mask * tissue, unsigned char tissueClass, double searchMm)
{
  auto grown = filters::DilateMm(propagated, searchMm);
  const std::size_t n = grown->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    grown->GetBufferPointer()[i] = grown->GetBufferPointer()[i] && tissue->GetBufferPointer()[i] == tissueClass;
  return grown;
}

/** Writes `value` into `labels` where `mask` is set and the voxel is still free or of lower precedence. */
void Paint(Mask * labels, const Mask * mask, Structure value, std::initializer_list<Structure> overwritable)
{
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!mask->GetBufferPointer()[i])
      continue;
    const auto current = static_cast<Structure>(labels->GetBufferPointer()[i]);
    bool free = current == Structure::Background;
    for (Structure s : overwritable)
      free = free || current == s;
    if (free)
      labels->GetBufferPointer()[i] = static_cast<unsigned char>(value);
  }
}

/** Lateral ventricles: the subject's CSF connected to the propagated ventricles, within ventricleSearchMm of them
 * and away from the brain surface (sulcal CSF), so ventricles larger or smaller than the atlas's are followed. */
Mask::Pointer SubjectVentricles(const Mask * labels,
                                const Mask * tissue,
                                const Mask * brain,
                                const SegmentationRefineParams & p)
{
  const auto propagated = Select(labels, { Structure::LateralVentricles });
  auto candidate = filters::DilateMm(propagated, p.ventricleSearchMm);
  const auto deep = filters::ErodeMm(brain, p.ventricleSurfaceMarginMm);
  const std::size_t n = candidate->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    candidate->GetBufferPointer()[i] = candidate->GetBufferPointer()[i] && deep->GetBufferPointer()[i] &&
                                       tissue->GetBufferPointer()[i] == TissueLabel(TissueClass::Csf);
  auto seeds = filters::NewMaskLike(propagated);
  for (std::size_t i = 0; i < n; ++i)
    seeds->GetBufferPointer()[i] = candidate->GetBufferPointer()[i] && propagated->GetBufferPointer()[i];
  return filters::ComponentsTouching(candidate, seeds, false);
}

void Refine(Mask * labels,
            const Mask * tissue,
            const Mask * brain,
            const Mask * hemispheres,
            const SegmentationRefineParams & p,
            std::vector<std::string> & notes)
{
  const double searchMm = p.whiteMatterSearchMm;
  // Corpus callosum: the subject's white matter at each propagated part (JHU was drawn on another brain); kept
  // tight, since callosal and hemispheric white matter are one tissue class.
  const auto genu = OnSubjectTissue(Select(labels, { Structure::CorpusCallosumGenu }), tissue,
                                    TissueLabel(TissueClass::WhiteMatter), p.callosumSearchMm);
  const auto body = OnSubjectTissue(Select(labels, { Structure::CorpusCallosumBody }), tissue,
                                    TissueLabel(TissueClass::WhiteMatter), p.callosumSearchMm);
  const auto splenium = OnSubjectTissue(Select(labels, { Structure::CorpusCallosumSplenium }), tissue,
                                        TissueLabel(TissueClass::WhiteMatter), p.callosumSearchMm);
  const auto ventricles = SubjectVentricles(labels, tissue, brain, p);
  const auto whiteMatter = OnSubjectTissue(
    Select(labels, { Structure::WhiteMatterLeft, Structure::WhiteMatterRight, Structure::CorpusCallosumGenu,
                     Structure::CorpusCallosumBody, Structure::CorpusCallosumSplenium, Structure::ExternalCapsuleLeft,
                     Structure::ExternalCapsuleRight }),
    tissue, TissueLabel(TissueClass::WhiteMatter), searchMm);

  // Rebuild: deep grey and external capsules stay as propagated; the rest comes from the subject.
  const std::size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    const auto s = static_cast<Structure>(labels->GetBufferPointer()[i]);
    if (s == Structure::CorpusCallosumGenu || s == Structure::CorpusCallosumBody ||
        s == Structure::CorpusCallosumSplenium || s == Structure::LateralVentricles ||
        s == Structure::WhiteMatterLeft || s == Structure::WhiteMatterRight)
      labels->GetBufferPointer()[i] = 0;
  }
  Paint(labels, genu, Structure::CorpusCallosumGenu, {});
  Paint(labels, body, Structure::CorpusCallosumBody, {});
  Paint(labels, splenium, Structure::CorpusCallosumSplenium, {});
  Paint(labels, ventricles, Structure::LateralVentricles, {});
  for (std::size_t i = 0; i < n; ++i)
  {
    if (whiteMatter->GetBufferPointer()[i] && labels->GetBufferPointer()[i] == 0)
      labels->GetBufferPointer()[i] = static_cast<unsigned char>(
        hemispheres->GetBufferPointer()[i] == 1 ? Structure::WhiteMatterLeft : Structure::WhiteMatterRight);
  }
  std::ostringstream note;
  note << "white matter (search " << searchMm << " mm), corpus callosum (search " << p.callosumSearchMm
       << " mm) and lateral ventricles (CSF connected to the propagated ventricles within " << p.ventricleSearchMm
       << " mm, deeper than " << p.ventricleSurfaceMarginMm << " mm) refined on the subject's tissue classes";
  notes.push_back(note.str());
}
} // namespace

void ValidateAtlasSegmentationParams(const AtlasSegmentationParams & p)
{
  filters::ValidateAtlasRegistrationParams(p.registration);
  if (!(p.maskDilationMm >= 0 && p.maskDilationMm <= 20))
    throw ConfigError("atlas segmentation parameter maskDilationMm = " + std::to_string(p.maskDilationMm) +
                      ": expected 0..20 mm");
  const auto check = [](const char * name, double value, double high)
  {
    if (!(value >= 0 && value <= high))
      throw ConfigError(std::string("atlas segmentation parameter ") + name + " = " + std::to_string(value) +
                        ": expected 0.." + std::to_string(high) + " mm");
  };
  check("transformLatticeMm", p.transformLatticeMm, 20);
  check("refine.whiteMatterSearchMm", p.refine.whiteMatterSearchMm, 10);
  check("refine.callosumSearchMm", p.refine.callosumSearchMm, 10);
  check("refine.ventricleSearchMm", p.refine.ventricleSearchMm, 30);
  check("refine.ventricleSurfaceMarginMm", p.refine.ventricleSurfaceMarginMm, 30);
}

AtlasSegmentationStage::AtlasSegmentationStage(AtlasSegmentationParams params)
  : m_Params(std::move(params))
{
  ValidateAtlasSegmentationParams(m_Params);
}

AtlasSegmentationResult AtlasSegmentationStage::Run(const itk::Image<float, 3> * reference,
                                                    SubjectContrast contrast,
                                                    const Atlas & atlas) const
{
  if (reference == nullptr)
    throw InputError("atlas segmentation: no reference image");
  const auto start = std::chrono::steady_clock::now();
  AtlasSegmentationResult result;

  // Pass 1: affine head to head, to place the brain mask. Pass 2: brain-masked affine + B-spline.
  itk::Transform<double, 3, 3>::ConstPointer initial;
  if (m_Params.headPass)
  {
    filters::AtlasRegistrationParams head = m_Params.registration;
    head.deformable = false;
    const auto headResult = filters::RegisterAtlas(reference, atlas.t1, nullptr, head);
    initial = headResult.transform->GetNthTransformConstPointer(0);
    result.notes.push_back("affine head-to-head pass (Colin27 with scalp)");
  }
  Mask::Pointer roughMask;
  if (initial)
  {
    roughMask = filters::DilateMm(filters::ResampleMask(atlas.brainMask, reference, initial), m_Params.maskDilationMm);
  }
  const auto registration =
    filters::RegisterAtlas(reference, atlas.t1Brain, roughMask, m_Params.registration, initial.GetPointer());
  result.subjectToAtlas = registration.transform;
  result.registrationSeconds = registration.seconds;
  result.notes.push_back("atlas registration: moments + affine + B-splines (60 mm; 20 and 10 mm stochastic, intensity "
                         "outliers left out), Mattes mutual information, brain-masked");

  // One pass through the B-spline for every atlas mask (each pass costs seconds at 0.45 mm in-plane).
  const auto atlasHemispheres = AtlasHemispheres(atlas);
  auto propagated = filters::ResampleMasks({ atlas.labels, atlas.brainMask, atlasHemispheres, atlas.tissue }, reference,
                                           registration.transform, m_Params.transformLatticeMm);
  result.propagatedLabels = propagated[0];
  result.labels = filters::CopyMask(propagated[0]);
  result.brainMask = propagated[1];
  if (m_Params.refineOnSubject)
  {
    result.tissue = SubjectTissue(reference, result.brainMask, contrast);
    result.tissueCheck = CheckTissueAgainstAnatomy(result.tissue, propagated[3], result.brainMask, m_Params.tissue);
    result.notes.push_back(result.tissueCheck.note);
    Refine(result.labels, result.tissue, result.brainMask, propagated[2], m_Params.refine, result.notes);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

} // namespace icanscan::pipeline
