// Every vendor's DWI layout, made in code with that vendor's tags: roles, b-values, which volume sets give the b0,
// trace and ADC, and the values read back (a trace is S0 exp(-b ADC), the ADC 800 µm²/s however it is obtained).

#include "tests/dicom/DiffusionLayouts.h"

#include "core/Error.h"
#include "dicom/StudyIndex.h"
#include "pipeline/geometry/DiffusionPlan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;
using dicom::SeriesRole;
using dicom::StudyIndex;
using dicom::VolumeSet;

/** What a layout's plan must choose. */
struct ExpectedPlan
{
  std::string traceSet;
  double traceB = LayoutTruth::kBValue;
  bool fromDirections = false;
  std::size_t traceVolumes = 1;
  std::string b0Set;  //!< empty: none
  std::string adcSet; //!< empty: none
};

const VolumeSet * SetWithId(const StudyIndex & index, const std::string & id)
{
  for (const auto & set : index.volumeSets)
    if (set.id == id)
      return &set;
  return nullptr;
}

std::vector<const VolumeSet *> SetsWithRole(const StudyIndex & index, SeriesRole role)
{
  std::vector<const VolumeSet *> sets;
  for (const auto & set : index.volumeSets)
    if (set.role == role)
      sets.push_back(&set);
  return sets;
}

std::vector<long> RoundedB(const VolumeSet & set)
{
  std::vector<long> b;
  for (double v : set.BValues())
    b.push_back(std::lround(v));
  return b;
}

std::vector<bool> Directional(const VolumeSet & set)
{
  std::vector<bool> flags;
  for (const auto & d : set.diffusion)
    flags.push_back(d.hasGradient);
  return flags;
}

/** Largest relative difference between two images on the layouts' grid (the grids must agree). */
double MaxRelativeDifference(const FixtureImage * a, const FixtureImage * b)
{
  double worst = 0;
  for (std::size_t i = 0; i < a->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    worst = std::max(worst, std::abs(a->GetBufferPointer()[i] - b->GetBufferPointer()[i]) /
                              std::max(1e-6, std::abs(static_cast<double>(b->GetBufferPointer()[i]))));
  return worst;
}

void ExpectLayoutGrid(const FixtureImage * image, const std::string & what)
{
  const auto s0 = LayoutS0();
  ASSERT_EQ(image->GetLargestPossibleRegion().GetSize(), s0->GetLargestPossibleRegion().GetSize()) << what;
  for (unsigned d = 0; d < 3; ++d)
  {
    EXPECT_NEAR(image->GetOrigin()[d], s0->GetOrigin()[d], 0.01) << what << " origin " << d;
    EXPECT_NEAR(image->GetSpacing()[d], s0->GetSpacing()[d], 0.001) << what << " spacing " << d;
  }
}

/** The plan chooses the expected sets, and what it reads back is the layout's truth: b0 = S0, trace = S0 exp(-b
 * ADC) (a wrong trace, e.g. the arithmetic mean of directions, is 1.3 % off), ADC = 800 µm²/s whether read or
 * computed from the b0 and the trace. */
void ExpectAssessable(const StudyIndex & index, const ExpectedPlan & e)
{
  SCOPED_TRACE(Describe(index));
  const auto plan = pipeline::PlanDiffusion(index);
  ASSERT_TRUE(plan.Assessable()) << plan.unassessable;
  ASSERT_TRUE(plan.trace);
  EXPECT_EQ(plan.trace->set->id, e.traceSet);
  EXPECT_NEAR(plan.trace->bValue, e.traceB, 0.01);
  EXPECT_EQ(plan.trace->fromDirections, e.fromDirections);
  EXPECT_EQ(plan.trace->volumes.size(), e.traceVolumes);
  EXPECT_EQ(plan.b0 ? plan.b0->set->id : std::string(), e.b0Set);
  EXPECT_EQ(plan.adc ? plan.adc->id : std::string(), e.adcSet);

  const auto parts = pipeline::ReadDiffusionParts(plan, 1);
  const auto s0 = LayoutS0();
  const FixtureImage * trace = parts.at(pipeline::TraceRole(plan)).image;
  ExpectLayoutGrid(trace, "trace");
  auto expected = LayoutS0();
  for (std::size_t i = 0; i < expected->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    expected->GetBufferPointer()[i] *= static_cast<float>(std::exp(-e.traceB * LayoutTruth::kAdcUm2s * 1e-6));
  EXPECT_LT(MaxRelativeDifference(trace, expected), 0.002) << "the trace is S0 exp(-b ADC)";
  if (plan.b0)
  {
    const FixtureImage * b0 = parts.at("DWI_b0").image;
    ExpectLayoutGrid(b0, "b0");
    EXPECT_LT(MaxRelativeDifference(b0, s0), 0.002);
    double worst = 0;
    for (std::size_t i = 0; i < s0->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    {
      const double adc = std::log(b0->GetBufferPointer()[i] / trace->GetBufferPointer()[i]) / e.traceB * 1e6;
      worst = std::max(worst, std::abs(adc - LayoutTruth::kAdcUm2s));
    }
    EXPECT_LT(worst, 3.0) << "ADC computed from the b0 and the trace, µm²/s";
  }
  if (plan.adc)
  {
    const FixtureImage * adc = parts.at("ADC").image;
    EXPECT_NEAR(adc->GetBufferPointer()[adc->GetLargestPossibleRegion().GetNumberOfPixels() / 2], LayoutTruth::kAdcUm2s,
                0.5);
  }
}

class DiffusionLayoutTest : public ::testing::Test
{
protected:
  void SetUp() override { m_Folder = MakeTempDir("dwi layout"); }
  void TearDown() override { RemoveTempDir(m_Folder); }
  fs::path m_Folder;
};

TEST_F(DiffusionLayoutTest, SiemensTraceOnlyWithMapsInTheSameSeries)
{
  WriteSiemensTraceOnly(m_Folder, true);
  const auto index = dicom::BuildStudyIndex(m_Folder);
  const VolumeSet * dwi = SetWithId(index, "4");
  ASSERT_NE(dwi, nullptr) << Describe(index);
  EXPECT_EQ(dwi->role, SeriesRole::DWI);
  EXPECT_EQ(RoundedB(*dwi), (std::vector<long>{ 0, 1000 })) << "the DERIVED trace stays with its ORIGINAL b0";
  EXPECT_NE(dwi->verdict, dicom::Verdict::Rejected);
  const auto adc = SetsWithRole(index, SeriesRole::ADC);
  ASSERT_EQ(adc.size(), 1u) << Describe(index);
  EXPECT_EQ(adc.front()->Header().seriesNumber, 4) << "the ADC map is split off its series";
  const auto other = SetsWithRole(index, SeriesRole::Other);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_NE(other.front()->roleReasons.front().find("EXP"), std::string::npos) << other.front()->roleReasons.front();
  EXPECT_EQ(index.volumeSets.size(), 3u);
  ExpectAssessable(index, { "4", LayoutTruth::kBValue, false, 1, "4", adc.front()->id });
}

TEST_F(DiffusionLayoutTest, SiemensTraceOnlyWithMapsAsTheirOwnSeries)
{
  WriteSiemensTraceOnly(m_Folder, false);
  const auto index = dicom::BuildStudyIndex(m_Folder);
  ASSERT_EQ(index.volumeSets.size(), 3u) << Describe(index);
  EXPECT_EQ(SetWithId(index, "4")->role, SeriesRole::DWI);
  EXPECT_EQ(SetWithId(index, "4")->splitReason, "") << "nothing to split";
  EXPECT_EQ(SetWithId(index, "5")->role, SeriesRole::ADC);
  EXPECT_EQ(SetWithId(index, "6")->role, SeriesRole::Other);
  ExpectAssessable(index, { "4", LayoutTruth::kBValue, false, 1, "4", "5" });
}

TEST_F(DiffusionLayoutTest, SiemensSeparateTraceSeriesTakesTheRawSeriesB0)
{
  WriteSiemensSeparateTrace(m_Folder);
  const auto index = dicom::BuildStudyIndex(m_Folder);
  ASSERT_EQ(index.volumeSets.size(), 4u) << Describe(index);
  EXPECT_EQ(RoundedB(*SetWithId(index, "11001")), (std::vector<long>{ 0, 2500 }));
  EXPECT_EQ(SetWithId(index, "13001")->role, SeriesRole::DWI);
  EXPECT_EQ(SetWithId(index, "12001")->role, SeriesRole::ADC);
  const auto plan = pipeline::PlanDiffusion(index);
  const bool saysOneDirection = std::any_of(
    plan.notes.begin(), plan.notes.end(),
    [](const std::string & n) { return n.find("11001 at b=2500 has 1 direction(s)") != std::string::npos; });
  EXPECT_TRUE(saysOneDirection) << "one direction is no trace, and the notes say so";
  ExpectAssessable(index, { "13001", 2500, false, 1, "11001", "12001" });
}

TEST_F(DiffusionLayoutTest, ClinicalBValueIsPreferredToAHigherOne)
{
  WriteSiemensTraceOnly(m_Folder / "clinical", false); // b1000 trace, b0 and ADC
  WriteSiemensSeparateTrace(m_Folder / "research");    // b2500 TRACEW, b0 and ADC
  const auto index = dicom::BuildStudyIndex(m_Folder);
  auto plan = pipeline::PlanDiffusion(index);
  ASSERT_TRUE(plan.trace);
  EXPECT_EQ(plan.trace->set->id, "4");
  pipeline::DiffusionPlanParams highest;
  highest.maxPreferredBValue = 3000;
  plan = pipeline::PlanDiffusion(index, highest);
  EXPECT_EQ(plan.trace->set->id, "13001");
  highest.minTraceBValue = 20; // not above the b0 limit
  EXPECT_THROW(pipeline::PlanDiffusion(index, highest), ConfigError);
}

TEST_F(DiffusionLayoutTest, SiemensDirectionalMosaic)
{
  WriteSiemensDirectionalMosaic(m_Folder);
  const auto index = dicom::BuildStudyIndex(m_Folder);
  ASSERT_EQ(index.volumeSets.size(), 2u) << Describe(index);
  const VolumeSet & dwi = *SetWithId(index, "7");
  EXPECT_EQ(dwi.role, SeriesRole::DWI);
  EXPECT_EQ(dwi.slices, LayoutTruth::kSlices);
  EXPECT_EQ(dwi.columns, LayoutTruth::kColumns);
  EXPECT_EQ(RoundedB(dwi), (std::vector<long>{ 0, 1000, 1000, 1000 }));
  EXPECT_EQ(Directional(dwi), (std::vector<bool>{ false, true, true, true }));
  EXPECT_EQ(SetWithId(index, "9")->role, SeriesRole::ADC);
  ExpectAssessable(index, { "7", LayoutTruth::kBValue, true, 3, "7", "9" });
}

TEST_F(DiffusionLayoutTest, GeCombinedImageAndProcessedAdc)
{
  WriteGe(m_Folder);
  const auto index = dicom::BuildStudyIndex(m_Folder);
  ASSERT_EQ(index.volumeSets.size(), 2u) << Describe(index);
  const VolumeSet & dwi = *SetWithId(index, "5");
  EXPECT_EQ(dwi.role, SeriesRole::DWI);
  EXPECT_EQ(RoundedB(dwi), (std::vector<long>{ 0, 1000 }));
  EXPECT_EQ(dwi.frames.front().diffusionSource, "GE (0043,1039)");
  const VolumeSet & adc = *SetWithId(index, "6");
  EXPECT_EQ(adc.role, SeriesRole::ADC) << "a processed map described as ADC is the ADC, b-value tag or not: "
                                       << adc.roleReasons.front();
  ExpectAssessable(index, { "5", LayoutTruth::kBValue, false, 1, "5", "6" });
}

TEST_F(DiffusionLayoutTest, PhilipsIsotropicImageAtTheEndOfTheDirections)
{
  WritePhilips(m_Folder);
  const auto index = dicom::BuildStudyIndex(m_Folder);
  ASSERT_EQ(index.volumeSets.size(), 2u) << Describe(index);
  const VolumeSet & dwi = *SetWithId(index, "8");
  EXPECT_EQ(RoundedB(dwi), (std::vector<long>{ 0, 1000, 1000, 1000, 1000 }));
  EXPECT_EQ(Directional(dwi), (std::vector<bool>{ false, true, true, true, false }));
  EXPECT_EQ(SetWithId(index, "9")->role, SeriesRole::ADC);
  // With 3 directions their geometric mean is the trace (a vendor's isotropic image may be an arithmetic mean,
  // brighter in anisotropic tissue); with fewer, the isotropic image is.
  ExpectAssessable(index, { "8", LayoutTruth::kBValue, true, 3, "8", "9" });
  for (const auto & entry : fs::directory_iterator(m_Folder / "8"))
    if (entry.path().filename().string().rfind("V1_", 0) == 0 || entry.path().filename().string().rfind("V2_", 0) == 0)
      fs::remove(entry.path());
  ExpectAssessable(dicom::BuildStudyIndex(m_Folder), { "8", LayoutTruth::kBValue, false, 1, "8", "9" });
}

TEST_F(DiffusionLayoutTest, UihMosaicsWithPrivateDiffusionTags)
{
  WriteUih(m_Folder);
  const auto index = dicom::BuildStudyIndex(m_Folder);
  ASSERT_EQ(index.volumeSets.size(), 1u) << Describe(index);
  EXPECT_TRUE(index.skipped.empty()) << Describe(index);
  const VolumeSet & dwi = index.volumeSets.front();
  EXPECT_NE(dwi.verdict, dicom::Verdict::Rejected) << Describe(index);
  EXPECT_EQ(dwi.role, SeriesRole::DWI);
  EXPECT_EQ(dwi.slices, LayoutTruth::kSlices);
  EXPECT_EQ(dwi.volumes, 4u);
  ASSERT_EQ(dwi.diffusion.size(), 4u);
  EXPECT_NEAR(dwi.diffusion[0].bValue, 1.2519, 1e-3) << "a near-zero b is kept as written";
  EXPECT_NEAR(dwi.diffusion[1].bValue, 928.2886, 1e-3);
  EXPECT_EQ(Directional(dwi), (std::vector<bool>{ false, true, true, true }));
  EXPECT_NEAR(dwi.diffusion[2].gradient[2], 0.8, 1e-6);
  ExpectAssessable(index, { "9", 928.28855993702052, true, 3, "9", "" });
}

TEST_F(DiffusionLayoutTest, UihMosaicThatCannotBeLaidOutIsSkippedSayingWhy)
{
  WriteUih(m_Folder);
  const auto noPositions = (m_Folder / "9" / "00000002.dcm").string();
  const auto noMatrix = (m_Folder / "9" / "00000003.dcm").string();
  RemoveTag(noPositions, 0x0065, 0x1051);
  RemoveTag(noMatrix, 0x0018, 0x1310); // AcquisitionMatrix gone, and no square tile fits 24 x 20 tiles
  const auto index = dicom::BuildStudyIndex(m_Folder);
  const auto * positions = FindSkipped(index, noPositions);
  ASSERT_NE(positions, nullptr) << Describe(index);
  EXPECT_NE(positions->reason.find("(0065,1051) lists 0 slice positions"), std::string::npos) << positions->reason;
  const auto * matrix = FindSkipped(index, noMatrix);
  ASSERT_NE(matrix, nullptr) << Describe(index);
  EXPECT_NE(matrix->reason.find("no tile size lays 6 slices out on the 72x40 frame"), std::string::npos)
    << matrix->reason;
  ASSERT_EQ(index.volumeSets.size(), 1u);
  EXPECT_EQ(index.volumeSets.front().volumes, 2u) << "the other two volumes are read";
}

TEST_F(DiffusionLayoutTest, CanonDirectionsFromImageComments)
{
  WriteCanon(m_Folder);
  const auto index = dicom::BuildStudyIndex(m_Folder);
  ASSERT_EQ(index.volumeSets.size(), 2u) << Describe(index);
  const VolumeSet & dwi = *SetWithId(index, "10");
  EXPECT_EQ(RoundedB(dwi), (std::vector<long>{ 0, 1000, 1000, 1000 }));
  EXPECT_EQ(Directional(dwi), (std::vector<bool>{ false, true, true, true }))
    << "without the comment's directions, the three would pass for scanner traces and be averaged";
  EXPECT_EQ(SetWithId(index, "11")->role, SeriesRole::ADC);
  ExpectAssessable(index, { "10", LayoutTruth::kBValue, true, 3, "10", "11" });
}

TEST_F(DiffusionLayoutTest, EnhancedMultiFrameTraceAndAdc)
{
  WriteEnhancedDiffusion(m_Folder);
  const auto index = dicom::BuildStudyIndex(m_Folder);
  ASSERT_EQ(index.volumeSets.size(), 2u) << Describe(index);
  const VolumeSet & dwi = *SetWithId(index, "12");
  EXPECT_EQ(dwi.role, SeriesRole::DWI);
  EXPECT_EQ(RoundedB(dwi), (std::vector<long>{ 0, 1000 })) << "b0 and TRACEW frames form one set";
  EXPECT_EQ(SetWithId(index, "13")->role, SeriesRole::ADC);
  ExpectAssessable(index, { "12", LayoutTruth::kBValue, false, 1, "12", "13" });
}

TEST_F(DiffusionLayoutTest, DwiWithoutBValuesStillAnchorsItsAdcRegistration)
{
  WriteSiemensTraceOnly(m_Folder, false);
  for (const auto & entry : fs::directory_iterator(m_Folder / "4"))
    RemoveTag(entry.path().string(), 0x0019, 0x100c); // b-values unreadable (an unknown vendor's private tag)
  const auto index = dicom::BuildStudyIndex(m_Folder);
  const auto plan = pipeline::PlanDiffusion(index); // points into the index
  EXPECT_FALSE(plan.Assessable());
  EXPECT_NE(plan.unassessable.find("DWI series 4 has no b-values"), std::string::npos) << plan.unassessable;
  ASSERT_TRUE(plan.unweighted);
  EXPECT_EQ(plan.unweighted->set->id, "4");
  ASSERT_NE(plan.adc, nullptr);
  EXPECT_EQ(plan.adc->id, "5");
  const auto parts = pipeline::ReadDiffusionParts(plan, 1);
  EXPECT_EQ(parts.count("DWI"), 1u) << "a DWI volume to register the ADC with";
  EXPECT_EQ(parts.count("DWI_b0"), 0u) << "never passed off as a b0";
}

TEST_F(DiffusionLayoutTest, ReasonWhenNotAssessableIsOneLineNamingTheSeries)
{
  WriteSiemensTraceOnly(m_Folder, false);
  fs::remove_all(m_Folder / "5"); // no ADC
  for (const auto & entry : fs::directory_iterator(m_Folder / "4"))
    if (entry.path().filename().string().rfind("V0_", 0) == 0)
      fs::remove(entry.path()); // no b0
  auto plan = pipeline::PlanDiffusion(dicom::BuildStudyIndex(m_Folder));
  EXPECT_FALSE(plan.Assessable());
  EXPECT_NE(plan.unassessable.find("series 4"), std::string::npos) << plan.unassessable;
  EXPECT_NE(plan.unassessable.find("neither an ADC map nor a b0"), std::string::npos) << plan.unassessable;
  EXPECT_EQ(plan.unassessable.find('\n'), std::string::npos);
  EXPECT_EQ(pipeline::DiffusionNotAssessedWarning(plan, {}), "diffusion not assessable: " + plan.unassessable);

  fs::remove_all(m_Folder / "4");
  plan = pipeline::PlanDiffusion(dicom::BuildStudyIndex(m_Folder));
  EXPECT_EQ(plan.unassessable, "the study has no DWI series");

  WriteSiemensDirectionalMosaic(m_Folder);
  fs::remove_all(m_Folder / "9");
  fs::remove(m_Folder / "7" / "MR3.IMA"); // b0 + 2 directions: no trace
  plan = pipeline::PlanDiffusion(dicom::BuildStudyIndex(m_Folder));
  EXPECT_NE(plan.unassessable.find("series 7 at b=1000 has 2 direction(s)"), std::string::npos) << plan.unassessable;

  pipeline::DiffusionPlan fine;
  EXPECT_EQ(pipeline::DiffusionNotAssessedWarning(fine, { "FLAIR", "DWI_b0" }),
            "diffusion not assessable: the registration of DWI_b0 failed QC");
}

} // namespace
} // namespace icanscan::test
