// The malformed-input corpus through the command line: each case gives its documented exit code (the README's
// table) and a message naming what is wrong, and leaves OUT as it was (a file already there untouched, nothing new
// but the command's own outputs, no staging folder, lock or temporary file anywhere).
#include "CliRunner.h"

#include "core/FolderLock.h"
#include "pipeline/report/OutputFiles.h"
#include "synthetic/DemoStudy.h"
#include "tests/dicom/DicomFixtures.h"
#include "tests/hostile/MalformedDicom.h"
#include "tests/hostile/MalformedNifti.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;

std::string ReadText(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class HostileCliTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    m_Root = MakeTempDir("hostile cli");
    fs::create_directories(Out());
    std::ofstream(Out() / "notes.txt") << "the user's own notes, not to be touched\n";
    fs::last_write_time(Out() / "notes.txt", fs::file_time_type::clock::now() - std::chrono::hours(24));
    m_NotesTime = fs::last_write_time(Out() / "notes.txt");
  }
  void TearDown() override { RemoveTempDir(m_Root); }

  fs::path Out() const { return m_Root / "out"; }

  fs::path Study(const std::string & name)
  {
    const fs::path folder = m_Root / name;
    fs::create_directories(folder);
    return folder;
  }

  /** Runs the command; checks its exit code and that stderr holds every `words`. */
  CliRun Expect(const std::vector<std::string> & args, int code, const std::vector<std::string> & words)
  {
    const CliRun r = RunIcanscan(args);
    EXPECT_EQ(r.code, code) << "stderr: " << r.err;
    for (const auto & word : words)
      EXPECT_TRUE(ContainsWord(r.err, word)) << "stderr lacks \"" << word << "\": " << r.err;
    return r;
  }

  /** OUT holds the untouched notes and at most `allowed` new entries; no debris anywhere under the test folder. */
  void ExpectOutUntouched(const std::set<std::string> & allowed = {})
  {
    EXPECT_EQ(ReadText(Out() / "notes.txt"), "the user's own notes, not to be touched\n");
    EXPECT_EQ(fs::last_write_time(Out() / "notes.txt"), m_NotesTime);
    for (const auto & entry : fs::directory_iterator(Out()))
    {
      const std::string name = entry.path().filename().string();
      EXPECT_TRUE(name == "notes.txt" || allowed.count(name)) << "unexpected in OUT: " << name;
    }
    for (const auto & entry : fs::recursive_directory_iterator(m_Root))
    {
      const std::string name = entry.path().filename().string();
      for (const std::string debris : { ".partial-", ".icanscan-lock", ".tmp-" })
        EXPECT_NE(name.rfind(debris, 0), 0u) << "left behind: " << entry.path();
    }
  }

  fs::path m_Root;
  fs::file_time_type m_NotesTime;
};

TEST_F(HostileCliTest, NestedSequencesFileIsSkippedAndTheRestConverted)
{
  const fs::path study = Study("nested");
  WriteSmallSeries(study, 2);
  NestSequences(WriteSmallSeries(study / "x", 3, 1).front().path, 10000);
  Expect({ "convert", study.string(), "-o", Out().string() }, 7, { "x/S3_1.dcm", "nested more than 32 deep" });
  const std::string log = ReadText(Out() / "icanscan_convert_log.tsv");
  EXPECT_TRUE(ContainsWord(log, "damaged_file\tx/S3_1.dcm\tdamaged DICOM structure")) << log;
  ExpectOutUntouched({ "icanscan_convert_log.tsv", "2_T2_series_2.nii.gz", "2_T2_series_2.json" });
  Expect({ "index", (study / "x").string() }, 5, { "no usable image", "nested" });
}

TEST_F(HostileCliTest, TinyMosaicWithTooManyTilesIsDamaged)
{
  const fs::path study = Study("mosaic");
  MarkAsMosaic(PathsOf(WriteSmallSeries(study, 3, 1, {}, 8)), 100);
  Expect({ "convert", study.string(), "-o", Out().string() }, 5, { "mosaic of 100 images cannot be tiled" });
  ExpectOutUntouched();
}

TEST_F(HostileCliTest, NonFiniteOrNegativeGeometryIsRejectedNotMirrored)
{
  const fs::path study = Study("geometry");
  WriteSmallSeries(study, 2);
  SetStringAttribute(PathsOf(WriteSmallSeries(study, 3)), "PixelSpacing", "-0.9\\0.9");
  SetStringAttribute(PathsOf(WriteSmallSeries(study, 4)), "PixelSpacing", "nan\\nan");
  SetStringAttribute(PathsOf(WriteSmallSeries(study, 5)), "ImageOrientationPatient", "nan\\0\\0\\0\\1\\0");
  Expect({ "convert", study.string(), "-o", Out().string() }, 7,
         { "series 3 not converted", "PixelSpacing -0.9\\0.9 is not a positive spacing", "series 4 not converted",
           "series 5 not converted" });
  ExpectOutUntouched({ "icanscan_convert_log.tsv", "2_T2_series_2.nii.gz", "2_T2_series_2.json" });

  const fs::path mirrored = Study("only mirrored");
  SetStringAttribute(PathsOf(WriteSmallSeries(mirrored, 3)), "PixelSpacing", "-0.9\\0.9");
  Expect({ "convert", mirrored.string(), "-o", Out().string() }, 4, { "no volume set could be converted" });
  ExpectOutUntouched({ "icanscan_convert_log.tsv", "2_T2_series_2.nii.gz", "2_T2_series_2.json" });
}

TEST_F(HostileCliTest, Latin1TextIsWrittenAsUtf8)
{
  const fs::path study = Study("latin1");
  SetDescriptionBytes(PathsOf(WriteSmallSeries(study, 2)), "ISO_IR 100",
                      "Sch\xE4"
                      "del T2");
  Expect({ "convert", study.string(), "-o", Out().string() }, 0, {});
  const auto sidecar = nlohmann::json::parse(ReadText(Out() / "2_T2_Sch_del_T2.json"));
  EXPECT_EQ(sidecar.at("SeriesDescription"), "Sch\xC3\xA4"
                                             "del T2");
  ExpectOutUntouched({ "icanscan_convert_log.tsv", "2_T2_Sch_del_T2.nii.gz", "2_T2_Sch_del_T2.json" });
  const auto index = Expect({ "index", study.string(), "--json" }, 0, {});
  EXPECT_EQ(nlohmann::json::parse(index.out).at("series").at(0).at("series_description"), "Sch\xC3\xA4"
                                                                                          "del T2");
}

TEST_F(HostileCliTest, SeveralPatientsInOneFolderAreRefusedUnlessOneStudyIsChosen)
{
  const fs::path study = Study("two patients");
  std::string chosen;
  WriteSmallSeries(study, 2, 5, [&](dicom::MrSeriesSpec & s) { chosen = s.studyInstanceUid; });
  WriteSmallSeries(study, 3, 5,
                   [](dicom::MrSeriesSpec & s)
                   {
                     s.patientId = "SOMEONE ELSE";
                     s.studyInstanceUid = dicom::MrSeriesWriter::GenerateUid();
                   });
  Expect({ "convert", study.string(), "-o", Out().string() }, 2, { "2 patients", chosen, "--study" });
  ExpectOutUntouched();
  Expect({ "run", study.string(), "-o", Out().string() }, 2, { "2 patients" });
  ExpectOutUntouched();
  Expect({ "convert", study.string(), "-o", Out().string(), "--study", chosen }, 0, {});
  ExpectOutUntouched({ "icanscan_convert_log.tsv", "2_T2_series_2.nii.gz", "2_T2_series_2.json" });
}

TEST_F(HostileCliTest, TruncatedPixelDataIsCorruptInputExitFive)
{
  const fs::path study = Study("truncated");
  TruncateInPixelData(WriteSmallSeries(study, 3, 1).front().path);
  Expect({ "convert", study.string(), "-o", Out().string() }, 5, { "truncated" });
  ExpectOutUntouched();
  Expect({ "run", study.string(), "-o", Out().string() }, 5, { "truncated" });
  ExpectOutUntouched();
}

TEST_F(HostileCliTest, LongDescriptionGivesAShortFileName)
{
  const fs::path study = Study("long");
  WriteSmallSeries(study, 2, 5, [](dicom::MrSeriesSpec & s) { s.seriesDescription = std::string(10000, 'x'); });
  const auto r = Expect({ "convert", study.string(), "-o", Out().string() }, 0, {});
  const std::string stem = "2_T2_" + std::string(64, 'x');
  EXPECT_TRUE(fs::exists(Out() / (stem + ".nii.gz"))) << r.out;
  ExpectOutUntouched({ "icanscan_convert_log.tsv", stem + ".nii.gz", stem + ".json" });
}

TEST_F(HostileCliTest, BadOptionsFailBeforeAnyWork)
{
  const fs::path study = Study("options");
  WriteSmallSeries(study, 2);
  for (const std::string command : { "index", "convert", "segment", "run" })
  {
    SCOPED_TRACE(command);
    std::vector<std::string> args{ command, study.string(), "--threads", "100000" };
    if (command != "index")
      args.insert(args.end(), { "-o", Out().string() });
    Expect(args, 2, { "100000" });
  }
  Expect({ "convert", study.string(), "-o", Out().string(), "--role", "99=FLAIR" }, 2,
         { "--role 99=FLAIR", "no series '99'" });
  Expect({ "run", study.string(), "-o", Out().string(), "--role", "99=FLAIR" }, 2, { "--role 99=FLAIR" });
  Expect({ "run", study.string(), "-o", Out().string(), "--study", "1.2.3" }, 2, { "--study 1.2.3" });
  Expect({ "run", study.string(), "-o", (study / "out").string() }, 2, { "inside it" });
  ExpectOutUntouched();
}

TEST_F(HostileCliTest, OutputThatIsAFileOrInUseFailsAtOnce)
{
  const fs::path study = Study("demo");
  synthetic::WriteDemoStudy(study);
  std::ofstream(m_Root / "a file") << "x";
  const auto start = std::chrono::steady_clock::now();
  Expect({ "run", study.string(), "-o", (m_Root / "a file").string() }, 6, { "exists and is not a folder" });
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0)
    << "refused before indexing and the atlas";
  {
    pipeline::OutputFolderLock held(Out()); // another run writing OUT
    Expect({ "run", study.string(), "-o", Out().string() }, 6,
           { "in use by another icanscan run", "pid " + std::to_string(::getpid()) });
    Expect({ "convert", study.string(), "-o", Out().string() }, 6, { "in use by another icanscan run" });
  }
  ExpectOutUntouched();
}

TEST_F(HostileCliTest, ClinicalInputThatIsNotOneAssessmentExitsThree)
{
  const fs::path study = Study("clinical");
  WriteSmallSeries(study, 2);
  std::ofstream(m_Root / "dup.json") << R"({"ice_score": 10, "ice_score": 2})";
  std::ofstream(m_Root / "overflow.json") << R"({"ice_score": 1e400})";
  std::ofstream(m_Root / "deep.json") << "{\"ice_score\": 8, \"notes\": " << std::string(40, '[') << std::string(40, ']')
                                     << "}";
  Expect({ "run", study.string(), "-o", Out().string(), "--clinical", (m_Root / "dup.json").string() }, 3,
         { "'ice_score' is given twice" });
  Expect({ "run", study.string(), "-o", Out().string(), "--clinical", (m_Root / "overflow.json").string() }, 3,
         { "not valid JSON" });
  Expect({ "run", study.string(), "-o", Out().string(), "--clinical", "/dev/zero" }, 3, { "not a regular file" });
  Expect({ "run", study.string(), "-o", Out().string(), "--clinical", (m_Root / "deep.json").string() }, 3,
         { "nested more than 32 levels deep" });
  Expect({ "grade", "--clinical", (m_Root / "dup.json").string() }, 3, { "given twice" });
  Expect({ "grade", "--report", "/dev/zero" }, 5, { "not a regular file" });
  ExpectOutUntouched();
}

TEST_F(HostileCliTest, DamagedNiftiIsCorruptInputNotZeros)
{
  const fs::path study = Study("nifti");
  WriteSmallNifti(study / "sub-01_T2w.nii.gz");
  TruncateFileTo(study / "sub-01_T2w.nii.gz", 0.5);
  WriteSmallNifti(study / "sub-01_FLAIR.nii");
  SetNiftiFloat(study / "sub-01_FLAIR.nii", kPixdimOffset + 4, 0.0f);
  Expect({ "index", study.string() }, 5, { "gzip stream", "pixdim[1] = 0" });
  Expect({ "run", study.string(), "-o", Out().string() }, 5, { "none can be used" });
  ExpectOutUntouched();
}

TEST_F(HostileCliTest, JpegLsDamageIsAnErrorNamingTheFile)
{
  const fs::path study = Study("jpegls");
  const auto files = WriteSmallSeries(study, 2, 1, {}, 32);
  Compress(files.front().path, "JPEG-LS");
  FlipCompressedBytes(files.front().path, 64, 3);
  Expect({ "convert", study.string(), "-o", Out().string() }, 5, { "S2_1.dcm", "JPEG-LS" });
  ExpectOutUntouched({ "icanscan_convert_log.tsv" });
}

TEST_F(HostileCliTest, LinksAndFifosAreListedAndTheStudyConverts)
{
  const fs::path study = Study("links");
  WriteSmallSeries(study, 2);
  fs::create_directory_symlink(study, study / "loop");
  fs::create_symlink(study / "b", study / "a");
  fs::create_symlink(study / "a", study / "b");
  ASSERT_EQ(::mkfifo((study / "pipe").c_str(), 0600), 0);
  Expect({ "convert", study.string(), "-o", Out().string() }, 0, {});
  const std::string log = ReadText(Out() / "icanscan_convert_log.tsv");
  EXPECT_TRUE(ContainsWord(log, "skipped_file\tpipe\ta FIFO, not read")) << log;
  ExpectOutUntouched({ "icanscan_convert_log.tsv", "2_T2_series_2.nii.gz", "2_T2_series_2.json" });
}

TEST_F(HostileCliTest, InputPathsStayOutOfTheOutputs)
{
  const fs::path study = Study("DOE^JOHN 1970") / "MR";
  WriteSmallSeries(study, 2, 4);
  WriteSmallSeries(study, 3, 5);
  DeleteSliceFile(WriteSmallSeries(study / "gap", 4, 5), 2); // rejected: its message names a file
  TruncateInPixelData(WriteSmallSeries(study / "cut", 5, 1).front().path);
  Expect({ "convert", study.string(), "-o", Out().string() }, 7, {});
  for (const auto & entry : fs::recursive_directory_iterator(Out()))
  {
    if (entry.is_regular_file())
    {
      EXPECT_FALSE(ContainsWord(ReadText(entry.path()), "DOE^JOHN")) << entry.path() << " names the input path";
    }
  }
  EXPECT_TRUE(ContainsWord(ReadText(Out() / "icanscan_convert_log.tsv"), "cut/S5_1.dcm"))
    << "files are named relative to the study";
}

TEST_F(HostileCliTest, StaleStagingOfAKilledRunIsRemovedByTheNextRun)
{
  const fs::path study = Study("stale");
  WriteSmallSeries(study, 2);
  const fs::path stale = m_Root / ".partial-out-999999999";
  fs::create_directories(stale / "volumes");
  std::ofstream(stale / kFolderLockName) << "pid 999999999";
  std::ofstream(stale / "volumes" / "T2.nii.gz") << "half of a patient's image";
  std::ofstream(m_Root / ".icanscan-lock-out") << "pid 999999999"; // its lock, free since the process is gone
  Expect({ "convert", study.string(), "-o", Out().string() }, 0, {});
  EXPECT_FALSE(fs::exists(stale));
  ExpectOutUntouched({ "icanscan_convert_log.tsv", "2_T2_series_2.nii.gz", "2_T2_series_2.json" });
}

} // namespace
} // namespace icanscan::test
