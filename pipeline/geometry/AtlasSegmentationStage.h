#pragma once

#include "filters/AtlasRegistration.h"
#include "pipeline/geometry/AtlasLoader.h"
#include "pipeline/geometry/TissueAnatomyCheck.h"

#include "itkCompositeTransform.h"
#include "itkImage.h"

#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Contrast of the subject reference series: decides which intensity class is CSF, GM and WM. */
enum class SubjectContrast
{
  T1,    //!< CSF < GM < WM
  T2,    //!< WM < GM < CSF
  FLAIR, //!< CSF < WM < GM
};

/** \brief How far the subject's own tissue may move a propagated structure's boundary (mm). */
struct SegmentationRefineParams
{
  double whiteMatterSearchMm = 3.0;      //!< WM class within this of propagated WM/CC/EC; [0, 10]
  double callosumSearchMm = 1.0;         //!< WM class within this of a propagated callosal part; [0, 10]
  double ventricleSearchMm = 10.0;       //!< CSF connected to the propagated ventricles within this; [0, 30]
  double ventricleSurfaceMarginMm = 8.0; //!< and deeper than this below the brain surface (not sulci); [0, 30]
};

/** \brief Parameters of AtlasSegmentationStage (lengths in mm). */
struct AtlasSegmentationParams
{
  filters::AtlasRegistrationParams registration; //!< the brain-masked affine + B-spline pass
  bool headPass = true;        //!< first an affine head-to-head pass (ch2 with skull): for unstripped subjects
  double maskDilationMm = 5.0; //!< propagated brain mask dilated by this for the masked pass; [0, 20]
  /** Atlas labels are carried to the reference through the transform evaluated every this many mm and interpolated
   * in between (filters::ResampleMasks); 0: at every voxel. [0, 20]. 2 mm: 8 s -> 1 s on 0.45 mm T2 slices. */
  double transformLatticeMm = 2.0;
  bool refineOnSubject = true; //!< white matter, ventricles and corpus callosum from the subject's tissue classes
  SegmentationRefineParams refine;
  TissueAnatomyParams tissue; //!< when the intensity classes no longer describe the anatomy (CheckTissueAgainstAnatomy)
};

/** \brief Result of AtlasSegmentationStage, on the reference grid. */
struct AtlasSegmentationResult
{
  itk::Image<unsigned char, 3>::Pointer labels; //!< pipeline::Structure values
  /** The atlas labels as propagated, before refinement on the subject's tissue classes: a lesion that changed a
   * voxel's tissue class (and so left the refined white matter) still has its structure here. */
  itk::Image<unsigned char, 3>::Pointer propagatedLabels;
  itk::Image<unsigned char, 3>::Pointer brainMask; //!< propagated atlas brain mask (0/1)
  itk::Image<unsigned char, 3>::Pointer tissue;    //!< subject tissue classes: 0 outside, 1 CSF, 2 GM, 3 WM
  TissueAnatomyCheck tissueCheck; //!< how the tissue classes compare with the atlas's (and whether it named them)
  itk::CompositeTransform<double, 3>::Pointer subjectToAtlas; //!< reference point -> atlas point
  double registrationSeconds = 0;
  double seconds = 0;
  std::vector<std::string> notes; //!< what was done, for the methods text and the log
};

/** \brief Segments the ICANS structures on the reference series by registering the atlas (Colin27 T1 + AAL + JHU,
 * see LoadAtlas) and propagating its labels, then refining white matter, lateral ventricles and corpus callosum on the
 * subject's own tissue classes (the atlas has neither whole-WM nor ventricle labels, and JHU was drawn on another
 * brain): a propagated structure keeps only the subject voxels of its tissue class near it (SegmentationRefineParams).
 */
class AtlasSegmentationStage
{
public:
  explicit AtlasSegmentationStage(AtlasSegmentationParams params);
  AtlasSegmentationResult Run(const itk::Image<float, 3> * reference,
                              SubjectContrast contrast,
                              const Atlas & atlas) const;

private:
  AtlasSegmentationParams m_Params;
};

void ValidateAtlasSegmentationParams(const AtlasSegmentationParams & params);

} // namespace icanscan::pipeline
