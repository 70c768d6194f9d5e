// The NIfTI half of the malformed-input corpus at library level: a NIfTI file is read completely or skipped as
// damaged with its reason, never with zeros for missing voxels or 1 mm for an unknown voxel size.

#include "core/Error.h"
#include "core/FolderLock.h"
#include "pipeline/input/NiftiFileCheck.h"
#include "pipeline/input/NiftiStudyImport.h"
#include "pipeline/input/StudyInput.h"
#include "tests/dicom/DicomFixtures.h"
#include "tests/hostile/MalformedNifti.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class HostileNiftiTest : public ::testing::Test
{
protected:
  void SetUp() override { m_Root = MakeTempDir("hostile nifti"); }
  void TearDown() override { RemoveTempDir(m_Root); }

  /** A NIfTI study holding one good file and the case's file; returns the case's file. */
  fs::path Study(const std::string & name, const std::string & extension = ".nii")
  {
    const fs::path folder = m_Root / name;
    fs::create_directories(folder);
    WriteSmallNifti(folder / "good_T2.nii.gz", R"({"SeriesNumber": 2, "SeriesDescription": "T2"})");
    const fs::path file = folder / ("case" + extension);
    WriteSmallNifti(file);
    return file;
  }

  /** The case's file is skipped as damaged with `word` in its reason; the good file is imported. */
  static void ExpectSkippedDamaged(const fs::path & file, const std::string & word)
  {
    SCOPED_TRACE(file.filename().string());
    const auto check = pipeline::CheckNiftiFile(file);
    EXPECT_TRUE(ContainsWord(check.problem, word)) << "problem: " << check.problem;
    pipeline::ImportedNiftiStudy study(file.parent_path());
    ASSERT_EQ(study.Series().size(), 1u) << "the good file is imported";
    ASSERT_EQ(study.Skipped().size(), 1u);
    EXPECT_TRUE(study.Skipped()[0].damaged);
    EXPECT_TRUE(ContainsWord(study.Skipped()[0].reason, word)) << study.Skipped()[0].reason;
    EXPECT_EQ(study.Skipped()[0].displayPath, file.filename().string());
  }

  fs::path m_Root;
};

TEST_F(HostileNiftiTest, CompleteFilesPassTheCheck)
{
  for (const std::string extension : { ".nii", ".nii.gz" })
  {
    const fs::path file = Study("ok" + extension, extension);
    const auto check = pipeline::CheckNiftiFile(file);
    EXPECT_TRUE(check.problem.empty()) << check.problem;
    EXPECT_EQ(check.voxelBytes, 16u * 16u * 6u * 2u);
    EXPECT_GE(check.bytesPresent, check.voxelBytes);
  }
}

TEST_F(HostileNiftiTest, TruncatedFilesAreDamagedNotZeroFilled)
{
  const fs::path gz = Study("half gz", ".nii.gz");
  TruncateFileTo(gz, 0.5);
  ExpectSkippedDamaged(gz, "gzip stream");
  const fs::path nii = Study("half nii");
  TruncateFileTo(nii, 0.6);
  ExpectSkippedDamaged(nii, "truncated");
}

TEST_F(HostileNiftiTest, VoxelSizeZeroOrNaNIsNotOneMillimetre)
{
  const fs::path zero = Study("pixdim zero", ".nii.gz");
  SetNiftiFloat(zero, kPixdimOffset + 4, 0.0f);
  ExpectSkippedDamaged(zero, "pixdim[1] = 0");
  const fs::path nan = Study("pixdim nan");
  SetNiftiFloat(nan, kPixdimOffset + 12, kNaN);
  ExpectSkippedDamaged(nan, "pixdim[3] = nan");
  const fs::path negative = Study("pixdim negative");
  SetNiftiFloat(negative, kPixdimOffset + 8, -1.0f);
  ExpectSkippedDamaged(negative, "pixdim[2] = -1");
}

TEST_F(HostileNiftiTest, NonFiniteOrMissingOrientationIsDamaged)
{
  const fs::path sform = Study("nan sform");
  SetNiftiFloat(sform, kSrowXOffset, kNaN);
  ExpectSkippedDamaged(sform, "sform (srow_x/y/z) holds a non-finite value");
  const fs::path qform = Study("nan qform");
  SetNiftiShort(qform, kSformCodeOffset, 0);
  SetNiftiFloat(qform, kQuaternBOffset, kNaN);
  ExpectSkippedDamaged(qform, "qform");
  const fs::path none = Study("no orientation");
  SetNiftiShort(none, kQformCodeOffset, 0);
  SetNiftiShort(none, kSformCodeOffset, 0);
  ExpectSkippedDamaged(none, "orientation (which side is left) is unknown");
  const fs::path singular = Study("singular sform");
  for (int k = 0; k < 3; ++k)
    SetNiftiFloat(singular, kSrowXOffset + 4 * k, 0.0f);
  ExpectSkippedDamaged(singular, "sform is singular");
}

TEST_F(HostileNiftiTest, ImpossibleDimensionsAreDamaged)
{
  const fs::path zero = Study("dim zero");
  SetNiftiShort(zero, kDimOffset + 2, 0);
  ExpectSkippedDamaged(zero, "dim[1] = 0");
  const fs::path huge = Study("dim huge", ".nii.gz");
  SetNiftiShort(huge, kDimOffset + 2, 30000);
  SetNiftiShort(huge, kDimOffset + 4, 30000);
  ExpectSkippedDamaged(huge, "truncated");
}

TEST_F(HostileNiftiTest, AFolderOfDamagedFilesOnlyIsCorruptInput)
{
  const fs::path folder = m_Root / "only damaged";
  fs::create_directories(folder);
  WriteSmallNifti(folder / "half.nii.gz");
  TruncateFileTo(folder / "half.nii.gz", 0.5);
  try
  {
    pipeline::OpenStudy(folder.string(), 0, {});
    FAIL() << "a folder of damaged NIfTI was accepted";
  }
  catch (const InputError & e)
  {
    EXPECT_EQ(e.Code(), ExitCode::CorruptInput) << e.what();
    EXPECT_TRUE(ContainsWord(e.what(), "half.nii.gz")) << e.what();
  }
}

TEST_F(HostileNiftiTest, SidecarsThatAreNotFilesOrHoldHugeNumbersDoNotHangOrOverflow)
{
  const fs::path folder = m_Root / "sidecars";
  fs::create_directories(folder);
  WriteSmallNifti(folder / "fifo.nii.gz");
  ASSERT_EQ(::mkfifo((folder / "fifo.json").c_str(), 0600), 0);
  WriteSmallNifti(folder / "huge.nii.gz", R"({"SeriesNumber": 1e300, "RepetitionTime": 1e308, "EchoTime": -1e308})");
  pipeline::ImportedNiftiStudy study(folder); // reading the FIFO would block here
  ASSERT_EQ(study.Skipped().size(), 1u);
  EXPECT_TRUE(ContainsWord(study.Skipped()[0].reason, "fifo.json is not a regular file"));
  ASSERT_EQ(study.Series().size(), 1u);
  EXPECT_GE(study.Series()[0].seriesNumber, 1);
}

TEST_F(HostileNiftiTest, TemporaryCopiesGoAndStaleOnesAreCleaned)
{
  const fs::path temp = m_Root / "tmp";
  fs::create_directories(temp);
  const char * previous = std::getenv("TMPDIR");
  const std::string saved = previous ? previous : "";
  ::setenv("TMPDIR", temp.c_str(), 1);
  // What a killed import left: its lock is free.
  const fs::path stale = temp / "icanscan-nifti-999999999-0-1";
  fs::create_directories(stale / "series_2");
  std::ofstream(stale / kFolderLockName) << "pid 999999999";
  std::ofstream(stale / "series_2" / "IM_1") << "copy of a patient's image";
  const fs::path study = Study("temp");
  {
    pipeline::ImportedNiftiStudy imported(study.parent_path());
    EXPECT_FALSE(fs::exists(stale)) << "the stale copy is removed by the next import";
    EXPECT_TRUE(fs::exists(imported.DicomFolder()));
    EXPECT_TRUE(fs::exists(imported.DicomFolder() / kFolderLockName)) << "a live import holds its lock";
  }
  EXPECT_TRUE(fs::is_empty(temp)) << "nothing left in the temporary folder";
  if (previous)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
}

} // namespace
} // namespace icanscan::test
