#include "pipeline/grading/IcansGrading.h"

#include "core/Error.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <stdexcept>

namespace icanscan::pipeline
{
namespace
{
template<typename T>
struct NamedValue
{
  T value;
  const char * name;
};

constexpr NamedValue<IcansDomain> kDomainNames[] = {
  { IcansDomain::Ice, "ice" },     { IcansDomain::Consciousness, "consciousness" }, { IcansDomain::Seizure, "seizure" },
  { IcansDomain::Motor, "motor" }, { IcansDomain::IcpOedema, "icp_oedema" },
};

constexpr NamedValue<ConsciousnessLevel> kConsciousnessNames[] = {
  { ConsciousnessLevel::Normal, "normal" },
  { ConsciousnessLevel::AwakensSpontaneously, "awakens_spontaneously" },
  { ConsciousnessLevel::AwakensToVoice, "awakens_to_voice" },
  { ConsciousnessLevel::AwakensToTactile, "awakens_to_tactile" },
  { ConsciousnessLevel::Unarousable, "unarousable" },
};

constexpr NamedValue<SeizureLevel> kSeizureNames[] = {
  { SeizureLevel::None, "none" },
  { SeizureLevel::RapidlyResolving, "rapidly_resolving" },
  { SeizureLevel::LifeThreatening, "life_threatening" },
};

constexpr NamedValue<MotorFinding> kMotorNames[] = {
  { MotorFinding::None, "none" },
  { MotorFinding::DeepFocalWeakness, "deep_focal_weakness" },
};

template<typename T, std::size_t N>
std::string NameOf(const NamedValue<T> (&names)[N], T value)
{
  for (const auto & n : names)
    if (n.value == value)
      return n.name;
  throw std::logic_error("icans grading: enum value without a name");
}

template<typename T, std::size_t N>
std::optional<T> ValueOf(const NamedValue<T> (&names)[N], const std::string & name)
{
  for (const auto & n : names)
    if (name == n.name)
      return n.value;
  return std::nullopt;
}

template<typename T, std::size_t N>
std::string NameList(const NamedValue<T> (&names)[N])
{
  std::string list;
  for (const auto & n : names)
    list += (list.empty() ? "" : ", ") + std::string(n.name);
  return list;
}

std::string Join(const std::vector<std::string> & items)
{
  std::string s;
  for (const auto & item : items)
    s += (s.empty() ? "" : ", ") + item;
  return s;
}

// The clinical ICP signs: clinical.json key (also the row code suffix) and the field.
struct IcpSign
{
  const char * key;
  std::optional<bool> ClinicalAssessment::*field;
};

constexpr IcpSign kIcpSigns[] = {
  { "posturing", &ClinicalAssessment::posturing },
  { "cranial_nerve_vi_palsy", &ClinicalAssessment::cranialNerveVIPalsy },
  { "papilloedema", &ClinicalAssessment::papilloedema },
  { "cushings_triad", &ClinicalAssessment::cushingsTriad },
};

// The ICE tasks: clinical.json key under "ice", the field and the highest score.
struct IceTask
{
  const char * key;
  int IceComponents::*field;
  int max;
};

constexpr IceTask kIceTasks[] = {
  { "orientation", &IceComponents::orientation, 4 }, { "naming", &IceComponents::naming, 3 },
  { "commands", &IceComponents::commands, 1 },       { "writing", &IceComponents::writing, 1 },
  { "attention", &IceComponents::attention, 1 },
};

std::string IceTaskList()
{
  std::string list;
  for (const auto & task : kIceTasks)
    list += (list.empty() ? "" : ", ") + std::string(task.key) + " (0-" + std::to_string(task.max) + ")";
  return list;
}

bool IceGiven(const ClinicalAssessment & c)
{
  return c.iceScore || c.iceComponents || c.iceUnarousable;
}

void Validate(const ClinicalAssessment & c, const std::string & source)
{
  const auto check = [&source](bool ok, const std::string & what)
  {
    if (!ok)
      throw ConfigError(source + ": " + what);
  };
  if (c.iceScore)
    check(*c.iceScore >= 0 && *c.iceScore <= 10,
          "'ice_score' = " + std::to_string(*c.iceScore) + ": expected an integer 0-10");
  if (c.iceComponents)
  {
    const IceComponents & ice = *c.iceComponents;
    for (const auto & task : kIceTasks)
      check(ice.*task.field >= 0 && ice.*task.field <= task.max,
            "'ice." + std::string(task.key) + "' = " + std::to_string(ice.*task.field) + ": expected an integer 0-" +
              std::to_string(task.max));
    if (c.iceScore)
      check(*c.iceScore == ice.Total(), "'ice_score' = " + std::to_string(*c.iceScore) +
                                          " disagrees with the sum of the 'ice' components (" +
                                          std::to_string(ice.Total()) + "): expected them to agree, or give only one");
  }
  if (c.iceUnarousable.value_or(false))
  {
    const std::optional<int> score =
      c.iceScore ? c.iceScore : (c.iceComponents ? std::optional<int>(c.iceComponents->Total()) : std::nullopt);
    check(!score || *score == 0, "'ice_unarousable' = true with an ICE score of " + std::to_string(score.value_or(0)) +
                                   ": an unarousable patient scores ICE 0");
  }
  if (c.ageYears)
  {
    check(*c.ageYears >= 0 && *c.ageYears <= 150,
          "'age_years' = " + std::to_string(*c.ageYears) + ": expected whole years 0-150");
    check(*c.ageYears > 12 || !IceGiven(c),
          "'age_years' = " + std::to_string(*c.ageYears) +
            ": the adult ICE table does not apply to children <= 12 years; their encephalopathy is assessed with CAPD, "
            "which icanscan does not grade: remove the ICE entries (ice_score, ice, ice_unarousable)");
  }
}

// Reads clinical.json values; every failure names the source, the key, the value and what was expected.
class JsonReader
{
public:
  explicit JsonReader(std::string source)
    : m_Source(std::move(source))
  {
  }

  [[noreturn]] void Fail(const std::string & key, const nlohmann::json & value, const std::string & expected) const
  {
    throw ConfigError(m_Source + ": '" + key + "' = " + value.dump() + ": expected " + expected);
  }

  int Int(const std::string & key, const nlohmann::json & value, int lo, int hi) const
  {
    const std::string expected = "an integer " + std::to_string(lo) + "-" + std::to_string(hi);
    if (!value.is_number_integer())
      Fail(key, value, expected);
    const auto v = value.get<std::int64_t>();
    if (v < lo || v > hi)
      Fail(key, value, expected);
    return static_cast<int>(v);
  }

  bool Bool(const std::string & key, const nlohmann::json & value) const
  {
    if (!value.is_boolean())
      Fail(key, value, "true or false");
    return value.get<bool>();
  }

  template<typename T, std::size_t N>
  T Enum(const std::string & key, const nlohmann::json & value, const NamedValue<T> (&names)[N]) const
  {
    const std::string expected = "one of " + NameList(names);
    if (!value.is_string())
      Fail(key, value, expected);
    const auto parsed = ValueOf(names, value.get<std::string>());
    if (!parsed)
      Fail(key, value, expected);
    return *parsed;
  }

  IceComponents Ice(const nlohmann::json & value) const
  {
    const std::string expected = "an object with " + IceTaskList();
    if (!value.is_object())
      Fail("ice", value, expected);
    for (const auto & [key, item] : value.items())
    {
      const auto task = std::find_if(std::begin(kIceTasks), std::end(kIceTasks),
                                     [&key = key](const IceTask & t) { return key == t.key; });
      if (task == std::end(kIceTasks))
        throw ConfigError(m_Source + ": unknown key 'ice." + key + "' (value " + item.dump() + "); expected " +
                          expected);
    }
    IceComponents ice;
    for (const auto & task : kIceTasks)
    {
      const auto it = value.find(task.key);
      if (it == value.end() || it->is_null())
        Fail("ice", value, expected + " (missing '" + task.key + "')");
      ice.*task.field = Int("ice." + std::string(task.key), *it, 0, task.max);
    }
    return ice;
  }

private:
  std::string m_Source;
};

// Appends the reason for applying `row` to `input` and returns the row's grade.
int Apply(IcansGrade & result, const IcansCriterion & row, const std::string & input)
{
  result.reasons.push_back(ToString(row.domain) + ": " + input + " -> grade " + std::to_string(row.grade) + " (row " +
                           row.code + ": " + row.description + ")");
  return row.grade;
}

const IcansCriterion & IceBand(int score)
{
  const auto & table = IcansCriteria();
  const auto row = std::find_if(table.begin(), table.end(),
                                [score](const IcansCriterion & c)
                                { return c.domain == IcansDomain::Ice && c.iceMin <= score && score <= c.iceMax; });
  if (row == table.end())
    throw std::out_of_range("icans grading: no ICE row for score " + std::to_string(score));
  return *row;
}

std::optional<int> Max(std::optional<int> a, std::optional<int> b)
{
  if (!a)
    return b;
  if (!b)
    return a;
  return std::max(*a, *b);
}

std::optional<int> GradeIce(IcansGrade & result, const ClinicalAssessment & c)
{
  if (c.iceUnarousable.value_or(false))
    return Apply(result, FindIcansCriterion("ice_0_unarousable"), "ice_unarousable true (ICE 0)");
  if (c.iceScore)
    return Apply(result, IceBand(*c.iceScore), "ice_score " + std::to_string(*c.iceScore));
  if (c.iceComponents)
  {
    const IceComponents & ice = *c.iceComponents;
    return Apply(result, IceBand(ice.Total()),
                 "ICE " + std::to_string(ice.Total()) + " (orientation " + std::to_string(ice.orientation) +
                   " + naming " + std::to_string(ice.naming) + " + commands " + std::to_string(ice.commands) +
                   " + writing " + std::to_string(ice.writing) + " + attention " + std::to_string(ice.attention) + ")");
  }
  return std::nullopt;
}

std::optional<int> GradeConsciousness(IcansGrade & result, const ClinicalAssessment & c)
{
  if (!c.consciousness)
    return std::nullopt;
  const std::string level = ToString(*c.consciousness);
  if (c.consciousnessOtherCause.value_or(false) && *c.consciousness != ConsciousnessLevel::Normal)
  {
    return Apply(result, FindIcansCriterion("consciousness_normal"),
                 level + " not counted: consciousness_other_cause true (depressed consciousness attributable to "
                         "another cause, e.g. sedation, is excluded)");
  }
  return Apply(result, FindIcansCriterion("consciousness_" + level), level);
}

std::optional<int> GradeOedemaFlag(IcansGrade & result, OedemaFlag imaging, bool haemorrhage)
{
  if (imaging == OedemaFlag::NotAssessable)
  {
    result.reasons.push_back("icp_oedema: imaging oedema not_assessable: no grade from imaging");
    return std::nullopt;
  }
  if (haemorrhage && imaging != OedemaFlag::None)
  {
    return Apply(result, FindIcansCriterion("icp_oedema_imaging_none"),
                 "imaging oedema " + ToString(imaging) +
                   " not counted: intracranial_haemorrhage true (oedema with intracranial haemorrhage is excluded from "
                   "ICANS grading)");
  }
  return Apply(result, FindIcansCriterion("icp_oedema_imaging_" + ToString(imaging)),
               "imaging oedema " + ToString(imaging));
}

std::optional<int> GradeIcpSigns(IcansGrade & result, const ClinicalAssessment & c)
{
  std::optional<int> grade;
  std::vector<std::string> absent;
  for (const auto & sign : kIcpSigns)
  {
    const std::optional<bool> & value = c.*sign.field;
    if (!value)
      continue;
    if (*value)
      grade = Max(grade, Apply(result, FindIcansCriterion("icp_oedema_" + std::string(sign.key)),
                               std::string(sign.key) + " true"));
    else
      absent.push_back(std::string(sign.key) + " false");
  }
  if (!grade && !absent.empty())
    grade = Apply(result, FindIcansCriterion("icp_oedema_no_clinical_signs"), Join(absent));
  return grade;
}
} // namespace

const std::array<IcansDomain, kIcansDomainCount> & AllIcansDomains()
{
  static const std::array<IcansDomain, kIcansDomainCount> domains{ IcansDomain::Ice, IcansDomain::Consciousness,
                                                                   IcansDomain::Seizure, IcansDomain::Motor,
                                                                   IcansDomain::IcpOedema };
  return domains;
}

std::string ToString(IcansDomain domain)
{
  return NameOf(kDomainNames, domain);
}

std::string ToString(ConsciousnessLevel level)
{
  return NameOf(kConsciousnessNames, level);
}

std::optional<ConsciousnessLevel> ParseConsciousnessLevel(const std::string & name)
{
  return ValueOf(kConsciousnessNames, name);
}

std::string ToString(SeizureLevel level)
{
  return NameOf(kSeizureNames, level);
}

std::optional<SeizureLevel> ParseSeizureLevel(const std::string & name)
{
  return ValueOf(kSeizureNames, name);
}

std::string ToString(MotorFinding finding)
{
  return NameOf(kMotorNames, finding);
}

std::optional<MotorFinding> ParseMotorFinding(const std::string & name)
{
  return ValueOf(kMotorNames, name);
}

const std::vector<IcansCriterion> & IcansCriteria()
{
  using D = IcansDomain;
  // ASTCT consensus grading for adults (Lee et al., Biol Blood Marrow Transplant 2019;25:625-638).
  static const std::vector<IcansCriterion> table{
    { D::Ice, 0, "ice_10", "ICE score 10: no impairment (not a cell of the table)", 10, 10 },
    { D::Ice, 1, "ice_7_9", "ICE score 7-9", 7, 9 },
    { D::Ice, 2, "ice_3_6", "ICE score 3-6", 3, 6 },
    { D::Ice, 3, "ice_0_2", "ICE score 0-2 (0 in an awake patient, e.g. global aphasia, included)", 0, 2 },
    { D::Ice, 4, "ice_0_unarousable", "ICE score 0: patient unarousable and unable to perform ICE" },
    { D::Consciousness, 0, "consciousness_normal", "awake and alert: no depressed consciousness" },
    { D::Consciousness, 1, "consciousness_awakens_spontaneously", "depressed consciousness: awakens spontaneously" },
    { D::Consciousness, 2, "consciousness_awakens_to_voice", "depressed consciousness: awakens to voice" },
    { D::Consciousness, 3, "consciousness_awakens_to_tactile",
      "depressed consciousness: awakens only to tactile stimulus" },
    { D::Consciousness, 4, "consciousness_unarousable",
      "depressed consciousness: unarousable or requires vigorous or repetitive tactile stimuli to arouse; stupor or "
      "coma" },
    { D::Seizure, 0, "seizure_none", "no seizure" },
    { D::Seizure, 3, "seizure_rapidly_resolving",
      "any clinical seizure, focal or generalized, that resolves rapidly, or non-convulsive seizures on EEG that "
      "resolve with intervention" },
    { D::Seizure, 4, "seizure_life_threatening",
      "life-threatening prolonged seizure (> 5 min), or repetitive clinical or electrical seizures without return to "
      "baseline in between" },
    { D::Motor, 0, "motor_none", "no deep focal motor weakness" },
    { D::Motor, 4, "motor_deep_focal_weakness", "deep focal motor weakness such as hemiparesis or paraparesis" },
    { D::IcpOedema, 0, "icp_oedema_imaging_none", "no cerebral oedema on neuroimaging" },
    { D::IcpOedema, 3, "icp_oedema_imaging_focal", "focal/local oedema on neuroimaging" },
    { D::IcpOedema, 4, "icp_oedema_imaging_diffuse", "diffuse cerebral oedema on neuroimaging" },
    { D::IcpOedema, 0, "icp_oedema_no_clinical_signs", "no clinical sign of raised intracranial pressure reported" },
    { D::IcpOedema, 4, "icp_oedema_posturing", "decerebrate or decorticate posturing" },
    { D::IcpOedema, 4, "icp_oedema_cranial_nerve_vi_palsy", "cranial nerve VI palsy" },
    { D::IcpOedema, 4, "icp_oedema_papilloedema", "papilloedema" },
    { D::IcpOedema, 4, "icp_oedema_cushings_triad", "Cushing's triad" },
  };
  return table;
}

const IcansCriterion & FindIcansCriterion(const std::string & code)
{
  const auto & table = IcansCriteria();
  const auto row =
    std::find_if(table.begin(), table.end(), [&code](const IcansCriterion & c) { return code == c.code; });
  if (row == table.end())
    throw std::out_of_range("icans grading: no table row '" + code + "'");
  return *row;
}

ClinicalAssessment ParseClinicalAssessment(const nlohmann::json & json, const std::string & sourceName)
{
  const JsonReader read(sourceName);
  if (!json.is_object())
    throw ConfigError(sourceName + ": expected a JSON object with the clinical assessment, got " + json.type_name());
  ClinicalAssessment c;
  using Handler = std::function<void(const std::string &, const nlohmann::json &)>;
  const auto flag = [&c, &read](std::optional<bool> ClinicalAssessment::*field) -> Handler
  { return [&c, &read, field](const std::string & key, const nlohmann::json & v) { c.*field = read.Bool(key, v); }; };
  const std::map<std::string, Handler> handlers{
    { "ice_score", [&](const std::string & key, const nlohmann::json & v) { c.iceScore = read.Int(key, v, 0, 10); } },
    { "ice", [&](const std::string &, const nlohmann::json & v) { c.iceComponents = read.Ice(v); } },
    { "ice_unarousable", flag(&ClinicalAssessment::iceUnarousable) },
    { "consciousness", [&](const std::string & key, const nlohmann::json & v)
      { c.consciousness = read.Enum(key, v, kConsciousnessNames); } },
    { "consciousness_other_cause", flag(&ClinicalAssessment::consciousnessOtherCause) },
    { "seizure",
      [&](const std::string & key, const nlohmann::json & v) { c.seizure = read.Enum(key, v, kSeizureNames); } },
    { "motor", [&](const std::string & key, const nlohmann::json & v) { c.motor = read.Enum(key, v, kMotorNames); } },
    { "posturing", flag(&ClinicalAssessment::posturing) },
    { "cranial_nerve_vi_palsy", flag(&ClinicalAssessment::cranialNerveVIPalsy) },
    { "papilloedema", flag(&ClinicalAssessment::papilloedema) },
    { "cushings_triad", flag(&ClinicalAssessment::cushingsTriad) },
    { "intracranial_haemorrhage", flag(&ClinicalAssessment::intracranialHaemorrhage) },
    { "age_years", [&](const std::string & key, const nlohmann::json & v) { c.ageYears = read.Int(key, v, 0, 150); } },
  };
  for (const auto & [key, value] : json.items())
  {
    const auto handler = handlers.find(key);
    if (handler == handlers.end())
    {
      std::vector<std::string> known;
      for (const auto & h : handlers)
        known.push_back(h.first);
      throw ConfigError(sourceName + ": unknown key '" + key + "' (value " + value.dump() + "); expected one of " +
                        Join(known));
    }
    if (!value.is_null())
      handler->second(key, value);
  }
  Validate(c, sourceName);
  return c;
}

ClinicalAssessment ReadClinicalAssessment(const std::filesystem::path & path)
{
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ConfigError(name + ": clinical assessment: expected a JSON file, found a folder");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError(name + ": clinical assessment: cannot be read (missing or not readable)");
  const std::string text{ std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
  if (in.bad())
    throw ConfigError(name + ": clinical assessment: read error");
  nlohmann::json json;
  try
  {
    json = nlohmann::json::parse(text);
  }
  catch (const nlohmann::json::parse_error & e)
  {
    throw ConfigError(name + ": clinical assessment: not valid JSON (" + e.what() + ")");
  }
  return ParseClinicalAssessment(json, name);
}

IcansGrade GradeIcans(OedemaFlag imaging, const std::optional<ClinicalAssessment> & clinical)
{
  if (clinical)
    Validate(*clinical, "clinical assessment");
  IcansGrade result;
  const bool haemorrhage = clinical && clinical->intracranialHaemorrhage.value_or(false);
  result.oedemaDomainGrade = GradeOedemaFlag(result, imaging, haemorrhage);

  auto & grades = result.domainGrades;
  const auto at = [&grades](IcansDomain d) -> std::optional<int> & { return grades[static_cast<std::size_t>(d)]; };
  at(IcansDomain::IcpOedema) = result.oedemaDomainGrade;
  bool clinicalInput = false;
  if (clinical)
  {
    const ClinicalAssessment & c = *clinical;
    at(IcansDomain::Ice) = GradeIce(result, c);
    at(IcansDomain::Consciousness) = GradeConsciousness(result, c);
    if (c.seizure)
      at(IcansDomain::Seizure) =
        Apply(result, FindIcansCriterion("seizure_" + ToString(*c.seizure)), ToString(*c.seizure));
    if (c.motor)
      at(IcansDomain::Motor) = Apply(result, FindIcansCriterion("motor_" + ToString(*c.motor)), ToString(*c.motor));
    const std::optional<int> icpSigns = GradeIcpSigns(result, c);
    at(IcansDomain::IcpOedema) = Max(result.oedemaDomainGrade, icpSigns);
    clinicalInput = at(IcansDomain::Ice) || at(IcansDomain::Consciousness) || at(IcansDomain::Seizure) ||
                    at(IcansDomain::Motor) || icpSigns;
    if (icpSigns && !result.oedemaDomainGrade)
      result.reasons.push_back("icp_oedema: graded from the clinical signs only (imaging not assessable)");
  }

  std::vector<std::string> missing;
  for (const IcansDomain d : AllIcansDomains())
  {
    if (!at(d))
    {
      result.domainsNotAssessed.push_back(d);
      missing.push_back(ToString(d));
    }
  }
  if (!clinicalInput)
  {
    result.reasons.push_back("grade: no clinical assessment: imaging alone gives only the oedema domain, never a full "
                             "ICANS grade");
    return result;
  }
  for (const IcansDomain d : AllIcansDomains())
    result.grade = Max(result.grade, at(d));
  if (*result.grade > 0)
  {
    for (const IcansDomain d : AllIcansDomains())
      if (at(d) == result.grade)
        result.determiningDomains.push_back(d);
  }
  if (!missing.empty())
  {
    int highest = 0;
    for (const auto & row : IcansCriteria())
      highest = std::max(highest, row.grade);
    const std::string g = std::to_string(*result.grade);
    result.reasons.push_back(*result.grade < highest
                               ? "grade: " + g + " is a lower bound: no input for " + Join(missing)
                               : "grade: " + g + " is the highest grade; no input for " + Join(missing) +
                                   " cannot change it");
  }
  return result;
}

nlohmann::json ToJson(const IcansGrade & grade)
{
  const auto optional = [](const std::optional<int> & v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  const auto names = [](const std::vector<IcansDomain> & domains)
  {
    nlohmann::json list = nlohmann::json::array();
    for (const IcansDomain d : domains)
      list.push_back(ToString(d));
    return list;
  };
  nlohmann::json j;
  j["oedema_domain_grade"] = optional(grade.oedemaDomainGrade);
  j["grade"] = optional(grade.grade);
  j["determining_domains"] = names(grade.determiningDomains);
  j["domain_grades"] = nlohmann::json::object();
  for (const IcansDomain d : AllIcansDomains())
    j["domain_grades"][ToString(d)] = optional(grade.DomainGrade(d));
  j["domains_not_assessed"] = names(grade.domainsNotAssessed);
  j["reasons"] = grade.reasons;
  return j;
}

} // namespace icanscan::pipeline
