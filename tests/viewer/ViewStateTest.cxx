#include "core/Error.h"
#include "viewer/DisplayCheck.h"
#include "viewer/InfoPanel.h"
#include "viewer/SlicePlane.h"
#include "viewer/ViewState.h"
#include "viewer/ViewerReport.h"
#include "tests/app/CliRunner.h"
#include "tests/viewer/ViewerTestData.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace
{
using namespace icanscan::viewer;

using icanscan::test::RunIcanscan;

ViewState MakeState()
{
  Finding a;
  a.centroidMm = { 30.0, -5.0, 2.0 };
  Finding b;
  b.centroidMm = { -20.0, 10.0, -4.0 };
  return ViewState({ "T2", "FLAIR", "DWI_b1000", "ADC" }, { { "T2", { 10.0, 110.0 } } }, { a, b }, { 0.0, 0.0, 0.0 });
}

/** Sets an environment variable for the scope of a test and restores it. */
class ScopedEnv
{
public:
  ScopedEnv(const char * name, const char * value)
    : m_Name(name)
  {
    const char * old = std::getenv(name);
    m_Had = old != nullptr;
    if (m_Had)
      m_Old = old;
    if (value == nullptr)
      unsetenv(name);
    else
      setenv(name, value, 1);
  }
  ~ScopedEnv()
  {
    if (m_Had)
      setenv(m_Name.c_str(), m_Old.c_str(), 1);
    else
      unsetenv(m_Name.c_str());
  }

private:
  std::string m_Name, m_Old;
  bool m_Had = false;
};
} // namespace

TEST(SlicePlane, LettersFollowTheConvention)
{
  const auto axialRadio = LettersOf(Plane::Axial, true);
  EXPECT_EQ(axialRadio.left, "R");
  EXPECT_EQ(axialRadio.right, "L");
  EXPECT_EQ(axialRadio.top, "A");
  EXPECT_EQ(axialRadio.bottom, "P");
  const auto axialNeuro = LettersOf(Plane::Axial, false);
  EXPECT_EQ(axialNeuro.left, "L");
  EXPECT_EQ(axialNeuro.right, "R");
  const auto coronal = LettersOf(Plane::Coronal, true);
  EXPECT_EQ(coronal.left, "R");
  EXPECT_EQ(coronal.right, "L");
  EXPECT_EQ(coronal.top, "S");
  EXPECT_EQ(coronal.bottom, "I");
  EXPECT_EQ(LettersOf(Plane::Coronal, false).left, "L");
  for (bool radiological : { true, false })
  {
    const auto sagittal = LettersOf(Plane::Sagittal, radiological);
    EXPECT_EQ(sagittal.left, "A");
    EXPECT_EQ(sagittal.right, "P");
    EXPECT_EQ(sagittal.top, "S");
    EXPECT_EQ(sagittal.bottom, "I");
  }
}

TEST(SlicePlane, AxesAreRightHandedAndPatientLeftIsScreenRightInRadiological)
{
  for (Plane p : { Plane::Axial, Plane::Coronal, Plane::Sagittal })
    for (bool radiological : { true, false })
    {
      const PlaneAxes a = AxesOf(p, radiological);
      EXPECT_DOUBLE_EQ(std::abs(a.normal[static_cast<std::size_t>(a.normalAxis)]), 1.0);
      EXPECT_DOUBLE_EQ(a.right[0] * a.up[0] + a.right[1] * a.up[1] + a.right[2] * a.up[2], 0.0);
    }
  EXPECT_EQ(AxesOf(Plane::Axial, true).right[0], 1.0); // LPS +x = patient left
  EXPECT_EQ(AxesOf(Plane::Axial, false).right[0], -1.0);
  EXPECT_EQ(ParsePlane("Coronal"), Plane::Coronal);
  EXPECT_THROW(ParsePlane("oblique"), icanscan::UsageError);
}

TEST(ViewState, NextAndPreviousFindingMoveTheCrosshairToTheCentroid)
{
  ViewState s = MakeState();
  EXPECT_EQ(s.CurrentFinding(), -1);
  s.NextFinding();
  EXPECT_EQ(s.CurrentFinding(), 0);
  EXPECT_EQ(s.Crosshair(), (std::array<double, 3>{ 30.0, -5.0, 2.0 }));
  s.NextFinding();
  EXPECT_EQ(s.Crosshair(), (std::array<double, 3>{ -20.0, 10.0, -4.0 }));
  s.NextFinding(); // wraps
  EXPECT_EQ(s.CurrentFinding(), 0);
  s.PreviousFinding(); // wraps back
  EXPECT_EQ(s.CurrentFinding(), 1);
  EXPECT_THROW(s.GoToFinding(2), icanscan::UsageError);
  EXPECT_THROW(s.GoToFinding(-1), icanscan::UsageError);
  ViewState none({ "T2" }, {}, {}, { 1.0, 2.0, 3.0 });
  none.NextFinding();
  EXPECT_EQ(none.CurrentFinding(), -1);
  EXPECT_EQ(none.Crosshair(), (std::array<double, 3>{ 1.0, 2.0, 3.0 }));
}

TEST(ViewState, BaseLabelsLesionsAndWindow)
{
  ViewState s = MakeState();
  EXPECT_EQ(s.BaseRole(), "T2");
  s.CycleBase();
  EXPECT_EQ(s.BaseRole(), "FLAIR");
  s.SetBaseRole("dwi");
  EXPECT_EQ(s.BaseRole(), "DWI_b1000");
  s.SetBaseRole("adc");
  EXPECT_EQ(s.BaseRole(), "ADC");
  s.CycleBase();
  EXPECT_EQ(s.BaseRole(), "T2");
  EXPECT_THROW(s.SetBaseRole("SWI"), icanscan::UsageError);
  EXPECT_THROW(ViewState({}, {}, {}, { 0.0, 0.0, 0.0 }), icanscan::UsageError);

  EXPECT_EQ(s.GetLabelMode(), LabelMode::Outline);
  s.CycleLabelMode();
  EXPECT_EQ(s.GetLabelMode(), LabelMode::Fill);
  s.CycleLabelMode();
  EXPECT_EQ(s.GetLabelMode(), LabelMode::Off);
  s.CycleLabelMode();
  EXPECT_EQ(s.GetLabelMode(), LabelMode::Outline);
  s.SetLabelOpacity(3.0);
  EXPECT_EQ(s.LabelOpacity(), 1.0);

  EXPECT_TRUE(s.ShowLesionT2Flair());
  s.ToggleLesionT2Flair();
  EXPECT_FALSE(s.ShowLesionT2Flair());
  s.ToggleLesionDwi();
  EXPECT_FALSE(s.ShowLesionDwi());
  EXPECT_TRUE(s.Radiological());

  s.AdjustWindow("T2", 0.5, 0.1); // width 100 -> 150, level 60 -> 70
  EXPECT_NEAR(s.WindowOf("T2").low, -5.0, 1e-9);
  EXPECT_NEAR(s.WindowOf("T2").high, 145.0, 1e-9);
  s.AdjustWindow("T2", -10.0, 0.0); // never below 1 % of the preset width
  EXPECT_GT(s.WindowOf("T2").high - s.WindowOf("T2").low, 0.0);
  s.ResetWindow("T2");
  EXPECT_EQ(s.WindowOf("T2").low, 10.0);

  s.SetCrosshair({ 0.0, 0.0, 0.0 });
  s.MoveAlongNormal(Plane::Coronal, 5.0);
  EXPECT_EQ(s.Crosshair(), (std::array<double, 3>{ 0.0, 5.0, 0.0 }));
}

TEST(ViewerReport, BannerSaysImagingOnlyWhenTheGradeIsNull)
{
  const auto report = ParseViewerReport(
    R"({"findings": [{"id": 1, "kind": "t2flair_hyperintensity", "structure": "thalamus", "laterality": "left",
        "volume_ml": 2.54, "centroid_mm": [1, 2, 3]}],
        "oedema": {"flag": "focal", "reasons": [{"text": "Thalamus left swollen"}]},
        "icans": {"oedema_domain_grade": 3, "grade": null}})",
    "report.json");
  const auto lines = BannerLines(report);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "Oedema: focal");
  EXPECT_NE(lines[1].find("Thalamus left swollen"), std::string::npos);
  EXPECT_EQ(lines[2], "imaging only: oedema-domain grade 3");
  EXPECT_EQ(FindingText(report, 0), "Finding 1/1: thalamus, left, T2/FLAIR hyperintensity, 2.5 ml");
  EXPECT_EQ(FindingText(report, 1), "");

  const auto graded = ParseViewerReport(R"({"icans": {"oedema_domain_grade": 0, "grade": 2}})", "r");
  EXPECT_EQ(BannerLines(graded).back(), "ICANS grade 2 (oedema domain 0)");
}

TEST(ViewerReport, RejectsBrokenJsonAndFindingsWithoutCentroid)
{
  EXPECT_THROW(ParseViewerReport("{not json", "report.json"), icanscan::InputError);
  EXPECT_THROW(ParseViewerReport(R"({"findings": [{"id": 1}]})", "report.json"), icanscan::InputError);
  EXPECT_THROW(ParseViewerReport(R"({"findings": [{"centroid_mm": [1, 2]}]})", "report.json"), icanscan::InputError);
  try
  {
    ReadViewerReport("/nonexistent/report.json");
    FAIL();
  }
  catch (const icanscan::InputError & e)
  {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/report.json"), std::string::npos);
    EXPECT_EQ(e.Code(), icanscan::ExitCode::CorruptInput);
  }
}

TEST(InfoPanel, WrapsLongLinesAtSpaces)
{
  const auto pieces = WrapLine("aaaa bbbb cccc dddd", 10);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0], "aaaa bbbb");
  for (const auto & p : pieces)
    EXPECT_LE(p.size(), 10u);
}

TEST(DisplayCheck, NoDisplayGivesAClearErrorNotAnAbort)
{
  {
    ScopedEnv env("DISPLAY", nullptr);
    EXPECT_NE(DisplayProblem().find("DISPLAY"), std::string::npos);
    try
    {
      UsableDisplay("the snapshot");
      FAIL();
    }
    catch (const icanscan::OutputError & e)
    {
      EXPECT_EQ(e.Code(), icanscan::ExitCode::OutputNotWritable);
      EXPECT_NE(std::string(e.what()).find("xvfb-run"), std::string::npos);
    }
  }
  {
    ScopedEnv env("DISPLAY", ":4242"); // no server there
    EXPECT_NE(DisplayProblem().find(":4242"), std::string::npos);
  }
}

TEST(ViewCommand, NoDisplayExitsWithCode6)
{
  const auto out = icanscan::test::WriteViewerOut(std::filesystem::temp_directory_path() /
                                                  ("icanscan view nodisplay " + std::to_string(::getpid())));
  ScopedEnv env("DISPLAY", nullptr);
  const auto snapshot = RunIcanscan({ "view", out.folder.string(), "--snapshot", (out.folder / "a.png").string() });
  EXPECT_EQ(snapshot.code, 6);
  EXPECT_NE(snapshot.err.find("DISPLAY"), std::string::npos);
  EXPECT_EQ(RunIcanscan({ "view", out.folder.string() }).code, 6); // interactive too
  std::filesystem::remove_all(out.folder);
}

TEST(ViewCommand, BadOutputFolders)
{
  EXPECT_EQ(RunIcanscan({ "view", "/nonexistent/icanscan-out" }).code, 4);
  const auto dir = std::filesystem::temp_directory_path() / ("icanscan view bad ü " + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "volumes");
  const std::vector<std::string> snapshot{ "view", dir.string(), "--snapshot", (dir / "a.png").string() };
  auto r = RunIcanscan(snapshot);
  EXPECT_EQ(r.code, 5);
  EXPECT_NE(r.err.find("report.json"), std::string::npos) << r.err;
  std::ofstream(dir / "report.json") << "{\"findings\": []}";
  r = RunIcanscan(snapshot);
  EXPECT_EQ(r.code, 5);
  EXPECT_NE(r.err.find("T2.nii.gz"), std::string::npos) << r.err;
  std::ofstream(dir / "volumes" / "T2.nii.gz") << "not a nifti";
  r = RunIcanscan(snapshot);
  EXPECT_EQ(r.code, 5);
  EXPECT_NE(r.err.find("T2.nii.gz"), std::string::npos) << r.err;
  EXPECT_EQ(RunIcanscan({ "view", dir.string(), "--slice", "3", "--finding", "1" }).code, 2);
  EXPECT_EQ(RunIcanscan({ "view", dir.string(), "--plane", "oblique" }).code, 2);
  std::filesystem::remove_all(dir);
}
