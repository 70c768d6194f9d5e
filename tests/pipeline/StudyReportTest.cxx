#include "pipeline/report/StudyReport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace
{
using icanscan::pipeline::AllStructures;
using icanscan::pipeline::FindingsCsv;
using icanscan::pipeline::Sha256Hex;
using nlohmann::json;

std::vector<std::string> Lines(const std::string & text)
{
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

TEST(StudyReport, Sha256HexMatchesTheFipsVectors)
{
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(StudyReport, Sha256HexHashesEveryByte)
{
  EXPECT_EQ(Sha256Hex(std::string("a\0b", 3)), "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
  EXPECT_EQ(Sha256Hex("\xc3\xbc"), "607474ca475a9724d7360aba71a56d5df77e61350e3f724cfa1f46e857e2d85f"); // "ü"
}

/** A report whose structures carry only volume_ml, with the thalami, hippocampus and ventricles filled in by hand. */
json HandMadeReport()
{
  json report;
  report["structures"] = json::object();
  for (const auto & info : AllStructures())
    report["structures"][info.key] = { { "volume_ml", 1.5 } };
  report["structures"]["thalamus_left"] = {
    { "volume_ml", 7.5 },         { "expected_volume_ml", 8.25 },
    { "t2flair_involved", true }, { "diffusion_restricted", false },
    { "hyperintense_ml", 1.25 },  { "restricted_ml", 0.0 },
    { "shine_through_ml", 0.5 },  { "adc_mean_um2s", 712.3456 },
    { "adc_ratio", 0.875 },       { "hyperintensity_z_median", 5.5 }
  }; // not a column
  report["structures"]["thalamus_right"] = { { "volume_ml", 7.25 },           { "expected_volume_ml", nullptr },
                                             { "t2flair_involved", false },   { "diffusion_restricted", nullptr },
                                             { "hyperintense_ml", 0 },        { "restricted_ml", nullptr },
                                             { "shine_through_ml", nullptr }, { "adc_mean_um2s", nullptr },
                                             { "adc_ratio", nullptr } };
  report["structures"]["hippocampus_left"] = { { "volume_ml", 3 }, { "diffusion_restricted", true } };
  report["structures"]["lateral_ventricles"] = { { "volume_ml", 20 },
                                                 { "expected_volume_ml", 25.5 },
                                                 { "t2flair_involved", nullptr },
                                                 { "diffusion_restricted", nullptr } };
  return report;
}

TEST(StudyReport, FindingsCsvHasOneRowPerStructureInLabelOrder)
{
  const auto lines = Lines(FindingsCsv(HandMadeReport()));
  ASSERT_EQ(lines.size(), 15u);
  EXPECT_EQ(lines[0], "structure,volume_ml,expected_volume_ml,t2flair_involved,diffusion_restricted,hyperintense_ml,"
                      "restricted_ml,shine_through_ml,adc_mean_um2s,adc_ratio");
  for (std::size_t i = 0; i < AllStructures().size(); ++i)
    EXPECT_EQ(lines[i + 1].substr(0, lines[i + 1].find(',')), AllStructures()[i].key) << "row " << i + 1;
  EXPECT_EQ(lines[1], "thalamus_left,7.5,8.25,true,false,1.25,0,0.5,712.346,0.875");
  EXPECT_EQ(lines[2], "thalamus_right,7.25,,false,,0,,,,");
  EXPECT_EQ(lines[3], "hippocampus_left,3,,,true,,,,,");
  EXPECT_EQ(lines[4], "hippocampus_right,1.5,,,,,,,,");
  EXPECT_EQ(lines[14], "lateral_ventricles,20,25.5,,,,,,,");
  // Every row has the header's ten columns.
  for (const auto & line : lines)
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), 9) << line;
}

TEST(StudyReport, FindingsCsvNeedsEveryStructure)
{
  auto report = HandMadeReport();
  report["structures"].erase("corpus_callosum_body");
  EXPECT_THROW(FindingsCsv(report), json::exception);
  EXPECT_THROW(FindingsCsv(json::object()), json::exception);
}

} // namespace
