#include "viewer/InteractiveViewer.h"

#include "core/Error.h"
#include "viewer/DisplayCheck.h"
#include "viewer/Snapshot.h"

#include <vtkCallbackCommand.h>
#include <vtkCommand.h>
#include <vtkInteractorStyleUser.h>
#include <vtkRenderWindow.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cstdio>

namespace icanscan::viewer
{
namespace
{
constexpr const char * kHelp = "Keys\n"
                               "  n / p        next / previous finding\n"
                               "  b            next base series\n"
                               "  l            labels: outline / fill / off\n"
                               "  + / -        label opacity up / down\n"
                               "  1 / 2        T2-FLAIR (red) / DWI (blue) lesion on/off\n"
                               "  r            radiological / neurological\n"
                               "  w            reset the grey window\n"
                               "  Up/Down, PgUp/PgDn, wheel   move the slice under the pointer\n"
                               "  s            screenshot (icanscan_view_NNN.png)\n"
                               "  h            this help\n"
                               "  q / Esc      quit\n"
                               "Mouse\n"
                               "  left click/drag   crosshair\n"
                               "  right drag        window (left-right) / level (up-down)";
constexpr int kViewPixels = 520;
} // namespace

InteractiveViewer::InteractiveViewer(const ViewerScene & scene, ViewState state, bool offScreen)
  : m_Scene(scene)
  , m_State(std::move(state))
{
  void * display = UsableDisplay("the viewer window");
  for (Plane p : { Plane::Axial, Plane::Coronal, Plane::Sagittal })
    m_Views[static_cast<std::size_t>(p)] = std::make_unique<SliceRenderer>(scene, p);
  m_Info = std::make_unique<InfoPanel>();
  m_Window = vtkSmartPointer<vtkRenderWindow>::New();
  m_Window->SetDisplayId(display);
  m_Window->SetWindowName("icanscan view");
  m_Window->SetOffScreenRendering(offScreen ? 1 : 0);
  m_Window->SetNumberOfLayers(2);
  const int band = InfoPanel::kLineHeight * InfoPanel::LineCount(scene.Report(), 3 * kViewPixels) + 14;
  m_Window->SetSize(3 * kViewPixels, kViewPixels + band);
  for (auto & view : m_Views)
    m_Window->AddRenderer(view->GetRenderer());
  m_Window->AddRenderer(m_Info->GetRenderer());

  m_HelpRenderer = vtkSmartPointer<vtkRenderer>::New();
  m_HelpRenderer->SetLayer(1);
  m_HelpRenderer->InteractiveOff();
  m_Help = vtkSmartPointer<vtkTextActor>::New();
  m_Help->SetInput(kHelp);
  auto * p = m_Help->GetTextProperty();
  p->SetFontFamilyToCourier();
  p->SetFontSize(15);
  p->SetColor(1.0, 1.0, 1.0);
  p->SetBackgroundColor(0.0, 0.0, 0.0);
  p->SetBackgroundOpacity(0.8);
  p->SetVerticalJustificationToTop();
  m_Help->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  m_Help->SetPosition(0.03, 0.8);
  m_Help->VisibilityOff();
  m_HelpRenderer->AddActor2D(m_Help);
  m_Window->AddRenderer(m_HelpRenderer);

  m_Interactor = vtkSmartPointer<vtkRenderWindowInteractor>::New();
  m_Interactor->SetRenderWindow(m_Window);
  m_Interactor->SetInteractorStyle(vtkSmartPointer<vtkInteractorStyleUser>::New());
  m_Callback = vtkSmartPointer<vtkCallbackCommand>::New();
  m_Callback->SetCallback(&InteractiveViewer::OnEvent);
  m_Callback->SetClientData(this);
  for (unsigned long event :
       { vtkCommand::KeyPressEvent, vtkCommand::LeftButtonPressEvent, vtkCommand::LeftButtonReleaseEvent,
         vtkCommand::RightButtonPressEvent, vtkCommand::RightButtonReleaseEvent, vtkCommand::MouseMoveEvent,
         vtkCommand::MouseWheelForwardEvent, vtkCommand::MouseWheelBackwardEvent, vtkCommand::ConfigureEvent })
    m_Interactor->AddObserver(event, m_Callback, 1.0);
  Refresh();
}

InteractiveViewer::~InteractiveViewer()
{
  if (m_Interactor != nullptr)
    m_Interactor->RemoveObserver(m_Callback);
  if (m_Window != nullptr)
    m_Window->Finalize();
}

void InteractiveViewer::Start()
{
  m_Interactor->Initialize();
  Refresh();
  m_Interactor->Start();
}

void InteractiveViewer::Refresh()
{
  const int * size = m_Window->GetSize();
  const int width = std::max(size[0], 300), height = std::max(size[1], 200);
  const int band = InfoPanel::kLineHeight * InfoPanel::LineCount(m_Scene.Report(), width) + 14;
  const double split = std::clamp(1.0 - static_cast<double>(band) / height, 0.3, 1.0);
  for (std::size_t k = 0; k < m_Views.size(); ++k)
    m_Views[k]->GetRenderer()->SetViewport(k / 3.0, 0.0, (k + 1) / 3.0, split);
  m_Info->GetRenderer()->SetViewport(0.0, split, 1.0, 1.0);
  for (auto & view : m_Views)
    view->Update(m_State);
  m_Info->Update(m_Scene.Report(), m_State, width, m_Status);
  m_Window->Render();
}

int InteractiveViewer::ViewAt(int x, int y) const
{
  for (std::size_t k = 0; k < m_Views.size(); ++k)
    if (m_Views[k]->GetRenderer()->IsInViewport(x, y))
      return static_cast<int>(k);
  return -1;
}

bool InteractiveViewer::Click(int x, int y)
{
  const int k = ViewAt(x, y);
  if (k < 0)
    return false;
  m_State.SetCrosshair(m_Views[static_cast<std::size_t>(k)]->DisplayToLps(x, y, m_State.Crosshair()));
  Refresh();
  return true;
}

void InteractiveViewer::SaveScreenshot(const std::filesystem::path & png)
{
  WritePngImage(CaptureWindow(m_Window), png);
}

bool InteractiveViewer::HandleKey(const std::string & key, Plane plane)
{
  m_Status.clear();
  const double step = m_Scene.Spacing()[static_cast<std::size_t>(AxesOf(plane, true).normalAxis)];
  if (key == "n")
    m_State.NextFinding();
  else if (key == "p")
    m_State.PreviousFinding();
  else if (key == "b")
    m_State.CycleBase();
  else if (key == "l")
    m_State.CycleLabelMode();
  else if (key == "plus" || key == "equal" || key == "KP_Add")
    m_State.SetLabelOpacity(m_State.LabelOpacity() + 0.1);
  else if (key == "minus" || key == "KP_Subtract")
    m_State.SetLabelOpacity(m_State.LabelOpacity() - 0.1);
  else if (key == "1")
    m_State.ToggleLesionT2Flair();
  else if (key == "2")
    m_State.ToggleLesionDwi();
  else if (key == "r")
    m_State.SetRadiological(!m_State.Radiological());
  else if (key == "w")
    m_State.ResetWindow(m_State.BaseRole());
  else if (key == "h")
    m_Help->SetVisibility(!m_Help->GetVisibility());
  else if (key == "Up" || key == "Prior")
    m_State.MoveAlongNormal(plane, step);
  else if (key == "Down" || key == "Next")
    m_State.MoveAlongNormal(plane, -step);
  else if (key == "s")
  {
    std::filesystem::path png;
    for (int i = 1; i < 1000; ++i)
    {
      char name[32];
      std::snprintf(name, sizeof(name), "icanscan_view_%03d.png", i);
      std::error_code ec;
      if (!std::filesystem::exists(name, ec))
      {
        png = name;
        break;
      }
    }
    try
    {
      SaveScreenshot(png);
      m_Status = "saved " + std::filesystem::absolute(png).string();
    }
    catch (const Error & e)
    {
      m_Status = e.what();
    }
  }
  else if (key == "q" || key == "Escape")
  {
    if (m_Interactor->GetInitialized())
      m_Interactor->TerminateApp();
    return true;
  }
  else
    return false;
  Refresh();
  return true;
}

void InteractiveViewer::OnEvent(vtkObject *, unsigned long eventId, void * clientData, void *)
{
  auto * self = static_cast<InteractiveViewer *>(clientData);
  try
  {
    self->Dispatch(eventId);
  }
  catch (const std::exception & e)
  {
    // An event handler cannot throw through VTK's C callbacks: show the problem instead.
    self->m_Status = e.what();
  }
}

void InteractiveViewer::Dispatch(unsigned long eventId)
{
  const int * pos = m_Interactor->GetEventPosition();
  const int x = pos[0], y = pos[1];
  const int view = ViewAt(x, y);
  const Plane plane = view < 0 ? Plane::Axial : static_cast<Plane>(view);
  switch (eventId)
  {
    case vtkCommand::KeyPressEvent:
    {
      const char * sym = m_Interactor->GetKeySym();
      if (sym != nullptr)
        HandleKey(sym, plane);
      break;
    }
    case vtkCommand::LeftButtonPressEvent:
      m_LeftDown = true;
      Click(x, y);
      break;
    case vtkCommand::LeftButtonReleaseEvent:
      m_LeftDown = false;
      break;
    case vtkCommand::RightButtonPressEvent:
      m_RightDown = true;
      m_LastPosition = { x, y };
      break;
    case vtkCommand::RightButtonReleaseEvent:
      m_RightDown = false;
      break;
    case vtkCommand::MouseMoveEvent:
      if (m_LeftDown)
        Click(x, y);
      else if (m_RightDown)
      {
        m_State.AdjustWindow(m_State.BaseRole(), (x - m_LastPosition[0]) / 400.0, (y - m_LastPosition[1]) / 400.0);
        m_LastPosition = { x, y };
        Refresh();
      }
      break;
    case vtkCommand::MouseWheelForwardEvent:
      HandleKey("Up", plane);
      break;
    case vtkCommand::MouseWheelBackwardEvent:
      HandleKey("Down", plane);
      break;
    case vtkCommand::ConfigureEvent:
      Refresh();
      break;
    default:
      break;
  }
}

} // namespace icanscan::viewer
