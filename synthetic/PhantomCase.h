#pragma once

#include "core/OedemaFlag.h"
#include "pipeline/geometry/StructureLabels.h"
#include "synthetic/AnatomyVariability.h"

#include <string>
#include <utility>
#include <vector>

namespace icanscan::synthetic
{

/** \brief The ASTCT oedema-domain grade of a true oedema flag (the program's own OedemaFlag; a phantom's truth is
 * none, focal or diffuse): none 0, focal 3, diffuse 4. */
int AstctOedemaGrade(OedemaFlag flag);

/** \brief How a lesion changes the tissue under it: factors on the normal tissue's proton density, T2 and ADC. */
struct LesionSignal
{
  double pdFactor = 1.0;
  double t2Factor = 1.0;
  double adcFactor = 1.0;
};

/** \brief Where a lesion lies. */
enum class LesionPlacement
{
  Structures,      //!< the whole of its structures
  Focal,           //!< a lobulated sphere of focalRadiusMm in the first structure, 15-40 mm above the AC plane
  Territory,       //!< a vascular-territory lesion: lateral white matter and the cortex over it (centred 32-45 mm
                   //!< from the midline, 5-30 mm above the AC plane), its volume drawn from volumeMl
  DeepWhiteMatter, //!< the white matter of its structures deeper than 3.5 mm from the cortex (U-fibres spared)
};

/** \brief One lesion of a case. */
struct PhantomLesion
{
  std::string name;
  /** The lesion covers these structures (after swelling); see `placement`. */
  std::vector<pipeline::Structure> structures;
  double focalRadiusMm = 0.0; //!< Focal: the radius; Territory: found to give the drawn volume
  LesionSignal signal;
  bool t2FlairInvolved = false;     //!< expected finding: T2/FLAIR hyperintense
  bool diffusionRestricted = false; //!< expected finding: DWI bright and ADC low
  bool dwiBright = false;           //!< in lesion_dwi.nii.gz: b1000 clearly brighter (restriction or shine-through)
  LesionPlacement placement = LesionPlacement::Structures;
  std::pair<double, double> volumeMl{ 0.0, 0.0 }; //!< Territory: the lesion volume (uniform; the midpoint if fixed)
  /** Chronic infarct: the inner part (this fraction of the radius) is CSF (encephalomalacia, not in the lesion
   * masks: truth/infarct_core.nii.gz), the rest gliosis with `signal`. */
  double coreFraction = 0.0;
};

/** \brief A change of volume: each structure is scaled about its own centroid (radial expansion with a smooth
 * fall-off around it). */
struct PhantomSwelling
{
  std::vector<pipeline::Structure> structures;
  double volumePercent = 0.0; //!< +20: each structure 20 % larger; negative: compressed
  double falloffMm = 10.0;    //!< distance outside the structure over which the displacement fades to zero
  /** With variability, the percentage is drawn uniformly from this range (when it is not empty). */
  std::pair<double, double> drawnPercent{ 0.0, 0.0 };
};

/** \brief One study of a longitudinal case. */
struct PhantomSession
{
  std::string folder;           //!< e.g. "baseline"
  std::string caseName;         //!< the case of that study
  double swellingPercent = 0.0; //!< > 0: the case's swellings are exactly this (not drawn)
};

/** \brief A synthetic ICANS case, as data. */
struct PhantomCase
{
  std::string name;
  std::string description;
  std::vector<PhantomLesion> lesions;
  std::vector<PhantomSwelling> swellings;
  /** Diffuse oedema: lateral ventricles compressed to half, sulcal and subarachnoid CSF to 0.3 of their volume,
   * three quarters of the basal cisterns' CSF replaced by swollen tissue. */
  bool diffuseSwelling = false;
  OedemaFlag oedema = OedemaFlag::None; //!< the truth: None, Focal or Diffuse
  /** Longitudinal cases: the studies of one anatomy, e.g. baseline + follow-up. */
  std::vector<PhantomSession> sessions;
  /** Mass effect of the focal lesion (mm; 0: none): its hemisphere pushed towards the other one (MakeHemispherePush),
   * which shifts the midline and compresses the ipsilateral ventricle. */
  double massEffectPushMm = 0.0;
  /** Ranges for the subject (normal_young, normal_atrophic); empty: the general model of DrawAnatomy. */
  PhantomPopulation population;
  /** One-sided pathology: written on the right; with variability the side is drawn from the seed (then mirrored). */
  bool lateralised = false;
  /** Volume loss (chronic infarct): the lateral ventricle on the lesion's side enlarges by this % (ex vacuo, its
   * septal wall held), and the septum is pulled this far (mm) towards the lesion (the hemisphere push reversed). */
  double exVacuoPercent = 0.0;
  double volumeLossPullMm = 0.0;
  /** Sulci within 40 mm of the focal or territory lesion, on its side: > 0 widened (volume loss), < 0 effaced
   * (mass effect) by this distance (mm) at the lesion, fading with the distance. */
  double localSulcalMm = 0.0;
  std::string side; //!< "right" or "left" for lateralised cases once realised (RealiseCase), else ""
};

/** \brief Every case, in a fixed order. */
const std::vector<PhantomCase> & PhantomCases();

/** \brief The case of that name; throws UsageError listing the valid names when there is none. */
const PhantomCase & FindPhantomCase(const std::string & name);

/** \brief The valid case names separated by ", " (for help texts and errors). */
std::string PhantomCaseNames();

/** \brief The case as one subject shows it: with variability, the side of a lateralised case (mirrored when left),
 * the swelling percentages and territory volumes drawn from the seed (their own stream); without, the nominal
 * values (right side, range midpoints). `sessionSwellingPercent` > 0 fixes the swellings. */
PhantomCase RealiseCase(const PhantomCase & phantomCase, unsigned seed, bool vary, double sessionSwellingPercent = 0.0);

} // namespace icanscan::synthetic
