#include "viewer/Snapshot.h"

#include "core/Error.h"
#include "core/Findings.h"
#include "viewer/DisplayCheck.h"

#include <vtkPNGWriter.h>
#include <vtkRenderWindow.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <array>

namespace icanscan::viewer
{

std::string DefaultBaseRole(const ViewState & state)
{
  const auto & roles = state.BaseRoles();
  auto has = [&roles](const std::string & r) { return std::find(roles.begin(), roles.end(), r) != roles.end(); };
  if (state.CurrentFinding() >= 0)
  {
    const std::string & kind = state.Findings()[static_cast<std::size_t>(state.CurrentFinding())].kind;
    const bool diffusion = ParseFindingKind(kind) == FindingKind::RestrictedDiffusion;
    const std::array<const char *, 2> preferred =
      diffusion ? std::array<const char *, 2>{ "DWI_b1000", "DWI_b0" } : std::array<const char *, 2>{ "FLAIR", "T2" };
    for (const char * role : preferred)
      if (has(role))
        return role;
  }
  return roles.front();
}

Snapshot::Snapshot(const ViewerScene & scene, const SnapshotParams & params)
  : m_Scene(scene)
  , m_State(scene.MakeState())
{
  if (params.width < 64 || params.width > 8192 || params.sliceHeight < 64 || params.sliceHeight > 8192)
    throw UsageError("snapshot size " + std::to_string(params.width) + "x" + std::to_string(params.sliceHeight) +
                     ": expected 64..8192 pixels per side");
  m_State.SetRadiological(params.radiological);
  const int axis = AxesOf(params.plane, params.radiological).normalAxis;
  switch (params.position)
  {
    case SnapshotPosition::Auto:
      if (!scene.Report().findings.empty())
        m_State.GoToFinding(0);
      break;
    case SnapshotPosition::Finding:
      m_State.GoToFinding(params.finding - 1);
      break;
    case SnapshotPosition::Slice:
    {
      const int count = scene.SliceCount(axis);
      if (params.slice < 0 || params.slice >= count)
        throw UsageError("slice " + std::to_string(params.slice) + ": the " + ToString(params.plane) + " plane has " +
                         std::to_string(count) + " slices (0.." + std::to_string(count - 1) + ")");
      auto c = m_State.Crosshair();
      c[static_cast<std::size_t>(axis)] = scene.SliceCoordinate(axis, params.slice);
      m_State.SetCrosshair(c);
      break;
    }
  }
  m_State.SetBaseRole(params.baseRole.empty() ? DefaultBaseRole(m_State) : params.baseRole);

  void * display = UsableDisplay("the snapshot");
  m_Slice = std::make_unique<SliceRenderer>(scene, params.plane);
  m_Info = std::make_unique<InfoPanel>();
  const int bandHeight = InfoPanel::kLineHeight * InfoPanel::LineCount(scene.Report(), params.width) + 14;
  const int height = params.sliceHeight + bandHeight;
  const double split = static_cast<double>(params.sliceHeight) / height;
  m_Window = vtkSmartPointer<vtkRenderWindow>::New();
  m_Window->SetDisplayId(display);
  m_Window->SetOffScreenRendering(1);
  m_Window->SetSize(params.width, height);
  m_Window->SetMultiSamples(0);
  m_Slice->GetRenderer()->SetViewport(0.0, 0.0, 1.0, split);
  m_Info->GetRenderer()->SetViewport(0.0, split, 1.0, 1.0);
  m_Window->AddRenderer(m_Slice->GetRenderer());
  m_Window->AddRenderer(m_Info->GetRenderer());
  m_Slice->Update(m_State);
  m_Info->Update(scene.Report(), m_State, params.width);
}

Snapshot::~Snapshot()
{
  if (m_Window != nullptr)
    m_Window->Finalize();
}

vtkSmartPointer<vtkImageData> CaptureWindow(vtkRenderWindow * window)
{
  window->Render();
  auto grab = vtkSmartPointer<vtkWindowToImageFilter>::New();
  grab->SetInput(window);
  grab->SetInputBufferTypeToRGB();
  grab->ReadFrontBufferOff();
  grab->Update();
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->DeepCopy(grab->GetOutput());
  return image;
}

void WritePngImage(vtkImageData * image, const std::filesystem::path & png)
{
  const auto parent = png.has_parent_path() ? png.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(parent, ec))
    throw OutputError(png.string() + ": cannot write the PNG, folder " + parent.string() + " does not exist");
  auto writer = vtkSmartPointer<vtkPNGWriter>::New();
  writer->SetInputData(image);
  writer->SetFileName(png.string().c_str());
  writer->Write();
  if (writer->GetErrorCode() != 0 || !std::filesystem::exists(png, ec))
    throw OutputError(png.string() + ": cannot write the PNG");
}

vtkSmartPointer<vtkImageData> Snapshot::Render()
{
  return CaptureWindow(m_Window);
}

void Snapshot::WritePng(const std::filesystem::path & png)
{
  WritePngImage(Render(), png);
}

} // namespace icanscan::viewer
