// The DICOM half of the malformed-input corpus at library level: every case gives its named reason (a skipped file,
// a rejected set, or an InputError with its exit code), the rest of the study is unaffected, and nothing crashes
// (this executable also runs under AddressSanitizer + UndefinedBehaviorSanitizer, see ICANSCAN_SANITIZE).

#include "core/Error.h"
#include "dicom/StructureCheck.h"
#include "dicom/StudyIndex.h"
#include "dicom/VolumeReader.h"
#include "pipeline/input/StudyInput.h"
#include "tests/dicom/DicomFixtures.h"
#include "tests/hostile/MalformedDicom.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;
using dicom::Verdict;

class HostileDicomTest : public ::testing::Test
{
protected:
  void SetUp() override { m_Root = MakeTempDir("hostile dicom"); }
  void TearDown() override { RemoveTempDir(m_Root); }

  fs::path Study(const std::string & name)
  {
    const fs::path folder = m_Root / name;
    fs::create_directories(folder);
    return folder;
  }

  static dicom::StudyIndex Index(const fs::path & study) { return dicom::BuildStudyIndex(study); }

  /** The one skipped entry whose reason contains `word`; fails the test when there is none. */
  static const dicom::SkippedFile * Skipped(const dicom::StudyIndex & index, const std::string & word)
  {
    for (const auto & s : index.skipped)
      if (ContainsWord(s.reason, word))
        return &s;
    ADD_FAILURE() << "no skipped file with \"" << word << "\"\n" << Describe(index);
    return nullptr;
  }

  static const dicom::VolumeSet * SetWithId(const dicom::StudyIndex & index, const std::string & id)
  {
    for (const auto & set : index.volumeSets)
      if (set.id == id)
        return &set;
    ADD_FAILURE() << "no volume set " << id << "\n" << Describe(index);
    return nullptr;
  }

  /** The good series 2 is indexed whole and reads: one bad file never stops a study. */
  static void ExpectGoodSeriesIntact(const dicom::StudyIndex & index)
  {
    const auto * good = SetWithId(index, "2");
    ASSERT_NE(good, nullptr);
    EXPECT_EQ(good->verdict, Verdict::Ok) << Describe(index);
    EXPECT_EQ(good->slices, 5u);
    EXPECT_NO_THROW(dicom::ReadVolumes(*good));
  }

  /** A damaged file, skipped with a reason containing `word`, and the study's exit code when it is all there is. */
  void ExpectDamagedAlone(const fs::path & study, const std::string & word)
  {
    const auto index = Index(study);
    const auto * skipped = Skipped(index, word);
    ASSERT_NE(skipped, nullptr);
    EXPECT_TRUE(skipped->damaged) << skipped->reason;
    try
    {
      pipeline::IndexStudyOrThrow(study.string(), 0, {});
      ADD_FAILURE() << "a study of damaged files only was accepted";
    }
    catch (const InputError & e)
    {
      EXPECT_EQ(e.Code(), ExitCode::CorruptInput) << e.what();
      EXPECT_TRUE(ContainsWord(e.what(), word)) << e.what();
    }
  }

  fs::path m_Root;
};

TEST_F(HostileDicomTest, TenThousandNestedSequencesSkipTheFileNotTheStudy)
{
  const fs::path study = Study("nested");
  WriteSmallSeries(study, 2);
  const auto hostile = WriteSmallSeries(study / "hostile", 3, 1);
  NestSequences(hostile.front().path, 10000);
  const auto check = dicom::CheckDicomStructure(hostile.front().path);
  EXPECT_EQ(check.sequenceDepth, 33u) << "the walk stops one level past the limit";
  const auto index = Index(study);
  const auto * skipped = Skipped(index, "nested more than 32 deep");
  ASSERT_NE(skipped, nullptr);
  EXPECT_TRUE(skipped->damaged);
  EXPECT_EQ(skipped->displayPath, "hostile/S3_1.dcm") << "outputs name the file relative to the study";
  ExpectGoodSeriesIntact(index);
  ExpectDamagedAlone(study / "hostile", "nested");
}

TEST_F(HostileDicomTest, ModerateNestingIsReadAsUsual)
{
  const fs::path study = Study("nested-20");
  const auto files = WriteSmallSeries(study, 2);
  NestSequences(files.front().path, 20);
  EXPECT_EQ(dicom::CheckDicomStructure(files.front().path).sequenceDepth, 20u);
  ExpectGoodSeriesIntact(Index(study));
}

TEST_F(HostileDicomTest, NestingIsFoundInEveryEncodingDeflatedIncluded)
{
  for (const std::string syntax : { "explicit", "implicit", "big endian", "deflated" })
  {
    SCOPED_TRACE(syntax);
    const fs::path deep = Study("deep " + syntax);
    NestAndSave(WriteSmallSeries(deep, 3, 1).front().path, 40, syntax);
    ExpectDamagedAlone(deep, "nested more than 32 deep");
    const fs::path shallow = Study("shallow " + syntax);
    const auto files = WriteSmallSeries(shallow, 2);
    NestAndSave(files.front().path, 8, syntax);
    EXPECT_EQ(dicom::CheckDicomStructure(files.front().path).sequenceDepth, 8u);
    ExpectGoodSeriesIntact(Index(shallow));
  }
}

TEST_F(HostileDicomTest, MosaicWithMoreTilesThanFitIsDamagedAndCostsNothing)
{
  const fs::path study = Study("mosaic");
  WriteSmallSeries(study, 2);
  const auto tiny = WriteSmallSeries(study / "tiny", 3, 1, {}, 8);
  MarkAsMosaic(PathsOf(tiny), 100);
  const auto index = Index(study);
  const auto * skipped = Skipped(index, "mosaic of 100 images cannot be tiled");
  ASSERT_NE(skipped, nullptr);
  EXPECT_TRUE(skipped->damaged);
  ExpectGoodSeriesIntact(index);
}

TEST_F(HostileDicomTest, MosaicThatFitsIsUnpacked)
{
  const fs::path study = Study("mosaic-ok");
  const auto whole = WriteSmallSeries(study, 4, 1);
  MarkAsMosaic(PathsOf(whole), 4); // 16 x 16 frame: four 8 x 8 tiles
  const auto index = Index(study);
  ASSERT_EQ(index.volumeSets.size(), 1u) << Describe(index);
  EXPECT_EQ(index.volumeSets[0].slices, 4u);
  EXPECT_EQ(index.volumeSets[0].columns, 8u);
  const auto volumes = dicom::ReadVolumes(index.volumeSets[0]);
  ASSERT_EQ(volumes.size(), 1u);
}

TEST_F(HostileDicomTest, NonFiniteOrNegativeGeometryRejectsTheSetNamingTheAttribute)
{
  struct Case
  {
    std::string attribute;
    std::string value;
    std::string word;
    bool halfOnly = false;
  };
  const Case cases[] = {
    { "PixelSpacing", "nan\\nan", "PixelSpacing" },
    { "PixelSpacing", "-0.9\\0.9", "PixelSpacing -0.9\\0.9 is not a positive spacing" },
    { "PixelSpacing", "0\\0", "PixelSpacing 0\\0 is not a positive spacing" },
    { "ImageOrientationPatient", "nan\\0\\0\\0\\1\\0", "ImageOrientationPatient" },
    { "ImagePositionPatient", "nan\\nan\\nan", "ImagePositionPatient", true },
    { "RescaleSlope", "inf", "RescaleSlope" },
  };
  int k = 0;
  for (const auto & c : cases)
  {
    SCOPED_TRACE(c.attribute + " = " + c.value);
    const fs::path study = Study("geometry-" + std::to_string(k++));
    WriteSmallSeries(study, 2);
    auto files = PathsOf(WriteSmallSeries(study / "bad", 3));
    if (c.halfOnly)
      files.resize(files.size() / 2 + 1);
    SetStringAttribute(files, c.attribute, c.value);
    const auto index = Index(study);
    const auto * bad = SetWithId(index, "3");
    ASSERT_NE(bad, nullptr);
    EXPECT_EQ(bad->verdict, Verdict::Rejected) << Describe(index);
    EXPECT_TRUE(AnyMessageContains(*bad, c.word)) << Describe(index);
    EXPECT_EQ(bad->volumes, 0u) << "no 4D set made of NaN positions";
    try
    {
      dicom::ReadVolumes(*bad);
      ADD_FAILURE() << "a rejected set was read";
    }
    catch (const InputError & e)
    {
      EXPECT_EQ(e.Code(), ExitCode::NoUsableDicom);
    }
    ExpectGoodSeriesIntact(index);
  }
}

TEST_F(HostileDicomTest, TextIsDecodedThroughItsCharacterSet)
{
  struct Case
  {
    std::string charset;
    std::string bytes;
    std::string utf8;
    bool warned;
  };
  const Case cases[] = {
    { "ISO_IR 100",
      "Sch\xE4"
      "del T2",
      "Sch\xC3\xA4"
      "del T2",
      false },                                           // Latin-1
    { "ISO_IR 101", "G\xB3owa", "G\xC5\x82owa", false }, // Latin-2: 0xB3 is l with stroke
    { "ISO_IR 192",
      "\xC3\x89"
      "d\xC3\xA8me",
      "\xC3\x89"
      "d\xC3\xA8me",
      false },
    { "",
      "\xC9"
      "d\xE8me",
      "\xC3\x89"
      "d\xC3\xA8me",
      true }, // undeclared: read as Latin-1, said so
    { "ISO_IR 999",
      "\xC9"
      "d\xE8me",
      "\xC3\x89"
      "d\xC3\xA8me",
      true }, // unknown character set
  };
  int k = 0;
  for (const auto & c : cases)
  {
    SCOPED_TRACE("SpecificCharacterSet '" + c.charset + "'");
    const fs::path study = Study("charset-" + std::to_string(k++));
    SetDescriptionBytes(PathsOf(WriteSmallSeries(study, 2)), c.charset, c.bytes);
    const auto index = Index(study);
    ASSERT_EQ(index.volumeSets.size(), 1u) << Describe(index);
    EXPECT_EQ(index.volumeSets[0].Header().seriesDescription, c.utf8);
    EXPECT_EQ(index.volumeSets[0].verdict, c.warned ? Verdict::Warning : Verdict::Ok) << Describe(index);
    EXPECT_EQ(AnyMessageContains(index.volumeSets[0], "could not be converted"), c.warned) << Describe(index);
  }
}

TEST_F(HostileDicomTest, SeveralStudiesOrPatientsAreRefusedUnlessOneIsChosen)
{
  const fs::path study = Study("two studies");
  std::string firstStudy;
  WriteSmallSeries(study, 2, 5, [&](dicom::MrSeriesSpec & s) { firstStudy = s.studyInstanceUid; });
  WriteSmallSeries(study, 3, 5,
                   [](dicom::MrSeriesSpec & s)
                   {
                     s.patientId = "OTHER";
                     s.studyInstanceUid = dicom::MrSeriesWriter::GenerateUid();
                   });
  try
  {
    pipeline::IndexStudyOrThrow(study.string(), 0, {});
    FAIL() << "two patients' series were mixed";
  }
  catch (const UsageError & e)
  {
    EXPECT_EQ(e.Code(), ExitCode::Usage);
    EXPECT_TRUE(ContainsWord(e.what(), "2 patients")) << e.what();
    EXPECT_TRUE(ContainsWord(e.what(), firstStudy)) << "the list names each study: " << e.what();
    EXPECT_TRUE(ContainsWord(e.what(), "--study")) << e.what();
    EXPECT_FALSE(ContainsWord(e.what(), "OTHER")) << "no patient identifier in messages";
  }
  const auto chosen = pipeline::IndexStudyOrThrow(study.string(), 0, {}, firstStudy);
  ASSERT_EQ(chosen.volumeSets.size(), 1u);
  EXPECT_EQ(chosen.volumeSets[0].id, "2");
  EXPECT_THROW(pipeline::IndexStudyOrThrow(study.string(), 0, {}, "1.2.3.4"), UsageError);
}

TEST_F(HostileDicomTest, SeriesSharingANumberGetUniqueIds)
{
  const fs::path study = Study("same number");
  WriteSmallSeries(study / "a", 2);
  WriteSmallSeries(study / "b", 2);
  const auto index = Index(study);
  ASSERT_EQ(index.volumeSets.size(), 2u) << Describe(index);
  EXPECT_NE(index.volumeSets[0].id, index.volumeSets[1].id);
  EXPECT_NE(SetWithId(index, "2.2"), nullptr);
  EXPECT_TRUE(ContainsWord(SetWithId(index, "2.2")->splitReason, "also used by another series"));
}

TEST_F(HostileDicomTest, RoleForASeriesThatIsNotThereIsAUsageError)
{
  const fs::path study = Study("role");
  WriteSmallSeries(study, 2);
  try
  {
    pipeline::IndexStudyOrThrow(study.string(), 0, { "99=FLAIR" });
    FAIL() << "--role 99=FLAIR silently ignored";
  }
  catch (const UsageError & e)
  {
    EXPECT_TRUE(ContainsWord(e.what(), "--role 99=FLAIR")) << e.what();
    EXPECT_TRUE(ContainsWord(e.what(), "series ids: 2")) << e.what();
  }
  EXPECT_NO_THROW(pipeline::IndexStudyOrThrow(study.string(), 0, { "2=FLAIR" }));
}

TEST_F(HostileDicomTest, TruncatedPixelDataIsDamagedInputExitFive)
{
  const fs::path study = Study("truncated");
  WriteSmallSeries(study, 2);
  const auto cut = WriteSmallSeries(study / "cut", 3, 1);
  TruncateInPixelData(cut.front().path);
  const auto index = Index(study);
  EXPECT_NE(Skipped(index, "PixelData (7FE0,0010) declares 512 bytes but the file holds only 256"), nullptr);
  EXPECT_EQ(index.CountDamaged(), 1u);
  ExpectGoodSeriesIntact(index);
  ExpectDamagedAlone(study / "cut", "truncated");
}

TEST_F(HostileDicomTest, DeclaredSizesAreBoundedByTheBytesBeforeAnyAllocation)
{
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const auto start = std::chrono::steady_clock::now();
  const fs::path study = Study("sizes");
  WriteSmallSeries(study, 2);
  const auto native = WriteSmallSeries(study / "native", 3, 1);
  DeclareFrames(native.front().path, 1000000, false);
  const auto rle = WriteSmallSeries(study / "rle", 4, 1);
  DeclareFrames(rle.front().path, 1000000, true);
  const auto huge = WriteSmallSeries(study / "huge", 5, 1);
  SetUint16Attribute(PathsOf(huge), "Rows", 65535);
  SetUint16Attribute(PathsOf(huge), "Columns", 65535);
  const auto index = Index(study);
  EXPECT_NE(Skipped(index, "x 1000000 frame(s)"), nullptr);
  EXPECT_NE(Skipped(index, "1 fragment(s) for 1000000 declared frame(s)"), nullptr);
  EXPECT_NE(Skipped(index, "Rows 65535 x Columns 65535"), nullptr);
  ExpectGoodSeriesIntact(index);
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 200 * 1024) << "kB of peak memory for three tiny files";
  EXPECT_LT(seconds, 30.0);
}

TEST_F(HostileDicomTest, UnsupportedOrImpossiblePixelDescriptionsAreNamed)
{
  struct Case
  {
    std::string attribute;
    std::uint16_t value;
    std::string word;
  };
  const Case cases[] = {
    { "BitsAllocated", 0, "BitsAllocated 0 is not supported" },
    { "BitsAllocated", 7, "BitsAllocated 7 is not supported" },
    { "BitsAllocated", 64, "BitsAllocated 64 is not supported" },
    { "Rows", 0, "Rows or Columns is 0" },
    { "BitsStored", 17, "BitsStored 17 does not fit" },
    { "PixelRepresentation", 2, "PixelRepresentation 2" },
  };
  int k = 0;
  for (const auto & c : cases)
  {
    SCOPED_TRACE(c.attribute + " " + std::to_string(c.value));
    const fs::path study = Study("pixels-" + std::to_string(k++));
    SetUint16Attribute(PathsOf(WriteSmallSeries(study, 3, 1)), c.attribute, c.value);
    ExpectDamagedAlone(study, c.word);
  }
}

TEST_F(HostileDicomTest, MissingType1AttributesAreNamed)
{
  const std::pair<std::string, std::string> cases[] = {
    { "SeriesInstanceUID", "SeriesInstanceUID (0020,000E) missing" },
    { "StudyInstanceUID", "StudyInstanceUID (0020,000D) missing" },
    { "PixelData", "PixelData (7FE0,0010) missing" },
  };
  int k = 0;
  for (const auto & [attribute, word] : cases)
  {
    SCOPED_TRACE(attribute);
    const fs::path study = Study("type1-" + std::to_string(k++));
    RemoveAttribute(PathsOf(WriteSmallSeries(study, 3, 1)), attribute);
    ExpectDamagedAlone(study, word);
  }
  const fs::path study = Study("no position");
  RemoveAttribute(PathsOf(WriteSmallSeries(study, 3)), "ImagePositionPatient");
  const auto index = Index(study);
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets[0].verdict, Verdict::Rejected);
  EXPECT_TRUE(AnyMessageContains(index.volumeSets[0], "ImagePositionPatient missing in 5 of 5 images"));
}

TEST_F(HostileDicomTest, LengthsPastTheEndAndBadVrAreDamage)
{
  const fs::path past = Study("length");
  SetPixelDataLength(WriteSmallSeries(past, 3, 1).front().path, 0xFFFFFFF0u);
  ExpectDamagedAlone(past, "declares 4294967280 bytes");

  const fs::path badVr = Study("bad vr");
  CorruptRowsVr(WriteSmallSeries(badVr, 3, 1).front().path, "ZZ");
  const auto index = Index(badVr);
  ASSERT_EQ(index.skipped.size(), 1u) << Describe(index);
  EXPECT_TRUE(index.skipped[0].damaged) << index.skipped[0].reason;
}

TEST_F(HostileDicomTest, MixedSeriesIsSplitWithItsReason)
{
  const fs::path study = Study("mixed");
  std::string seriesUid, studyUid;
  WriteSmallSeries(study, 2, 5,
                   [&](dicom::MrSeriesSpec & s)
                   {
                     seriesUid = s.seriesInstanceUid;
                     studyUid = s.studyInstanceUid;
                   });
  WriteSmallSeries(
    study / "other size", 2, 3,
    [&](dicom::MrSeriesSpec & s)
    {
      s.seriesInstanceUid = seriesUid;
      s.studyInstanceUid = studyUid;
      s.firstInstanceNumber = 100;
    },
    24);
  const auto index = Index(study);
  ExpectGoodSeriesIntact(index);
  const auto * part = SetWithId(index, "2.2");
  ASSERT_NE(part, nullptr);
  EXPECT_TRUE(ContainsWord(part->splitReason, "dimensions 24x24")) << part->splitReason;
}

TEST_F(HostileDicomTest, LinkLoopsDanglingLinksAndFifosAreListedNotFollowed)
{
  const fs::path study = Study("links");
  WriteSmallSeries(study, 2);
  fs::create_directory_symlink(study, study / "loop");
  fs::create_symlink(study / "b", study / "a");
  fs::create_symlink(study / "a", study / "b");
  fs::create_symlink(study / "nowhere", study / "dangling");
  ASSERT_EQ(::mkfifo((study / "pipe").c_str(), 0600), 0);
  const auto index = Index(study); // a FIFO opened for reading would block here
  ExpectGoodSeriesIntact(index);
  EXPECT_NE(Skipped(index, "a second way to a folder already scanned"), nullptr);
  EXPECT_NE(Skipped(index, "a FIFO, not read"), nullptr);
  EXPECT_NE(Skipped(index, "leads nowhere or loops"), nullptr);
  EXPECT_EQ(index.CountDamaged(), 0u) << "links and FIFOs are not damaged images";
}

TEST_F(HostileDicomTest, UnreadableFileIsSkippedAsLost)
{
  if (::geteuid() == 0)
    GTEST_SKIP() << "root reads any file; HostileCliTest.UnreadableFileAsAnotherUser covers it with a child process";
  const fs::path study = Study("unreadable");
  WriteSmallSeries(study, 2);
  const auto locked = WriteSmallSeries(study / "locked", 3, 1);
  fs::permissions(locked.front().path, fs::perms::none);
  const auto index = Index(study);
  fs::permissions(locked.front().path, fs::perms::owner_all);
  const auto * skipped = Skipped(index, "cannot be opened");
  ASSERT_NE(skipped, nullptr);
  EXPECT_TRUE(skipped->damaged);
  ExpectGoodSeriesIntact(index);
}

} // namespace
} // namespace icanscan::test
