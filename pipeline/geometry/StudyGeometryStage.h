#pragma once

#include "dicom/StudyIndex.h"
#include "filters/RegistrationQc.h"
#include "filters/RigidRegistration.h"
#include "pipeline/geometry/AtlasSegmentationStage.h"
#include "pipeline/geometry/DiffusionPlan.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Parameters of StudyGeometryStage. */
struct StudyGeometryParams
{
  filters::RigidRegistrationParams rigid;
  filters::RegistrationQcParams qc;
  AtlasSegmentationParams segmentation;
  int threads = 0;
  /** Without a usable T2 or FLAIR, take the DWI b0 (T2-weighted EPI) as the reference instead of failing: a
   * diffusion-only study is then segmented on its b0. Off by default (`icanscan run` needs a T2 or FLAIR). */
  bool b0ReferenceWithoutT2 = false;
};

/** \brief One series' rigid alignment to the reference, with its QC. */
struct SeriesRegistration
{
  std::string role;                           //!< "FLAIR", "DWI", "ADC", ...
  std::string seriesId;                       //!< volume-set id in the index
  std::string fixedRole;                      //!< the reference's role
  filters::RigidTransform::Pointer transform; //!< reference point -> series point
  filters::RegistrationQcReport qc;
  double seconds = 0;
};

/** \brief The study's geometry: reference, every series in reference space, structures, transforms. */
struct StudyGeometry
{
  std::string referenceRole;
  const dicom::VolumeSet * reference = nullptr;
  std::map<std::string, itk::Image<float, 3>::Pointer> native;      //!< role -> image on its own grid (DWI: b0)
  std::map<std::string, itk::Image<float, 3>::Pointer> inReference; //!< role -> image resampled to the reference
  std::map<std::string, const dicom::VolumeSet *> sets;             //!< role -> the volume set used
  std::vector<SeriesRegistration> registrations;
  AtlasSegmentationResult segmentation;
  DiffusionPlan diffusion; //!< which sets gave DWI_b0, DWI_b<B> and ADC, or why diffusion is not assessable
};

/** \brief Picks the reference (T2; FLAIR when there is no usable T2; the DWI b0 when allowed and neither exists),
 * reads it, the FLAIR and the diffusion parts PlanDiffusion chose (b0 for registration, else the trace; the trace
 * resampled with the same transform; an ADC on the DWI grid shares it), registers each rigidly to the reference with
 * QC, and segments the ICANS structures on the reference by atlas registration. A missing or rejected series is
 * simply absent. Throws InputError(NoUsableDicom) when the study has no usable reference. */
class StudyGeometryStage
{
public:
  explicit StudyGeometryStage(StudyGeometryParams params);
  StudyGeometry Run(const dicom::StudyIndex & index, const Atlas & atlas) const;

private:
  StudyGeometryParams m_Params;
};

/** \brief Writes OUT/volumes/<ROLE>.nii.gz (reference space), OUT/volumes/labels.nii.gz + labels.tsv +
 * labels_slicer.ctbl + labels_itksnap.txt, OUT/transforms/<ROLE>_to_reference.tfm and
 * OUT/transforms/reference_to_atlas.tfm, and returns the files written. */
std::vector<std::filesystem::path> WriteStudyGeometry(const StudyGeometry & geometry,
                                                      const std::filesystem::path & out);

} // namespace icanscan::pipeline
