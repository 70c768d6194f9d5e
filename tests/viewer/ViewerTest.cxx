#include "core/Error.h"
#include "viewer/DisplayCheck.h"
#include "viewer/InteractiveViewer.h"
#include "viewer/Snapshot.h"
#include "viewer/ViewerScene.h"
#include "tests/viewer/ViewerTestData.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <vtkDataArray.h>
#include <vtkImageData.h>
#include <vtkPointData.h>

#include <sys/wait.h>

#include <cstdlib>

namespace
{
using namespace icanscan::viewer;

#define SKIP_WITHOUT_DISPLAY()                                                                                         \
  if (!DisplayProblem().empty())                                                                                       \
  GTEST_SKIP() << DisplayProblem() << " (run under xvfb-run -a)"

/** Loads the in-code OUT folder once for all tests. */
class ViewerTest : public ::testing::Test
{
protected:
  static void SetUpTestSuite()
  {
    s_Out = new icanscan::test::ViewerOut(icanscan::test::WriteViewerOut(
      std::filesystem::temp_directory_path() / ("icanscan viewer test " + std::to_string(::getpid()))));
    s_Scene = new ViewerScene(ViewerScene::Load(s_Out->folder));
  }
  static void TearDownTestSuite()
  {
    delete s_Scene;
    std::filesystem::remove_all(s_Out->folder);
    delete s_Out;
  }
  static icanscan::test::ViewerOut * s_Out;
  static ViewerScene * s_Scene;
};
icanscan::test::ViewerOut * ViewerTest::s_Out = nullptr;
ViewerScene * ViewerTest::s_Scene = nullptr;

struct Blob
{
  int count = 0;
  double x = 0.0, y = 0.0; //!< centroid (pixels, y up)
};

/** Pixels of the slice view (rows below `maxRow`) that `isColour` accepts. */
template<typename F>
Blob FindColour(vtkImageData * image, int maxRow, F isColour)
{
  int dims[3];
  image->GetDimensions(dims);
  Blob blob;
  for (int y = 0; y < std::min(maxRow, dims[1]); ++y)
    for (int x = 0; x < dims[0]; ++x)
    {
      const auto * p = static_cast<const unsigned char *>(image->GetScalarPointer(x, y, 0));
      if (isColour(p[0], p[1], p[2]))
      {
        ++blob.count;
        blob.x += x;
        blob.y += y;
      }
    }
  if (blob.count > 0)
  {
    blob.x /= blob.count;
    blob.y /= blob.count;
  }
  return blob;
}

bool IsLesionRed(int r, int g, int b)
{
  return r - g > 80 && r - b > 80;
}

bool IsLesionBlue(int r, int g, int b)
{
  return b - r > 60 && b - g > 30;
}
} // namespace

TEST_F(ViewerTest, SceneIsInLpsWhateverTheDirectionMatrix)
{
  const auto b = s_Scene->Bounds();
  EXPECT_NEAR(b[0], -78.0, 1e-6);
  EXPECT_NEAR(b[1], 78.0, 1e-6);
  EXPECT_NEAR(b[4], -27.5, 1e-6);
  EXPECT_EQ(s_Scene->SliceCount(2), 12);
  EXPECT_EQ(s_Scene->Bases().front().role, "T2");
  ASSERT_NE(s_Scene->LesionT2Flair(), nullptr);
  // The lesion voxel at patient left x = +36 mm is set in the resampled mask.
  double p[3] = { 38.0, 2.0, 2.5 };
  const vtkIdType id = s_Scene->LesionT2Flair()->FindPoint(p);
  ASSERT_GE(id, 0);
  EXPECT_EQ(s_Scene->LesionT2Flair()->GetPointData()->GetScalars()->GetComponent(id, 0), 1.0);
  EXPECT_EQ(s_Scene->Report().findings.size(), 2u);
  EXPECT_EQ(s_Scene->LabelColours().at(1), (std::array<unsigned char, 3>{ 0, 118, 14 }));
}

TEST_F(ViewerTest, LeftLesionIsOnScreenRightInRadiologicalAndLeftInNeurological)
{
  SKIP_WITHOUT_DISPLAY();
  for (Plane plane : { Plane::Axial, Plane::Coronal })
    for (bool radiological : { true, false })
    {
      SCOPED_TRACE(ToString(plane) + (radiological ? " radiological" : " neurological"));
      SnapshotParams params;
      params.plane = plane;
      params.radiological = radiological;
      params.position = SnapshotPosition::Finding;
      params.finding = 1;
      params.width = 400;
      params.sliceHeight = 400;
      Snapshot snapshot(*s_Scene, params);
      auto image = snapshot.Render();
      const Blob red = FindColour(image, params.sliceHeight, IsLesionRed);
      ASSERT_GT(red.count, 20);
      if (radiological)
        EXPECT_GT(red.x, params.width / 2.0);
      else
        EXPECT_LT(red.x, params.width / 2.0);
      const auto expected = snapshot.PixelOf(s_Out->leftLesionCentroid);
      EXPECT_NEAR(red.x, expected[0], 8.0);
      EXPECT_NEAR(red.y, expected[1], 8.0);
      EXPECT_EQ(snapshot.State().CurrentFinding(), 0);
      EXPECT_EQ(snapshot.State().BaseRole(), "FLAIR"); // best base for a T2/FLAIR finding
      const auto letters = snapshot.Slice().Letters();
      EXPECT_EQ(letters.right, radiological ? "L" : "R");
      // The DWI lesion (patient right) is in this slice too, on the other side.
      const Blob blue = FindColour(image, params.sliceHeight, IsLesionBlue);
      ASSERT_GT(blue.count, 20);
      EXPECT_EQ(blue.x < params.width / 2.0, radiological);
    }
}

TEST_F(ViewerTest, LesionTogglesRemoveTheColour)
{
  SKIP_WITHOUT_DISPLAY();
  auto state = s_Scene->MakeState();
  state.GoToFinding(0);
  InteractiveViewer viewer(*s_Scene, state, true);
  auto grab = [&viewer]()
  {
    viewer.GetRenderWindow()->Render();
    return viewer.View(Plane::Axial).SliceImage();
  };
  EXPECT_GT(FindColour(grab(), 100000, IsLesionRed).count, 0);
  EXPECT_TRUE(viewer.HandleKey("1"));
  EXPECT_EQ(FindColour(grab(), 100000, IsLesionRed).count, 0);
  EXPECT_GT(FindColour(grab(), 100000, IsLesionBlue).count, 0);
  EXPECT_TRUE(viewer.HandleKey("2"));
  EXPECT_EQ(FindColour(grab(), 100000, IsLesionBlue).count, 0);
}

TEST_F(ViewerTest, KeysAndClicksDriveTheCrosshair)
{
  SKIP_WITHOUT_DISPLAY();
  InteractiveViewer viewer(*s_Scene, s_Scene->MakeState(), true);
  const double opacity = viewer.State().LabelOpacity();
  EXPECT_TRUE(viewer.HandleKey("minus"));
  EXPECT_NEAR(viewer.State().LabelOpacity(), opacity - 0.1, 1e-9);
  EXPECT_TRUE(viewer.HandleKey("plus"));
  EXPECT_NEAR(viewer.State().LabelOpacity(), opacity, 1e-9);
  EXPECT_TRUE(viewer.HandleKey("n"));
  EXPECT_EQ(viewer.State().Crosshair(), s_Out->leftLesionCentroid);
  EXPECT_TRUE(viewer.HandleKey("n"));
  EXPECT_EQ(viewer.State().Crosshair(), s_Out->rightLesionCentroid);
  EXPECT_TRUE(viewer.HandleKey("p"));
  EXPECT_EQ(viewer.State().Crosshair(), s_Out->leftLesionCentroid);
  EXPECT_NE(viewer.Info().Lines().back().find("Finding 1/2"), std::string::npos);

  const double z = viewer.State().Crosshair()[2];
  EXPECT_TRUE(viewer.HandleKey("Up", Plane::Axial));
  EXPECT_NEAR(viewer.State().Crosshair()[2], z + 5.0, 1e-9);
  EXPECT_TRUE(viewer.HandleKey("Next", Plane::Axial));
  EXPECT_NEAR(viewer.State().Crosshair()[2], z, 1e-9);

  // A click on the right lesion in the axial view moves x and y there, keeps z.
  const auto pixel = viewer.View(Plane::Axial).LpsToDisplay(s_Out->rightLesionCentroid);
  EXPECT_TRUE(viewer.Click(static_cast<int>(std::lround(pixel[0])), static_cast<int>(std::lround(pixel[1]))));
  EXPECT_NEAR(viewer.State().Crosshair()[0], s_Out->rightLesionCentroid[0], 2.0);
  EXPECT_NEAR(viewer.State().Crosshair()[1], s_Out->rightLesionCentroid[1], 2.0);
  EXPECT_NEAR(viewer.State().Crosshair()[2], z, 1e-9);

  EXPECT_EQ(viewer.View(Plane::Axial).Letters().left, "R");
  EXPECT_TRUE(viewer.HandleKey("r"));
  EXPECT_EQ(viewer.View(Plane::Axial).Letters().left, "L");
  EXPECT_EQ(viewer.View(Plane::Coronal).Letters().left, "L");
  EXPECT_TRUE(viewer.HandleKey("b"));
  EXPECT_EQ(viewer.State().BaseRole(), "FLAIR");
  EXPECT_TRUE(viewer.HandleKey("l"));
  EXPECT_EQ(viewer.State().GetLabelMode(), LabelMode::Fill);
  EXPECT_TRUE(viewer.HandleKey("h"));
  EXPECT_FALSE(viewer.HandleKey("F12"));
}

TEST_F(ViewerTest, SnapshotWritesPngAndRejectsBadPositions)
{
  SKIP_WITHOUT_DISPLAY();
  SnapshotParams params;
  params.plane = Plane::Sagittal;
  params.position = SnapshotPosition::Slice;
  params.slice = 20;
  const auto png = s_Out->folder / "sagittal ü.png";
  Snapshot(*s_Scene, params).WritePng(png);
  EXPECT_GT(std::filesystem::file_size(png), 1000u);
  EXPECT_THROW(Snapshot(*s_Scene, params).WritePng(s_Out->folder / "missing" / "a.png"), icanscan::OutputError);
  params.slice = 40;
  EXPECT_THROW(Snapshot(*s_Scene, params), icanscan::UsageError);
  params.position = SnapshotPosition::Finding;
  params.finding = 3;
  EXPECT_THROW(Snapshot(*s_Scene, params), icanscan::UsageError);
  params.finding = 1;
  params.baseRole = "SWI";
  EXPECT_THROW(Snapshot(*s_Scene, params), icanscan::UsageError);
}

TEST_F(ViewerTest, RenderWindowsShareTheOneCheckedXConnection)
{
  // VTK aborts when its own XOpenDisplay is refused (a busy Xvfb under parallel tests did that once the check had
  // passed); so every window gets the connection the check opened, and repeated renders reuse it.
  SKIP_WITHOUT_DISPLAY();
  void * first = UsableDisplay("a test");
  ASSERT_NE(first, nullptr);
  SnapshotParams params;
  params.position = SnapshotPosition::Auto;
  for (int k = 0; k < 4; ++k)
  {
    const auto png = s_Out->folder / ("repeat" + std::to_string(k) + ".png");
    Snapshot(*s_Scene, params).WritePng(png);
    EXPECT_GT(std::filesystem::file_size(png), 1000u);
  }
  EXPECT_EQ(UsableDisplay("a test"), first);
}

TEST_F(ViewerTest, ExecutableRendersASnapshotAndFailsCleanlyWithoutDisplay)
{
  SKIP_WITHOUT_DISPLAY();
  const std::string exe = ICANSCAN_EXECUTABLE;
  const auto png = s_Out->folder / "cli.png";
  const std::string args = " view '" + s_Out->folder.string() + "' --snapshot '" + png.string() + "' --plane coronal";
  EXPECT_EQ(std::system(("'" + exe + "'" + args + " --auto > /dev/null").c_str()), 0);
  EXPECT_TRUE(std::filesystem::exists(png));
  const int status = std::system(("env -u DISPLAY '" + exe + "'" + args + " 2> /dev/null").c_str());
  ASSERT_TRUE(WIFEXITED(status)); // an exit code, not a signal (abort)
  EXPECT_EQ(WEXITSTATUS(status), 6);
}
