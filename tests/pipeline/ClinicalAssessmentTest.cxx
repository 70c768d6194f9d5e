// ASTCT grading, part 2: clinical.json as input (parsing, validation, reading files). Part 1, IcansGradingTest.cxx,
// grades every cell of the table.
#include "pipeline/grading/IcansGrading.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace
{
using icanscan::ConfigError;
using icanscan::pipeline::ClinicalAssessment;
using icanscan::pipeline::ConsciousnessLevel;
using icanscan::pipeline::GradeIcans;
using icanscan::pipeline::IcansDomain;
using icanscan::pipeline::IcansGrade;
using icanscan::pipeline::IceComponents;
using icanscan::OedemaFlag;
using icanscan::pipeline::MotorFinding;
using icanscan::pipeline::ParseClinicalAssessment;
using icanscan::pipeline::SeizureLevel;

IcansGrade Grade(const ClinicalAssessment & clinical)
{
  return GradeIcans(OedemaFlag::NotAssessable, clinical);
}

ClinicalAssessment Ice(int score)
{
  ClinicalAssessment c;
  c.iceScore = score;
  return c;
}

ClinicalAssessment Parse(const std::string & text)
{
  return ParseClinicalAssessment(nlohmann::json::parse(text), "clinical.json");
}

bool AnyReasonContains(const IcansGrade & g, const std::string & text)
{
  for (const auto & r : g.reasons)
    if (r.find(text) != std::string::npos)
      return true;
  return false;
}

// Parsing clinical.json.
TEST(IcansGradingTest, ParsesEveryKey)
{
  const ClinicalAssessment c = Parse(R"({
    "ice_score": 6, "ice": {"orientation": 2, "naming": 2, "commands": 1, "writing": 0, "attention": 1},
    "ice_unarousable": false, "consciousness": "awakens_to_voice", "consciousness_other_cause": false,
    "seizure": "rapidly_resolving", "motor": "deep_focal_weakness", "posturing": false,
    "cranial_nerve_vi_palsy": true, "papilloedema": false, "cushings_triad": false,
    "intracranial_haemorrhage": true, "age_years": 13 })");
  EXPECT_EQ(c.iceScore, 6);
  ASSERT_TRUE(c.iceComponents.has_value());
  EXPECT_EQ(c.iceComponents->Total(), 6);
  EXPECT_EQ(c.iceComponents->orientation, 2);
  EXPECT_EQ(c.iceUnarousable, false);
  EXPECT_EQ(c.consciousness, ConsciousnessLevel::AwakensToVoice);
  EXPECT_EQ(c.consciousnessOtherCause, false);
  EXPECT_EQ(c.seizure, SeizureLevel::RapidlyResolving);
  EXPECT_EQ(c.motor, MotorFinding::DeepFocalWeakness);
  EXPECT_EQ(c.posturing, false);
  EXPECT_EQ(c.cranialNerveVIPalsy, true);
  EXPECT_EQ(c.papilloedema, false);
  EXPECT_EQ(c.cushingsTriad, false);
  EXPECT_EQ(c.intracranialHaemorrhage, true);
  EXPECT_EQ(c.ageYears, 13);
}

TEST(IcansGradingTest, ParsedIceComponentsAreSummedIntoTheGrade)
{
  const ClinicalAssessment c =
    Parse(R"({"ice": {"orientation": 4, "naming": 3, "commands": 0, "writing": 0, "attention": 0}})");
  EXPECT_EQ(c.iceScore, std::nullopt);
  const IcansGrade g = Grade(c);
  EXPECT_EQ(g.DomainGrade(IcansDomain::Ice), 1); // 7
  EXPECT_TRUE(AnyReasonContains(g, "ICE 7 (orientation 4 + naming 3 + commands 0 + writing 0 + attention 0)"));
}

TEST(IcansGradingTest, NullMeansNotGivenAndEmptyObjectIsAccepted)
{
  const ClinicalAssessment c = Parse(R"({"ice_score": null, "seizure": null, "papilloedema": null})");
  EXPECT_FALSE(c.iceScore || c.seizure || c.papilloedema);
  EXPECT_NO_THROW(Parse("{}"));
}

TEST(IcansGradingTest, AgreeingIceScoreAndComponentsAreAccepted)
{
  EXPECT_NO_THROW(
    Parse(R"({"ice_score": 10, "ice": {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}})"));
}

TEST(IcansGradingTest, DisagreeingIceScoreAndComponentsAreRejected)
{
  EXPECT_THROW(
    Parse(R"({"ice_score": 9, "ice": {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}})"),
    ConfigError);
  ClinicalAssessment c = Ice(5);
  c.iceComponents = IceComponents{ 1, 1, 1, 1, 0 };
  EXPECT_THROW(Grade(c), ConfigError);
}

TEST(IcansGradingTest, IceUnarousableWithNonZeroScoreIsRejected)
{
  EXPECT_THROW(Parse(R"({"ice_unarousable": true, "ice_score": 5})"), ConfigError);
  EXPECT_THROW(Parse(R"({"ice_unarousable": true, "ice": {"orientation": 1, "naming": 0, "commands": 0, "writing": 0,
              "attention": 0}})"),
               ConfigError);
  EXPECT_NO_THROW(Parse(R"({"ice_unarousable": true, "ice_score": 0})"));
}

TEST(IcansGradingTest, ChildWithIceIsRejected)
{
  EXPECT_THROW(Parse(R"({"age_years": 12, "ice_score": 8})"), ConfigError);
  EXPECT_THROW(Parse(R"({"age_years": 6, "ice_unarousable": true})"), ConfigError);
  EXPECT_THROW(
    Parse(R"({"age_years": 0, "ice": {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}})"),
    ConfigError);
  try
  {
    Parse(R"({"age_years": 12, "ice_score": 8})");
  }
  catch (const ConfigError & e)
  {
    EXPECT_NE(std::string(e.what()).find("CAPD"), std::string::npos) << e.what();
  }
  ClinicalAssessment c = Ice(8);
  c.ageYears = 9;
  EXPECT_THROW(Grade(c), ConfigError);
}

TEST(IcansGradingTest, ChildWithoutIceAndAdolescentWithIceAreAccepted)
{
  const ClinicalAssessment child = Parse(R"({"age_years": 12, "seizure": "life_threatening"})");
  EXPECT_EQ(Grade(child).grade, 4);
  EXPECT_NO_THROW(Parse(R"({"age_years": 13, "ice_score": 8})"));
}

TEST(IcansGradingTest, EveryBadKeyOrValueIsRejected)
{
  const char * rejected[] = {
    R"([])",
    R"("ice_score")",
    R"(null)",
    R"({"ice_scor": 5})",
    R"({"ICE_SCORE": 5})",
    R"({"grade": 3})",
    R"({"ice_score": 11})",
    R"({"ice_score": -1})",
    R"({"ice_score": 7.5})",
    R"({"ice_score": 7.0})",
    R"({"ice_score": "7"})",
    R"({"ice_score": true})",
    R"({"ice": 7})",
    R"({"ice": []})",
    R"({"ice": {"orientation": 4, "naming": 3, "commands": 1, "writing": 1}})",
    R"({"ice": {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": null}})",
    R"({"ice": {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1, "reading": 1}})",
    R"({"ice": {"orientation": 5, "naming": 3, "commands": 1, "writing": 1, "attention": 1}})",
    R"({"ice": {"orientation": -1, "naming": 3, "commands": 1, "writing": 1, "attention": 1}})",
    R"({"ice": {"orientation": 4, "naming": 4, "commands": 1, "writing": 1, "attention": 1}})",
    R"({"ice": {"orientation": 4, "naming": 3, "commands": 2, "writing": 1, "attention": 1}})",
    R"({"ice": {"orientation": 4, "naming": 3, "commands": 1, "writing": 2, "attention": 1}})",
    R"({"ice": {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 2}})",
    R"({"ice": {"orientation": "4", "naming": 3, "commands": 1, "writing": 1, "attention": 1}})",
    R"({"ice": {"orientation": 4, "naming": 1.5, "commands": 1, "writing": 1, "attention": 1}})",
    R"({"ice_unarousable": "yes"})",
    R"({"ice_unarousable": 1})",
    R"({"consciousness": "drowsy"})",
    R"({"consciousness": "Unarousable"})",
    R"({"consciousness": 2})",
    R"({"consciousness_other_cause": "sedation"})",
    R"({"seizure": "yes"})",
    R"({"seizure": true})",
    R"({"motor": "hemiparesis"})",
    R"({"motor": 4})",
    R"({"posturing": "decerebrate"})",
    R"({"cranial_nerve_vi_palsy": 1})",
    R"({"papilloedema": "true"})",
    R"({"cushings_triad": []})",
    R"({"intracranial_haemorrhage": 0})",
    R"({"age_years": -1})",
    R"({"age_years": 151})",
    R"({"age_years": 45.5})",
    R"({"age_years": "45"})",
  };
  for (const char * text : rejected)
  {
    SCOPED_TRACE(text);
    EXPECT_THROW(Parse(text), ConfigError);
  }
}

TEST(IcansGradingTest, RejectionNamesFileKeyValueAndExpectation)
{
  try
  {
    ParseClinicalAssessment(nlohmann::json::parse(R"({"seizure": "sometimes"})"), "patient 7/clinical.json");
    FAIL() << "expected ConfigError";
  }
  catch (const ConfigError & e)
  {
    const std::string message = e.what();
    EXPECT_NE(message.find("patient 7/clinical.json"), std::string::npos) << message;
    EXPECT_NE(message.find("'seizure'"), std::string::npos) << message;
    EXPECT_NE(message.find("\"sometimes\""), std::string::npos) << message;
    EXPECT_NE(message.find("none, rapidly_resolving, life_threatening"), std::string::npos) << message;
  }
  try
  {
    Parse(R"({"seizures": "none"})");
    FAIL() << "expected ConfigError";
  }
  catch (const ConfigError & e)
  {
    EXPECT_NE(std::string(e.what()).find("unknown key 'seizures'"), std::string::npos) << e.what();
  }
}

TEST(IcansGradingTest, GradeRejectsOutOfRangeAssessmentBuiltInCode)
{
  EXPECT_THROW(Grade(Ice(11)), ConfigError);
  EXPECT_THROW(Grade(Ice(-1)), ConfigError);
  ClinicalAssessment c;
  c.iceComponents = IceComponents{ 5, 3, 1, 1, 0 };
  EXPECT_THROW(Grade(c), ConfigError);
}

// Reading clinical.json from disk, in a folder with a space and a non-ASCII name.
class ClinicalFileTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    m_Folder = std::filesystem::temp_directory_path() /
               ("icanscan grading Ödem " + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(m_Folder);
  }
  void TearDown() override { std::filesystem::remove_all(m_Folder); }

  std::filesystem::path Write(const std::string & name, const std::string & text) const
  {
    const auto path = m_Folder / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::filesystem::path m_Folder;
};

TEST_F(ClinicalFileTest, ReadsAFile)
{
  const auto path = Write("klinik ä.json", R"({"ice_score": 3, "consciousness": "awakens_to_voice"})");
  const ClinicalAssessment c = icanscan::pipeline::ReadClinicalAssessment(path);
  EXPECT_EQ(c.iceScore, 3);
  EXPECT_EQ(c.consciousness, ConsciousnessLevel::AwakensToVoice);
}

TEST_F(ClinicalFileTest, MissingFileIsAConfigErrorNamingIt)
{
  try
  {
    icanscan::pipeline::ReadClinicalAssessment(m_Folder / "absent.json");
    FAIL() << "expected ConfigError";
  }
  catch (const ConfigError & e)
  {
    EXPECT_NE(std::string(e.what()).find("absent.json"), std::string::npos) << e.what();
  }
}

TEST_F(ClinicalFileTest, NotJsonIsAConfigErrorNamingIt)
{
  const auto path = Write("broken.json", R"({"ice_score": 3,)");
  try
  {
    icanscan::pipeline::ReadClinicalAssessment(path);
    FAIL() << "expected ConfigError";
  }
  catch (const ConfigError & e)
  {
    EXPECT_NE(std::string(e.what()).find("broken.json"), std::string::npos) << e.what();
  }
  EXPECT_THROW(icanscan::pipeline::ReadClinicalAssessment(Write("empty.json", "")), ConfigError);
}

TEST_F(ClinicalFileTest, FolderIsAConfigError)
{
  EXPECT_THROW(icanscan::pipeline::ReadClinicalAssessment(m_Folder), ConfigError);
}

TEST_F(ClinicalFileTest, BadValueInFileNamesTheFile)
{
  const auto path = Write("clinical.json", R"({"motor": "weak"})");
  try
  {
    icanscan::pipeline::ReadClinicalAssessment(path);
    FAIL() << "expected ConfigError";
  }
  catch (const ConfigError & e)
  {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

} // namespace
