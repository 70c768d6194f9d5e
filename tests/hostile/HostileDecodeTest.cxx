// Compressed pixel data, intact and damaged: each decoder gives the stored values back or an InputError naming the
// file, never a crash (DCMTK's JPEG-LS decoder crashed here: its CharLS 1 shares C symbols with GDCM's CharLS 2).

#include "core/Error.h"
#include "dicom/StudyIndex.h"
#include "dicom/VolumeReader.h"
#include "tests/dicom/DicomFixtures.h"
#include "tests/hostile/MalformedDicom.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;

class HostileDecodeTest : public ::testing::TestWithParam<std::string>
{
protected:
  void SetUp() override { m_Root = MakeTempDir("hostile decode"); }
  void TearDown() override { RemoveTempDir(m_Root); }
  fs::path m_Root;
};

std::vector<float> Voxels(const dicom::VolumeImage & image)
{
  return std::vector<float>(image.GetBufferPointer(),
                            image.GetBufferPointer() + image.GetLargestPossibleRegion().GetNumberOfPixels());
}

TEST_P(HostileDecodeTest, IntactDataDecodesToTheNativeValues)
{
  const fs::path native = m_Root / "native";
  const fs::path compressed = m_Root / "compressed";
  const auto files = WriteSmallSeries(native, 2);
  fs::copy(native, compressed);
  for (const auto & f : files)
    Compress((compressed / fs::path(f.path).filename()).string(), GetParam());
  const auto reference = dicom::BuildStudyIndex(native);
  const auto index = dicom::BuildStudyIndex(compressed);
  ASSERT_EQ(index.volumeSets.size(), 1u) << Describe(index);
  EXPECT_NE(index.volumeSets[0].Header().transferSyntaxUid, reference.volumeSets[0].Header().transferSyntaxUid);
  const auto expected = dicom::ReadVolumes(reference.volumeSets[0]);
  const auto decoded = dicom::ReadVolumes(index.volumeSets[0]);
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(Voxels(*decoded[0]), Voxels(*expected[0]));
}

TEST_P(HostileDecodeTest, DamagedDataIsAnErrorOrWrongValuesNeverACrash)
{
  int errors = 0;
  for (unsigned seed = 1; seed <= 12; ++seed)
  {
    const fs::path study = m_Root / ("mutant-" + std::to_string(seed));
    const auto files = WriteSmallSeries(study, 2, 1, {}, 32);
    Compress(files.front().path, GetParam());
    FlipCompressedBytes(files.front().path, seed % 4 + 1, seed);
    const auto index = dicom::BuildStudyIndex(study);
    if (index.volumeSets.empty())
    {
      ASSERT_FALSE(index.skipped.empty());
      ++errors;
      continue;
    }
    try
    {
      dicom::ReadVolumes(index.volumeSets[0]);
    }
    catch (const InputError & e)
    {
      EXPECT_EQ(e.Code(), ExitCode::CorruptInput);
      EXPECT_TRUE(ContainsWord(e.what(), "S2_1.dcm")) << "names the file: " << e.what();
      ++errors;
    }
  }
  RecordProperty("decoding_errors", errors);
}

INSTANTIATE_TEST_SUITE_P(EachCompressedSyntax,
                         HostileDecodeTest,
                         ::testing::Values("RLE", "JPEG lossless", "JPEG-LS"),
                         [](const auto & info)
                         {
                           std::string name = info.param;
                           for (auto & c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           return name;
                         });

/** The real transfer-syntax set (one mosaic saved in 9 syntaxes): every decodable syntax gives the same voxels as
 * the explicit little endian file; under the sanitizers this runs each real decoder path once. */
TEST(HostileRealDecodeTest, RealTransferSyntaxesDecodeAlike)
{
  const char * env = std::getenv("ICANSCAN_TESTDATA");
  const fs::path root = env && *env ? fs::path(env) : fs::path(ICANSCAN_TESTDATA_DEFAULT);
  const fs::path set = root / "dicom" / "dcm_qa_ts" / "In";
  if (!fs::is_directory(set))
    GTEST_SKIP() << "real test data not found (set ICANSCAN_TESTDATA): " << set;
  std::vector<float> reference;
  for (int k = 1; k <= 9; ++k)
  {
    SCOPED_TRACE("file " + std::to_string(k));
    const auto index = dicom::BuildStudyIndex(set / (std::to_string(k) + ".dcm"));
    ASSERT_EQ(index.volumeSets.size(), 1u) << Describe(index);
    const auto volumes = dicom::ReadVolumes(index.volumeSets[0]);
    const auto voxels = Voxels(*volumes.at(0));
    if (reference.empty())
      reference = voxels;
    EXPECT_EQ(voxels, reference);
  }
}

} // namespace
} // namespace icanscan::test
