#include "pipeline/geometry/StudyGeometryStage.h"

#include "core/Error.h"
#include "dicom/VolumeReader.h"
#include "filters/DiffusionTrace.h"
#include "filters/Resample.h"
#include "pipeline/report/NiftiWriter.h"
#include "pipeline/report/OutputFiles.h"
#include "pipeline/geometry/StructureLabels.h"

#include <cmath>

namespace icanscan::pipeline
{
namespace
{
using Image = itk::Image<float, 3>;
using Mask = itk::Image<unsigned char, 3>;

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

Image::Pointer Mean(const std::vector<Image::Pointer> & volumes, const std::vector<std::size_t> & which)
{
  auto out = Image::New();
  out->CopyInformation(volumes.front());
  out->SetRegions(volumes.front()->GetLargestPossibleRegion());
  out->Allocate(true);
  const std::size_t n = out->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t v : which)
    for (std::size_t i = 0; i < n; ++i)
      out->GetBufferPointer()[i] += volumes[v]->GetBufferPointer()[i] / static_cast<float>(which.size());
  return out;
}

/** DWI: the b0 (for registration) and the highest-b trace-weighted image (scanner trace, or geometric mean of
 * directions), as "DWI_b0" and "DWI_b<B>". */
void AddDiffusion(const dicom::VolumeSet & set, StudyGeometry & geometry, int threads)
{
  const auto volumes = dicom::ReadVolumes(set, threads);
  std::vector<std::size_t> b0, high;
  double maxB = 0;
  for (const auto & d : set.diffusion)
    maxB = std::max(maxB, d.bValue);
  for (std::size_t v = 0; v < set.diffusion.size(); ++v)
  {
    if (set.diffusion[v].bValue < 50)
      b0.push_back(v);
    else if (std::abs(set.diffusion[v].bValue - maxB) < 50)
      high.push_back(v);
  }
  geometry.native["DWI_b0"] = b0.empty() ? volumes.front() : Mean(volumes, b0);
  if (high.empty())
    return;
  bool directional = true;
  for (std::size_t v : high)
    directional = directional && set.diffusion[v].hasGradient;
  Image::Pointer trace;
  if (directional && high.size() >= 3)
  {
    std::vector<Image::Pointer> shell;
    std::vector<double> bs;
    std::vector<bool> flags;
    for (std::size_t v : high)
    {
      shell.push_back(volumes[v]);
      bs.push_back(set.diffusion[v].bValue);
      flags.push_back(true);
    }
    trace = filters::DeriveDiffusionSummaries(shell, bs, flags).traces.at(0).image;
  }
  else
  {
    trace = Mean(volumes, high);
  }
  geometry.native["DWI_b" + std::to_string(std::lround(maxB))] = trace;
}

bool SameGrid(const Image * a, const Image * b)
{
  if (a->GetLargestPossibleRegion().GetSize() != b->GetLargestPossibleRegion().GetSize())
    return false;
  for (unsigned d = 0; d < 3; ++d)
  {
    if (std::abs(a->GetOrigin()[d] - b->GetOrigin()[d]) > 1e-2 ||
        std::abs(a->GetSpacing()[d] - b->GetSpacing()[d]) > 1e-3)
      return false;
    for (unsigned e = 0; e < 3; ++e)
      if (std::abs(a->GetDirection()(d, e) - b->GetDirection()(d, e)) > 1e-4)
        return false;
  }
  return true;
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
  const dicom::VolumeSet * t2 = FindRole(index, dicom::SeriesRole::T2);
  const dicom::VolumeSet * flair = FindRole(index, dicom::SeriesRole::FLAIR);
  geometry.reference = t2 ? t2 : flair;
  if (geometry.reference == nullptr)
    throw InputError(index.root.string() + ": no usable T2 or FLAIR series to serve as the reference",
                     ExitCode::NoUsableDicom);
  geometry.referenceRole = t2 ? "T2" : "FLAIR";

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
  const dicom::VolumeSet * dwi = FindRole(index, dicom::SeriesRole::DWI);
  if (dwi)
  {
    AddDiffusion(*dwi, geometry, m_Params.threads);
    for (const auto & [role, image] : geometry.native)
      if (role.rfind("DWI_", 0) == 0)
        geometry.sets[role] = dwi;
  }
  if (const dicom::VolumeSet * adc = FindRole(index, dicom::SeriesRole::ADC))
  {
    geometry.native["ADC"] = dicom::ReadVolumes(*adc, m_Params.threads).front();
    geometry.sets["ADC"] = adc;
  }

  const Image * reference = geometry.native.at(geometry.referenceRole);
  const SubjectContrast contrast = t2 ? SubjectContrast::T2 : SubjectContrast::FLAIR;
  geometry.segmentation = AtlasSegmentationStage(m_Params.segmentation).Run(reference, contrast, atlas);
  geometry.inReference[geometry.referenceRole] = geometry.native.at(geometry.referenceRole);

  // Rigid alignment of every other series; the b-weighted DWI and an ADC on the DWI grid follow the b0.
  filters::RigidTransform::Pointer dwiTransform;
  const Image * dwiGrid = geometry.native.count("DWI_b0") ? geometry.native.at("DWI_b0").GetPointer() : nullptr;
  for (const char * role : { "FLAIR", "DWI_b0", "ADC" })
  {
    if (!geometry.native.count(role) || role == geometry.referenceRole)
      continue;
    const Image * moving = geometry.native.at(role);
    SeriesRegistration registration;
    registration.role = role;
    registration.seriesId = geometry.sets.at(role)->id;
    registration.fixedRole = geometry.referenceRole;
    if (std::string(role) == "ADC" && dwiTransform && dwiGrid && SameGrid(moving, dwiGrid))
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
    if (std::string(role) == "DWI_b0")
      dwiTransform = registration.transform;
    geometry.inReference[role] = filters::ResampleImage(moving, reference, registration.transform);
    geometry.registrations.push_back(registration);
  }
  for (const auto & [role, image] : geometry.native)
  {
    if (role.rfind("DWI_b", 0) == 0 && role != "DWI_b0" && dwiTransform)
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
