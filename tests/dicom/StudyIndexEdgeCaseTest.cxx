#include "core/Error.h"
#include "synthetic/DemoStudy.h"
#include "dicom/MrSeriesWriter.h"
#include "dicom/StudyIndex.h"
#include "dicom/VolumeReader.h"
#include "tests/dicom/DicomFixtures.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

namespace icanscan::test
{
namespace
{

namespace fs = std::filesystem;
using dicom::SeriesRole;
using dicom::StudyIndex;
using dicom::Verdict;
using dicom::VolumeSet;

/** Size, origin, spacing and direction (row-major) of an image or a volume set, to compare both the same way. */
struct Geometry
{
  std::array<double, 3> size{};
  std::array<double, 3> origin{};
  std::array<double, 3> spacing{};
  std::array<double, 9> direction{};
};

Geometry GeometryOf(const VolumeSet & set)
{
  return { { double(set.columns), double(set.rows), double(set.slices) }, set.origin, set.spacing, set.direction };
}

Geometry GeometryOf(const FixtureImage & image)
{
  Geometry g;
  for (unsigned d = 0; d < 3; ++d)
  {
    g.size[d] = double(image.GetLargestPossibleRegion().GetSize()[d]);
    g.origin[d] = image.GetOrigin()[d];
    g.spacing[d] = image.GetSpacing()[d];
    for (unsigned c = 0; c < 3; ++c)
    {
      g.direction[3 * d + c] = image.GetDirection()[d][c];
    }
  }
  return g;
}

std::string ToString(const Geometry & g)
{
  std::ostringstream out;
  const auto list = [&](const double * v, int n)
  {
    for (int i = 0; i < n; ++i)
    {
      out << (i == 0 ? "(" : ", ") << v[i];
    }
    out << ")";
  };
  out << "size ";
  list(g.size.data(), 3);
  out << " origin ";
  list(g.origin.data(), 3);
  out << " spacing ";
  list(g.spacing.data(), 3);
  out << " direction ";
  list(g.direction.data(), 9);
  return out.str();
}

/** Same size; origin, spacing and direction within 1e-4. */
::testing::AssertionResult SameGeometry(const Geometry & actual, const Geometry & expected)
{
  bool same = actual.size == expected.size;
  for (unsigned i = 0; i < 9; ++i)
  {
    same = same && std::abs(actual.direction[i] - expected.direction[i]) <= 1e-4;
    same = same && (i >= 3 || (std::abs(actual.origin[i] - expected.origin[i]) <= 1e-4 &&
                               std::abs(actual.spacing[i] - expected.spacing[i]) <= 1e-4));
  }
  if (same)
  {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "geometry " << ToString(actual) << "\nexpected " << ToString(expected);
}

/** Geometry within 1e-4 and voxels within slope/2 (plus the float rounding of the value). */
::testing::AssertionResult MatchesSource(const dicom::VolumeImage & actual, const FixtureImage & source, double slope)
{
  const auto geometry = SameGeometry(GeometryOf(actual), GeometryOf(source));
  if (!geometry)
  {
    return geometry;
  }
  const float * a = actual.GetBufferPointer();
  const float * e = source.GetBufferPointer();
  std::size_t bad = 0;
  std::size_t first = 0;
  for (std::size_t n = 0; n < source.GetLargestPossibleRegion().GetNumberOfPixels(); ++n)
  {
    const double tolerance = 0.5 * slope + 1e-6 * std::abs(e[n]) + 1e-9;
    if (!(std::abs(double{ a[n] } - e[n]) <= tolerance))
    {
      first = bad == 0 ? n : first;
      ++bad;
    }
  }
  if (bad > 0)
  {
    return ::testing::AssertionFailure() << bad << " voxels differ by more than slope/2 = " << 0.5 * slope
                                         << "; first at linear index " << first << ": " << a[first] << " vs "
                                         << e[first];
  }
  return ::testing::AssertionSuccess();
}

/** The index holds exactly one volume set, with this verdict and a message containing `word`. */
void ExpectSingleSet(const StudyIndex & index, Verdict verdict, const std::string & word)
{
  SCOPED_TRACE(Describe(index));
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets[0].verdict, verdict);
  EXPECT_TRUE(AnyMessageContains(index.volumeSets[0], word)) << "no message contains \"" << word << "\"";
}

/** The outcome accepted for a damaged file: skipped with a reason, or every set holding it rejected, or reading
 * each non-rejected set holding it throws InputError. Returns an empty string when acceptable, else why not. */
std::string CheckDamagedFileOutcome(const StudyIndex & index, const std::string & damaged, bool nameInError)
{
  if (const auto * skipped = FindSkipped(index, damaged))
  {
    return skipped->reason.empty() ? "skipped without a reason" : "";
  }
  const auto sets = SetsWithFile(index, damaged);
  if (sets.empty())
  {
    return "the file is neither skipped nor part of any volume set";
  }
  for (const auto * set : sets)
  {
    if (set->verdict == Verdict::Rejected)
    {
      continue;
    }
    try
    {
      dicom::ReadVolumes(*set);
      return "set " + set->id + " is not rejected and ReadVolumes did not throw";
    }
    catch (const InputError & e)
    {
      if (nameInError && std::string(e.what()).find(fs::path(damaged).filename().string()) == std::string::npos)
      {
        return std::string("InputError does not name the file: ") + e.what();
      }
    }
    catch (const std::exception & e)
    {
      return std::string("ReadVolumes threw something other than InputError: ") + e.what();
    }
  }
  return "";
}

/** Death-test body: caps the address space, indexes `dir`, checks every damaged file's outcome, removes `dir` and
 * exits 0 when all outcomes are acceptable, else prints why and exits 1. */
[[noreturn]] void RunCappedAndExit(const fs::path & dir, const std::vector<std::string> & damaged)
{
  constexpr rlim_t cap = rlim_t{ 4 } << 30;
  const rlimit limit{ cap, cap };
  setrlimit(RLIMIT_AS, &limit);
  std::string problem;
  try
  {
    const auto index = dicom::BuildStudyIndex(dir);
    for (const auto & path : damaged)
    {
      const std::string p = CheckDamagedFileOutcome(index, path, false);
      problem = p.empty() ? problem : path + ": " + p + "\n" + Describe(index);
    }
  }
  catch (const std::exception & e)
  {
    problem = std::string("exception: ") + e.what();
  }
  RemoveTempDir(dir);
  std::fprintf(stderr, "%s\n", problem.c_str());
  std::fflush(stderr);
  std::_Exit(problem.empty() ? 0 : 1);
}

class StudyIndexEdgeCaseTest : public ::testing::Test
{
protected:
  fs::path NewDir(const std::string & name)
  {
    m_Dirs.push_back(MakeTempDir(name));
    return m_Dirs.back();
  }

  void TearDown() override
  {
    for (const auto & dir : m_Dirs)
    {
      if (HasFailure())
      {
        std::cout << "kept for inspection: " << dir << "\n";
      }
      else
      {
        RemoveTempDir(dir);
      }
    }
  }

  /** Clean series contract: one set, Ok, role by tags, geometry and voxels as written. */
  void ExpectCleanRoundTrip(const fs::path & root,
                            const std::vector<dicom::WrittenFile> & files,
                            const FixtureImage & source,
                            int seriesNumber)
  {
    const StudyIndex index = dicom::BuildStudyIndex(root);
    SCOPED_TRACE(Describe(index));
    ASSERT_EQ(index.volumeSets.size(), 1u);
    const VolumeSet & set = index.volumeSets.front();
    EXPECT_EQ(set.id, std::to_string(seriesNumber));
    EXPECT_EQ(set.verdict, Verdict::Ok);
    EXPECT_EQ(set.slices, files.size());
    EXPECT_EQ(set.volumes, 1u);
    EXPECT_EQ(set.frames.size(), files.size());
    EXPECT_EQ(set.role, SeriesRole::T2); // SE, TR 4000, TE 90, neutral description
    EXPECT_TRUE(index.skipped.empty());
    EXPECT_TRUE(SameGeometry(GeometryOf(set), GeometryOf(source)));
    const auto volumes = dicom::ReadVolumes(set);
    ASSERT_EQ(volumes.size(), 1u);
    EXPECT_TRUE(MatchesSource(*volumes.front(), source, ReadRescaleSlope(files.front().path)));
  }

  /** An axial 32x32 series of `slices` slices of 1x1x3 mm, files "IM_<n>.dcm" in `folder`. */
  static std::vector<dicom::WrittenFile> WriteAxial(const fs::path & folder, int seriesNumber, unsigned slices)
  {
    const auto image = MakeTestVolume(32, 32, slices, { 1.0, 1.0, 3.0 }, IdentityDirection());
    return WriteSeries(image, MakeTestSpec(seriesNumber), folder);
  }

  std::vector<fs::path> m_Dirs;
};

const Direction kOblique = RotationDirection(10.0, -7.0, 20.0);

TEST_F(StudyIndexEdgeCaseTest, WrittenFilesCarryTheGeometry)
{
  // Checks the writer against DCMTK directly, so a failure below is not blamed on the reader.
  const auto dir = NewDir("writer");
  const auto image = MakeTestVolume(5, 4, 3, { 0.8, 1.1, 3.0 }, kOblique, { -10.5, 20.25, 30.0 });
  const auto files = WriteSeries(image, MakeTestSpec(2), dir);
  ASSERT_EQ(files.size(), 3u);
  const std::string & path = files[2].path;
  EXPECT_EQ(ReadStringAttribute(path, "TransferSyntaxUID"), "1.2.840.10008.1.2.1");
  EXPECT_EQ(ReadStringAttribute(path, "MediaStorageSOPClassUID"), "1.2.840.10008.5.1.4.1.1.4");
  EXPECT_EQ(ReadStringAttribute(path, "SOPClassUID"), "1.2.840.10008.5.1.4.1.1.4");
  EXPECT_EQ(ReadStringAttribute(path, "MediaStorageSOPInstanceUID"), files[2].sopInstanceUid);
  EXPECT_EQ(ReadStringAttribute(path, "Rows"), "4");
  EXPECT_EQ(ReadStringAttribute(path, "Columns"), "5");
  EXPECT_EQ(ReadStringAttribute(path, "PixelSpacing"), "1.1\\0.8");
  EXPECT_EQ(ReadStringAttribute(path, "InstanceNumber"), "3");
  std::istringstream ipp(ReadStringAttribute(path, "ImagePositionPatient"));
  std::istringstream iop(ReadStringAttribute(path, "ImageOrientationPatient"));
  const auto & d = image->GetDirection();
  for (unsigned r = 0; r < 3; ++r)
  {
    std::string value;
    std::getline(ipp, value, '\\');
    EXPECT_NEAR(std::stod(value), image->GetOrigin()[r] + 2 * 3.0 * d[r][2], 1e-6) << "IPP " << r;
  }
  for (unsigned v = 0; v < 6; ++v)
  {
    std::string value;
    std::getline(iop, value, '\\');
    EXPECT_NEAR(std::stod(value), d[v % 3][v / 3], 1e-9) << "IOP " << v;
  }
}

TEST_F(StudyIndexEdgeCaseTest, CleanObliqueSeriesRoundTrips)
{
  const auto dir = NewDir("clean");
  const auto image = MakeTestVolume(40, 32, 12, { 0.9, 1.1, 3.0 }, kOblique);
  const auto files = WriteSeries(image, MakeTestSpec(3), dir);
  ExpectCleanRoundTrip(dir, files, *image, 3);
}

TEST_F(StudyIndexEdgeCaseTest, CleanSignedSeriesRoundTrips)
{
  const auto dir = NewDir("signed");
  const auto image =
    MakeTestVolume(33, 30, 8, { 1.0, 1.0, 2.5 }, RotationDirection(0, 15, 0), { 10.0, -20.0, 5.0 }, -350.0);
  auto spec = MakeTestSpec(4);
  spec.storeAsSigned = true;
  const auto files = WriteSeries(image, spec, dir);
  ASSERT_EQ(ReadStringAttribute(files.front().path, "PixelRepresentation"), "1");
  ExpectCleanRoundTrip(dir, files, *image, 4);
}

TEST_F(StudyIndexEdgeCaseTest, ShuffledInstanceNumbersSortByPosition)
{
  const auto dir = NewDir("shuffled instances");
  const auto image = MakeTestVolume(40, 32, 12, { 0.9, 1.1, 3.0 }, kOblique);
  const auto files = WriteSeries(image, MakeTestSpec(5), dir);
  ShuffleInstanceNumbers(files);
  ExpectCleanRoundTrip(dir, files, *image, 5);
}

TEST_F(StudyIndexEdgeCaseTest, FileNamesWithSpacesNonAsciiAndNoExtension)
{
  const auto dir = NewDir("Ünïcödé Stüdy 日本");
  const auto image = MakeTestVolume(24, 20, 6, { 1.25, 1.25, 4.0 }, kOblique);
  const auto files = WriteSeries(image, MakeTestSpec(6), dir / "Serie 6 – Kopf ü", "Bild Nr {n} ä");
  ExpectCleanRoundTrip(dir, files, *image, 6);
}

TEST_F(StudyIndexEdgeCaseTest, MissingSliceIsRejected)
{
  const auto dir = NewDir("gap");
  DeleteSliceFile(WriteAxial(dir, 7, 10), 4);
  ExpectSingleSet(dicom::BuildStudyIndex(dir), Verdict::Rejected, "missing");
}

TEST_F(StudyIndexEdgeCaseTest, DuplicateSliceIsRejected)
{
  const auto dir = NewDir("duplicate");
  const auto files = WriteAxial(dir, 8, 10);
  DuplicateSlice(files[4], dir / "IM_5 copy.dcm");
  ExpectSingleSet(dicom::BuildStudyIndex(dir), Verdict::Rejected, "duplicate");
}

TEST_F(StudyIndexEdgeCaseTest, TwoOrientationsAreSplit)
{
  const auto dir = NewDir("two orientations");
  const auto files = WriteAlternatingOrientationSeries(dir, MakeTestSpec(3), 6);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  ASSERT_EQ(index.volumeSets.size(), 2u);
  const auto & a = index.volumeSets[0];
  const auto & b = index.volumeSets[1];
  EXPECT_NE(a.id, b.id);
  for (const auto * set : { &a, &b })
  {
    EXPECT_EQ(set->Header().seriesNumber, 3);
    EXPECT_TRUE(set->id == "3" || set->id.rfind("3.", 0) == 0) << "id " << set->id;
    EXPECT_EQ(set->slices, 6u) << "set " << set->id;
    if (set->id != "3")
    {
      EXPECT_TRUE(ContainsWord(set->splitReason, "orientation")) << "set " << set->id << ": " << set->splitReason;
    }
  }
  EXPECT_TRUE(ContainsWord(a.splitReason + " " + b.splitReason, "orientation"));
}

TEST_F(StudyIndexEdgeCaseTest, GantryTiltIsRejected)
{
  const auto dir = NewDir("tilt");
  ApplyGantryTilt(WriteAxial(dir, 9, 8), 15.0);
  ExpectSingleSet(dicom::BuildStudyIndex(dir), Verdict::Rejected, "tilt");
}

TEST_F(StudyIndexEdgeCaseTest, LocalizerInsideSeriesIsSplit)
{
  const auto dir = NewDir("localizer inside");
  const auto written = WriteSeriesWithLocalizer(dir, MakeTestSpec(10), 8);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  EXPECT_GE(index.volumeSets.size(), 2u);
  const auto localizerSets = SetsWithFile(index, written.localizer.path);
  ASSERT_EQ(localizerSets.size(), 1u);
  EXPECT_EQ(localizerSets[0]->role, SeriesRole::Localizer);
  EXPECT_EQ(localizerSets[0]->frames.size(), 1u);
  const auto mainSets = SetsWithFile(index, written.main.front().path);
  ASSERT_EQ(mainSets.size(), 1u);
  const VolumeSet & main = *mainSets[0];
  EXPECT_NE(main.id, localizerSets[0]->id);
  EXPECT_EQ(main.slices, written.main.size());
  EXPECT_EQ(main.frames.size(), written.main.size());
  EXPECT_EQ(main.verdict, Verdict::Ok);
  EXPECT_NE(main.role, SeriesRole::Localizer);
}

TEST_F(StudyIndexEdgeCaseTest, TruncatedFileIsSkippedOrFailsToRead)
{
  const auto dir = NewDir("truncated");
  const auto files = WriteAxial(dir, 11, 8);
  TruncateInPixelData(files[3].path);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  if (const auto * skipped = FindSkipped(index, files[3].path))
  {
    EXPECT_FALSE(skipped->reason.empty());
    return;
  }
  const auto sets = SetsWithFile(index, files[3].path);
  ASSERT_EQ(sets.size(), 1u) << "the truncated file is neither skipped nor in one volume set";
  try
  {
    dicom::ReadVolumes(*sets[0]);
    ADD_FAILURE() << "ReadVolumes did not throw for a truncated file";
  }
  catch (const InputError & e)
  {
    EXPECT_NE(std::string(e.what()).find(fs::path(files[3].path).filename().string()), std::string::npos) << e.what();
  }
}

TEST_F(StudyIndexEdgeCaseTest, NonDicomFileIsSkipped)
{
  const auto dir = NewDir("non dicom");
  const auto files = WriteAxial(dir, 12, 6);
  const std::string text = WriteTextFile(dir / "notes.txt");
  const std::string noExtension = WriteTextFile(dir / "README", "DICM is not at offset 128 here\n");
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  for (const auto & path : { text, noExtension })
  {
    const auto * skipped = FindSkipped(index, path);
    ASSERT_NE(skipped, nullptr) << path << " is not in skipped";
    EXPECT_FALSE(skipped->reason.empty());
  }
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets[0].verdict, Verdict::Ok);
  EXPECT_EQ(index.volumeSets[0].slices, files.size());
}

TEST_F(StudyIndexEdgeCaseTest, MissingImagePositionPatientIsRejected)
{
  const auto dir = NewDir("no ipp");
  RemoveAttribute(Paths(WriteAxial(dir, 13, 6)), "ImagePositionPatient");
  ExpectSingleSet(dicom::BuildStudyIndex(dir), Verdict::Rejected, "ImagePositionPatient");
}

TEST_F(StudyIndexEdgeCaseTest, MissingPixelSpacingIsRejected)
{
  const auto dir = NewDir("no spacing");
  RemoveAttribute(Paths(WriteAxial(dir, 14, 6)), "PixelSpacing");
  ExpectSingleSet(dicom::BuildStudyIndex(dir), Verdict::Rejected, "PixelSpacing");
}

TEST_F(StudyIndexEdgeCaseTest, RowsZeroIsSkippedOrRejected)
{
  const auto dir = NewDir("rows zero");
  const auto files = WriteAxial(dir / "bad", 15, 8);
  const auto clean = WriteAxial(dir / "clean", 16, 8);
  SetUint16Attribute({ files[3].path }, "Rows", 0);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  EXPECT_EQ(CheckDamagedFileOutcome(index, files[3].path, false), "");
  const auto cleanSets = SetsOfSeries(index, 16);
  ASSERT_EQ(cleanSets.size(), 1u);
  EXPECT_EQ(cleanSets[0]->verdict, Verdict::Ok);
  EXPECT_EQ(cleanSets[0]->slices, clean.size());
}

TEST_F(StudyIndexEdgeCaseTest, HugeDeclaredDimensionsDoNotAllocate)
{
  // Runs in a child process whose address space is capped at 4 GiB: 65535² voxels need 8.6 GB as uint16 and
  // 17 GB as float, so an attempt to allocate them fails there instead of swapping or being killed here.
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's shadow memory needs more address space than the cap; the sanitizer build "
                  "bounds declared sizes in HostileDicomTest.DeclaredSizesAreBoundedByTheBytesBeforeAnyAllocation";
#endif
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto dir = NewDir("huge");
  const auto paths = Paths(WriteAxial(dir, 17, 6));
  SetUint16Attribute(paths, "Rows", 65535);
  SetUint16Attribute(paths, "Columns", 65535);
  EXPECT_EXIT(RunCappedAndExit(dir, paths), ::testing::ExitedWithCode(0), "");
}

TEST_F(StudyIndexEdgeCaseTest, TooFewSlicesWarn)
{
  const auto dir = NewDir("two slices");
  WriteAxial(dir, 18, 2);
  ExpectSingleSet(dicom::BuildStudyIndex(dir), Verdict::Warning, "few");
}

TEST_F(StudyIndexEdgeCaseTest, DemoStudyHasEveryRole)
{
  const auto dir = NewDir("demo");
  synthetic::WriteDemoStudy(dir, 1);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  EXPECT_EQ(index.filesScanned, 24u + 24u + 48u + 24u + 3u);
  EXPECT_TRUE(index.skipped.empty());
  const std::map<int, SeriesRole> roles{
    { 1, SeriesRole::T2 }, { 2, SeriesRole::FLAIR }, { 3, SeriesRole::DWI }, { 4, SeriesRole::ADC }
  };
  for (const auto & [number, role] : roles)
  {
    const auto sets = SetsOfSeries(index, number);
    ASSERT_EQ(sets.size(), 1u) << "series " << number;
    EXPECT_EQ(sets[0]->role, role) << "series " << number;
    EXPECT_EQ(sets[0]->verdict, Verdict::Ok) << "series " << number;
    EXPECT_EQ(sets[0]->slices, 24u) << "series " << number;
  }
  const auto dwi = SetsOfSeries(index, 3);
  EXPECT_EQ(dwi[0]->volumes, 2u);
  auto bValues = dwi[0]->BValues();
  std::sort(bValues.begin(), bValues.end());
  EXPECT_EQ(bValues, (std::vector<double>{ 0.0, 1000.0 }));
  const auto localizers = SetsOfSeries(index, 5);
  ASSERT_FALSE(localizers.empty());
  std::size_t localizerFrames = 0;
  for (const auto * set : localizers)
  {
    EXPECT_EQ(set->role, SeriesRole::Localizer) << "set " << set->id;
    localizerFrames += set->frames.size();
  }
  EXPECT_EQ(localizerFrames, 3u);
}

TEST_F(StudyIndexEdgeCaseTest, DemoStudyDiffusionFollowsAdc)
{
  const auto dir = NewDir("demo diffusion");
  synthetic::WriteDemoStudy(dir, 3);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  const auto dwiSets = SetsOfSeries(index, 3);
  const auto adcSets = SetsOfSeries(index, 4);
  ASSERT_EQ(dwiSets.size(), 1u);
  ASSERT_EQ(adcSets.size(), 1u);
  ASSERT_EQ(dwiSets[0]->diffusion.size(), 2u);
  const auto dwi = dicom::ReadVolumes(*dwiSets[0]);
  const auto adc = dicom::ReadVolumes(*adcSets[0]);
  ASSERT_EQ(dwi.size(), 2u);
  ASSERT_EQ(adc.size(), 1u);
  const bool firstIsB0 = dwiSets[0]->diffusion[0].bValue < dwiSets[0]->diffusion[1].bValue;
  const float * s0 = dwi[firstIsB0 ? 0 : 1]->GetBufferPointer();
  const float * sb = dwi[firstIsB0 ? 1 : 0]->GetBufferPointer();
  const float * map = adc[0]->GetBufferPointer();
  ASSERT_EQ(adc[0]->GetLargestPossibleRegion(), dwi[0]->GetLargestPossibleRegion());
  double sum = 0.0;
  std::size_t count = 0;
  std::size_t whiteMatter = 0;
  for (std::size_t n = 0; n < adc[0]->GetLargestPossibleRegion().GetNumberOfPixels(); ++n)
  {
    if (s0[n] > 200.0f && sb[n] > 50.0f && map[n] > 0.0f)
    {
      sum += std::log(s0[n] / sb[n]) / 1000.0 * 1e6 - map[n];
      ++count;
      whiteMatter += std::abs(map[n] - 700.0f) < 40.0f ? 1 : 0;
    }
  }
  ASSERT_GT(count, 10000u);
  EXPECT_LT(std::abs(sum / count), 10.0) << "mean of ln(S0/Sb)/b - ADC in 1e-6 mm²/s";
  EXPECT_GT(whiteMatter, 5000u) << "voxels with white matter ADC 700 +- 40";
}

} // namespace
} // namespace icanscan::test
