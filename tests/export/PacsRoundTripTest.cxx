// C-STORE to a real archive started by the test on 127.0.0.1 (Orthanc with a generated configuration; DCMTK's
// DcmStorageSCP in a child process only where Orthanc is not installed, and never under CI), then read back: the source
// study and icanscan's objects land in one study, the segmentation rebuilds the label map, the SR's numbers equal
// report.json, dciodvfy finds no error. Also the network failures: unreachable peer, rejected association, refused
// store, and a rerun that sends what is missing.
#include "dicom/export/StoreScu.h"
#include "tests/app/CliRunner.h"
#include "tests/export/DicomReadBack.h"
#include "tests/export/ExportChecks.h"
#include "tests/export/ExportTestData.h"
#include "tests/export/TestArchive.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;

/** A copy of the fixture's thalamic_bilateral OUT/dicom (send writes its log there), or empty when missing. */
fs::path CopyExport(const fs::path & folder)
{
  const fs::path run = test::CaseRun("thalamic_bilateral");
  if (test::E2eDir().empty() || !fs::exists(run / "dicom" / "manifest.json"))
    return {};
  fs::create_directories(folder / "out");
  fs::copy(run / "dicom", folder / "out" / "dicom", fs::copy_options::recursive);
  fs::copy(run / "report.json", folder / "out" / "report.json");
  fs::remove(folder / "out" / "dicom" / "send_log.tsv");
  return folder / "out";
}

class PacsRoundTrip : public ::testing::Test
{
protected:
  void SetUp() override
  {
    if (test::FindOrthanc().empty())
    {
      if (test::UnderCi())
        FAIL() << "Orthanc is not installed (Debian package orthanc, see scripts/install-deps.sh); under CI the "
                  "round trip must run against it";
      std::cerr << "[ NOTE ] Orthanc is not installed: using DCMTK's DcmStorageSCP (child process) instead\n";
    }
    folder = test::NewTempFolder("pacs");
    out = CopyExport(folder);
    if (out.empty())
    {
      if (test::UnderCi())
        FAIL() << "the e2e fixture's thalamic_bilateral run with --dicom-out is missing (ICANSCAN_E2E_DIR)";
      GTEST_SKIP() << "the e2e fixture's thalamic_bilateral run with --dicom-out is missing (ICANSCAN_E2E_DIR)";
    }
  }
  void TearDown() override { test::RemoveFolder(folder); }

  std::string To(const test::TestArchive & archive, const std::string & aet = {}) const
  {
    return (aet.empty() ? archive.Aet() : aet) + "@127.0.0.1:" + std::to_string(archive.DicomPort());
  }

  fs::path folder;
  fs::path out;
};

TEST_F(PacsRoundTrip, SourceStudyAndExportLandInOneStudyAndReadBackUnchanged)
{
  const fs::path run = test::CaseRun("thalamic_bilateral");
  auto archive = test::StartArchive({}, folder / "archive");
  std::cerr << "[ NOTE ] archive: " << archive->Kind() << "\n";

  // The source study, by C-STORE with icanscan's own sender.
  std::vector<std::string> sourceFiles;
  for (const auto & file : test::FilesUnder(test::CaseStudy("thalamic_bilateral")))
    sourceFiles.push_back(file.string());
  dicom::StoreDestination destination = dicom::ParseStoreDestination(To(*archive));
  for (const auto & r : dicom::StoreFiles(sourceFiles, destination))
    ASSERT_TRUE(r.stored) << r.file << ": " << r.status;

  const auto sent = test::RunIcanscan({ "send", out.string(), "--to", To(*archive), "--calling-aet", "ICANSCANTEST" });
  ASSERT_EQ(sent.code, 0) << sent.err;
  EXPECT_NE(sent.out.find("seg.dcm: 0000"), std::string::npos) << sent.out;

  const std::string studyUid = test::HeaderString(out / "dicom" / "seg.dcm", 0x0020, 0x000D);
  const auto series = archive->SeriesOf(studyUid);
  std::vector<std::string> modalities;
  for (const auto & s : series)
    modalities.push_back(s.substr(0, s.find(' ')));
  std::sort(modalities.begin(), modalities.end());
  EXPECT_EQ(modalities, (std::vector<std::string>{ "KO", "MR", "MR", "MR", "MR", "OT", "SEG", "SR" }))
    << ::testing::PrintToString(series);

  std::size_t checked = 0;
  for (const auto & file : archive->Retrieve(studyUid, folder / "retrieved"))
  {
    const std::string modality = test::HeaderString(file, 0x0008, 0x0060);
    if (modality == "MR")
      continue;
    if (modality == "SEG")
      test::ExpectSegmentationMatchesRun(file, run);
    if (modality == "SR")
      test::ExpectReportMatchesJson(file, test::ReadJson(run / "report.json"));
    EXPECT_TRUE(test::DciodvfyErrors(file).empty())
      << modality << ": " << ::testing::PrintToString(test::DciodvfyErrors(file));
    ++checked;
  }
  EXPECT_EQ(checked, 4u);

  // A rerun sends nothing: the log says everything is stored there.
  const auto again = test::RunIcanscan({ "send", out.string(), "--to", To(*archive) });
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to send"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("sr.dcm: already stored there"), std::string::npos) << again.out;
}

TEST_F(PacsRoundTrip, UnreachablePeerIsANetworkErrorNamingEveryObject)
{
  const auto result = test::RunIcanscan(
    { "send", out.string(), "--to", "NOBODY@127.0.0.1:" + std::to_string(test::FreeTcpPort()), "--timeout", "3" });
  EXPECT_EQ(result.code, 8) << result.err;
  EXPECT_NE(result.err.find("cannot connect"), std::string::npos) << result.err;
  for (const char * file : { "seg.dcm", "sr.dcm", "keyimages.dcm", "kos.dcm" })
    EXPECT_NE(result.err.find(std::string("not sent: ") + (out / "dicom" / file).string()), std::string::npos)
      << file << "\n"
      << result.err;
}

TEST_F(PacsRoundTrip, RejectedAssociationIsANetworkError)
{
  test::ArchiveOptions options;
  options.checkCalledAet = true;
  auto archive = test::StartArchive(options, folder / "archive");
  const auto result = test::RunIcanscan({ "send", out.string(), "--to", To(*archive, "WRONGAET") });
  EXPECT_EQ(result.code, 8) << result.err;
  EXPECT_NE(result.err.find("rejected the association"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("not sent: "), std::string::npos) << result.err;
}

TEST_F(PacsRoundTrip, RefusedStoreIsNamedAndARerunSendsWhatIsMissing)
{
  test::ArchiveOptions options;
  options.rejectSr = true;
  options.storage = folder / "storage";
  options.dicomPort = test::FreeTcpPort();
  options.httpPort = test::FreeTcpPort();
  std::string to;
  {
    auto refusing = test::StartArchive(options, folder / "refusing");
    to = To(*refusing);
    const auto result = test::RunIcanscan({ "send", out.string(), "--to", to });
    EXPECT_EQ(result.code, 8) << result.err;
    EXPECT_NE(result.err.find("not stored: " + (out / "dicom" / "sr.dcm").string()), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("not stored: " + (out / "dicom" / "seg.dcm").string()), std::string::npos) << result.err;
    const std::string log = test::ReadAll(out / "dicom" / "send_log.tsv");
    EXPECT_NE(log.find("\tsr.dcm\t"), std::string::npos) << log;
  }
  options.rejectSr = false;
  auto accepting = test::StartArchive(options, folder / "accepting");
  const auto rerun = test::RunIcanscan({ "send", out.string(), "--to", to });
  ASSERT_EQ(rerun.code, 0) << rerun.err;
  EXPECT_NE(rerun.out.find("sr.dcm: 0000"), std::string::npos) << rerun.out;
  EXPECT_NE(rerun.out.find("seg.dcm: already stored there"), std::string::npos) << rerun.out;
  const std::string studyUid = test::HeaderString(out / "dicom" / "sr.dcm", 0x0020, 0x000D);
  std::vector<std::string> modalities;
  for (const auto & s : accepting->SeriesOf(studyUid))
    modalities.push_back(s.substr(0, s.find(' ')));
  std::sort(modalities.begin(), modalities.end());
  EXPECT_EQ(modalities, (std::vector<std::string>{ "KO", "OT", "SEG", "SR" }));
}

TEST_F(PacsRoundTrip, ExportOlderThanTheReportIsNotSent)
{
  std::ofstream(out / "report.json", std::ios::app) << "\n";
  const auto result = test::RunIcanscan({ "send", out.string(), "--to", "PACS@127.0.0.1:104" });
  EXPECT_EQ(result.code, 4) << result.err;
  EXPECT_NE(result.err.find("exported from an earlier report.json"), std::string::npos) << result.err;
}

TEST(PacsSend, OutWithoutExportAndBadDestinationAreRefused)
{
  const fs::path folder = test::NewTempFolder("send-usage");
  auto result = test::RunIcanscan({ "send", folder.string(), "--to", "PACS@127.0.0.1:104" });
  EXPECT_EQ(result.code, 4) << result.err;
  EXPECT_NE(result.err.find("has no DICOM export"), std::string::npos) << result.err;
  result = test::RunIcanscan({ "send", folder.string(), "--to", "PACS@127.0.0.1" });
  EXPECT_EQ(result.code, 2) << result.err;
  result = test::RunIcanscan({ "send", folder.string(), "--to", "PACS@127.0.0.1:104", "--timeout", "0" });
  EXPECT_EQ(result.code, 2) << result.err;
  result = test::RunIcanscan({ "send", folder.string(), "--to", "PACS@127.0.0.1:104", "--calling-aet", "" });
  EXPECT_EQ(result.code, 2) << result.err;
  EXPECT_NE(result.err.find("--calling-aet"), std::string::npos) << result.err;
  test::RemoveFolder(folder);
}

} // namespace
