#pragma once

#include "viewer/SlicePlane.h"
#include "viewer/ViewState.h"
#include "viewer/ViewerScene.h"

#include <vtkImageData.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include <array>
#include <string>

class vtkActor;
class vtkImageActor;
class vtkImageReslice;
class vtkPolyData;
class vtkTextActor;

namespace icanscan::viewer
{

/** \brief Draws one plane (axial, coronal or sagittal) of a scene through the crosshair into one vtkRenderer.
 *
 * Each layer (base, labels, lesion masks) is cut by a vtkImageReslice whose axes are the plane's screen axes in LPS
 * space, on an isotropic in-plane grid (half the finest in-plane spacing), so 5 mm slices keep their physical size
 * in coronal and sagittal views. The layers are composed into one RGB slice: grey base in the role's window, label
 * outlines or fills in the structure colours, the T2/FLAIR lesion red and the DWI lesion blue (translucent fill with
 * an opaque edge). The renderer's world is the screen plane in mm: x' = right . p, y' = up . p (PlaneAxes). On top:
 * orientation letters, a crosshair with a gap at its centre, a scale bar and the series/slice position. */
class SliceRenderer
{
public:
  SliceRenderer(const ViewerScene & scene, Plane plane);
  ~SliceRenderer();
  SliceRenderer(const SliceRenderer &) = delete;
  SliceRenderer & operator=(const SliceRenderer &) = delete;

  vtkRenderer * GetRenderer() const { return m_Renderer; }
  Plane GetPlane() const { return m_Plane; }

  /** Re-cuts and re-composes the slice through the state's crosshair and fits the camera to the viewport (the
   * renderer should be in a render window by then, for its aspect ratio). Does not render. */
  void Update(const ViewState & state);

  /** The composed RGB slice of the last Update (world origin and spacing in screen-plane mm). */
  vtkImageData * SliceImage() const { return m_Slice; }
  /** The letters shown at the screen edges by the last Update. */
  const OrientationLetters & Letters() const { return m_Letters; }

  /** Display pixel (x right, y up, window coordinates) of an LPS point projected on the plane; valid after a
   * render. */
  std::array<double, 2> LpsToDisplay(const std::array<double, 3> & lps) const;
  /** LPS point under display pixel (x, y); its coordinate along the normal is the crosshair's. */
  std::array<double, 3> DisplayToLps(double x, double y, const std::array<double, 3> & crosshair) const;

private:
  vtkSmartPointer<vtkImageData> Cut(vtkImageData * volume, bool linear);
  void Compose(const ViewState & state);
  void UpdateAnnotations(const ViewState & state);
  void FitCamera();

  const ViewerScene & m_Scene;
  Plane m_Plane;
  PlaneAxes m_Axes{};
  OrientationLetters m_Letters;
  std::array<double, 4> m_ViewBounds{}; //!< x'min, x'max, y'min, y'max of the slice (mm)
  double m_SampleMm = 1.0;
  std::array<double, 3> m_Crosshair{};
  vtkSmartPointer<vtkRenderer> m_Renderer;
  vtkSmartPointer<vtkImageReslice> m_Reslice;
  vtkSmartPointer<vtkImageData> m_Slice;
  vtkSmartPointer<vtkImageActor> m_ImageActor;
  vtkSmartPointer<vtkPolyData> m_CrosshairLines;
  vtkSmartPointer<vtkActor> m_CrosshairActor;
  vtkSmartPointer<vtkPolyData> m_ScaleBarLines;
  vtkSmartPointer<vtkActor> m_ScaleBarActor;
  vtkSmartPointer<vtkTextActor> m_ScaleBarText;
  std::array<vtkSmartPointer<vtkTextActor>, 4> m_LetterActors; //!< left, right, top, bottom
  vtkSmartPointer<vtkTextActor> m_CornerText;
};

} // namespace icanscan::viewer
