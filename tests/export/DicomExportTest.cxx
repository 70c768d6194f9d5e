// DICOM export of the e2e fixture's phantom runs: thalamic_bilateral is run with `--dicom-out` by the fixture; the
// other cases are exported here with `icanscan export-dicom` into copies of their OUT.
#include "tests/app/CliRunner.h"
#include "tests/export/DicomReadBack.h"
#include "tests/export/ExportChecks.h"
#include "tests/export/ExportTestData.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;

// The fixture's runs; under CI their absence is a failure, elsewhere the tests skip saying why.
#define REQUIRE_E2E()                                                                                                  \
  if (test::E2eDir().empty() || !fs::exists(test::CaseRun("thalamic_bilateral") / "report.json"))                      \
  {                                                                                                                    \
    if (test::UnderCi())                                                                                               \
      FAIL() << "the e2e fixture's runs are missing (ICANSCAN_E2E_DIR)";                                               \
    GTEST_SKIP() << "the e2e fixture's runs are missing (ICANSCAN_E2E_DIR); run ctest with the phantom_runs fixture";  \
  }

std::string SourceFileOf(const fs::path & study)
{
  for (const auto & file : test::FilesUnder(study))
    if (!test::HeaderString(file, 0x0020, 0x000D).empty())
      return file.string();
  return {};
}

TEST(DicomExport, RunWithDicomOutWritesSegmentationReportKeyImagesAndKeyObjects)
{
  REQUIRE_E2E();
  const fs::path run = test::CaseRun("thalamic_bilateral");
  ASSERT_TRUE(fs::exists(run / "dicom" / "manifest.json")) << "the fixture runs thalamic_bilateral with --dicom-out";
  const auto manifest = test::ReadJson(run / "dicom" / "manifest.json");
  std::vector<std::string> modalities;
  for (const auto & o : manifest.at("objects"))
    modalities.push_back(o.at("modality"));
  EXPECT_EQ(modalities, (std::vector<std::string>{ "SEG", "SR", "OT", "KO" }));

  test::ExpectSegmentationMatchesRun(run / "dicom" / "seg.dcm", run);
  test::ExpectReportMatchesJson(run / "dicom" / "sr.dcm", test::ReadJson(run / "report.json"));

  // The SR states its status and the oedema flag the report found (focal: swollen thalami).
  const auto texts = test::ReadSrTexts(run / "dicom" / "sr.dcm");
  const auto has = [&](const std::string & prefix)
  { return std::any_of(texts.begin(), texts.end(), [&](const std::string & t) { return t.rfind(prefix, 0) == 0; }); };
  EXPECT_TRUE(has("Edema: Focal")) << ::testing::PrintToString(texts);
  EXPECT_TRUE(has("ASTCT ICANS grade, cerebral oedema domain (imaging): Grade 3"));
  EXPECT_TRUE(has("Registration QC of FLAIR to the reference: Usable"));
  EXPECT_TRUE(has("Comment: Results generated automatically by icanscan"));
  EXPECT_EQ(test::HeaderString(run / "dicom" / "sr.dcm", 0x0040, 0xA493), "UNVERIFIED");

  // The key object selection points at the key images and at the source slices of the finding.
  const std::string source = SourceFileOf(test::CaseStudy("thalamic_bilateral"));
  const auto references = test::ReadSrImageReferences(run / "dicom" / "kos.dcm");
  const std::string keyImages = test::HeaderString(run / "dicom" / "keyimages.dcm", 0x0008, 0x0018);
  EXPECT_NE(std::find(references.begin(), references.end(), keyImages), references.end());
  EXPECT_GE(references.size(), 2u);

  // New series of the source study: identifiers copied from the source, new UIDs, icanscan as manufacturer.
  for (const char * file : { "seg.dcm", "sr.dcm", "keyimages.dcm", "kos.dcm" })
  {
    for (const auto & [group, element] : { std::pair<unsigned short, unsigned short>{ 0x0010, 0x0010 },
                                           { 0x0010, 0x0020 },
                                           { 0x0010, 0x0030 },
                                           { 0x0020, 0x000D },
                                           { 0x0008, 0x0050 },
                                           { 0x0020, 0x0010 } })
      EXPECT_EQ(test::HeaderString(run / "dicom" / file, group, element), test::HeaderString(source, group, element))
        << file << " tag " << std::hex << group << "," << element;
    EXPECT_NE(test::HeaderString(run / "dicom" / file, 0x0020, 0x000E), test::HeaderString(source, 0x0020, 0x000E));
    EXPECT_EQ(test::HeaderString(run / "dicom" / file, 0x0008, 0x0070), "icanscan") << file;
    EXPECT_FALSE(test::HeaderString(run / "dicom" / file, 0x0018, 0x1020).empty()) << file;
    if (test::HaveDciodvfy())
    {
      EXPECT_TRUE(test::DciodvfyErrors(run / "dicom" / file).empty())
        << file << ": " << ::testing::PrintToString(test::DciodvfyErrors(run / "dicom" / file));
    }
  }
}

TEST(DicomExport, OtherOutputsStillCarryNoIdentifiersAfterDicomOut)
{
  REQUIRE_E2E();
  const fs::path run = test::CaseRun("thalamic_bilateral");
  ASSERT_TRUE(fs::exists(run / "dicom"));
  const std::string source = SourceFileOf(test::CaseStudy("thalamic_bilateral"));
  const std::vector<std::string> identifiers{ test::HeaderString(source, 0x0010, 0x0010),
                                              test::HeaderString(source, 0x0010, 0x0020),
                                              test::HeaderString(source, 0x0020, 0x000D) };
  for (const auto & id : identifiers)
    ASSERT_GE(id.size(), 6u);
  std::size_t checked = 0;
  for (const auto & file : test::FilesUnder(run))
  {
    if (file.parent_path().filename() == "dicom")
      continue;
    const std::string text = test::ReadAll(file);
    for (const auto & id : identifiers)
      EXPECT_EQ(text.find(id), std::string::npos) << file << " holds '" << id << "'";
    ++checked;
  }
  EXPECT_GE(checked, 10u);
  EXPECT_FALSE(test::ReadJson(run / "report.json").at("study").contains("patient_name"));
}

TEST(DicomExport, ExportDicomCommandOnRestrictedDiffusionPointsAtTheDwiSlice)
{
  REQUIRE_E2E();
  const fs::path folder = test::NewTempFolder("restricted");
  const fs::path out = test::CopyRun("splenium_restricted", folder / "out with space", false);
  const auto result =
    test::RunIcanscan({ "export-dicom", out.string(), test::CaseStudy("splenium_restricted").string() });
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("seg.dcm: SEG"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("carry the study's patient identifiers"), std::string::npos);
  test::ExpectSegmentationMatchesRun(out / "dicom" / "seg.dcm", out);
  test::ExpectReportMatchesJson(out / "dicom" / "sr.dcm", test::ReadJson(out / "report.json"));

  // The restriction finding's slices: one of the reference, one of the DWI series.
  const auto report = test::ReadJson(out / "report.json");
  std::string dwiSeries;
  for (const auto & s : report.at("series"))
    if (s.at("role") == "DWI" && s.at("used").get<bool>())
      dwiSeries = std::to_string(s.at("series_number").get<int>());
  ASSERT_FALSE(dwiSeries.empty());
  std::size_t dwiReferences = 0;
  const auto references = test::ReadSrImageReferences(out / "dicom" / "kos.dcm");
  for (const auto & file : test::FilesUnder(test::CaseStudy("splenium_restricted")))
    if (test::HeaderString(file, 0x0020, 0x0011) == dwiSeries &&
        std::find(references.begin(), references.end(), test::HeaderString(file, 0x0008, 0x0018)) != references.end())
      ++dwiReferences;
  EXPECT_GE(dwiReferences, 1u) << ::testing::PrintToString(references);

  // Exporting again replaces OUT/dicom as a whole, with new UIDs.
  const std::string firstSeg = test::HeaderString(out / "dicom" / "seg.dcm", 0x0008, 0x0018);
  ASSERT_EQ(test::RunIcanscan({ "export-dicom", out.string(), test::CaseStudy("splenium_restricted").string() }).code,
            0);
  EXPECT_NE(test::HeaderString(out / "dicom" / "seg.dcm", 0x0008, 0x0018), firstSeg);
  for (const auto & entry : fs::directory_iterator(out))
    EXPECT_EQ(entry.path().filename().string().rfind(".dicom-", 0), std::string::npos) << entry.path();
  test::RemoveFolder(folder);
}

TEST(DicomExport, NiftiStudyIsRefusedBeforeAnyWork)
{
  REQUIRE_E2E();
  const fs::path nifti = test::E2eDir() / "thalamic_nifti" / "phantom" / "nifti";
  if (!fs::exists(nifti))
  {
    if (test::UnderCi())
      FAIL() << "the fixture made no NIfTI study: dcm2niix is missing (scripts/install-deps.sh installs it)";
    GTEST_SKIP() << "the fixture made no NIfTI study (dcm2niix missing)";
  }
  const fs::path folder = test::NewTempFolder("nifti");
  const auto run = test::RunIcanscan({ "run", nifti.string(), "-o", (folder / "out").string(), "--dicom-out" });
  EXPECT_EQ(run.code, 4) << run.err;
  EXPECT_NE(run.err.find("NIfTI study"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(folder / "out"));

  const auto exported =
    test::RunIcanscan({ "export-dicom", test::CaseRun("thalamic_bilateral").string(), nifti.string() });
  EXPECT_EQ(exported.code, 4) << exported.err;
  EXPECT_NE(exported.err.find("NIfTI study"), std::string::npos) << exported.err;
  test::RemoveFolder(folder);
}

TEST(DicomExport, OutFromAnotherVersionOrSchemaIsRefused)
{
  REQUIRE_E2E();
  const fs::path folder = test::NewTempFolder("version");
  const std::string study = test::CaseStudy("thalamic_bilateral").string();
  auto report = test::ReadJson(test::CaseRun("thalamic_bilateral") / "report.json");
  fs::create_directories(folder / "old");
  report["icanscan_version"] = "0.0.1";
  std::ofstream(folder / "old" / "report.json") << report.dump();
  auto result = test::RunIcanscan({ "export-dicom", (folder / "old").string(), study });
  EXPECT_EQ(result.code, 5) << result.err;
  EXPECT_NE(result.err.find("written by icanscan 0.0.1"), std::string::npos) << result.err;

  fs::create_directories(folder / "schema");
  report["icanscan_version"] = test::ReadJson(test::CaseRun("thalamic_bilateral") / "report.json")["icanscan_version"];
  report["schema_version"] = 99;
  std::ofstream(folder / "schema" / "report.json") << report.dump();
  result = test::RunIcanscan({ "export-dicom", (folder / "schema").string(), study });
  EXPECT_EQ(result.code, 5) << result.err;
  EXPECT_NE(result.err.find("schema_version 99"), std::string::npos) << result.err;

  fs::create_directories(folder / "empty");
  result = test::RunIcanscan({ "export-dicom", (folder / "empty").string(), study });
  EXPECT_EQ(result.code, 2) << result.err;
  EXPECT_NE(result.err.find("not an icanscan run folder"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(folder / "empty" / "dicom"));
  test::RemoveFolder(folder);
}

TEST(DicomExport, AnotherStudyIsRefused)
{
  REQUIRE_E2E();
  const fs::path folder = test::NewTempFolder("other-study");
  const fs::path out = test::CopyRun("thalamic_bilateral", folder / "out", false);
  const auto result = test::RunIcanscan({ "export-dicom", out.string(), test::CaseStudy("normal").string() });
  EXPECT_EQ(result.code, 4) << result.err;
  EXPECT_NE(result.err.find("another study"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(out / "dicom"));
  test::RemoveFolder(folder);
}

} // namespace
