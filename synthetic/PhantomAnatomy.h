#pragma once

#include "pipeline/geometry/StructureLabels.h"
#include "synthetic/AnatomySource.h"
#include "synthetic/AnatomyVariability.h"
#include "synthetic/PhantomCase.h"
#include "synthetic/PhantomDeformation.h"

#include <array>
#include <string>
#include <vector>

namespace icanscan::synthetic
{

/** \brief Parameters of BuildPhantomAnatomy. */
struct PhantomAnatomyParams
{
  unsigned seed = 1;               //!< the anatomy's random stream (warp, focal lesion position); case-independent
  double warpMaximumMm = 0.0;      //!< largest displacement of the random warp over the brain; 0: uniform in [3, 6]
  double warpCorrelationMm = 15.0; //!< Gaussian smoothing (std, mm) of the warp's white noise
  double warpSpacingMm = 2.0;      //!< grid of the warp field
  DrawnAnatomy drawn;              //!< the subject's anatomical variables (DrawAnatomy)
};

using StructureVolumes = std::array<double, pipeline::kStructureCount + 1>;

/** \brief Volumes (ml) of one state of the subject. */
struct SubjectVolumes
{
  StructureVolumes structureMl{};
  std::array<double, 2> ventriclesMl{}; //!< lateral ventricles left (LPS x >= 0 of the atlas grid), right
  double sulcalCsfMl = 0.0;             //!< CSF in the brain outside every structure and the cisterns
  double externalCsfMl = 0.0;           //!< subarachnoid CSF outside the brain, outside the cisterns
  double cisternCsfMl = 0.0;            //!< CSF in the basal-cistern region
  double intracranialMl = 0.0;          //!< brain + subarachnoid CSF (inside the inner table of the skull)
};

/** \brief One subject's anatomy: the source anatomy with the drawn variations and the case's pathology applied, on
 * the source grid, and the random warp and head-size scale that make the subject differ from it.
 *
 * The subject is the (changed) source seen through `warp` and `scale`: a subject point y shows the source at
 * warp.Map(c + (y - c) / scale), c = brainCentre. Variations and pathology are applied on the source grid first, so
 * two cases with one seed share the warp, the scale and the normal subject, and differ only by their pathology. */
struct PhantomAnatomy
{
  LabelImage::Pointer labels;                     //!< pipeline::Structure values after pathology
  LabelImage::Pointer head;                       //!< HeadTissue
  FloatImage::Pointer csf, gm, wm;                //!< brain partial-volume fractions (sum 1 in the brain, 0 outside)
  LabelImage::Pointer cisterns;                   //!< basal-cistern region (BasalCisternRegion), deformed with it
  LabelImage::Pointer infarctCore;                //!< chronic infarct: its CSF core (1), else null
  std::vector<FloatImage::Pointer> lesionWeights; //!< per case lesion: its signal weight in [0, 1], edges blurred 1 mm
  LabelImage::Pointer lesionT2Flair;              //!< truth: 1 in T2/FLAIR-involved lesions
  LabelImage::Pointer lesionDwi;                  //!< truth: 1 in DWI-bright lesions (restriction or shine-through)
  DisplacementField warp;                         //!< subject -> source
  double warpMaximumMm = 0.0;
  std::pair<double, double> warpJacobian{ 1.0, 1.0 };
  double scale = 1.0;            //!< head-size scale about brainCentre (intracranial volume drawn / source's)
  std::vector<Vec3> brainPoints; //!< a subsample of the brain, source mm (for planning the field of view)
  Vec3 brainCentre{};            //!< source mm
  DrawnAnatomy drawn;
  StructureVolumes templateMl{};              //!< structure volumes of the source (source grid, ml)
  StructureVolumes normalMl{};                //!< of the normal subject (after the drawn variations; source grid)
  StructureVolumes caseMl{};                  //!< after the pathology (source grid)
  std::array<double, 2> normalVentriclesMl{}; //!< lateral ventricles of the normal subject: left (LPS x >= 0), right
  std::array<double, 2> caseVentriclesMl{};   //!< after the pathology
  SubjectVolumes normal;                      //!< the normal subject in its own space (warp and scale applied)
  SubjectVolumes pathological;                //!< the case's subject in its own space
  double templateVentriclesMl = 0.0, templateSulcalMl = 0.0, templateIntracranialMl = 0.0; //!< source grid
  double normalSulcalMl = 0.0;  //!< sulcal CSF of the normal subject (source grid)
  double midlineShiftMm = 0.0;  //!< septum displacement along LPS x by the pathology (+: towards the subject's left)
  std::vector<double> lesionMl; //!< per case lesion, on the source grid after pathology (the chronic core excluded)
  double infarctCoreMl = 0.0;
  std::vector<std::string> notes;
};

/** \brief Builds the anatomy of one case:
 * 1. the source's fractions, labels and head (a synthetic skull and scalp for a skull-stripped source), the basal
 *    cisterns (BasalCisternRegion);
 * 2. the drawn variations: sulcal CSF (ScaleSulcalCsf), lateral ventricles (MakeSurfaceField), thalami
 *    (MakeSwellingField): the normal subject, whose volumes are recorded;
 * 3. the case's pathology (PhantomPathology.cxx): diffuse swelling, lesions, swellings, mass effect, volume loss;
 * 4. the random warp (MakeRandomWarp) and the head-size scale.
 * `phantomCase` is a realised case (RealiseCase). Throws std::logic_error when a deformation would fold (a bug, not
 * an input problem). */
PhantomAnatomy BuildPhantomAnatomy(const AnatomySource & source,
                                   const PhantomCase & phantomCase,
                                   const PhantomAnatomyParams & params);

/** \brief Structure volumes (ml) of a label image on its own grid. */
StructureVolumes VolumesMl(const LabelImage * labels);

} // namespace icanscan::synthetic
