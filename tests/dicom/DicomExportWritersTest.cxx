// The DICOM writers of dicom/export on a small synthetic MR series: what they write is read back with DCMTK
// (DcmSegmentation::loadFile, DSRDocument) and checked by dciodvfy.
#include "core/Error.h"
#include "dicom/export/KeyImageWriter.h"
#include "dicom/export/MeasurementReportWriter.h"
#include "dicom/export/SegmentationWriter.h"
#include "dicom/export/StoreScu.h"
#include "pipeline/export/ExportInputs.h"
#include "tests/dicom/DicomFixtures.h"
#include "tests/export/DicomReadBack.h"
#include "tests/export/TestArchive.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;

/** A 12x10x6 MR series on an oblique grid, indexed; labels and masks on its grid. */
class DicomExportWritersTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    folder = test::MakeTempDir("export writers é");
    auto image = test::MakeTestVolume(12, 10, 6, { 0.9, 1.1, 4.0 }, test::RotationDirection(5, -3, 8));
    auto spec = test::MakeTestSpec(3, "T2 AX");
    spec.patientName = "Müller^Anna";
    spec.patientId = "PID-42";
    test::WriteSeries(image, spec, folder / "study");
    index = dicom::BuildStudyIndex(folder / "study");
    ASSERT_EQ(index.volumeSets.size(), 1u);
    source = pipeline::ToSourceSeries(index.volumeSets.front());
    grid = filters::MaskImage::New();
    grid->CopyInformation(image);
    grid->SetRegions(image->GetLargestPossibleRegion());
    grid->Allocate(true);
  }
  void TearDown() override { test::RemoveTempDir(folder); }

  /** Labels 1 (slices 1-2) and 2 (slice 4), a lesion overlapping label 1, and an empty lesion class. */
  dicom::SegmentationContent Content() const
  {
    const std::size_t n = 12 * 10 * 6;
    dicom::SegmentationContent c;
    c.algorithmName = "icanscan";
    c.volumes.resize(3);
    c.volumes[0].voxels.assign(n, 0);
    c.volumes[1].voxels.assign(n, 0);
    c.volumes[2].voxels.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i)
    {
      const std::size_t x = i % 12, y = (i / 12) % 10, k = i / 120;
      if ((k == 1 || k == 2) && x > 2 && x < 9 && y > 1)
        c.volumes[0].voxels[i] = 1;
      if (k == 4 && (x + y) % 3 == 0)
        c.volumes[0].voxels[i] = 2;
      if (k == 2 && x == 5)
        c.volumes[1].voxels[i] = 1;
    }
    const auto segment = [](const std::string & label, std::size_t volume, std::uint8_t value)
    {
      dicom::SegmentDefinition d;
      d.label = label;
      d.trackingId = label;
      d.category = { "123037004", "SCT", "Anatomical Structure" };
      d.type = { "42695009", "SCT", "Thalamus" };
      d.typeModifier = dicom::CodedConcept{ "7771000", "SCT", "Left" };
      d.rgb = { { 0, 118, 14 } };
      d.volume = volume;
      d.value = value;
      return d;
    };
    c.segments = { segment("one", 0, 1), segment("two", 0, 2), segment("lesion", 1, 1), segment("empty", 2, 1) };
    c.segments[2].category = { "49755003", "SCT", "Morphologically Abnormal Structure" };
    c.segments[2].type = { "52988006", "SCT", "Lesion" };
    c.segments[2].typeModifier.reset();
    c.segments[2].anatomicRegion = dicom::CodedConcept{ "12738006", "SCT", "Brain" };
    return c;
  }

  dicom::DerivedSeries Series(int number) const { return { number, "icanscan test (automatic; needs review)", "9.9" }; }

  fs::path folder;
  dicom::StudyIndex index;
  dicom::SourceSeries source;
  filters::MaskImage::Pointer grid;
};

TEST_F(DicomExportWritersTest, SegmentationReadsBackVoxelForVoxelWithCodesAndIdentifiers)
{
  const auto content = Content();
  const auto written = dicom::WriteSegmentation(source, content, Series(9001), folder / "seg.dcm");
  ASSERT_EQ(written.segmentNumbers.size(), 4u);
  EXPECT_EQ(written.frames, 2u + 1u + 1u + 1u); // two slices, one slice, one slice, one empty frame

  const auto segments = test::ReadSegmentation(folder / "seg.dcm", grid);
  ASSERT_EQ(segments.size(), 4u);
  for (std::size_t s = 0; s < 4; ++s)
  {
    const auto & read = segments.at(written.segmentNumbers[s]);
    const auto & def = content.segments[s];
    EXPECT_EQ(read.label, def.label);
    EXPECT_EQ(read.trackingId, def.trackingId);
    EXPECT_EQ(read.typeCode, def.type.value + "^" + def.type.scheme + "^" + def.type.meaning);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < content.volumes[def.volume].voxels.size(); ++i)
      differ += (content.volumes[def.volume].voxels[i] == def.value) != (read.mask->GetBufferPointer()[i] != 0);
    EXPECT_EQ(differ, 0u) << def.label;
  }
  EXPECT_EQ(segments.at(written.segmentNumbers[0]).modifierCode, "7771000^SCT^Left");
  EXPECT_EQ(segments.at(written.segmentNumbers[3]).frames, 1u);

  const auto sourceFile = index.volumeSets.front().Header().path;
  for (const auto & tag : { std::pair<unsigned short, unsigned short>{ 0x0010, 0x0010 },
                            { 0x0010, 0x0020 },
                            { 0x0020, 0x000D },
                            { 0x0020, 0x0052 } })
    EXPECT_EQ(test::HeaderString(folder / "seg.dcm", tag.first, tag.second),
              test::HeaderString(sourceFile, tag.first, tag.second));
  EXPECT_EQ(test::HeaderString(folder / "seg.dcm", 0x0010, 0x0010), "Müller^Anna");
  EXPECT_EQ(test::HeaderString(folder / "seg.dcm", 0x0008, 0x0070), "icanscan");
  EXPECT_EQ(test::HeaderString(folder / "seg.dcm", 0x0018, 0x1020), "9.9");
  EXPECT_EQ(test::HeaderString(folder / "seg.dcm", 0x0062, 0x0013), "YES"); // the lesion overlaps segment one
  EXPECT_NE(test::HeaderString(folder / "seg.dcm", 0x0020, 0x000E), test::HeaderString(sourceFile, 0x0020, 0x000E));
  if (test::HaveDciodvfy())
  {
    EXPECT_TRUE(test::DciodvfyErrors(folder / "seg.dcm").empty())
      << ::testing::PrintToString(test::DciodvfyErrors(folder / "seg.dcm"));
  }
}

TEST_F(DicomExportWritersTest, SegmentationRejectsVolumesOffTheGridAndBadSegments)
{
  auto content = Content();
  content.volumes[1].voxels.pop_back();
  EXPECT_THROW(dicom::WriteSegmentation(source, content, Series(1), folder / "bad.dcm"), InputError);
  content = Content();
  content.segments[0].value = 0;
  EXPECT_THROW(dicom::WriteSegmentation(source, content, Series(1), folder / "bad.dcm"), InputError);
  content = Content();
  content.segments[0].volume = 7;
  EXPECT_THROW(dicom::WriteSegmentation(source, content, Series(1), folder / "bad.dcm"), InputError);
  content = Content();
  content.segments.clear();
  EXPECT_THROW(dicom::WriteSegmentation(source, content, Series(1), folder / "bad.dcm"), InputError);
  EXPECT_FALSE(fs::exists(folder / "bad.dcm"));
  content = Content();
  EXPECT_THROW(dicom::WriteSegmentation(source, content, Series(1), folder / "no such folder" / "seg.dcm"),
               OutputError);
}

TEST_F(DicomExportWritersTest, MeasurementReportHoldsNumbersAsDecimalStringsAndReferencesSegments)
{
  const auto segmentation = dicom::WriteSegmentation(source, Content(), Series(9001), folder / "seg.dcm");
  dicom::MeasurementReportContent content;
  content.deviceName = "icanscan";
  dicom::MeasurementGroup g;
  g.trackingId = "one";
  g.segment = 0;
  g.finding = { "42695009", "SCT", "Thalamus" };
  g.findingSite = g.finding;
  g.laterality = dicom::CodedConcept{ "7771000", "SCT", "Left" };
  g.measurements.push_back(
    { { "118565006", "SCT", "Volume" }, std::nullopt, 8.123456789012345678, { "cm3", "UCUM", "cubic centimeter" } });
  g.measurements.push_back({ { "113041", "DCM", "Apparent Diffusion Coefficient" },
                             dicom::CodedConcept{ "373098007", "SCT", "Mean" },
                             std::nullopt,
                             { "um2/s", "UCUM", "um2/s" } });
  g.evaluations.push_back({ { "T2FLAIR_INVOLVED", "99ICANSCAN", "T2/FLAIR involvement" },
                            dicom::CodedConcept{ "52101004", "SCT", "Present" },
                            "" });
  content.groups.push_back(g);
  content.evaluations.push_back(
    { { "79654002", "SCT", "Edema" }, dicom::CodedConcept{ "87017008", "SCT", "Focal" }, "" });
  content.evaluations.push_back({ { "121106", "DCM", "Comment" }, std::nullopt, "machine-generated; needs review" });

  const auto written = dicom::WriteMeasurementReport(source, segmentation, content, Series(9002), folder / "sr.dcm");
  const auto numbers = test::ReadSrMeasurements(folder / "sr.dcm");
  ASSERT_TRUE(numbers.count("one"));
  const std::string volume = numbers.at("one").at("Volume");
  EXPECT_LE(volume.size(), 16u);
  EXPECT_NEAR(std::stod(volume), 8.123456789012345678, 1e-13);
  EXPECT_EQ(numbers.at("one").at("Apparent Diffusion Coefficient"), ""); // not assessable: no value

  const auto texts = test::ReadSrTexts(folder / "sr.dcm");
  const auto has = [&](const std::string & line) { return std::find(texts.begin(), texts.end(), line) != texts.end(); };
  EXPECT_TRUE(has("Edema: Focal")) << ::testing::PrintToString(texts);
  EXPECT_TRUE(has("Comment: machine-generated; needs review"));
  EXPECT_TRUE(has("T2/FLAIR involvement: Present"));
  EXPECT_TRUE(has("Tracking Identifier: one"));

  const auto references = test::ReadSrImageReferences(folder / "sr.dcm");
  EXPECT_NE(std::find(references.begin(), references.end(), segmentation.sopInstanceUid), references.end());
  EXPECT_EQ(test::HeaderString(folder / "sr.dcm", 0x0040, 0xA493), "UNVERIFIED");
  EXPECT_EQ(test::HeaderString(folder / "sr.dcm", 0x0040, 0xA496), "PRELIMINARY");
  EXPECT_EQ(test::HeaderString(folder / "sr.dcm", 0x0020, 0x000D), segmentation.studyInstanceUid);
  EXPECT_EQ(test::HeaderString(folder / "sr.dcm", 0x0008, 0x0018), written.sopInstanceUid);
  if (test::HaveDciodvfy())
  {
    EXPECT_TRUE(test::DciodvfyErrors(folder / "sr.dcm").empty())
      << ::testing::PrintToString(test::DciodvfyErrors(folder / "sr.dcm"));
  }

  content.groups[0].segment = 9;
  EXPECT_THROW(dicom::WriteMeasurementReport(source, segmentation, content, Series(9002), folder / "bad.dcm"),
               InputError);
}

TEST_F(DicomExportWritersTest, KeyImagesAreOneMultiFrameColourObjectAndKosPointsAtThem)
{
  dicom::RgbFrame a, b;
  a.columns = 8;
  a.rows = 6;
  a.rgb.assign(8 * 6 * 3, 0);
  a.rgb[0] = 200; // red top-left pixel
  a.title = "Finding 1: thalamus";
  a.patientOrientation = "L\\P";
  b.columns = 4;
  b.rows = 4;
  b.rgb.assign(4 * 4 * 3, 50);
  b.title = "Overview";
  b.patientOrientation = "L\\P";
  const auto sc = dicom::WriteKeyImages(source, { a, b }, Series(9003), folder / "keyimages.dcm");
  EXPECT_EQ(sc.frames, 2u);
  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile((folder / "keyimages.dcm").c_str()).good());
  Uint16 rows = 0, columns = 0;
  file.getDataset()->findAndGetUint16(DCM_Rows, rows);
  file.getDataset()->findAndGetUint16(DCM_Columns, columns);
  EXPECT_EQ(rows, 6);
  EXPECT_EQ(columns, 8);
  const Uint8 * pixels = nullptr;
  unsigned long count = 0;
  ASSERT_TRUE(file.getDataset()->findAndGetUint8Array(DCM_PixelData, pixels, &count).good());
  ASSERT_EQ(count, 2u * 8 * 6 * 3);
  EXPECT_EQ(pixels[0], 200);
  const std::size_t second = 8 * 6 * 3;
  EXPECT_EQ(pixels[second], 0);                    // padding
  EXPECT_EQ(pixels[second + (1 * 8 + 2) * 3], 50); // the 4x4 image centred at (2, 1)
  EXPECT_EQ(test::HeaderString(folder / "keyimages.dcm", 0x0020, 0x0020), "L\\P");
  EXPECT_EQ(test::HeaderString(folder / "keyimages.dcm", 0x0010, 0x0020), "PID-42");
  if (test::HaveDciodvfy())
  {
    EXPECT_TRUE(test::DciodvfyErrors(folder / "keyimages.dcm").empty())
      << ::testing::PrintToString(test::DciodvfyErrors(folder / "keyimages.dcm"));
  }

  dicom::KeyObjectContent kos;
  kos.description = "key images";
  kos.images.push_back({ sc.studyInstanceUid, sc.seriesInstanceUid, sc.sopClassUid, sc.sopInstanceUid, 0 });
  kos.images.push_back(source.slices[3]);
  dicom::WriteKeyObjectSelection(source, kos, Series(9004), folder / "kos.dcm");
  const auto references = test::ReadSrImageReferences(folder / "kos.dcm");
  EXPECT_EQ(references, (std::vector<std::string>{ sc.sopInstanceUid, source.slices[3].sopInstanceUid }));
  EXPECT_EQ(test::HeaderString(folder / "kos.dcm", 0x0008, 0x0060), "KO");
  if (test::HaveDciodvfy())
  {
    EXPECT_TRUE(test::DciodvfyErrors(folder / "kos.dcm").empty())
      << ::testing::PrintToString(test::DciodvfyErrors(folder / "kos.dcm"));
  }

  dicom::WriteKeyImages(source, { a }, Series(9005), folder / "one.dcm");
  EXPECT_EQ(test::HeaderString(folder / "one.dcm", 0x0028, 0x0008), "1");
  if (test::HaveDciodvfy())
  {
    EXPECT_TRUE(test::DciodvfyErrors(folder / "one.dcm").empty())
      << ::testing::PrintToString(test::DciodvfyErrors(folder / "one.dcm"));
  }

  EXPECT_THROW(dicom::WriteKeyImages(source, {}, Series(1), folder / "bad.dcm"), InputError);
  b.rgb.pop_back();
  EXPECT_THROW(dicom::WriteKeyImages(source, { a, b }, Series(1), folder / "bad.dcm"), InputError);
  EXPECT_THROW(dicom::WriteKeyObjectSelection(source, {}, Series(1), folder / "bad.dcm"), InputError);
}

TEST(StoreScuTest, DestinationIsParsedOrRefusedByName)
{
  const auto d = dicom::ParseStoreDestination("ORTHANC@127.0.0.1:4242");
  EXPECT_EQ(d.calledAet, "ORTHANC");
  EXPECT_EQ(d.host, "127.0.0.1");
  EXPECT_EQ(d.port, 4242);
  EXPECT_EQ(d.ToString(), "ORTHANC@127.0.0.1:4242");
  for (const char * bad : { "ORTHANC", "ORTHANC@host", "@host:104", "A@:104", "A@host:0", "A@host:65536", "A@host:12x",
                            "SEVENTEEN_CHARS_X@h:1", "A\\B@h:104" })
    EXPECT_THROW(dicom::ParseStoreDestination(bad), UsageError) << bad;
}

TEST_F(DicomExportWritersTest, StoreToAClosedPortFailsWithANetworkErrorNamingEachFile)
{
  dicom::StoreDestination d;
  d.calledAet = "NOBODY";
  d.host = "127.0.0.1";
  d.port = test::FreeTcpPort();
  d.timeoutSeconds = 2;
  const auto file = index.volumeSets.front().Header().path;
  try
  {
    dicom::StoreFiles({ file }, d);
    FAIL() << "no error";
  }
  catch (const NetworkError & e)
  {
    EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
    EXPECT_EQ(e.Code(), ExitCode::Network);
  }
  // A file that is not DICOM is reported, never sent.
  std::ofstream(folder / "not-dicom.txt") << "hello";
  const auto results = dicom::StoreFiles({ (folder / "not-dicom.txt").string() }, d);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].stored);
  EXPECT_NE(results[0].status.find("not a readable DICOM"), std::string::npos);
}

} // namespace
