#pragma once

#include "viewer/InfoPanel.h"
#include "viewer/SlicePlane.h"
#include "viewer/SliceRenderer.h"
#include "viewer/ViewState.h"
#include "viewer/ViewerScene.h"

#include <vtkImageData.h>
#include <vtkSmartPointer.h>

#include <array>
#include <filesystem>
#include <memory>
#include <string>

class vtkRenderWindow;

namespace icanscan::viewer
{

/** \brief Where a snapshot cuts its plane. */
enum class SnapshotPosition
{
  Auto,    //!< the first finding's centroid, else the middle of the volume
  Slice,   //!< grid slice `slice` along the plane normal
  Finding, //!< the centroid of finding `finding`
};

/** \brief Parameters of a snapshot. */
struct SnapshotParams
{
  Plane plane = Plane::Axial;
  SnapshotPosition position = SnapshotPosition::Auto;
  /** Slice: 0-based index on the scene grid along the normal; 0 is the most inferior (axial), anterior (coronal) or
   * right (sagittal) slice. Valid range [0, ViewerScene::SliceCount(axis)). */
  int slice = 0;
  int finding = 1; //!< Finding: 1-based position in report.json findings[]
  /** Base series role (T2, FLAIR, DWI, DWI_b0, DWI_b1000, ADC). Empty: FLAIR (else T2) at a T2/FLAIR finding,
   * DWI_b1000 at a diffusion finding, otherwise the first base loaded. */
  std::string baseRole;
  bool radiological = true; //!< patient left on screen right (axial, coronal)
  int width = 768;          //!< image width (pixels), [64, 8192]
  int sliceHeight = 768;    //!< height of the slice view (pixels), [64, 8192]; the text band is added above it
};

/** \brief Renders one plane of a scene offscreen: slice view below, report text band above.
 *
 * Checks for an X display before creating the render window (UsableDisplay): without one it throws OutputError
 * (exit code 6) instead of letting VTK abort. Bad parameters (slice or finding out of range, unknown base) throw
 * UsageError. */
class Snapshot
{
public:
  Snapshot(const ViewerScene & scene, const SnapshotParams & params);
  ~Snapshot();
  Snapshot(const Snapshot &) = delete;
  Snapshot & operator=(const Snapshot &) = delete;

  const ViewState & State() const { return m_State; }
  const SliceRenderer & Slice() const { return *m_Slice; }
  const InfoPanel & Info() const { return *m_Info; }

  /** Renders and returns the picture (RGB, VTK row order: row 0 is the bottom). */
  vtkSmartPointer<vtkImageData> Render();
  /** Renders and writes a PNG; throws OutputError naming the file when it cannot be written. */
  void WritePng(const std::filesystem::path & png);
  /** Pixel (x right, y up from the bottom row) where an LPS point projects; valid after Render(). */
  std::array<double, 2> PixelOf(const std::array<double, 3> & lps) const { return m_Slice->LpsToDisplay(lps); }

private:
  const ViewerScene & m_Scene;
  ViewState m_State;
  std::unique_ptr<SliceRenderer> m_Slice;
  std::unique_ptr<InfoPanel> m_Info;
  vtkSmartPointer<vtkRenderWindow> m_Window;
};

/** \brief What `window` shows now (renders it first): RGB, VTK row order. */
vtkSmartPointer<vtkImageData> CaptureWindow(vtkRenderWindow * window);

/** \brief Writes `image` as PNG; throws OutputError naming the file (and its folder when that is missing). */
void WritePngImage(vtkImageData * image, const std::filesystem::path & png);

/** \brief The base a finding is best seen on (see SnapshotParams::baseRole), from the roles of `state`. */
std::string DefaultBaseRole(const ViewState & state);

} // namespace icanscan::viewer
