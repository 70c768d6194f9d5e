#include "viewer/ViewState.h"

#include "core/TextFormat.h"

#include "core/Error.h"

#include <algorithm>
#include <cctype>

namespace icanscan::viewer
{
namespace
{
} // namespace

ViewState::ViewState(std::vector<std::string> baseRoles,
                     std::map<std::string, Window> windows,
                     std::vector<Finding> findings,
                     const std::array<double, 3> & centre)
  : m_BaseRoles(std::move(baseRoles))
  , m_Presets(std::move(windows))
  , m_Findings(std::move(findings))
  , m_Crosshair(centre)
{
  if (m_BaseRoles.empty())
    throw UsageError("the viewer needs at least one base series");
  m_Windows = m_Presets;
}

void ViewState::MoveAlongNormal(Plane plane, double mm)
{
  m_Crosshair[static_cast<std::size_t>(AxesOf(plane, m_Radiological).normalAxis)] += mm;
}

void ViewState::SetBaseRole(const std::string & role)
{
  const std::string wanted = ToUpper(role);
  std::vector<std::string> candidates{ wanted };
  if (wanted == "DWI")
    candidates = { "DWI_B1000", "DWI_B0" };
  for (const auto & candidate : candidates)
    for (std::size_t i = 0; i < m_BaseRoles.size(); ++i)
      if (ToUpper(m_BaseRoles[i]) == candidate)
      {
        m_BaseIndex = i;
        return;
      }
  std::string available;
  for (const auto & r : m_BaseRoles)
    available += (available.empty() ? "" : ", ") + r;
  throw UsageError("base series \"" + role + "\" is not in this output; available: " + available);
}

void ViewState::CycleBase()
{
  m_BaseIndex = (m_BaseIndex + 1) % m_BaseRoles.size();
}

Window ViewState::WindowOf(const std::string & role) const
{
  const auto it = m_Windows.find(role);
  return it == m_Windows.end() ? Window{} : it->second;
}

void ViewState::SetWindow(const std::string & role, const Window & window)
{
  m_Windows[role] = window;
}

void ViewState::AdjustWindow(const std::string & role, double dWidth, double dLevel)
{
  const Window preset = m_Presets.count(role) ? m_Presets.at(role) : Window{};
  const double presetWidth = std::max(preset.high - preset.low, 1e-12);
  const Window current = WindowOf(role);
  const double width = std::max((current.high - current.low) + dWidth * presetWidth, presetWidth * 0.01);
  const double level = 0.5 * (current.high + current.low) + dLevel * presetWidth;
  m_Windows[role] = { level - 0.5 * width, level + 0.5 * width };
}

void ViewState::ResetWindow(const std::string & role)
{
  if (m_Presets.count(role))
    m_Windows[role] = m_Presets.at(role);
}

void ViewState::CycleLabelMode()
{
  m_LabelMode = m_LabelMode == LabelMode::Outline ? LabelMode::Fill
                : m_LabelMode == LabelMode::Fill  ? LabelMode::Off
                                                  : LabelMode::Outline;
}

void ViewState::SetLabelOpacity(double opacity)
{
  m_LabelOpacity = std::clamp(opacity, 0.0, 1.0);
}

void ViewState::GoToFinding(int index)
{
  if (index < 0 || index >= static_cast<int>(m_Findings.size()))
    throw UsageError("finding " + std::to_string(index + 1) + " does not exist: the report has " +
                     std::to_string(m_Findings.size()) + " finding(s)");
  m_CurrentFinding = index;
  m_Crosshair = m_Findings[static_cast<std::size_t>(index)].centroidMm;
}

void ViewState::NextFinding()
{
  if (m_Findings.empty())
    return;
  const int n = static_cast<int>(m_Findings.size());
  GoToFinding(m_CurrentFinding < 0 ? 0 : (m_CurrentFinding + 1) % n);
}

void ViewState::PreviousFinding()
{
  if (m_Findings.empty())
    return;
  const int n = static_cast<int>(m_Findings.size());
  GoToFinding(m_CurrentFinding < 0 ? n - 1 : (m_CurrentFinding + n - 1) % n);
}

} // namespace icanscan::viewer
