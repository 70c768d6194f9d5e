// End-to-end tests of `icanscan run` on every phantom case, missing-series variants and a baseline/follow-up pair.
// The runs are made once by the CTest fixture tests/e2e/make_phantom_runs.sh; these tests read OUT and the truth.
#include "pipeline/geometry/AtlasLoader.h"
#include "pipeline/geometry/StructureLabels.h"

#include "itkCompositeTransform.h"
#include "itkImageFileReader.h"
#include "itkTransformFileReader.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace
{
namespace fs = std::filesystem;
using Mask = itk::Image<unsigned char, 3>;

fs::path E2eDir()
{
  const char * dir = std::getenv("ICANSCAN_E2E_DIR");
  return dir ? fs::path(dir) : fs::path();
}

std::string ReadText(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json ReadJson(const fs::path & file)
{
  return nlohmann::json::parse(ReadText(file));
}

Mask::Pointer ReadMask(const fs::path & file)
{
  auto reader = itk::ImageFileReader<Mask>::New();
  reader->SetFileName(file.string());
  reader->Update();
  return reader->GetOutput();
}

double Dice(const Mask * a, const Mask * b)
{
  std::size_t both = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
  {
    const bool x = a->GetBufferPointer()[i] != 0, y = b->GetBufferPointer()[i] != 0;
    both += x && y;
    na += x;
    nb += y;
  }
  return na + nb ? 2.0 * static_cast<double>(both) / static_cast<double>(na + nb) : 1.0;
}

double VolumeMl(const Mask * m)
{
  const auto s = m->GetSpacing();
  std::size_t n = 0;
  for (std::size_t i = 0; i < m->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    n += m->GetBufferPointer()[i] != 0;
  return static_cast<double>(n) * s[0] * s[1] * s[2] / 1000.0;
}

/** One finished run of the fixture: its report, its truth and its folders. */
struct CaseRun
{
  fs::path dir;
  fs::path run;
  fs::path truthDir;
  nlohmann::json report;
  nlohmann::json truth;
  int rc = -1;
};

CaseRun LoadCase(const std::string & name, const std::string & session = "")
{
  CaseRun c;
  c.dir = E2eDir() / name;
  c.run = c.dir / "run";
  c.truthDir = session.empty() ? c.dir / "phantom" / "truth" : c.dir / "phantom" / session / "truth";
  std::ifstream rc(c.dir / "rc");
  rc >> c.rc;
  if (fs::exists(c.run / "report.json"))
    c.report = ReadJson(c.run / "report.json");
  c.truth = ReadJson(c.truthDir / "truth.json");
  return c;
}

class RunEndToEnd : public ::testing::TestWithParam<std::string>
{
protected:
  void SetUp() override
  {
    if (E2eDir().empty() || !fs::exists(E2eDir()))
      GTEST_SKIP() << "ICANSCAN_E2E_DIR not set: run through ctest (fixture phantom_runs)";
  }
};

/** Every phantom case: involvement per structure, the oedema flag and its ASTCT domain grade, the lesion masks. */
TEST_P(RunEndToEnd, FindingsOedemaAndMasksMatchTruth)
{
  const CaseRun c = LoadCase(GetParam());
  ASSERT_EQ(c.rc, 0) << ReadText(c.dir / "log");
  ASSERT_EQ(c.report.at("schema_version"), 2);
  std::ostringstream mismatches;
  int wrong = 0;
  for (const auto & info : icanscan::pipeline::AllStructures())
  {
    if (info.structure == icanscan::pipeline::Structure::LateralVentricles)
      continue;
    const auto & expected = c.truth.at("expected_findings").at(info.key);
    const auto & got = c.report.at("structures").at(info.key);
    for (const char * field : { "t2flair_involved", "diffusion_restricted" })
    {
      ASSERT_TRUE(got.at(field).is_boolean()) << info.key << "." << field << " is null with every sequence present";
      if (got.at(field) != expected.at(field))
      {
        ++wrong;
        mismatches << info.key << "." << field << " = " << got.at(field) << " (truth " << expected.at(field) << "); ";
      }
    }
  }
  EXPECT_EQ(wrong, 0) << mismatches.str();
  EXPECT_EQ(c.report.at("oedema").at("flag"), c.truth.at("oedema").at("flag")) << c.report.at("oedema").dump(1);
  EXPECT_EQ(c.report.at("icans").at("oedema_domain_grade"), c.truth.at("oedema").at("astct_oedema_grade"));
  const auto & markers = c.report.at("oedema").at("markers");
  if (GetParam() == "focal_oedema")
  {
    // Mass effect from the right-sided oedema: the septum pellucidum is pushed towards the left (+).
    EXPECT_EQ(markers.at("midline_shift_method"), "septum");
    EXPECT_GE(markers.at("midline_shift_mm").get<double>(), 2.0);
    bool midlineReason = false;
    for (const auto & r : c.report.at("oedema").at("reasons"))
      midlineReason = midlineReason || r.at("marker") == "midline_shift_mm";
    EXPECT_TRUE(midlineReason) << c.report.at("oedema").dump(1);
  }
  else if (markers.at("midline_shift_method") == "septum")
  {
    // no push: only the warp's anatomical variation (<= 2.4 mm measured over two seeds)
    EXPECT_LT(std::abs(markers.at("midline_shift_mm").get<double>()), 3.0);
  }
  EXPECT_TRUE(c.report.at("icans").at("grade").is_null()) << "imaging alone never gives the overall grade";

  const auto t2flair = ReadMask(c.run / "volumes" / "lesion_t2flair.nii.gz");
  const auto truthT2flair = ReadMask(c.truthDir / "lesion_t2flair.nii.gz");
  const double truthMl = VolumeMl(truthT2flair);
  if (truthMl > 1.0)
    EXPECT_GE(Dice(t2flair, truthT2flair), 0.6) << "T2/FLAIR lesion of " << truthMl << " ml";
  else
    EXPECT_LT(VolumeMl(t2flair), 1.0) << "false T2/FLAIR lesion volume";
  bool restrictedTruth = false;
  for (const auto & [key, e] : c.truth.at("expected_findings").items())
    restrictedTruth = restrictedTruth || e.at("diffusion_restricted").get<bool>();
  const auto dwi = ReadMask(c.run / "volumes" / "lesion_dwi.nii.gz");
  if (restrictedTruth) // hippocampal restriction at DWI resolution (1.8 mm, 5 mm slices) scores lowest: 0.50
    EXPECT_GE(Dice(dwi, ReadMask(c.truthDir / "lesion_dwi.nii.gz")), 0.45);
  else
    EXPECT_LT(VolumeMl(dwi), 1.0) << "false restricted-diffusion volume";
}

INSTANTIATE_TEST_SUITE_P(PhantomCases,
                         RunEndToEnd,
                         ::testing::Values("normal",
                                           "thalamic_bilateral",
                                           "splenium_restricted",
                                           "hippocampal_bilateral",
                                           "white_matter_diffuse",
                                           "focal_oedema",
                                           "shine_through",
                                           "thalamic_signal_only"));

class RunEndToEndVariants : public RunEndToEnd
{
};

TEST_F(RunEndToEndVariants, NoDiffusionMakesDiffusionNullNeverFalse)
{
  const CaseRun c = LoadCase("normal_no_dwi");
  ASSERT_EQ(c.rc, 0) << ReadText(c.dir / "log");
  for (const auto & [key, s] : c.report.at("structures").items())
  {
    EXPECT_TRUE(s.at("diffusion_restricted").is_null()) << key;
    EXPECT_TRUE(s.at("restricted_ml").is_null()) << key;
  }
  EXPECT_FALSE(fs::exists(c.run / "volumes" / "lesion_dwi.nii.gz"));
  EXPECT_TRUE(c.report.at("structures").at("thalamus_left").at("t2flair_involved").is_boolean());
  EXPECT_EQ(c.report.at("oedema").at("flag"), "none");
  // The reader learns why from one warning and one console line, not from empty diffusion columns.
  const std::string why = "diffusion not assessable: the study has no DWI series";
  int inWarnings = 0, onConsole = 0;
  for (const auto & w : c.report.at("warnings"))
    inWarnings += w.get<std::string>().find("diffusion") != std::string::npos;
  std::istringstream summary(ReadText(c.dir / "summary.txt"));
  for (std::string line; std::getline(summary, line);)
    onConsole += line.find("diffusion") != std::string::npos;
  EXPECT_EQ(inWarnings, 1) << c.report.at("warnings").dump();
  EXPECT_NE(std::find(c.report.at("warnings").begin(), c.report.at("warnings").end(), why),
            c.report.at("warnings").end());
  EXPECT_EQ(onConsole, 1);
  EXPECT_NE(ReadText(c.dir / "summary.txt").find("warning: " + why + "\n"), std::string::npos);
}

TEST_F(RunEndToEndVariants, NoT2UsesFlairAsReference)
{
  const CaseRun c = LoadCase("thalamic_no_t2");
  ASSERT_EQ(c.rc, 0) << ReadText(c.dir / "log");
  EXPECT_EQ(c.report.at("reference").at("role"), "FLAIR");
  EXPECT_EQ(c.report.at("structures").at("thalamus_left").at("t2flair_involved"), true);
  EXPECT_EQ(c.report.at("structures").at("thalamus_right").at("t2flair_involved"), true);
  EXPECT_EQ(c.report.at("structures").at("basal_ganglia_left").at("t2flair_involved"), false);
  EXPECT_TRUE(c.report.at("structures").at("thalamus_left").at("diffusion_restricted").is_boolean());
}

TEST_F(RunEndToEndVariants, FlairOnlyStudy)
{
  const CaseRun c = LoadCase("thalamic_flair_only");
  ASSERT_EQ(c.rc, 0) << ReadText(c.dir / "log");
  EXPECT_EQ(c.report.at("reference").at("role"), "FLAIR");
  EXPECT_EQ(c.report.at("structures").at("thalamus_right").at("t2flair_involved"), true);
  EXPECT_TRUE(c.report.at("structures").at("thalamus_right").at("diffusion_restricted").is_null());
  bool bilateral = false;
  for (const auto & f : c.report.at("findings"))
    bilateral = bilateral || (f.at("structure") == "thalamus" && f.at("laterality") == "bilateral");
  EXPECT_TRUE(bilateral) << c.report.at("findings").dump(1);
}

TEST_F(RunEndToEndVariants, BaselineComparisonFindsTheNewThalamicLesions)
{
  const CaseRun c = LoadCase("baseline_followup", "followup");
  ASSERT_EQ(c.rc, 0) << ReadText(c.dir / "log");
  const auto & baseline = c.report.at("baseline");
  bool newThalamus = false;
  for (const auto & f : baseline.at("new_findings"))
    newThalamus = newThalamus || (f.at("structure") == "thalamus" && f.at("kind") == "t2flair_hyperintensity");
  EXPECT_TRUE(newThalamus) << baseline.dump(1);
  EXPECT_TRUE(baseline.at("resolved_findings").empty());
  const auto & thalamus = baseline.at("structures").at("thalamus_left");
  EXPECT_TRUE(thalamus.at("volume_change_pct").is_number());
  // Measured both ways and combined by the geometric mean of the two ratios.
  const double forward = 1 + thalamus.at("forward_change_pct").get<double>() / 100;
  const double backward = 1 + thalamus.at("backward_change_pct").get<double>() / 100;
  EXPECT_NEAR(thalamus.at("volume_change_pct").get<double>(), 100 * (std::sqrt(forward * backward) - 1), 1e-6);
  // The hyperintense thalamus is filled with its normal level before the baseline registration: measured by its
  // boundaries, not counted as seen (its own signal changed); the genu, far from it, is seen.
  EXPECT_LT(baseline.at("structures").at("thalamus_left").at("seen_fraction").get<double>(), 0.5) << baseline.dump(1);
  EXPECT_GT(baseline.at("structures").at("corpus_callosum_genu").at("seen_fraction").get<double>(), 0.9);
  EXPECT_EQ(baseline.at("registration").at("status"), "ok");
  EXPECT_TRUE(fs::exists(c.run / "transforms" / "baseline_to_reference.tfm"));
}

/** A follow-up without T2 against a baseline with T2: the baseline's FLAIR is registered to, and it is not the
 * baseline's reference, so the change since baseline goes through the baseline's FLAIR-to-T2 registration as well.
 * Measured on FLAIR instead of T2 the swollen thalami still read near their truth, both ways. This phantom's FLAIR
 * barely moved between its series: leaving that registration out read almost the same (16.6 / 13.7 % against
 * 17.2 / 14.2 %), so the order of the maps is tested in BaselineMapsTest, not here. */
TEST_F(RunEndToEndVariants, BaselineComparisonThroughANonReferenceContrast)
{
  const CaseRun c = LoadCase("baseline_followup_no_t2", "followup");
  ASSERT_EQ(c.rc, 0) << ReadText(c.dir / "log");
  EXPECT_EQ(c.report.at("reference").at("role"), "FLAIR");
  const auto & baseline = c.report.at("baseline");
  EXPECT_EQ(baseline.at("registration").at("moving"), "baseline_FLAIR");
  for (const std::string key : { "thalamus_left", "thalamus_right" })
  {
    const auto & s = baseline.at("structures").at(key);
    const double truth = c.truth.at("swelling_percent").at(key).get<double>();
    std::cout << key << ": " << s.at("volume_change_pct") << " % (forward " << s.at("forward_change_pct")
              << ", backward " << s.at("backward_change_pct") << "; truth " << truth << " %)\n";
    // The atlas's own brain, where both directions under-read (docs/oedema.md: -0.9 to -10.5 points on T2).
    EXPECT_NEAR(s.at("volume_change_pct").get<double>(), truth, 12.0) << key;
    EXPECT_NEAR(s.at("forward_change_pct").get<double>(), s.at("backward_change_pct").get<double>(), 15.0)
      << key << ": the two directions agree when both maps are right";
  }
}

/** timing.tsv lists every timed stage in the order run (the baseline's own stages and the comparison with
 * --baseline), with finite non-negative seconds, and report.json `timings` says the same. */
TEST_F(RunEndToEndVariants, TimingListsEveryStage)
{
  const std::vector<std::string> study{ "registration_and_segmentation", "lesion_detection", "oedema_assessment" };
  std::vector<std::string> single{ "index_study", "load_atlas" };
  single.insert(single.end(), study.begin(), study.end());
  std::vector<std::string> withBaseline{ "index_study", "load_atlas" };
  for (const auto & s : study)
    withBaseline.push_back("baseline_" + s);
  withBaseline.insert(withBaseline.end(), study.begin(), study.end());
  withBaseline.push_back("baseline_comparison");
  for (const auto & [c, expected] : { std::make_pair(LoadCase("thalamic_bilateral"), single),
                                      std::make_pair(LoadCase("baseline_followup", "followup"), withBaseline) })
  {
    ASSERT_EQ(c.rc, 0) << c.dir;
    std::istringstream lines(ReadText(c.run / "timing.tsv"));
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line, "stage\tseconds");
    std::vector<std::string> stages;
    std::size_t row = 0;
    const auto & timings = c.report.at("timings");
    while (std::getline(lines, line))
    {
      const auto tab = line.find('\t');
      ASSERT_NE(tab, std::string::npos) << line;
      stages.push_back(line.substr(0, tab));
      const double seconds = std::stod(line.substr(tab + 1));
      EXPECT_TRUE(std::isfinite(seconds) && seconds >= 0) << line;
      ASSERT_LT(row, timings.size());
      EXPECT_EQ(timings[row].at("stage"), stages.back());
      EXPECT_NEAR(timings[row].at("seconds").get<double>(), seconds, 1e-3 * (1 + seconds));
      ++row;
    }
    EXPECT_EQ(stages, expected) << c.dir;
    EXPECT_EQ(row, timings.size());
  }
}

/** The same study given as dcm2niix NIfTI (JSON sidecars, bval/bvec) gives the DICOM run's result. */
TEST_F(RunEndToEndVariants, NiftiStudyMatchesItsDicomRun)
{
  if (!fs::exists(E2eDir() / "thalamic_nifti" / "rc"))
    GTEST_SKIP() << "dcm2niix not installed: the NIfTI variant was not made";
  const CaseRun n = LoadCase("thalamic_nifti");
  const CaseRun d = LoadCase("thalamic_bilateral");
  ASSERT_EQ(n.rc, 0) << ReadText(n.dir / "log");
  ASSERT_EQ(d.rc, 0);
  EXPECT_EQ(n.report.at("reference").at("role"), "T2");
  std::set<std::string> roles;
  for (const auto & s : n.report.at("series"))
    roles.insert(s.at("role").get<std::string>());
  EXPECT_EQ(roles, (std::set<std::string>{ "T2", "FLAIR", "DWI", "ADC" }));
  for (const auto & [key, expected] : d.report.at("structures").items())
  {
    const auto & got = n.report.at("structures").at(key);
    EXPECT_EQ(got.at("t2flair_involved"), expected.at("t2flair_involved")) << key;
    EXPECT_EQ(got.at("diffusion_restricted"), expected.at("diffusion_restricted")) << key;
    EXPECT_NEAR(got.at("volume_ml").get<double>(), expected.at("volume_ml").get<double>(),
                0.08 * expected.at("volume_ml").get<double>() + 0.2)
      << key;
  }
  EXPECT_EQ(n.report.at("oedema").at("flag"), d.report.at("oedema").at("flag"));
  EXPECT_EQ(n.report.at("findings").size(), d.report.at("findings").size());
  EXPECT_GE(
    Dice(ReadMask(n.run / "volumes" / "lesion_t2flair.nii.gz"), ReadMask(d.run / "volumes" / "lesion_t2flair.nii.gz")),
    0.85);
}

/** The output contract: file names, the CSV mirrors the JSON, no patient identifiers anywhere. */
TEST_F(RunEndToEndVariants, OutputsFollowTheContractWithoutIdentifiers)
{
  const CaseRun c = LoadCase("thalamic_bilateral");
  ASSERT_EQ(c.rc, 0);
  for (const char * f : { "report.json", "report.html", "findings.csv", "timing.tsv", "config.toml",
                          "volumes/T2.nii.gz", "volumes/FLAIR.nii.gz", "volumes/ADC.nii.gz", "volumes/labels.nii.gz",
                          "volumes/labels.tsv", "transforms/FLAIR_to_reference.tfm" })
    EXPECT_TRUE(fs::exists(c.run / f)) << f;
  const std::string csv = ReadText(c.run / "findings.csv");
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("structure,volume_ml,", 0), 0u) << line;
  int rows = 0;
  while (std::getline(lines, line))
  {
    ++rows;
    if (line.rfind("thalamus_left,", 0) == 0)
    {
      EXPECT_NE(line.find(",true,"), std::string::npos) << line;
    }
  }
  EXPECT_EQ(rows, static_cast<int>(icanscan::pipeline::kStructureCount));
  const std::string html = ReadText(c.run / "report.html");
  EXPECT_NE(html.find("focal"), std::string::npos);
  EXPECT_NE(html.find("data:image/png;base64,"), std::string::npos);
  for (const char * f : { "report.json", "report.html", "findings.csv" })
  {
    const std::string text = ReadText(c.run / f);
    EXPECT_EQ(text.find("PHANTOM^ICANS"), std::string::npos) << f;
    EXPECT_EQ(text.find("ICANSCAN-PHANTOM"), std::string::npos) << f;
  }
  EXPECT_EQ(c.report.at("study").at("study_uid_hash").get<std::string>().size(), 64u);
  EXPECT_FALSE(c.report.at("study").contains("patient_name"));
}

/** The written atlas transform is the one the labels came from: the atlas labels carried through
 * transforms/reference_to_atlas.tfm (read back with ITK) give volumes/labels_atlas.nii.gz. */
TEST_F(RunEndToEndVariants, AtlasTransformFileReproducesThePropagatedLabels)
{
  const CaseRun c = LoadCase("thalamic_bilateral");
  ASSERT_EQ(c.rc, 0);
  auto reader = itk::TransformFileReaderTemplate<double>::New();
  reader->SetFileName((c.run / "transforms/reference_to_atlas.tfm").string());
  reader->Update();
  ASSERT_EQ(reader->GetTransformList()->size(), 1u);
  const auto * composite =
    dynamic_cast<const itk::CompositeTransform<double, 3> *>(reader->GetTransformList()->front().GetPointer());
  ASSERT_NE(composite, nullptr);
  EXPECT_EQ(composite->GetNumberOfTransforms(), 4u) << "affine and three B-spline levels";

  const auto atlas = icanscan::pipeline::LoadAtlas();
  const auto propagated = ReadMask(c.run / "volumes/labels_atlas.nii.gz");
  std::size_t labelled = 0, same = 0;
  for (std::size_t i = 0; i < propagated->GetLargestPossibleRegion().GetNumberOfPixels(); i += 7) // a sample
  {
    itk::Point<double, 3> p;
    propagated->TransformIndexToPhysicalPoint(propagated->ComputeIndex(static_cast<itk::OffsetValueType>(i)), p);
    itk::Index<3> atlasIndex;
    const unsigned char carried = atlas.labels->TransformPhysicalPointToIndex(composite->TransformPoint(p), atlasIndex)
                                    ? atlas.labels->GetPixel(atlasIndex)
                                    : 0;
    if (propagated->GetBufferPointer()[i] == 0 && carried == 0)
      continue;
    ++labelled;
    same += propagated->GetBufferPointer()[i] == carried;
  }
  ASSERT_GT(labelled, 1000u);
  // The run carries the labels through the transform evaluated on a 2 mm lattice (exactly here): a few boundary voxels
  // may differ (measured 0.17 %); another transform (e.g. the affine alone) moves whole borders.
  EXPECT_GT(static_cast<double>(same) / static_cast<double>(labelled), 0.995) << same << " of " << labelled;
}

} // namespace
