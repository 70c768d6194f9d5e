#pragma once

#include "pipeline/geometry/StructureLabels.h"

#include <string>
#include <utility>
#include <vector>

namespace icanscan::synthetic
{

/** \brief Oedema as the ASTCT grade's oedema domain sees it. */
enum class OedemaKind
{
  None,    //!< grade 0 in the oedema domain
  Focal,   //!< focal/local oedema on neuroimaging: grade 3
  Diffuse, //!< diffuse cerebral oedema on neuroimaging: grade 4
};

std::string ToString(OedemaKind kind);
int AstctOedemaGrade(OedemaKind kind);

/** \brief How a lesion changes the tissue under it: factors on the normal tissue's proton density, T2 and ADC. */
struct LesionSignal
{
  double pdFactor = 1.0;
  double t2Factor = 1.0;
  double adcFactor = 1.0;
};

/** \brief One lesion of a case. */
struct PhantomLesion
{
  std::string name;
  /** The lesion covers these structures (after swelling). With focalRadiusMm > 0 only the part of them inside a
   * sphere of that radius around a point in the first structure. */
  std::vector<pipeline::Structure> structures;
  double focalRadiusMm = 0.0;
  LesionSignal signal;
  bool t2FlairInvolved = false;     //!< expected finding: T2/FLAIR hyperintense
  bool diffusionRestricted = false; //!< expected finding: DWI bright and ADC low
  bool dwiBright = false;           //!< in lesion_dwi.nii.gz: b1000 clearly brighter (restriction or shine-through)
};

/** \brief A change of volume: each structure is scaled about its own centroid (radial expansion with a smooth
 * fall-off around it). */
struct PhantomSwelling
{
  std::vector<pipeline::Structure> structures;
  double volumePercent = 0.0; //!< +20: each structure 20 % larger; negative: compressed
  double falloffMm = 10.0;    //!< distance outside the structure over which the displacement fades to zero
};

/** \brief A synthetic ICANS case, as data. */
struct PhantomCase
{
  std::string name;
  std::string description;
  std::vector<PhantomLesion> lesions;
  std::vector<PhantomSwelling> swellings;
  /** Diffuse oedema: sulcal CSF mostly replaced by swollen cortex, the ventricles narrowed by an eroded rim. */
  bool diffuseSwelling = false;
  OedemaKind oedema = OedemaKind::None;
  /** Longitudinal cases: (session folder, case name) studies of one anatomy, e.g. baseline + follow-up. */
  std::vector<std::pair<std::string, std::string>> sessions;
  /** Mass effect of the focal lesion (mm; 0: none): its hemisphere pushed towards the other one (MakeHemispherePush),
   * which shifts the midline and compresses the ipsilateral ventricle. */
  double massEffectPushMm = 0.0;
};

/** \brief Every case, in a fixed order. */
const std::vector<PhantomCase> & PhantomCases();

/** \brief The case of that name; throws UsageError listing the valid names when there is none. */
const PhantomCase & FindPhantomCase(const std::string & name);

/** \brief The valid case names separated by ", " (for help texts and errors). */
std::string PhantomCaseNames();

} // namespace icanscan::synthetic
