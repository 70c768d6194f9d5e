// ASTCT grading, part 1: every cell of the table, worst-domain rules, exclusions, the table itself.
// Part 2, ClinicalAssessmentTest.cxx, covers clinical.json input.
#include "pipeline/grading/IcansGrading.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <set>

namespace
{
using icanscan::OedemaFlag;
using icanscan::pipeline::ClinicalAssessment;
using icanscan::pipeline::ConsciousnessLevel;
using icanscan::pipeline::GradeIcans;
using icanscan::pipeline::IcansDomain;
using icanscan::pipeline::IcansGrade;
using icanscan::pipeline::IceComponents;
using icanscan::pipeline::MotorFinding;
using icanscan::pipeline::SeizureLevel;
using Domains = std::vector<IcansDomain>;

IcansGrade Grade(const ClinicalAssessment & clinical, OedemaFlag imaging = OedemaFlag::NotAssessable)
{
  return GradeIcans(imaging, clinical);
}

ClinicalAssessment Ice(int score)
{
  ClinicalAssessment c;
  c.iceScore = score;
  return c;
}

ClinicalAssessment Consciousness(ConsciousnessLevel level)
{
  ClinicalAssessment c;
  c.consciousness = level;
  return c;
}

ClinicalAssessment Seizure(SeizureLevel level)
{
  ClinicalAssessment c;
  c.seizure = level;
  return c;
}

ClinicalAssessment Motor(MotorFinding finding)
{
  ClinicalAssessment c;
  c.motor = finding;
  return c;
}

bool AnyReasonContains(const IcansGrade & g, const std::string & text)
{
  for (const auto & r : g.reasons)
    if (r.find(text) != std::string::npos)
      return true;
  return false;
}

// One clinical domain graded alone: that domain's grade is the overall grade; it determines the grade when > 0.
void ExpectSingleDomain(const IcansGrade & g, IcansDomain domain, int expected, const std::string & row)
{
  EXPECT_EQ(g.DomainGrade(domain), expected);
  EXPECT_EQ(g.grade, expected);
  EXPECT_EQ(g.determiningDomains, expected > 0 ? Domains{ domain } : Domains{});
  EXPECT_TRUE(AnyReasonContains(g, "row " + row + ":")) << "expected a reason naming row " << row;
}

// ICE: 10 -> 0, 7-9 -> 1, 3-6 -> 2, 0-2 -> 3, 0 unarousable -> 4. Every band boundary.
TEST(IcansGradingTest, Ice10IsGrade0)
{
  ExpectSingleDomain(Grade(Ice(10)), IcansDomain::Ice, 0, "ice_10");
}

TEST(IcansGradingTest, Ice9IsGrade1)
{
  ExpectSingleDomain(Grade(Ice(9)), IcansDomain::Ice, 1, "ice_7_9");
}

TEST(IcansGradingTest, Ice7IsGrade1)
{
  ExpectSingleDomain(Grade(Ice(7)), IcansDomain::Ice, 1, "ice_7_9");
}

TEST(IcansGradingTest, Ice6IsGrade2)
{
  ExpectSingleDomain(Grade(Ice(6)), IcansDomain::Ice, 2, "ice_3_6");
}

TEST(IcansGradingTest, Ice3IsGrade2)
{
  ExpectSingleDomain(Grade(Ice(3)), IcansDomain::Ice, 2, "ice_3_6");
}

TEST(IcansGradingTest, Ice2IsGrade3)
{
  ExpectSingleDomain(Grade(Ice(2)), IcansDomain::Ice, 3, "ice_0_2");
}

TEST(IcansGradingTest, Ice0AwakeWithGlobalAphasiaIsGrade3)
{
  ClinicalAssessment c = Ice(0);
  c.iceUnarousable = false;
  ExpectSingleDomain(Grade(c), IcansDomain::Ice, 3, "ice_0_2");
  ExpectSingleDomain(Grade(Ice(0)), IcansDomain::Ice, 3, "ice_0_2");
}

TEST(IcansGradingTest, Ice0UnarousableIsGrade4)
{
  ClinicalAssessment c = Ice(0);
  c.iceUnarousable = true;
  ExpectSingleDomain(Grade(c), IcansDomain::Ice, 4, "ice_0_unarousable");
}

TEST(IcansGradingTest, IceUnarousableWithoutScoreIsGrade4)
{
  ClinicalAssessment c;
  c.iceUnarousable = true;
  ExpectSingleDomain(Grade(c), IcansDomain::Ice, 4, "ice_0_unarousable");
}

TEST(IcansGradingTest, IceUnarousableFalseAloneDoesNotAssessIce)
{
  ClinicalAssessment c = Seizure(SeizureLevel::None);
  c.iceUnarousable = false;
  const IcansGrade g = Grade(c);
  EXPECT_EQ(g.DomainGrade(IcansDomain::Ice), std::nullopt);
  EXPECT_EQ(g.domainsNotAssessed.front(), IcansDomain::Ice);
}

TEST(IcansGradingTest, IceComponentsAreSummed)
{
  ClinicalAssessment c;
  c.iceComponents = IceComponents{ 3, 2, 1, 0, 0 }; // 6: grade 2
  ExpectSingleDomain(Grade(c), IcansDomain::Ice, 2, "ice_3_6");
  c.iceComponents = IceComponents{ 4, 3, 1, 1, 0 }; // 9: grade 1
  ExpectSingleDomain(Grade(c), IcansDomain::Ice, 1, "ice_7_9");
}

// Depressed consciousness.
TEST(IcansGradingTest, ConsciousnessNormalIsGrade0)
{
  ExpectSingleDomain(Grade(Consciousness(ConsciousnessLevel::Normal)), IcansDomain::Consciousness, 0,
                     "consciousness_normal");
}

TEST(IcansGradingTest, AwakensSpontaneouslyIsGrade1)
{
  ExpectSingleDomain(Grade(Consciousness(ConsciousnessLevel::AwakensSpontaneously)), IcansDomain::Consciousness, 1,
                     "consciousness_awakens_spontaneously");
}

TEST(IcansGradingTest, AwakensToVoiceIsGrade2)
{
  ExpectSingleDomain(Grade(Consciousness(ConsciousnessLevel::AwakensToVoice)), IcansDomain::Consciousness, 2,
                     "consciousness_awakens_to_voice");
}

TEST(IcansGradingTest, AwakensOnlyToTactileStimulusIsGrade3)
{
  ExpectSingleDomain(Grade(Consciousness(ConsciousnessLevel::AwakensToTactile)), IcansDomain::Consciousness, 3,
                     "consciousness_awakens_to_tactile");
}

TEST(IcansGradingTest, UnarousableIsGrade4)
{
  ExpectSingleDomain(Grade(Consciousness(ConsciousnessLevel::Unarousable)), IcansDomain::Consciousness, 4,
                     "consciousness_unarousable");
}

// Seizure.
TEST(IcansGradingTest, NoSeizureIsGrade0)
{
  ExpectSingleDomain(Grade(Seizure(SeizureLevel::None)), IcansDomain::Seizure, 0, "seizure_none");
}

TEST(IcansGradingTest, RapidlyResolvingSeizureIsGrade3)
{
  ExpectSingleDomain(Grade(Seizure(SeizureLevel::RapidlyResolving)), IcansDomain::Seizure, 3,
                     "seizure_rapidly_resolving");
}

TEST(IcansGradingTest, LifeThreateningSeizureIsGrade4)
{
  ExpectSingleDomain(Grade(Seizure(SeizureLevel::LifeThreatening)), IcansDomain::Seizure, 4,
                     "seizure_life_threatening");
}

// Motor.
TEST(IcansGradingTest, NoMotorFindingIsGrade0)
{
  ExpectSingleDomain(Grade(Motor(MotorFinding::None)), IcansDomain::Motor, 0, "motor_none");
}

TEST(IcansGradingTest, DeepFocalMotorWeaknessIsGrade4)
{
  ExpectSingleDomain(Grade(Motor(MotorFinding::DeepFocalWeakness)), IcansDomain::Motor, 4, "motor_deep_focal_weakness");
}

// Raised ICP: clinical signs (imaging not assessable, so the signs alone set the domain).
TEST(IcansGradingTest, PosturingIsGrade4)
{
  ClinicalAssessment c;
  c.posturing = true;
  ExpectSingleDomain(Grade(c), IcansDomain::IcpOedema, 4, "icp_oedema_posturing");
}

TEST(IcansGradingTest, CranialNerveVIPalsyIsGrade4)
{
  ClinicalAssessment c;
  c.cranialNerveVIPalsy = true;
  ExpectSingleDomain(Grade(c), IcansDomain::IcpOedema, 4, "icp_oedema_cranial_nerve_vi_palsy");
}

TEST(IcansGradingTest, PapilloedemaIsGrade4)
{
  ClinicalAssessment c;
  c.papilloedema = true;
  ExpectSingleDomain(Grade(c), IcansDomain::IcpOedema, 4, "icp_oedema_papilloedema");
}

TEST(IcansGradingTest, CushingsTriadIsGrade4)
{
  ClinicalAssessment c;
  c.cushingsTriad = true;
  ExpectSingleDomain(Grade(c), IcansDomain::IcpOedema, 4, "icp_oedema_cushings_triad");
}

TEST(IcansGradingTest, NoClinicalIcpSignIsGrade0)
{
  ClinicalAssessment c;
  c.posturing = false;
  c.papilloedema = false;
  const IcansGrade g = Grade(c);
  ExpectSingleDomain(g, IcansDomain::IcpOedema, 0, "icp_oedema_no_clinical_signs");
  EXPECT_EQ(g.oedemaDomainGrade, std::nullopt);
}

// Imaging oedema: the oedema domain grade, with and without clinical input.
TEST(IcansGradingTest, NoOedemaFlagIsOedemaGrade0)
{
  const IcansGrade g = Grade(Ice(10), OedemaFlag::None);
  EXPECT_EQ(g.oedemaDomainGrade, 0);
  ExpectSingleDomain(g, IcansDomain::IcpOedema, 0, "icp_oedema_imaging_none");
}

TEST(IcansGradingTest, FocalOedemaFlagIsGrade3)
{
  const IcansGrade g = Grade(Ice(10), OedemaFlag::Focal);
  EXPECT_EQ(g.oedemaDomainGrade, 3);
  ExpectSingleDomain(g, IcansDomain::IcpOedema, 3, "icp_oedema_imaging_focal");
}

TEST(IcansGradingTest, DiffuseOedemaFlagIsGrade4)
{
  const IcansGrade g = Grade(Ice(10), OedemaFlag::Diffuse);
  EXPECT_EQ(g.oedemaDomainGrade, 4);
  ExpectSingleDomain(g, IcansDomain::IcpOedema, 4, "icp_oedema_imaging_diffuse");
}

TEST(IcansGradingTest, NotAssessableImagingHasNoOedemaGrade)
{
  const IcansGrade g = Grade(Ice(8), OedemaFlag::NotAssessable);
  EXPECT_EQ(g.oedemaDomainGrade, std::nullopt);
  EXPECT_EQ(g.DomainGrade(IcansDomain::IcpOedema), std::nullopt);
  EXPECT_EQ(g.grade, 1);
  EXPECT_EQ(g.domainsNotAssessed,
            (Domains{ IcansDomain::Consciousness, IcansDomain::Seizure, IcansDomain::Motor, IcansDomain::IcpOedema }));
  const nlohmann::json j = icanscan::pipeline::ToJson(g);
  EXPECT_TRUE(j.at("oedema_domain_grade").is_null());
  EXPECT_TRUE(j.at("domain_grades").at("icp_oedema").is_null());
}

TEST(IcansGradingTest, IcpDomainIsMaxOfImagingAndClinicalSigns)
{
  ClinicalAssessment c = Ice(10);
  c.papilloedema = true;
  const IcansGrade g = Grade(c, OedemaFlag::Focal);
  EXPECT_EQ(g.oedemaDomainGrade, 3);
  EXPECT_EQ(g.DomainGrade(IcansDomain::IcpOedema), 4);
  EXPECT_EQ(g.grade, 4);
}

TEST(IcansGradingTest, ImagingAloneNeverGivesAFullGrade)
{
  for (const OedemaFlag imaging : { OedemaFlag::None, OedemaFlag::Focal, OedemaFlag::Diffuse })
  {
    const IcansGrade g = GradeIcans(imaging, std::nullopt);
    EXPECT_EQ(g.grade, std::nullopt);
    ASSERT_TRUE(g.oedemaDomainGrade.has_value());
    EXPECT_EQ(g.DomainGrade(IcansDomain::IcpOedema), g.oedemaDomainGrade);
    EXPECT_TRUE(g.determiningDomains.empty());
    EXPECT_EQ(g.domainsNotAssessed,
              (Domains{ IcansDomain::Ice, IcansDomain::Consciousness, IcansDomain::Seizure, IcansDomain::Motor }));
    EXPECT_TRUE(AnyReasonContains(g, "never a full"));
  }
  EXPECT_EQ(GradeIcans(OedemaFlag::Focal, std::nullopt).oedemaDomainGrade, 3);
  EXPECT_EQ(GradeIcans(OedemaFlag::Diffuse, std::nullopt).oedemaDomainGrade, 4);
  const IcansGrade none = GradeIcans(OedemaFlag::NotAssessable, std::nullopt);
  EXPECT_EQ(none.grade, std::nullopt);
  EXPECT_EQ(none.oedemaDomainGrade, std::nullopt);
  EXPECT_EQ(none.domainsNotAssessed.size(), 5u);
}

TEST(IcansGradingTest, ClinicalObjectWithoutAnyDomainGivesNoGrade)
{
  ClinicalAssessment c;
  c.ageYears = 54;
  c.consciousnessOtherCause = true;
  const IcansGrade g = Grade(c, OedemaFlag::Diffuse);
  EXPECT_EQ(g.grade, std::nullopt);
  EXPECT_EQ(g.oedemaDomainGrade, 4);
}

// Combinations.
TEST(IcansGradingTest, WorstDomainSetsTheGrade)
{
  ClinicalAssessment c = Ice(8);                        // 1
  c.consciousness = ConsciousnessLevel::AwakensToVoice; // 2
  c.seizure = SeizureLevel::RapidlyResolving;           // 3
  c.motor = MotorFinding::None;                         // 0
  const IcansGrade g = Grade(c, OedemaFlag::None);      // 0
  EXPECT_EQ(g.grade, 3);
  EXPECT_EQ(g.determiningDomains, Domains{ IcansDomain::Seizure });
  EXPECT_TRUE(g.domainsNotAssessed.empty());
  EXPECT_FALSE(AnyReasonContains(g, "lower bound"));
  EXPECT_EQ(g.DomainGrade(IcansDomain::Ice), 1);
  EXPECT_EQ(g.DomainGrade(IcansDomain::Consciousness), 2);
  EXPECT_EQ(g.DomainGrade(IcansDomain::Motor), 0);
  EXPECT_EQ(g.DomainGrade(IcansDomain::IcpOedema), 0);
}

TEST(IcansGradingTest, TiedDomainsAreAllDetermining)
{
  ClinicalAssessment c = Ice(2);                          // 3
  c.consciousness = ConsciousnessLevel::AwakensToTactile; // 3
  c.seizure = SeizureLevel::None;                         // 0
  const IcansGrade g = Grade(c, OedemaFlag::Focal);       // 3
  EXPECT_EQ(g.grade, 3);
  EXPECT_EQ(g.determiningDomains, (Domains{ IcansDomain::Ice, IcansDomain::Consciousness, IcansDomain::IcpOedema }));
}

TEST(IcansGradingTest, AllDomainsZeroHasNoDeterminingDomain)
{
  ClinicalAssessment c = Ice(10);
  c.consciousness = ConsciousnessLevel::Normal;
  c.seizure = SeizureLevel::None;
  c.motor = MotorFinding::None;
  const IcansGrade g = Grade(c, OedemaFlag::None);
  EXPECT_EQ(g.grade, 0);
  EXPECT_TRUE(g.determiningDomains.empty());
  EXPECT_TRUE(g.domainsNotAssessed.empty());
}

TEST(IcansGradingTest, MissingDomainsMakeTheGradeALowerBound)
{
  const IcansGrade g = Grade(Seizure(SeizureLevel::RapidlyResolving), OedemaFlag::None);
  EXPECT_EQ(g.grade, 3);
  EXPECT_EQ(g.domainsNotAssessed, (Domains{ IcansDomain::Ice, IcansDomain::Consciousness, IcansDomain::Motor }));
  EXPECT_TRUE(AnyReasonContains(g, "3 is a lower bound: no input for ice, consciousness, motor"));
}

// Exclusions: findings with another cause do not count.
TEST(IcansGradingTest, OedemaWithIntracranialHaemorrhageIsExcluded)
{
  ClinicalAssessment c = Ice(9);
  c.intracranialHaemorrhage = true;
  for (const OedemaFlag imaging : { OedemaFlag::Focal, OedemaFlag::Diffuse })
  {
    const IcansGrade g = Grade(c, imaging);
    EXPECT_EQ(g.oedemaDomainGrade, 0);
    EXPECT_EQ(g.DomainGrade(IcansDomain::IcpOedema), 0);
    EXPECT_EQ(g.grade, 1);
    EXPECT_EQ(g.determiningDomains, Domains{ IcansDomain::Ice });
    EXPECT_TRUE(
      AnyReasonContains(g, "imaging oedema " + icanscan::ToString(imaging) + " not counted: intracranial_haemorrhage"));
  }
  // Without clinical grading the exclusion still applies to the oedema domain.
  ClinicalAssessment onlyHaemorrhage;
  onlyHaemorrhage.intracranialHaemorrhage = true;
  EXPECT_EQ(Grade(onlyHaemorrhage, OedemaFlag::Diffuse).oedemaDomainGrade, 0);
  EXPECT_EQ(Grade(onlyHaemorrhage, OedemaFlag::NotAssessable).oedemaDomainGrade, std::nullopt);
}

TEST(IcansGradingTest, HaemorrhageDoesNotExcludeClinicalIcpSigns)
{
  ClinicalAssessment c;
  c.intracranialHaemorrhage = true;
  c.papilloedema = true;
  const IcansGrade g = Grade(c, OedemaFlag::Diffuse);
  EXPECT_EQ(g.oedemaDomainGrade, 0);
  EXPECT_EQ(g.DomainGrade(IcansDomain::IcpOedema), 4);
}

TEST(IcansGradingTest, HaemorrhageFalseKeepsOedemaFlag)
{
  ClinicalAssessment c = Ice(10);
  c.intracranialHaemorrhage = false;
  EXPECT_EQ(Grade(c, OedemaFlag::Focal).oedemaDomainGrade, 3);
}

TEST(IcansGradingTest, DepressedConsciousnessFromSedationIsExcluded)
{
  ClinicalAssessment c = Ice(8);
  c.consciousness = ConsciousnessLevel::Unarousable;
  c.consciousnessOtherCause = true;
  const IcansGrade g = Grade(c, OedemaFlag::None);
  EXPECT_EQ(g.DomainGrade(IcansDomain::Consciousness), 0);
  EXPECT_EQ(g.grade, 1);
  EXPECT_EQ(g.determiningDomains, Domains{ IcansDomain::Ice });
  EXPECT_TRUE(AnyReasonContains(g, "consciousness: unarousable not counted: consciousness_other_cause"));
  c.consciousnessOtherCause = false;
  EXPECT_EQ(Grade(c, OedemaFlag::None).grade, 4);
}

// The table itself.
TEST(IcansGradingTest, TableCodesAreUniqueAndGradesInRange)
{
  std::set<std::string> codes;
  for (const auto & row : icanscan::pipeline::IcansCriteria())
  {
    EXPECT_TRUE(codes.insert(row.code).second) << row.code;
    EXPECT_GE(row.grade, 0);
    EXPECT_LE(row.grade, 4);
    EXPECT_EQ(std::string(row.code).rfind(icanscan::pipeline::ToString(row.domain) + "_", 0), 0u) << row.code;
    EXPECT_NE(std::string(row.description), "");
  }
  EXPECT_EQ(codes.size(), 23u);
  EXPECT_THROW(icanscan::pipeline::FindIcansCriterion("ice_11"), std::out_of_range);
}

TEST(IcansGradingTest, IceBandsCoverEveryScoreOnce)
{
  for (int score = 0; score <= 10; ++score)
  {
    int rows = 0;
    for (const auto & row : icanscan::pipeline::IcansCriteria())
      rows += row.domain == IcansDomain::Ice && row.iceMin <= score && score <= row.iceMax;
    EXPECT_EQ(rows, 1) << "ICE " << score;
  }
}

TEST(IcansGradingTest, EveryTableRowIsReachable)
{
  std::vector<IcansGrade> grades;
  for (int score = 0; score <= 10; ++score)
    grades.push_back(Grade(Ice(score)));
  ClinicalAssessment unarousable;
  unarousable.iceUnarousable = true;
  grades.push_back(Grade(unarousable));
  for (const auto level :
       { ConsciousnessLevel::Normal, ConsciousnessLevel::AwakensSpontaneously, ConsciousnessLevel::AwakensToVoice,
         ConsciousnessLevel::AwakensToTactile, ConsciousnessLevel::Unarousable })
    grades.push_back(Grade(Consciousness(level)));
  for (const auto level : { SeizureLevel::None, SeizureLevel::RapidlyResolving, SeizureLevel::LifeThreatening })
    grades.push_back(Grade(Seizure(level)));
  for (const auto finding : { MotorFinding::None, MotorFinding::DeepFocalWeakness })
    grades.push_back(Grade(Motor(finding)));
  for (const auto imaging : { OedemaFlag::None, OedemaFlag::Focal, OedemaFlag::Diffuse })
    grades.push_back(GradeIcans(imaging, std::nullopt));
  ClinicalAssessment signs;
  signs.posturing = signs.cranialNerveVIPalsy = signs.papilloedema = signs.cushingsTriad = true;
  grades.push_back(Grade(signs));
  ClinicalAssessment noSigns;
  noSigns.cushingsTriad = false;
  grades.push_back(Grade(noSigns));
  for (const auto & row : icanscan::pipeline::IcansCriteria())
  {
    bool applied = false;
    for (const auto & g : grades)
      applied = applied || AnyReasonContains(g, "row " + std::string(row.code) + ":");
    EXPECT_TRUE(applied) << row.code;
  }
}

TEST(IcansGradingTest, OedemaFlagNamesRoundTrip)
{
  using icanscan::ParseOedemaFlag;
  for (const auto imaging : { OedemaFlag::None, OedemaFlag::Focal, OedemaFlag::Diffuse, OedemaFlag::NotAssessable })
    EXPECT_EQ(ParseOedemaFlag(icanscan::ToString(imaging)), imaging);
  EXPECT_EQ(icanscan::ToString(OedemaFlag::NotAssessable), "not_assessable");
  EXPECT_EQ(ParseOedemaFlag("Focal"), std::nullopt);
  EXPECT_EQ(ParseOedemaFlag(""), std::nullopt);
  EXPECT_EQ(ParseOedemaFlag("local"), std::nullopt);
}

TEST(IcansGradingTest, ToJsonHasEveryKey)
{
  ClinicalAssessment c = Ice(5);
  c.seizure = SeizureLevel::LifeThreatening;
  const nlohmann::json j = icanscan::pipeline::ToJson(Grade(c, OedemaFlag::Focal));
  EXPECT_EQ(j.at("oedema_domain_grade"), 3);
  EXPECT_EQ(j.at("grade"), 4);
  EXPECT_EQ(j.at("determining_domains"), nlohmann::json::array({ "seizure" }));
  EXPECT_EQ(j.at("domain_grades").at("ice"), 2);
  EXPECT_TRUE(j.at("domain_grades").at("consciousness").is_null());
  EXPECT_EQ(j.at("domain_grades").at("seizure"), 4);
  EXPECT_TRUE(j.at("domain_grades").at("motor").is_null());
  EXPECT_EQ(j.at("domain_grades").at("icp_oedema"), 3);
  EXPECT_EQ(j.at("domains_not_assessed"), nlohmann::json::array({ "consciousness", "motor" }));
  EXPECT_TRUE(j.at("reasons").is_array());
  EXPECT_EQ(j.size(), 6u);
  const nlohmann::json none = icanscan::pipeline::ToJson(GradeIcans(OedemaFlag::NotAssessable, std::nullopt));
  EXPECT_TRUE(none.at("grade").is_null());
  EXPECT_TRUE(none.at("oedema_domain_grade").is_null());
  EXPECT_EQ(none.at("determining_domains"), nlohmann::json::array());
}

} // namespace
