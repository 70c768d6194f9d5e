// Real scanner DICOM from ../shared/testdata, compared with dcm2niix's conversions field by field.

#include "NiftiCompare.h"

#include "dicom/StudyIndex.h"
#include "pipeline/input/ConvertStage.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;

fs::path FreshFolder(const std::string & name)
{
  const fs::path folder = fs::temp_directory_path() / ("icanscan-real-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

pipeline::ConvertResult Convert(const fs::path & input, const fs::path & output)
{
  const dicom::StudyIndex index = dicom::BuildStudyIndex(input);
  pipeline::ConvertParams params;
  params.outputFolder = output;
  return pipeline::ConvertStage(params).Run(index);
}

std::vector<fs::path> MainNiftis(const pipeline::ConvertResult & result)
{
  std::vector<fs::path> files;
  for (const auto & f : result.written)
  {
    const std::string name = f.filename().string();
    if (name.size() > 7 && name.substr(name.size() - 7) == ".nii.gz" && name.find("_b0.") == std::string::npos &&
        name.find("_trace_b") == std::string::npos)
      files.push_back(f);
  }
  return files;
}

fs::path StemOf(const fs::path & nifti)
{
  std::string s = nifti.string();
  for (const char * ext : { ".nii.gz", ".nii" })
  {
    const std::string e = ext;
    if (s.size() > e.size() && s.substr(s.size() - e.size()) == e)
      return s.substr(0, s.size() - e.size());
  }
  return s;
}

/** Finds our output holding the same world grid and voxels as dcm2niix's `reference`, and checks it fully. */
void ExpectSameAsReference(const fs::path & reference, const std::vector<fs::path> & ours)
{
  SCOPED_TRACE("reference " + reference.string());
  const NiftiVolumes ref = ReadNiftiVolumesReoriented(reference);
  const NiftiVolumes * best = nullptr;
  std::vector<NiftiVolumes> loaded;
  loaded.reserve(ours.size()); // `best` points into it
  fs::path bestPath;
  double bestDiff = 1e300;
  for (const auto & file : ours)
  {
    loaded.push_back(ReadNiftiVolumesReoriented(file));
    const NiftiVolumes & mine = loaded.back();
    if (mine.volumes.size() != ref.volumes.size() || !CompareGrids(mine.volumes[0], ref.volumes[0], 1e-3).empty())
      continue;
    const double diff = MaxAbsDifference(mine.volumes[0], ref.volumes[0]);
    if (diff < bestDiff)
    {
      bestDiff = diff;
      best = &mine;
      bestPath = file;
    }
  }
  ASSERT_NE(best, nullptr) << "no icanscan output has the reference's world grid and volume count ("
                           << ref.volumes.size() << " volumes); first mismatch: "
                           << (loaded.empty() ? std::string("no outputs")
                                              : CompareGrids(loaded[0].volumes[0], ref.volumes[0], 1e-3));
  for (std::size_t v = 0; v < ref.volumes.size(); ++v)
  {
    EXPECT_EQ(CompareGrids(best->volumes[v], ref.volumes[v], 1e-3), "") << "volume " << v;
    const double tolerance = 1e-4 * std::max(1.0, MaxAbs(ref.volumes[v]));
    EXPECT_LE(MaxAbsDifference(best->volumes[v], ref.volumes[v]), tolerance) << "volume " << v << " of " << bestPath;
  }
  const fs::path refStem = StemOf(reference);
  if (fs::exists(refStem.string() + ".bval"))
  {
    const Gradients expected = ReadFslGradients(refStem, ref.direction);
    const Gradients actual = ReadFslGradients(StemOf(bestPath), best->direction);
    ASSERT_EQ(actual.bValues.size(), expected.bValues.size()) << "bval of " << bestPath;
    ASSERT_EQ(actual.worldDirections.size(), expected.worldDirections.size()) << "bvec of " << bestPath;
    for (std::size_t i = 0; i < expected.bValues.size(); ++i)
    {
      EXPECT_NEAR(actual.bValues[i], expected.bValues[i], 0.5) << "b-value of volume " << i;
      const auto & e = expected.worldDirections[i];
      const auto & a = actual.worldDirections[i];
      const double ne = std::sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
      const double na = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
      if (expected.bValues[i] < 50)
        continue; // a b0's direction is meaningless (dcm2niix copies it unrotated)
      if (ne < 0.5)
      {
        EXPECT_LT(na, 0.5) << "volume " << i << " should have no direction";
        continue;
      }
      const double dot = (e[0] * a[0] + e[1] * a[1] + e[2] * a[2]) / (ne * std::max(na, 1e-9));
      EXPECT_GT(dot, 0.999) << "gradient of volume " << i << " differs in world space: (" << a[0] << ", " << a[1]
                            << ", " << a[2] << ") vs (" << e[0] << ", " << e[1] << ", " << e[2] << ")";
    }
  }
}

class RealDicomTest : public ::testing::Test
{
protected:
  static void TearDownTestSuite()
  {
    for (const auto & entry : fs::directory_iterator(fs::temp_directory_path()))
      if (entry.path().filename().string().rfind("icanscan-real-", 0) == 0 &&
          entry.path().filename().string().find("-" + std::to_string(::getpid())) != std::string::npos)
        fs::remove_all(entry.path());
  }

  void SetUp() override
  {
    m_Root = TestDataRoot();
    if (m_Root.empty())
      GTEST_SKIP() << "real test data absent (set ICANSCAN_TESTDATA or -DICANSCAN_TESTDATA=...): skipped";
  }
  fs::path m_Root;
};

TEST_F(RealDicomTest, TransferSyntaxesDecodeToDcm2niixPixels)
{
  const fs::path set = m_Root / "dicom/dcm_qa_ts";
  for (int i = 1; i <= 9; ++i)
  {
    SCOPED_TRACE("file " + std::to_string(i));
    const fs::path out = FreshFolder("ts" + std::to_string(i));
    const auto result = Convert(set / "In" / (std::to_string(i) + ".dcm"), out);
    // File 9 is JPEG 2000: Debian's DCMTK has no decoder, GDCM with OpenJPEG has; all nine must decode.
    ASSERT_EQ(result.converted, 1u) << (result.failures.empty() ? std::string() : result.failures[0].reason);
    ExpectSameAsReference(set / "Ref" / (std::to_string(i) + ".nii"), MainNiftis(result));
  }
}

TEST_F(RealDicomTest, GeDiffusionMatchesDcm2niix)
{
  const fs::path set = m_Root / "dicom/dcm_qa_ge";
  const auto result = Convert(set / "In", FreshFolder("ge"));
  ExpectSameAsReference(set / "Ref/Ax_DWI_TENSOR_R2_1.nii", MainNiftis(result));
}

TEST_F(RealDicomTest, EnhancedMultiFrameMatchesDcm2niix)
{
  const fs::path set = m_Root / "dicom/dcm_qa_enh";
  const auto result = Convert(set / "In", FreshFolder("enh"));
  for (const char * ref :
       { "Siemens_REST1_w_SMS_PF7-8_6.nii", "Philips_WIP_B0_NS_801_e1.nii", "Philips_WIP_B0_NS_801_e2_fieldmaphz.nii" })
    ExpectSameAsReference(set / "Ref" / ref, MainNiftis(result));
}

TEST_F(RealDicomTest, PhilipsDiffusionMatchesDcm2niix)
{
  if (std::system("command -v dcm2niix > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "dcm2niix not installed: the Philips reference NIfTI is made by it";
  const fs::path set = m_Root / "dicom/dcm_qa_philips_dwi";
  const fs::path refFolder = FreshFolder("philips-ref");
  const std::string command =
    "dcm2niix -b y -z n -f %p_%s -o '" + refFolder.string() + "' '" + (set / "In").string() + "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const auto result = Convert(set / "In", FreshFolder("philips"));
  EXPECT_EQ(result.converted, 1u);
  int references = 0;
  for (const auto & entry : fs::directory_iterator(refFolder))
  {
    if (entry.path().extension() == ".nii")
    {
      ExpectSameAsReference(entry.path(), MainNiftis(result));
      ++references;
    }
  }
  EXPECT_GE(references, 1);
  bool trace = false, b0 = false;
  for (const auto & f : result.written)
  {
    trace = trace || f.filename().string().find("_trace_b1000.nii.gz") != std::string::npos;
    b0 = b0 || f.filename().string().find("_b0.nii.gz") != std::string::npos;
  }
  EXPECT_TRUE(trace) << "a b1000 trace must be derived from the 12 directional volumes";
  EXPECT_TRUE(b0);
}

/** dcm2niix's conversion of `in` into a fresh folder (as the testdata README says to make a missing Ref); empty when
 * dcm2niix is not installed. */
fs::path Dcm2niixConversion(const fs::path & in, const std::string & name)
{
  if (std::system("command -v dcm2niix > /dev/null 2>&1") != 0)
    return {};
  const fs::path out = FreshFolder(name);
  const std::string command =
    "dcm2niix -b y -z n -f %p_%s -o '" + out.string() + "' '" + in.string() + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return out;
}

TEST_F(RealDicomTest, UihMosaicsMatchDcm2niix)
{
  const fs::path set = m_Root / "dicom/dcm_qa_uih_dti";
  const fs::path reference = Dcm2niixConversion(set / "In", "uih-ref");
  if (reference.empty())
    GTEST_SKIP() << "dcm2niix not installed: the UIH reference NIfTI is made by it";
  const auto result = Convert(set / "In", FreshFolder("uih"));
  ASSERT_EQ(result.converted, 1u) << (result.failures.empty() ? std::string() : result.failures[0].reason);
  // Pixels and geometry of all 17 volumes, b-values (b0 at 1.25) and gradient directions in world space.
  ExpectSameAsReference(reference / "dti_tra_dir16_AP_9.nii", MainNiftis(result));
}

TEST_F(RealDicomTest, PhilipsIsotropicSeriesMatchesDcm2niixAsRecorded)
{
  const fs::path set = m_Root / "dicom/dcm_qa_philips_dti_iso";
  const fs::path reference = Dcm2niixConversion(set / "In", "philips-iso-ref");
  if (reference.empty())
    GTEST_SKIP() << "dcm2niix not installed: the reference NIfTI is made by it";
  const auto result = Convert(set / "In", FreshFolder("philips-iso"));
  ASSERT_EQ(result.converted, 1u);
  // dcm2niix writes the series as recorded (17 volumes, the isotropic image last) to "_ADC"; its main file drops
  // the isotropic image. Ours keeps the series as recorded.
  ExpectSameAsReference(reference / "WIP_dti_ax_601_ADC.nii", MainNiftis(result));
}

TEST_F(RealDicomTest, Xa30DiffusionSeriesMatchDcm2niix)
{
  const fs::path set = m_Root / "dicom/dcm_qa_xa30i_dwi";
  const fs::path reference = Dcm2niixConversion(set / "In", "xa30-ref");
  if (reference.empty())
    GTEST_SKIP() << "dcm2niix not installed: the In folder holds 2 of the Ref's 21 volumes, so Ref does not apply";
  const auto result = Convert(set / "In", FreshFolder("xa30"));
  EXPECT_EQ(result.converted, 4u);
  for (const char * ref :
       { "DWI_dir80_AP_11001.nii", "DWI_dir80_AP_12001.nii", "DWI_dir80_AP_13001.nii", "DWI_dir80_AP_17001.nii" })
    ExpectSameAsReference(reference / ref, MainNiftis(result));
}

} // namespace
} // namespace icanscan::test
