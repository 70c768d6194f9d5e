#pragma once

#include "viewer/InfoPanel.h"
#include "viewer/SlicePlane.h"
#include "viewer/SliceRenderer.h"
#include "viewer/ViewState.h"
#include "viewer/ViewerScene.h"

#include <vtkRenderWindow.h>
#include <vtkSmartPointer.h>

#include <array>
#include <filesystem>
#include <memory>
#include <string>

class vtkCallbackCommand;
class vtkObject;
class vtkRenderWindowInteractor;
class vtkRenderer;
class vtkTextActor;

namespace icanscan::viewer
{

/** \brief The interactive window: axial, coronal and sagittal views side by side under the report text band.
 *
 * Keys: n/p next/previous finding, b next base series, l label outline/fill/off, 1/2 T2-FLAIR/DWI lesion on/off,
 * r radiological/neurological, w reset the grey window, s save a screenshot (icanscan_view_NNN.png in the working
 * folder), h help, Up/Down/PageUp/PageDown or the mouse wheel move the slice of the view under the pointer, q or
 * Escape quit. Left click (or drag) sets the crosshair in all views; right drag changes the grey window (horizontal
 * width, vertical level). Checks for an X display before creating the window (OutputError otherwise). */
class InteractiveViewer
{
public:
  /** `offScreen`: render without showing the window (tests drive it through HandleKey and Click). */
  InteractiveViewer(const ViewerScene & scene, ViewState state, bool offScreen = false);
  ~InteractiveViewer();
  InteractiveViewer(const InteractiveViewer &) = delete;
  InteractiveViewer & operator=(const InteractiveViewer &) = delete;

  /** Shows the window and runs the event loop until it is closed. */
  void Start();

  /** Acts on one key (VTK key symbol: "n", "Up", "Prior", ...) as if pressed over `plane`'s view; false when the key
   * means nothing. Re-renders. */
  bool HandleKey(const std::string & keySym, Plane plane = Plane::Axial);
  /** Sets the crosshair from a click at display pixel (x, y) (y up); false when it is in no slice view. */
  bool Click(int x, int y);

  const ViewState & State() const { return m_State; }
  const SliceRenderer & View(Plane plane) const { return *m_Views[static_cast<std::size_t>(plane)]; }
  const InfoPanel & Info() const { return *m_Info; }
  vtkRenderWindow * GetRenderWindow() const { return m_Window; }
  /** Re-cuts every view and re-renders. */
  void Refresh();
  /** Writes the whole window as a PNG; throws OutputError naming the file. */
  void SaveScreenshot(const std::filesystem::path & png);

private:
  static void OnEvent(vtkObject * caller, unsigned long eventId, void * clientData, void * callData);
  void Dispatch(unsigned long eventId);
  int ViewAt(int x, int y) const; //!< index of the slice view under (x, y), or -1

  const ViewerScene & m_Scene;
  ViewState m_State;
  std::array<std::unique_ptr<SliceRenderer>, 3> m_Views;
  std::unique_ptr<InfoPanel> m_Info;
  vtkSmartPointer<vtkRenderer> m_HelpRenderer;
  vtkSmartPointer<vtkTextActor> m_Help;
  vtkSmartPointer<vtkRenderWindow> m_Window;
  vtkSmartPointer<vtkRenderWindowInteractor> m_Interactor;
  vtkSmartPointer<vtkCallbackCommand> m_Callback;
  std::string m_Status;
  bool m_LeftDown = false;
  bool m_RightDown = false;
  std::array<int, 2> m_LastPosition{ { 0, 0 } };
};

} // namespace icanscan::viewer
