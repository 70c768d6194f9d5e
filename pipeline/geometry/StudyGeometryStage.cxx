#include "pipeline/geometry/StudyGeometryStage.h"

#include "core/Error.h"
#include "dicom/SeriesKey.h"
#include "dicom/VolumeReader.h"
#include "filters/ImageGrid.h"
#include "filters/ImageTypes.h"
#include "filters/Resample.h"
#include "pipeline/geometry/StructureLabels.h"
#include "pipeline/report/NiftiWriter.h"
#include "pipeline/report/OutputFiles.h"

#include <spdlog/spdlog.h>

#include <cmath>

namespace icanscan::pipeline
{
namespace
{
using Image = filters::FloatImage;
using Mask = filters::MaskImage;

/** The usable volume set of a role with the most images (several T2s: the fullest coverage). */
const dicom::VolumeSet * FindRole(const dicom::StudyIndex & index, dicom::SeriesRole role)
{
  const dicom::VolumeSet * best = nullptr;
  for (const auto & set : index.volumeSets)
  {
    if (set.role != role || set.verdict == dicom::Verdict::Rejected || set.slices < 3)
      continue;
    if (best == nullptr || set.frames.size() > best->frames.size())
      best = &set;
  }
  return best;
}

void AddDiffusion(const DiffusionPlan & plan, StudyGeometry & geometry, int threads)
{
  for (auto & [role, part] : ReadDiffusionParts(plan, threads))
  {
    geometry.native[role] = part.image;
    geometry.sets[role] = part.set;
  }
}

/** The diffusion part registered for the others: the b0, else the trace (no b0 on its grid), else a DWI volume of
 * unknown b (only for an ADC on its grid). */
std::string DiffusionAnchor(const StudyGeometry & geometry)
{
  if (geometry.native.count("DWI_b0"))
    return "DWI_b0";
  return geometry.diffusion.trace ? TraceRole(geometry.diffusion) : (geometry.native.count("DWI") ? "DWI" : "");
}

} // namespace

StudyGeometryStage::StudyGeometryStage(StudyGeometryParams params)
  : m_Params(std::move(params))
{
  filters::ValidateRigidRegistrationParams(m_Params.rigid);
  filters::ValidateRegistrationQcParams(m_Params.qc);
  ValidateAtlasSegmentationParams(m_Params.segmentation);
}

StudyGeometry StudyGeometryStage::Run(const dicom::StudyIndex & index, const Atlas & atlas) const
{
  StudyGeometry geometry;
  geometry.diffusion = PlanDiffusion(index);
  const dicom::VolumeSet * t2 = FindRole(index, dicom::SeriesRole::T2);
  const dicom::VolumeSet * flair = FindRole(index, dicom::SeriesRole::FLAIR);
  const bool b0Reference = !t2 && !flair && m_Params.b0ReferenceWithoutT2 && geometry.diffusion.b0;
  geometry.reference = t2 ? t2 : (flair ? flair : (b0Reference ? geometry.diffusion.b0->set : nullptr));
  if (geometry.reference == nullptr)
    throw InputError(index.root.string() + ": no usable T2 or FLAIR series to serve as the reference",
                     ExitCode::NoUsableDicom);
  geometry.referenceRole = t2 ? "T2" : (flair ? "FLAIR" : "DWI_b0");

  if (t2)
  {
    geometry.native["T2"] = dicom::ReadVolumes(*t2, m_Params.threads).front();
    geometry.sets["T2"] = t2;
  }
  if (flair)
  {
    geometry.native["FLAIR"] = dicom::ReadVolumes(*flair, m_Params.threads).front();
    geometry.sets["FLAIR"] = flair;
  }
  AddDiffusion(geometry.diffusion, geometry, m_Params.threads);
  for (const auto & note : geometry.diffusion.notes)
    spdlog::info("diffusion: {}", note);

  const Image * reference = geometry.native.at(geometry.referenceRole);
  const SubjectContrast contrast = flair && !t2 ? SubjectContrast::FLAIR : SubjectContrast::T2; // a b0 is T2-weighted
  geometry.segmentation = AtlasSegmentationStage(m_Params.segmentation).Run(reference, contrast, atlas);
  geometry.inReference[geometry.referenceRole] = geometry.native.at(geometry.referenceRole);

  // Rigid alignment of every other series; the other DWI parts and an ADC on the DWI grid follow the DWI anchor (the
  // b0, else the trace), which is the identity when the b0 is the reference.
  const std::string anchor = DiffusionAnchor(geometry);
  filters::RigidTransform::Pointer dwiTransform;
  if (!anchor.empty() && anchor == geometry.referenceRole)
    dwiTransform = filters::RigidTransform::New();
  const Image * dwiGrid = anchor.empty() ? nullptr : geometry.native.at(anchor).GetPointer();
  for (const std::string & role : { std::string("FLAIR"), anchor, std::string("ADC") })
  {
    if (role.empty() || !geometry.native.count(role) || role == geometry.referenceRole)
      continue;
    const Image * moving = geometry.native.at(role);
    SeriesRegistration registration;
    registration.role = role;
    registration.seriesId = geometry.sets.at(role)->id;
    registration.fixedRole = geometry.referenceRole;
    if (role == "ADC" && dwiTransform && dwiGrid && filters::SameGrid(moving, dwiGrid, 1e-2))
    {
      registration.transform = dwiTransform; // same acquisition as the DWI
      registration.qc = filters::AssessRegistration(reference, moving, geometry.segmentation.brainMask, nullptr,
                                                    dwiTransform, nullptr, m_Params.qc);
    }
    else
    {
      const auto rigid =
        filters::RegisterRigid(reference, moving, geometry.segmentation.brainMask, nullptr, m_Params.rigid);
      registration.transform = rigid.transform;
      registration.seconds = rigid.seconds;
      registration.qc = filters::AssessRegistration(reference, moving, geometry.segmentation.brainMask, nullptr,
                                                    rigid.transform, rigid.initial, m_Params.qc);
    }
    if (role == anchor)
      dwiTransform = registration.transform;
    geometry.inReference[role] = filters::ResampleImage(moving, reference, registration.transform);
    geometry.registrations.push_back(registration);
  }
  for (const auto & [role, image] : geometry.native)
  {
    const auto key = dicom::ParseSeriesKey(role);
    if (key && key->role == dicom::SeriesRole::DWI && key->bValue && !geometry.inReference.count(role) && dwiTransform)
      geometry.inReference[role] = filters::ResampleImage(image, reference, dwiTransform);
  }
  return geometry;
}

std::vector<std::filesystem::path> WriteStudyGeometry(const StudyGeometry & geometry, const std::filesystem::path & out)
{
  std::vector<std::filesystem::path> written;
  const auto volumes = out / "volumes";
  const auto transforms = out / "transforms";
  EnsureWritableFolder(volumes);
  EnsureWritableFolder(transforms);
  for (const auto & [role, image] : geometry.inReference)
  {
    WriteNifti({ image }, volumes / (role + ".nii.gz"));
    written.push_back(volumes / (role + ".nii.gz"));
  }
  WriteLabelNifti(geometry.segmentation.labels, volumes / "labels.nii.gz");
  WriteLabelNifti(geometry.segmentation.brainMask, volumes / "brain_mask.nii.gz");
  WriteLabelNifti(geometry.segmentation.tissue, volumes / "tissue.nii.gz");
  WriteLabelNifti(geometry.segmentation.propagatedLabels, volumes / "labels_atlas.nii.gz");
  WriteTextFileAtomically(volumes / "labels.tsv", StructureTableTsv());
  WriteTextFileAtomically(volumes / "labels_slicer.ctbl", StructureColourTable(false));
  WriteTextFileAtomically(volumes / "labels_itksnap.txt", StructureColourTable(true));
  for (const char * f : { "labels.nii.gz", "labels_atlas.nii.gz", "brain_mask.nii.gz", "tissue.nii.gz", "labels.tsv",
                          "labels_slicer.ctbl", "labels_itksnap.txt" })
    written.push_back(volumes / f);
  for (const auto & registration : geometry.registrations)
  {
    const auto file = transforms / (registration.role + "_to_reference.tfm");
    filters::WriteTransform(registration.transform, file);
    written.push_back(file);
  }
  const auto atlasFile = transforms / "reference_to_atlas.tfm";
  filters::WriteTransform(geometry.segmentation.subjectToAtlas, atlasFile);
  written.push_back(atlasFile);
  return written;
}

} // namespace icanscan::pipeline
