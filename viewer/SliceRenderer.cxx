#include "viewer/SliceRenderer.h"

#include "core/DisplayColours.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCoordinate.h>
#include <vtkImageActor.h>
#include <vtkImageMapper3D.h>
#include <vtkImageReslice.h>
#include <vtkMatrix4x4.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace icanscan::viewer
{
namespace
{
constexpr double kCrosshairGapMm = 6.0; // keeps the centre of a finding uncovered

double Dot(const std::array<double, 3> & a, const std::array<double, 3> & b)
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

void Blend(unsigned char * rgb, const unsigned char * colour, double alpha)
{
  for (int c = 0; c < 3; ++c)
    rgb[c] = static_cast<unsigned char>(std::lround((1.0 - alpha) * rgb[c] + alpha * colour[c]));
}

// True when a pixel of value v at (i, j) has a differing neighbour within `thickness` pixels (4-connectivity).
bool OnEdge(const unsigned char * values, int nx, int ny, int i, int j, int thickness)
{
  const unsigned char v = values[j * nx + i];
  for (int t = 1; t <= thickness; ++t)
  {
    if (i - t < 0 || i + t >= nx || j - t < 0 || j + t >= ny)
      return true;
    if (values[j * nx + i - t] != v || values[j * nx + i + t] != v || values[(j - t) * nx + i] != v ||
        values[(j + t) * nx + i] != v)
      return true;
  }
  return false;
}

vtkSmartPointer<vtkTextActor> MakeText(int size, bool bold, double r, double g, double b)
{
  auto text = vtkSmartPointer<vtkTextActor>::New();
  auto * p = text->GetTextProperty();
  p->SetFontFamilyToArial();
  p->SetFontSize(size);
  p->SetBold(bold);
  p->SetColor(r, g, b);
  p->SetShadow(true);
  return text;
}

vtkSmartPointer<vtkActor> MakeLineActor(vtkPolyData * lines, double r, double g, double b, double opacity)
{
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(lines);
  auto actor = vtkSmartPointer<vtkActor>::New();
  actor->SetMapper(mapper);
  actor->GetProperty()->SetColor(r, g, b);
  actor->GetProperty()->SetOpacity(opacity);
  actor->GetProperty()->SetLineWidth(1.5);
  actor->GetProperty()->SetLighting(false);
  actor->PickableOff();
  return actor;
}

void SetSegments(vtkPolyData * polyData, const std::vector<std::array<double, 4>> & segments, double z)
{
  auto points = vtkSmartPointer<vtkPoints>::New();
  auto cells = vtkSmartPointer<vtkCellArray>::New();
  for (const auto & s : segments)
  {
    const vtkIdType a = points->InsertNextPoint(s[0], s[1], z);
    const vtkIdType b = points->InsertNextPoint(s[2], s[3], z);
    const vtkIdType ids[2] = { a, b };
    cells->InsertNextCell(2, ids);
  }
  polyData->SetPoints(points);
  polyData->SetLines(cells);
  polyData->Modified();
}
} // namespace

SliceRenderer::SliceRenderer(const ViewerScene & scene, Plane plane)
  : m_Scene(scene)
  , m_Plane(plane)
  , m_Renderer(vtkSmartPointer<vtkRenderer>::New())
  , m_Reslice(vtkSmartPointer<vtkImageReslice>::New())
  , m_Slice(vtkSmartPointer<vtkImageData>::New())
  , m_ImageActor(vtkSmartPointer<vtkImageActor>::New())
  , m_CrosshairLines(vtkSmartPointer<vtkPolyData>::New())
  , m_ScaleBarLines(vtkSmartPointer<vtkPolyData>::New())
{
  m_Renderer->SetBackground(0.0, 0.0, 0.0);
  m_Renderer->GetActiveCamera()->ParallelProjectionOn();
  m_ImageActor->GetMapper()->SetInputData(m_Slice);
  m_ImageActor->InterpolateOn();
  m_Renderer->AddActor(m_ImageActor);
  m_CrosshairActor = MakeLineActor(m_CrosshairLines, 1.0, 0.85, 0.0, 0.7);
  m_Renderer->AddActor(m_CrosshairActor);
  m_ScaleBarActor = MakeLineActor(m_ScaleBarLines, 1.0, 1.0, 1.0, 1.0);
  m_ScaleBarActor->GetProperty()->SetLineWidth(2.0);
  m_Renderer->AddActor(m_ScaleBarActor);
  m_ScaleBarText = MakeText(13, false, 1.0, 1.0, 1.0);
  m_ScaleBarText->GetTextProperty()->SetJustificationToCentered();
  m_ScaleBarText->GetPositionCoordinate()->SetCoordinateSystemToWorld();
  m_Renderer->AddActor2D(m_ScaleBarText);

  const double letterPos[4][2] = { { 0.015, 0.5 }, { 0.985, 0.5 }, { 0.5, 0.985 }, { 0.5, 0.015 } };
  for (int k = 0; k < 4; ++k)
  {
    m_LetterActors[k] = MakeText(20, true, 1.0, 1.0, 0.55);
    auto * p = m_LetterActors[k]->GetTextProperty();
    p->SetJustification(k == 0 ? VTK_TEXT_LEFT : k == 1 ? VTK_TEXT_RIGHT : VTK_TEXT_CENTERED);
    p->SetVerticalJustification(k == 2 ? VTK_TEXT_TOP : k == 3 ? VTK_TEXT_BOTTOM : VTK_TEXT_CENTERED);
    m_LetterActors[k]->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    m_LetterActors[k]->SetPosition(letterPos[k][0], letterPos[k][1]);
    m_Renderer->AddActor2D(m_LetterActors[k]);
  }
  m_CornerText = MakeText(13, false, 0.85, 0.85, 0.85);
  m_CornerText->GetTextProperty()->SetVerticalJustificationToTop();
  m_CornerText->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  m_CornerText->SetPosition(0.015, 0.985);
  m_Renderer->AddActor2D(m_CornerText);

  m_Reslice->SetOutputDimensionality(2);
  m_Reslice->SetBackgroundLevel(0.0);
}

SliceRenderer::~SliceRenderer() = default;

vtkSmartPointer<vtkImageData> SliceRenderer::Cut(vtkImageData * volume, bool linear)
{
  auto axes = vtkSmartPointer<vtkMatrix4x4>::New();
  for (int i = 0; i < 3; ++i)
  {
    axes->SetElement(i, 0, m_Axes.right[i]);
    axes->SetElement(i, 1, m_Axes.up[i]);
    axes->SetElement(i, 2, m_Axes.normal[i]);
    axes->SetElement(i, 3, i == m_Axes.normalAxis ? m_Crosshair[i] : 0.0);
  }
  const int nx = static_cast<int>(std::lround((m_ViewBounds[1] - m_ViewBounds[0]) / m_SampleMm));
  const int ny = static_cast<int>(std::lround((m_ViewBounds[3] - m_ViewBounds[2]) / m_SampleMm));
  m_Reslice->SetInputData(volume);
  m_Reslice->SetResliceAxes(axes);
  // Sample at pixel centres so the slice image (pixel i covers [x0 + i s, x0 + (i+1) s]) lines up with the volume.
  m_Reslice->SetOutputOrigin(m_ViewBounds[0] + 0.5 * m_SampleMm, m_ViewBounds[2] + 0.5 * m_SampleMm, 0.0);
  m_Reslice->SetOutputSpacing(m_SampleMm, m_SampleMm, 1.0);
  m_Reslice->SetOutputExtent(0, std::max(nx, 1) - 1, 0, std::max(ny, 1) - 1, 0, 0);
  if (linear)
    m_Reslice->SetInterpolationModeToLinear();
  else
    m_Reslice->SetInterpolationModeToNearestNeighbor();
  m_Reslice->Update();
  auto out = vtkSmartPointer<vtkImageData>::New();
  out->DeepCopy(m_Reslice->GetOutput());
  return out;
}

void SliceRenderer::Update(const ViewState & state)
{
  m_Axes = AxesOf(m_Plane, state.Radiological());
  m_Letters = LettersOf(m_Plane, state.Radiological());
  m_Crosshair = state.Crosshair();
  // The screen-plane extent of the volume, half a voxel beyond the outer voxel centres.
  const auto b = m_Scene.Bounds();
  const auto spacing = m_Scene.Spacing();
  auto range = [&](const std::array<double, 3> & axis, double out[2])
  {
    out[0] = 1e300;
    out[1] = -1e300;
    for (int k = 0; k < 3; ++k)
      if (axis[k] != 0.0)
        for (int e = 0; e < 2; ++e)
        {
          const double v = axis[k] * b[2 * k + e];
          out[0] = std::min(out[0], v - 0.5 * spacing[k]);
          out[1] = std::max(out[1], v + 0.5 * spacing[k]);
        }
  };
  double xr[2], yr[2];
  range(m_Axes.right, xr);
  range(m_Axes.up, yr);
  double inPlane = 1e300;
  for (int k = 0; k < 3; ++k)
    if (k != m_Axes.normalAxis)
      inPlane = std::min(inPlane, spacing[k]);
  // Half the finest spacing keeps label edges crisp; the longest side stays within 1024 samples.
  m_SampleMm = std::max({ 0.5 * inPlane, 0.25, std::max(xr[1] - xr[0], yr[1] - yr[0]) / 1024.0 });
  m_ViewBounds = { xr[0], xr[1], yr[0], yr[1] };
  Compose(state);
  UpdateAnnotations(state);
  FitCamera();
}

void SliceRenderer::Compose(const ViewState & state)
{
  const BaseVolume & base = m_Scene.Base(state.BaseRole());
  auto baseSlice = Cut(base.image, true);
  const int * e = baseSlice->GetExtent();
  const int nx = e[1] - e[0] + 1, ny = e[3] - e[2] + 1;
  const Window w = state.WindowOf(base.role);
  const double width = std::max(w.high - w.low, 1e-12);

  auto rgb = vtkSmartPointer<vtkUnsignedCharArray>::New();
  rgb->SetNumberOfComponents(3);
  rgb->SetNumberOfTuples(static_cast<vtkIdType>(nx) * ny);
  unsigned char * out = rgb->GetPointer(0);
  auto * baseScalars = baseSlice->GetPointData()->GetScalars();
  for (vtkIdType i = 0; i < static_cast<vtkIdType>(nx) * ny; ++i)
  {
    const double g = std::clamp((baseScalars->GetComponent(i, 0) - w.low) / width, 0.0, 1.0);
    out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = static_cast<unsigned char>(std::lround(255.0 * g));
  }

  if (m_Scene.Labels() != nullptr && state.GetLabelMode() != LabelMode::Off)
  {
    auto labelSlice = Cut(m_Scene.Labels(), false);
    const auto * labels = static_cast<const unsigned char *>(labelSlice->GetScalarPointer());
    const auto & colours = m_Scene.LabelColours();
    const bool outline = state.GetLabelMode() == LabelMode::Outline;
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i)
      {
        const unsigned char v = labels[j * nx + i];
        if (v == 0 || (outline && !OnEdge(labels, nx, ny, i, j, 1)))
          continue;
        const auto it = colours.find(v);
        if (it == colours.end())
          continue;
        // A grey outline (white matter) reads as anatomy on a grey base and hides the cortex: fill mode only.
        const auto & c = it->second;
        if (outline && std::max({ c[0], c[1], c[2] }) - std::min({ c[0], c[1], c[2] }) < 24)
          continue;
        Blend(out + 3 * (j * nx + i), c.data(), state.LabelOpacity());
      }
  }

  auto drawLesion = [&](vtkImageData * mask, const LesionOverlayStyle & style)
  {
    auto slice = Cut(mask, false);
    std::vector<unsigned char> binary(static_cast<std::size_t>(nx) * ny);
    const auto * values = static_cast<const unsigned char *>(slice->GetScalarPointer());
    for (std::size_t i = 0; i < binary.size(); ++i)
      binary[i] = values[i] != 0 ? 1 : 0;
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i)
        if (binary[j * nx + i] != 0)
          Blend(out + 3 * (j * nx + i), style.rgb.data(),
                OnEdge(binary.data(), nx, ny, i, j, 2) ? 1.0 : style.fillOpacity);
  };
  if (m_Scene.LesionT2Flair() != nullptr && state.ShowLesionT2Flair())
    drawLesion(m_Scene.LesionT2Flair(), kT2FlairLesionStyle);
  if (m_Scene.LesionDwi() != nullptr && state.ShowLesionDwi())
    drawLesion(m_Scene.LesionDwi(), kRestrictedLesionStyle);

  m_Slice->Initialize();
  m_Slice->SetExtent(0, nx - 1, 0, ny - 1, 0, 0);
  m_Slice->SetOrigin(m_ViewBounds[0] + 0.5 * m_SampleMm, m_ViewBounds[2] + 0.5 * m_SampleMm, 0.0);
  m_Slice->SetSpacing(m_SampleMm, m_SampleMm, 1.0);
  m_Slice->GetPointData()->SetScalars(rgb);
  m_Slice->Modified();
}

void SliceRenderer::UpdateAnnotations(const ViewState & state)
{
  const std::string letters[4] = { m_Letters.left, m_Letters.right, m_Letters.top, m_Letters.bottom };
  for (int k = 0; k < 4; ++k)
    m_LetterActors[k]->SetInput(letters[k].c_str());

  const double cx = Dot(m_Axes.right, m_Crosshair);
  const double cy = Dot(m_Axes.up, m_Crosshair);
  const double g = kCrosshairGapMm;
  SetSegments(m_CrosshairLines,
              { { m_ViewBounds[0], cy, cx - g, cy },
                { cx + g, cy, m_ViewBounds[1], cy },
                { cx, m_ViewBounds[2], cx, cy - g },
                { cx, cy + g, cx, m_ViewBounds[3] } },
              0.5);

  // A bar of 10, 20 or 50 mm, about a sixth of the field, at the lower right of the slice.
  const double widthMm = m_ViewBounds[1] - m_ViewBounds[0];
  const double heightMm = m_ViewBounds[3] - m_ViewBounds[2];
  double length = 10.0;
  for (double candidate : { 20.0, 50.0 })
    if (candidate <= widthMm / 6.0)
      length = candidate;
  const double x1 = m_ViewBounds[1] - 0.06 * widthMm, x0 = x1 - length;
  const double y = m_ViewBounds[2] + 0.06 * heightMm, tick = 0.012 * heightMm + 1.0;
  SetSegments(m_ScaleBarLines, { { x0, y, x1, y }, { x0, y - tick, x0, y + tick }, { x1, y - tick, x1, y + tick } },
              0.6);
  char label[32];
  std::snprintf(label, sizeof(label), "%.0f mm", length);
  m_ScaleBarText->SetInput(label);
  m_ScaleBarText->GetPositionCoordinate()->SetValue(0.5 * (x0 + x1), y + tick + 1.0, 0.6);

  // Where the slice is, with the anatomical side of the coordinate (LPS: +x left, +y posterior, +z superior).
  const int axis = m_Axes.normalAxis;
  const double c = m_Crosshair[static_cast<std::size_t>(axis)];
  const char * sides[3][2] = { { "R", "L" }, { "A", "P" }, { "I", "S" } };
  char position[128];
  std::snprintf(position, sizeof(position), "%s  %s  %.1f mm %s", state.BaseRole().c_str(), ToString(m_Plane).c_str(),
                std::abs(c), sides[axis][c >= 0.0 ? 1 : 0]);
  m_CornerText->SetInput(position);
}

void SliceRenderer::FitCamera()
{
  const double widthMm = m_ViewBounds[1] - m_ViewBounds[0];
  const double heightMm = m_ViewBounds[3] - m_ViewBounds[2];
  double aspect = 1.0;
  const int * size = m_Renderer->GetRenderWindow() != nullptr ? m_Renderer->GetSize() : nullptr;
  if (size != nullptr && size[0] > 0 && size[1] > 0)
    aspect = static_cast<double>(size[0]) / size[1];
  auto * camera = m_Renderer->GetActiveCamera();
  const double cx = 0.5 * (m_ViewBounds[0] + m_ViewBounds[1]);
  const double cy = 0.5 * (m_ViewBounds[2] + m_ViewBounds[3]);
  camera->SetFocalPoint(cx, cy, 0.0);
  camera->SetPosition(cx, cy, 1000.0);
  camera->SetViewUp(0.0, 1.0, 0.0);
  // A margin keeps the edge letters off the image.
  camera->SetParallelScale(0.5 * std::max(heightMm, widthMm / aspect) * 1.12);
  m_Renderer->ResetCameraClippingRange(m_ViewBounds[0], m_ViewBounds[1], m_ViewBounds[2], m_ViewBounds[3], -10.0, 10.0);
}

std::array<double, 2> SliceRenderer::LpsToDisplay(const std::array<double, 3> & lps) const
{
  m_Renderer->SetWorldPoint(Dot(m_Axes.right, lps), Dot(m_Axes.up, lps), 0.0, 1.0);
  m_Renderer->WorldToDisplay();
  const double * d = m_Renderer->GetDisplayPoint();
  return { d[0], d[1] };
}

std::array<double, 3> SliceRenderer::DisplayToLps(double x, double y, const std::array<double, 3> & crosshair) const
{
  m_Renderer->SetDisplayPoint(x, y, 0.0);
  m_Renderer->DisplayToWorld();
  const double * w = m_Renderer->GetWorldPoint();
  const double wx = w[3] != 0.0 ? w[0] / w[3] : w[0];
  const double wy = w[3] != 0.0 ? w[1] / w[3] : w[1];
  std::array<double, 3> lps = crosshair;
  for (int k = 0; k < 3; ++k)
    if (k != m_Axes.normalAxis)
      lps[k] = m_Axes.right[k] * wx + m_Axes.up[k] * wy;
  return lps;
}

} // namespace icanscan::viewer
