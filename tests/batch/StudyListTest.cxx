#include "batch/StudyList.h"

#include "BatchTestFiles.h"
#include "core/Error.h"

#include <gtest/gtest.h>

namespace icanscan::batch
{
namespace
{
namespace fs = std::filesystem;
using test::TempFolder;
using test::WriteFile;

TEST(StudyListTest, CsvManifestResolvesPathsBaselinesAndRoles)
{
  const std::string text = "id,study,baseline,clinical,roles\n"
                           "# a comment\n"
                           "pre,studies/pre,,,\n"
                           "post,studies/post,pre,clin.json,7=FLAIR;8=T2\n"
                           "\n"
                           "\"with, comma\",\"/abs/a \"\"b\"\"\",/elsewhere/base,,\n";
  const auto studies = ParseManifest(text, "m.csv", "/data", ',');
  ASSERT_EQ(studies.size(), 3u);
  EXPECT_EQ(studies[0].id, "pre");
  EXPECT_EQ(studies[0].study, fs::path("/data/studies/pre"));
  EXPECT_TRUE(studies[0].baseline.empty());
  EXPECT_EQ(studies[1].baselineId, "pre");
  EXPECT_EQ(studies[1].baseline, fs::path("/data/studies/pre"));
  EXPECT_EQ(studies[1].clinical, fs::path("/data/clin.json"));
  EXPECT_EQ(studies[1].roles, (std::vector<std::string>{ "7=FLAIR", "8=T2" }));
  EXPECT_EQ(studies[2].id, "with, comma");
  EXPECT_EQ(studies[2].study, fs::path("/abs/a \"b\""));
  EXPECT_EQ(studies[2].baseline, fs::path("/elsewhere/base"));
  EXPECT_TRUE(studies[2].baselineId.empty()) << "a baseline outside the manifest is not a batch study";
}

TEST(StudyListTest, TsvManifestWithColumnsInAnyOrderAndBaselineGivenAsPath)
{
  TempFolder tmp;
  WriteFile(tmp.Path() / "cohort.tsv", "study_path\tstudy_id\tbaseline_path\n"
                                       "s/b\tB\t\n"
                                       "s/a\tA\ts/b\n");
  const auto studies = ReadStudyList(tmp.Path() / "cohort.tsv");
  ASSERT_EQ(studies.size(), 2u);
  EXPECT_EQ(studies[1].id, "A");
  EXPECT_EQ(studies[1].baselineId, "B") << "a baseline path naming another line's study is that study";
}

TEST(StudyListTest, RejectsBadManifestsNamingFileAndLine)
{
  auto parse = [](const std::string & text) { return ParseManifest(text, "m.csv", "/d", ','); };
  EXPECT_THROW(parse(""), UsageError);
  EXPECT_THROW(parse("id,study\n"), UsageError) << "no study";
  EXPECT_THROW(parse("id,path,colour\nA,a,red\n"), UsageError) << "unknown column";
  EXPECT_THROW(parse("study\na\n"), UsageError) << "no id column";
  EXPECT_THROW(parse("id,study\nA,\n"), UsageError) << "no study path";
  EXPECT_THROW(parse("id,study\nA,a,extra\n"), UsageError) << "more cells than columns";
  EXPECT_THROW(parse("id,study,baseline\nA,a,A\n"), UsageError) << "its own baseline";
  EXPECT_THROW(parse("id,study,baseline\nA,a,B\nB,b,A\n"), UsageError) << "baseline loop";
  EXPECT_THROW(parse("id,study\n\"A,a\n"), UsageError) << "quote never closed";
  try
  {
    parse("id,study\nA,a\nB,b\nA,c\n");
    FAIL() << "duplicate id accepted";
  }
  catch (const UsageError & e)
  {
    EXPECT_NE(std::string(e.what()).find("m.csv: line 4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
}

TEST(StudyListTest, StudyIdsMustNameAFolderUnderOutRoot)
{
  EXPECT_NO_THROW(ValidateStudyId("patient 01 (é)", "x"));
  for (const std::string bad : { "", ".", "..", ".hidden", "a/b", "a\\b", "tab\there", "batch_logs" })
    EXPECT_THROW(ValidateStudyId(bad, "x"), UsageError) << bad;
}

TEST(StudyListTest, FolderInputHasOneStudyPerSubfolderAndSkipsOutRoot)
{
  TempFolder tmp;
  for (const char * name : { "b study", "a", ".hidden", "out" })
    fs::create_directories(tmp.Path() / name);
  WriteFile(tmp.Path() / "file.txt", "not a study");
  const auto studies = ReadStudyList(tmp.Path(), tmp.Path() / "out");
  ASSERT_EQ(studies.size(), 2u);
  EXPECT_EQ(studies[0].id, "a");
  EXPECT_EQ(studies[1].id, "b study");
  EXPECT_EQ(studies[1].study, tmp.Path() / "b study");

  TempFolder empty;
  EXPECT_THROW(ReadStudyList(empty.Path()), UsageError);
  EXPECT_THROW(ReadStudyList(empty.Path() / "missing.csv"), UsageError);
}

TEST(StudyListTest, BaselinesComeBeforeTheirFollowUps)
{
  std::vector<StudyEntry> studies(4);
  studies[0].id = "late";
  studies[0].baselineId = "mid";
  studies[1].id = "other";
  studies[2].id = "mid";
  studies[2].baselineId = "first";
  studies[3].id = "first";
  std::vector<std::string> order;
  for (const auto & s : OrderBaselinesFirst(studies))
    order.push_back(s.id);
  EXPECT_EQ(order, (std::vector<std::string>{ "first", "mid", "late", "other" }));
}

TEST(StudyListTest, JsonRoundTrip)
{
  const auto studies = ParseManifest("id,study,baseline,roles\nA,a,,\nB,b,A,x=T2\n", "m", "/d", ',');
  const auto back = StudyListFromJson(StudyListToJson(studies), "j");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].baselineId, "A");
  EXPECT_EQ(back[1].baseline, fs::path("/d/a"));
  EXPECT_EQ(back[1].roles, std::vector<std::string>{ "x=T2" });
  EXPECT_THROW(StudyListFromJson(nlohmann::json::object(), "j"), InputError);
  EXPECT_THROW(StudyListFromJson(nlohmann::json::array({ { { "id", 1 } } }), "j"), InputError);
}

} // namespace
} // namespace icanscan::batch
