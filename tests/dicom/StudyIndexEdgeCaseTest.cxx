#include "core/Error.h"
#include "dicom/DemoStudy.h"
#include "dicom/MrSeriesWriter.h"
#include "dicom/StudyIndex.h"
#include "dicom/VolumeReader.h"
#include "tests/dicom/DicomFixtures.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
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

std::string Lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

/** Message checks ignore case: "Missing slice" and "missing slice" state the same thing. */
bool ContainsWord(const std::string & text, const std::string & word)
{
  return Lower(text).find(Lower(word)) != std::string::npos;
}

bool AnyMessageContains(const VolumeSet & set, const std::string & word)
{
  return std::any_of(set.messages.begin(), set.messages.end(),
                     [&](const std::string & m) { return ContainsWord(m, word); });
}

std::string Describe(const StudyIndex & index)
{
  std::ostringstream out;
  out << "index of " << index.root << ": " << index.filesScanned << " files scanned, " << index.volumeSets.size()
      << " volume sets, " << index.skipped.size() << " skipped\n";
  for (const auto & set : index.volumeSets)
  {
    out << "  set " << set.id << " [" << dicom::ToString(set.verdict) << "] role " << dicom::ToString(set.role)
        << ", " << set.slices << " slices x " << set.volumes << " volumes, " << set.columns << "x" << set.rows
        << ", " << set.frames.size() << " frames";
    if (!set.splitReason.empty())
    {
      out << ", split: " << set.splitReason;
    }
    out << "\n";
    for (const auto & m : set.messages)
    {
      out << "    message: " << m << "\n";
    }
  }
  for (const auto & s : index.skipped)
  {
    out << "  skipped " << s.path << ": " << s.reason << "\n";
  }
  return out.str();
}

bool SamePath(const std::string & a, const std::string & b)
{
  if (a == b)
  {
    return true;
  }
  std::error_code ec;
  return fs::equivalent(fs::path(a), fs::path(b), ec);
}

const dicom::SkippedFile * FindSkipped(const StudyIndex & index, const std::string & path)
{
  for (const auto & s : index.skipped)
  {
    if (SamePath(s.path, path))
    {
      return &s;
    }
  }
  return nullptr;
}

std::vector<const VolumeSet *> SetsWithFile(const StudyIndex & index, const std::string & path)
{
  std::vector<const VolumeSet *> sets;
  for (const auto & set : index.volumeSets)
  {
    const auto files = set.SourceFiles();
    if (std::any_of(files.begin(), files.end(), [&](const std::string & f) { return SamePath(f, path); }))
    {
      sets.push_back(&set);
    }
  }
  return sets;
}

std::vector<const VolumeSet *> SetsOfSeries(const StudyIndex & index, int seriesNumber)
{
  std::vector<const VolumeSet *> sets;
  for (const auto & set : index.volumeSets)
  {
    if (!set.frames.empty() && set.Header().seriesNumber == seriesNumber)
    {
      sets.push_back(&set);
    }
  }
  return sets;
}

::testing::AssertionResult SameGeometry(const VolumeSet & set, const FixtureImage & source)
{
  const auto size = source.GetLargestPossibleRegion().GetSize();
  if (set.columns != size[0] || set.rows != size[1] || set.slices != size[2])
  {
    return ::testing::AssertionFailure() << "set size " << set.columns << "x" << set.rows << "x" << set.slices
                                         << ", source " << size;
  }
  for (unsigned d = 0; d < 3; ++d)
  {
    if (std::abs(set.origin[d] - source.GetOrigin()[d]) > 1e-4 ||
        std::abs(set.spacing[d] - source.GetSpacing()[d]) > 1e-4)
    {
      return ::testing::AssertionFailure() << "axis " << d << ": set origin " << set.origin[d] << " spacing "
                                           << set.spacing[d] << ", source origin " << source.GetOrigin()[d]
                                           << " spacing " << source.GetSpacing()[d];
    }
    for (unsigned c = 0; c < 3; ++c)
    {
      if (std::abs(set.direction[3 * d + c] - source.GetDirection()[d][c]) > 1e-4)
      {
        return ::testing::AssertionFailure() << "set direction (" << d << "," << c << ") "
                                             << set.direction[3 * d + c] << ", source "
                                             << source.GetDirection()[d][c];
      }
    }
  }
  return ::testing::AssertionSuccess();
}

/** Voxels within slope/2 (plus float rounding of the stored float), geometry within 1e-4. */
::testing::AssertionResult MatchesSource(const dicom::VolumeImage & actual, const FixtureImage & source, double slope)
{
  const auto size = source.GetLargestPossibleRegion().GetSize();
  if (actual.GetLargestPossibleRegion().GetSize() != size)
  {
    return ::testing::AssertionFailure() << "size " << actual.GetLargestPossibleRegion().GetSize() << ", expected "
                                         << size;
  }
  for (unsigned d = 0; d < 3; ++d)
  {
    if (std::abs(actual.GetOrigin()[d] - source.GetOrigin()[d]) > 1e-4 ||
        std::abs(actual.GetSpacing()[d] - source.GetSpacing()[d]) > 1e-4)
    {
      return ::testing::AssertionFailure() << "origin " << actual.GetOrigin() << " spacing " << actual.GetSpacing()
                                           << ", expected " << source.GetOrigin() << " " << source.GetSpacing();
    }
    for (unsigned c = 0; c < 3; ++c)
    {
      if (std::abs(actual.GetDirection()[d][c] - source.GetDirection()[d][c]) > 1e-4)
      {
        return ::testing::AssertionFailure() << "direction\n"
                                             << actual.GetDirection() << "expected\n"
                                             << source.GetDirection();
      }
    }
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
    EXPECT_TRUE(SameGeometry(set, source));
    const auto volumes = dicom::ReadVolumes(set);
    ASSERT_EQ(volumes.size(), 1u);
    EXPECT_TRUE(MatchesSource(*volumes.front(), source, ReadRescaleSlope(files.front().path)));
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
  const auto image = MakeTestVolume(33, 30, 8, { 1.0, 1.0, 2.5 }, RotationDirection(0, 15, 0),
                                    { 10.0, -20.0, 5.0 }, -350.0);
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
  const auto image = MakeTestVolume(32, 32, 10, { 1.0, 1.0, 3.0 }, IdentityDirection());
  DeleteSliceFile(WriteSeries(image, MakeTestSpec(7), dir), 4);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets[0].verdict, Verdict::Rejected);
  EXPECT_TRUE(AnyMessageContains(index.volumeSets[0], "missing"));
}

TEST_F(StudyIndexEdgeCaseTest, DuplicateSliceIsRejected)
{
  const auto dir = NewDir("duplicate");
  const auto image = MakeTestVolume(32, 32, 10, { 1.0, 1.0, 3.0 }, IdentityDirection());
  const auto files = WriteSeries(image, MakeTestSpec(8), dir);
  DuplicateSlice(files[4], dir / "IM_5 copy.dcm");
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets[0].verdict, Verdict::Rejected);
  EXPECT_TRUE(AnyMessageContains(index.volumeSets[0], "duplicate"));
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
  const auto image = MakeTestVolume(32, 32, 8, { 1.0, 1.0, 3.0 }, IdentityDirection());
  ApplyGantryTilt(WriteSeries(image, MakeTestSpec(9), dir), 15.0);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets[0].verdict, Verdict::Rejected);
  EXPECT_TRUE(AnyMessageContains(index.volumeSets[0], "tilt"));
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
  const auto image = MakeTestVolume(32, 32, 8, { 1.0, 1.0, 3.0 }, IdentityDirection());
  const auto files = WriteSeries(image, MakeTestSpec(11), dir);
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
    EXPECT_NE(std::string(e.what()).find(fs::path(files[3].path).filename().string()), std::string::npos)
      << e.what();
  }
}

TEST_F(StudyIndexEdgeCaseTest, NonDicomFileIsSkipped)
{
  const auto dir = NewDir("non dicom");
  const auto image = MakeTestVolume(32, 32, 6, { 1.0, 1.0, 3.0 }, IdentityDirection());
  const auto files = WriteSeries(image, MakeTestSpec(12), dir);
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
  const auto image = MakeTestVolume(32, 32, 6, { 1.0, 1.0, 3.0 }, IdentityDirection());
  RemoveAttribute(Paths(WriteSeries(image, MakeTestSpec(13), dir)), "ImagePositionPatient");
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets[0].verdict, Verdict::Rejected);
  EXPECT_TRUE(AnyMessageContains(index.volumeSets[0], "ImagePositionPatient"));
}

TEST_F(StudyIndexEdgeCaseTest, MissingPixelSpacingIsRejected)
{
  const auto dir = NewDir("no spacing");
  const auto image = MakeTestVolume(32, 32, 6, { 1.0, 1.0, 3.0 }, IdentityDirection());
  RemoveAttribute(Paths(WriteSeries(image, MakeTestSpec(14), dir)), "PixelSpacing");
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets[0].verdict, Verdict::Rejected);
  EXPECT_TRUE(AnyMessageContains(index.volumeSets[0], "PixelSpacing"));
}

TEST_F(StudyIndexEdgeCaseTest, RowsZeroIsSkippedOrRejected)
{
  const auto dir = NewDir("rows zero");
  const auto image = MakeTestVolume(32, 32, 8, { 1.0, 1.0, 3.0 }, IdentityDirection());
  const auto files = WriteSeries(image, MakeTestSpec(15), dir / "bad");
  const auto clean = WriteSeries(image, MakeTestSpec(16), dir / "clean");
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
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto dir = NewDir("huge");
  const auto image = MakeTestVolume(32, 32, 6, { 1.0, 1.0, 3.0 }, IdentityDirection());
  const auto paths = Paths(WriteSeries(image, MakeTestSpec(17), dir));
  SetUint16Attribute(paths, "Rows", 65535);
  SetUint16Attribute(paths, "Columns", 65535);
  EXPECT_EXIT(
    {
      const rlimit limit{ 4ull << 30, 4ull << 30 };
      setrlimit(RLIMIT_AS, &limit);
      std::string problem;
      try
      {
        const auto index = dicom::BuildStudyIndex(dir);
        for (const auto & path : paths)
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
    },
    ::testing::ExitedWithCode(0), "");
}

TEST_F(StudyIndexEdgeCaseTest, TooFewSlicesWarn)
{
  const auto dir = NewDir("two slices");
  const auto image = MakeTestVolume(32, 32, 2, { 1.0, 1.0, 3.0 }, IdentityDirection());
  WriteSeries(image, MakeTestSpec(18), dir);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets[0].verdict, Verdict::Warning);
  EXPECT_TRUE(AnyMessageContains(index.volumeSets[0], "few"));
}

TEST_F(StudyIndexEdgeCaseTest, DemoStudyHasEveryRole)
{
  const auto dir = NewDir("demo");
  dicom::WriteDemoStudy(dir, 1);
  const auto index = dicom::BuildStudyIndex(dir);
  SCOPED_TRACE(Describe(index));
  EXPECT_EQ(index.filesScanned, 24u + 24u + 48u + 24u + 3u);
  EXPECT_TRUE(index.skipped.empty());
  const std::map<int, SeriesRole> roles{ { 1, SeriesRole::T2 }, { 2, SeriesRole::FLAIR }, { 3, SeriesRole::DWI },
                                         { 4, SeriesRole::ADC } };
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
  dicom::WriteDemoStudy(dir, 3);
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
