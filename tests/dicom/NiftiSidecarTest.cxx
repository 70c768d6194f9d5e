// NIfTI studies as public datasets ship them: sidecar times in ms instead of BIDS seconds, the b-value as
// DiffusionBValue without a .bval, BIDS suffixes (_dwi, _adc, _FLAIR, _T2w, _trace) as role evidence.

#include "tests/dicom/DicomFixtures.h"

#include "pipeline/geometry/DiffusionPlan.h"
#include "pipeline/input/NiftiSidecarReader.h"
#include "pipeline/input/StudyInput.h"

#include <gtest/gtest.h>

#include "itkImageFileWriter.h"

#include <fstream>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;
using dicom::SeriesRole;
using Image3 = itk::Image<float, 3>;
using Image4 = itk::Image<float, 4>;

/** A 12 x 10 x 6 volume (or 4D series) of 1.8 x 1.8 x 5 mm holding `values[t]` (+ a gentle ramp) in volume t. */
void WriteNifti(const fs::path & file, const std::vector<float> & values)
{
  auto image = Image4::New();
  image->SetRegions(Image4::SizeType{ { 12, 10, 6, values.size() } });
  Image4::SpacingType spacing;
  spacing[0] = spacing[1] = 1.8;
  spacing[2] = 5.0;
  spacing[3] = 1.0;
  image->SetSpacing(spacing);
  image->Allocate();
  for (std::size_t i = 0; i < image->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
  {
    const std::size_t t = i / (12 * 10 * 6);
    image->GetBufferPointer()[i] = values[t] + static_cast<float>(i % 7);
  }
  auto writer = itk::ImageFileWriter<Image4>::New();
  writer->SetInput(image);
  writer->SetFileName(file.string());
  writer->Update();
}

void WriteText(const fs::path & file, const std::string & text)
{
  std::ofstream(file) << text;
}

const dicom::VolumeSet * SetOf(const pipeline::StudyInput & input, const std::string & name)
{
  const auto number = input.nifti->SeriesNumberFor(name);
  for (const auto & set : input.index.volumeSets)
    if (number && set.Header().seriesNumber == *number)
      return &set;
  return nullptr;
}

bool AnyContains(const std::vector<std::string> & texts, const std::string & wanted)
{
  for (const auto & t : texts)
    if (t.find(wanted) != std::string::npos)
      return true;
  return false;
}

class NiftiSidecarTest : public ::testing::Test
{
protected:
  void SetUp() override { m_Folder = MakeTempDir("nifti sidecar"); }
  void TearDown() override { RemoveTempDir(m_Folder); }
  fs::path m_Folder;
};

TEST(NiftiSidecarUnits, MillisecondsOnlyWhereSecondsAreImplausible)
{
  EXPECT_TRUE(pipeline::SidecarTimesAreMilliseconds(5000, 90, 0));    // spin echo in ms
  EXPECT_TRUE(pipeline::SidecarTimesAreMilliseconds(7.5, 3.2, 0));    // gradient echo in ms: TR alone would pass
  EXPECT_TRUE(pipeline::SidecarTimesAreMilliseconds(0, 0, 2500));     // only TI given, in ms
  EXPECT_FALSE(pipeline::SidecarTimesAreMilliseconds(9.0, 0.1, 2.5)); // BIDS FLAIR in seconds
  EXPECT_FALSE(pipeline::SidecarTimesAreMilliseconds(0.0075, 0.0032, 0));
  EXPECT_FALSE(pipeline::SidecarTimesAreMilliseconds(0, 0, 0));
}

TEST(NiftiSidecarUnits, FileNameSuffixes)
{
  const auto role = [](const std::string & name)
  {
    const auto r = pipeline::RoleFromFileName(name);
    return r ? dicom::ToString(r->role) + " " + r->suffix : std::string("none");
  };
  EXPECT_EQ(role("sub-01_ses-01_dwi"), "DWI _dwi");
  EXPECT_EQ(role("sub-01_ses-01_adc"), "ADC _adc");
  EXPECT_EQ(role("sub-01_ADC"), "ADC _ADC");
  EXPECT_EQ(role("sub-01_FLAIR"), "FLAIR _FLAIR");
  EXPECT_EQ(role("sub-01_T2w"), "T2 _T2w");
  EXPECT_EQ(role("sub-01_acq-b1000_trace"), "DWI _trace");
  EXPECT_EQ(role("ADC"), "ADC ADC");
  EXPECT_EQ(role("sub-01_run-1"), "none");
  EXPECT_EQ(role("sub-01_T2star"), "none");
}

TEST_F(NiftiSidecarTest, PublicDatasetWithMillisecondsAndSidecarBValueIsAssessable)
{
  // As a public stroke dataset ships it: times in ms, DWI b-value only in the sidecar, no .bval, no b0.
  WriteNifti(m_Folder / "sub-01_ses-01_dwi.nii.gz", { 300.0f });
  WriteText(m_Folder / "sub-01_ses-01_dwi.json",
            R"({"RepetitionTime": 5400, "EchoTime": 89, "DiffusionBValue": 800, "MagneticFieldStrength": 3})");
  WriteNifti(m_Folder / "sub-01_ses-01_adc.nii.gz", { 750.0f });
  WriteText(m_Folder / "sub-01_ses-01_adc.json", R"({"RepetitionTime": 5400, "EchoTime": 89})");
  WriteNifti(m_Folder / "sub-01_ses-01_flair.nii.gz", { 500.0f });
  WriteText(m_Folder / "sub-01_ses-01_flair.json",
            R"({"RepetitionTime": 9000, "EchoTime": 120, "InversionTime": 2500, "ScanningSequence": "SE_IR"})");

  const auto input = pipeline::OpenStudy(m_Folder.string(), 1, {});
  ASSERT_TRUE(input.nifti);
  const auto * dwi = SetOf(input, "sub-01_ses-01_dwi");
  const auto * adc = SetOf(input, "sub-01_ses-01_adc");
  const auto * flair = SetOf(input, "sub-01_ses-01_flair");
  ASSERT_TRUE(dwi && adc && flair) << Describe(input.index);

  EXPECT_EQ(dwi->role, SeriesRole::DWI) << dwi->roleReasons.front();
  EXPECT_EQ(dwi->BValues(), std::vector<double>{ 800.0 });
  EXPECT_NEAR(dwi->Header().repetitionTimeMs, 5400, 1e-6) << "ms kept as ms, not x1000";
  EXPECT_NEAR(dwi->Header().echoTimeMs, 89, 1e-6);
  EXPECT_TRUE(AnyContains(dwi->roleReasons, "BIDS suffix '_dwi'")) << dwi->roleReasons.front();
  EXPECT_TRUE(AnyContains(dwi->messages, "sub-01_ses-01_dwi.json: RepetitionTime 5400, EchoTime 89 are not "
                                         "plausible in seconds"))
    << Describe(input.index);
  EXPECT_EQ(dwi->verdict, dicom::Verdict::Warning) << "the unit guess is for the user to check";
  EXPECT_TRUE(AnyContains(input.nifti->Series()[1].notes, "from DiffusionBValue"));

  EXPECT_EQ(adc->role, SeriesRole::ADC);
  EXPECT_TRUE(AnyContains(adc->roleReasons, "'_adc'"));
  EXPECT_EQ(flair->role, SeriesRole::FLAIR) << flair->roleReasons.front();
  EXPECT_NEAR(flair->Header().inversionTimeMs, 2500, 1e-6);
  EXPECT_TRUE(AnyContains(flair->roleReasons, "'_flair', which agrees"));

  const auto plan = pipeline::PlanDiffusion(input.index);
  ASSERT_TRUE(plan.Assessable()) << plan.unassessable;
  EXPECT_EQ(plan.trace->set, dwi);
  EXPECT_EQ(plan.adc, adc);
  EXPECT_FALSE(plan.b0);
}

TEST_F(NiftiSidecarTest, SuffixDecidesWhereHeadersGuessAndTheReasonsSayBoth)
{
  WriteNifti(m_Folder / "sub-02_FLAIR.nii.gz", { 500.0f }); // no TI in its sidecar: TR/TE alone say T2
  WriteText(m_Folder / "sub-02_FLAIR.json", R"({"RepetitionTime": 9.0, "EchoTime": 0.12})");
  WriteNifti(m_Folder / "sub-02_T2w.nii.gz", { 400.0f });
  auto input = pipeline::OpenStudy(m_Folder.string(), 1, {});
  const auto * flair = SetOf(input, "sub-02_FLAIR");
  ASSERT_NE(flair, nullptr);
  EXPECT_EQ(flair->role, SeriesRole::FLAIR);
  EXPECT_NE(flair->roleReasons.front().find("where the headers alone said T2"), std::string::npos)
    << flair->roleReasons.front();
  EXPECT_TRUE(flair->messages.empty()) << "seconds, as BIDS says: nothing to warn about";
  EXPECT_EQ(SetOf(input, "sub-02_T2w")->role, SeriesRole::T2);

  input = pipeline::OpenStudy(m_Folder.string(), 1, { "sub-02_FLAIR=T2" });
  flair = SetOf(input, "sub-02_FLAIR");
  EXPECT_EQ(flair->role, SeriesRole::T2) << "the user's --role wins over the file name";
  EXPECT_NE(flair->roleReasons.front().find("set by the user"), std::string::npos);
}

TEST_F(NiftiSidecarTest, DiffusionBValuesPerVolumeOrOneForAll)
{
  WriteNifti(m_Folder / "a_dwi.nii.gz", { 500.0f, 200.0f });
  WriteText(m_Folder / "a_dwi.json", R"({"DiffusionBValue": [0, 1000]})");
  WriteNifti(m_Folder / "b_trace.nii.gz", { 200.0f, 200.0f });
  WriteText(m_Folder / "b_trace.json", R"({"DiffusionBValue": 1000})");
  WriteNifti(m_Folder / "c_dwi.nii.gz", { 500.0f, 200.0f });
  WriteText(m_Folder / "c_dwi.json", R"({"DiffusionBValue": [0, 1000, 1000]})");
  const auto input = pipeline::OpenStudy(m_Folder.string(), 1, {});
  EXPECT_EQ(SetOf(input, "a_dwi")->BValues(), (std::vector<double>{ 0, 1000 }));
  EXPECT_EQ(SetOf(input, "b_trace")->BValues(), (std::vector<double>{ 1000, 1000 }));
  EXPECT_TRUE(AnyContains(input.nifti->Series()[1].notes, "one DiffusionBValue"));
  ASSERT_EQ(input.nifti->Skipped().size(), 1u);
  EXPECT_NE(input.nifti->Skipped()[0].reason.find("DiffusionBValue holds 3 values for 2 volumes"), std::string::npos)
    << input.nifti->Skipped()[0].reason;
  const auto plan = pipeline::PlanDiffusion(input.index);
  ASSERT_TRUE(plan.Assessable()) << plan.unassessable;
  EXPECT_EQ(plan.trace->set, SetOf(input, "a_dwi")) << "b0 and trace of one file come first";
  EXPECT_EQ(plan.b0->set, SetOf(input, "a_dwi"));
}

TEST_F(NiftiSidecarTest, ForcedDwiWithoutAnyBValueSaysWhy)
{
  WriteNifti(m_Folder / "scan1.nii.gz", { 300.0f });
  WriteText(m_Folder / "scan1.json", R"({"RepetitionTime": 5400, "EchoTime": 89})");
  const auto input = pipeline::OpenStudy(m_Folder.string(), 1, { "scan1=DWI" });
  EXPECT_EQ(input.index.volumeSets.front().role, SeriesRole::DWI);
  const auto plan = pipeline::PlanDiffusion(input.index);
  EXPECT_FALSE(plan.Assessable());
  EXPECT_NE(plan.unassessable.find("has no b-values"), std::string::npos) << plan.unassessable;
}

} // namespace
} // namespace icanscan::test
