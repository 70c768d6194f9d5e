#include "viewer/InfoPanel.h"

#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <algorithm>

namespace icanscan::viewer
{
namespace
{
std::size_t CharsFor(int widthPixels)
{
  // Arial at 14 pt averages about 7.5 pixels per character.
  return static_cast<std::size_t>(std::max(30, (widthPixels - 20) * 2 / 15));
}

std::vector<std::string> BannerWrapped(const ViewerReport & report, int widthPixels)
{
  std::vector<std::string> lines;
  for (const auto & line : BannerLines(report))
    for (auto & piece : WrapLine(line, CharsFor(widthPixels)))
      lines.push_back(piece);
  return lines;
}
} // namespace

std::vector<std::string> WrapLine(const std::string & line, std::size_t maxChars)
{
  std::vector<std::string> out;
  std::string rest = line;
  const std::string indent = "      ";
  while (rest.size() > maxChars)
  {
    std::size_t cut = rest.rfind(' ', maxChars);
    if (cut == std::string::npos || cut <= indent.size())
      cut = maxChars;
    out.push_back(rest.substr(0, cut));
    rest = indent + rest.substr(std::min(rest.size(), cut + (rest[cut] == ' ' ? 1 : 0)));
  }
  out.push_back(rest);
  return out;
}

InfoPanel::InfoPanel()
  : m_Renderer(vtkSmartPointer<vtkRenderer>::New())
  , m_Banner(vtkSmartPointer<vtkTextActor>::New())
  , m_Finding(vtkSmartPointer<vtkTextActor>::New())
{
  m_Renderer->SetBackground(0.08, 0.09, 0.12);
  for (auto * text : { m_Banner.GetPointer(), m_Finding.GetPointer() })
  {
    auto * p = text->GetTextProperty();
    p->SetFontFamilyToArial();
    p->SetFontSize(kFontSize);
    p->SetVerticalJustificationToTop();
    p->SetLineSpacing(1.0);
    text->GetPositionCoordinate()->SetCoordinateSystemToViewport();
    m_Renderer->AddActor2D(text);
  }
  m_Banner->GetTextProperty()->SetColor(1.0, 0.93, 0.7);
  m_Finding->GetTextProperty()->SetColor(0.6, 0.95, 1.0);
  m_Finding->GetTextProperty()->SetBold(true);
}

InfoPanel::~InfoPanel() = default;

int InfoPanel::LineCount(const ViewerReport & report, int widthPixels)
{
  return static_cast<int>(BannerWrapped(report, widthPixels).size()) + 1;
}

void InfoPanel::Update(const ViewerReport & report,
                       const ViewState & state,
                       int widthPixels,
                       const std::string & status)
{
  m_Lines = BannerWrapped(report, widthPixels);
  std::string banner;
  for (const auto & line : m_Lines)
    banner += (banner.empty() ? "" : "\n") + line;
  std::string finding = state.CurrentFinding() >= 0 ? FindingText(report, state.CurrentFinding())
                        : report.findings.empty()   ? std::string("No finding")
                                                    : std::to_string(report.findings.size()) + " finding(s): n/p to go";
  if (!status.empty())
    finding += "    [" + status + "]";
  m_Lines.push_back(finding);
  m_Banner->SetInput(banner.c_str());
  m_Finding->SetInput(finding.c_str());
  const int * size = m_Renderer->GetRenderWindow() != nullptr ? m_Renderer->GetSize() : nullptr;
  const int height = size != nullptr ? size[1] : kLineHeight * static_cast<int>(m_Lines.size() + 1);
  m_Banner->SetPosition(10, height - 6);
  m_Finding->SetPosition(10, height - 6 - kLineHeight * static_cast<int>(m_Lines.size() - 1));
}

} // namespace icanscan::viewer
