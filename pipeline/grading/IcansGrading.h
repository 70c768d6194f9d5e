#pragma once

#include "core/OedemaFlag.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief The five domains of the ASTCT ICANS grade for adults (Lee et al. 2019), in report order. */
enum class IcansDomain
{
  Ice,           //!< "ice": immune effector cell-associated encephalopathy score
  Consciousness, //!< "consciousness": depressed level of consciousness
  Seizure,       //!< "seizure"
  Motor,         //!< "motor": motor findings
  IcpOedema,     //!< "icp_oedema": raised intracranial pressure / cerebral oedema
};

constexpr std::size_t kIcansDomainCount = 5;

/** \brief All domains in report order. */
const std::array<IcansDomain, kIcansDomainCount> & AllIcansDomains();
std::string ToString(IcansDomain domain);

/** \brief Level of consciousness (clinical.json "consciousness"). */
enum class ConsciousnessLevel
{
  Normal,               //!< "normal": awake and alert
  AwakensSpontaneously, //!< "awakens_spontaneously"
  AwakensToVoice,       //!< "awakens_to_voice"
  AwakensToTactile,     //!< "awakens_to_tactile": awakens only to tactile stimulus
  Unarousable,          //!< "unarousable": or needs vigorous/repetitive tactile stimuli; stupor or coma
};

std::string ToString(ConsciousnessLevel level);
std::optional<ConsciousnessLevel> ParseConsciousnessLevel(const std::string & name);

/** \brief Seizures (clinical.json "seizure"). */
enum class SeizureLevel
{
  None,             //!< "none"
  RapidlyResolving, //!< "rapidly_resolving": clinical seizure resolving rapidly, or non-convulsive seizures on EEG
                    //!< resolving with intervention
  LifeThreatening,  //!< "life_threatening": prolonged (> 5 min), or repetitive without return to baseline
};

std::string ToString(SeizureLevel level);
std::optional<SeizureLevel> ParseSeizureLevel(const std::string & name);

/** \brief Motor findings (clinical.json "motor"). */
enum class MotorFinding
{
  None,              //!< "none"
  DeepFocalWeakness, //!< "deep_focal_weakness": hemiparesis or paraparesis
};

std::string ToString(MotorFinding finding);
std::optional<MotorFinding> ParseMotorFinding(const std::string & name);

/** \brief One cell of the ASTCT ICANS table (adults), plus the grade-0 rows for normal findings so that every
 * input the grading sees maps to exactly one row.
 *
 * Rows of a domain that takes a named value have the code "<domain>_<value>" (e.g.
 * "consciousness_awakens_to_voice", "icp_oedema_imaging_focal", "icp_oedema_papilloedema"). ICE rows are matched by
 * score range instead; "ice_0_unarousable" has no range and is matched by the ice_unarousable flag. */
struct IcansCriterion
{
  IcansDomain domain;
  int grade;                //!< 0-4; 0 rows are the normal findings, not cells of the published table
  const char * code;        //!< stable key, used in reasons
  const char * description; //!< the table cell's wording
  int iceMin = -1;          //!< ICE rows: lowest score of the band (inclusive); -1 for rows matched by value
  int iceMax = -1;          //!< ICE rows: highest score of the band (inclusive); -1 for rows matched by value
};

/** \brief The ASTCT ICANS table as data; GradeIcans takes every grade from it. */
const std::vector<IcansCriterion> & IcansCriteria();

/** \brief The row with this code; throws std::out_of_range for an unknown code (a programming error). */
const IcansCriterion & FindIcansCriterion(const std::string & code);

/** \brief The five ICE tasks; the ICE score is their sum (0-10). */
struct IceComponents
{
  int orientation = 0; //!< year, month, city, hospital: 0-4
  int naming = 0;      //!< three objects: 0-3
  int commands = 0;    //!< follows simple commands: 0-1
  int writing = 0;     //!< writes a standard sentence: 0-1
  int attention = 0;   //!< counts back from 100 by 10: 0-1

  int Total() const { return orientation + naming + commands + writing + attention; }
};

/** \brief The bedside assessment (clinical.json). An unset field means "not given": that input is not assessed. */
struct ClinicalAssessment
{
  std::optional<int> iceScore;                //!< 0-10
  std::optional<IceComponents> iceComponents; //!< summed; must agree with iceScore when both are given
  std::optional<bool> iceUnarousable;         //!< ICE could not be done because the patient is unarousable (ICE 0)
  std::optional<ConsciousnessLevel> consciousness;
  std::optional<bool> consciousnessOtherCause; //!< depressed consciousness has another cause (e.g. sedation)
  std::optional<SeizureLevel> seizure;
  std::optional<MotorFinding> motor;
  std::optional<bool> posturing; //!< decerebrate or decorticate posturing
  std::optional<bool> cranialNerveVIPalsy;
  std::optional<bool> papilloedema;
  std::optional<bool> cushingsTriad;
  std::optional<bool> intracranialHaemorrhage; //!< oedema on imaging is then not counted (ASTCT exclusion)
  std::optional<int> ageYears;                 //!< whole years, 0-150; <= 12 needs CAPD instead of ICE
};

/** \brief Reads the clinical.json object. Throws ConfigError naming `sourceName`, the key, the value and what was
 * expected for an unknown key, a wrong type, an out-of-range value, ice_score disagreeing with the ice components,
 * ice_unarousable with a non-zero ICE, or an ICE given for a child (age_years <= 12: CAPD applies). null = not given.
 */
ClinicalAssessment ParseClinicalAssessment(const nlohmann::json & json, const std::string & sourceName);

/** \brief ParseClinicalAssessment of a file; throws ConfigError naming the file when it cannot be read or is not
 * JSON. */
ClinicalAssessment ReadClinicalAssessment(const std::filesystem::path & path);

/** \brief The ASTCT ICANS grade with the evidence behind it. */
struct IcansGrade
{
  /** From imaging alone: none 0, focal 3, diffuse 4; 0 when excluded by intracranial haemorrhage; unset when the
   * imaging is not assessable. */
  std::optional<int> oedemaDomainGrade;
  /** Max over the assessed domains; unset without clinical input (imaging alone never gives a full grade). A lower
   * bound when domainsNotAssessed is not empty. */
  std::optional<int> grade;
  /** Indexed by IcansDomain; unset for a domain without input. icp_oedema = max(imaging, clinical ICP signs). */
  std::array<std::optional<int>, kIcansDomainCount> domainGrades;
  std::vector<IcansDomain> determiningDomains; //!< the domains at the maximal grade, when grade > 0
  std::vector<IcansDomain> domainsNotAssessed;
  std::vector<std::string> reasons; //!< each names the domain, the input value and the table row applied

  std::optional<int> DomainGrade(IcansDomain domain) const { return domainGrades[static_cast<std::size_t>(domain)]; }
};

/** \brief Grades ICANS from the imaging oedema and the bedside assessment, looking every grade up in
 * IcansCriteria(). Throws ConfigError when `clinical` breaks the rules ParseClinicalAssessment checks. */
IcansGrade GradeIcans(OedemaFlag imaging, const std::optional<ClinicalAssessment> & clinical);

/** \brief Keys: oedema_domain_grade, grade, determining_domains, domain_grades {ice, consciousness, seizure, motor,
 * icp_oedema}, domains_not_assessed, reasons; null where unset. */
nlohmann::json ToJson(const IcansGrade & grade);

} // namespace icanscan::pipeline
