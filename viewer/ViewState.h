#pragma once

#include "viewer/SlicePlane.h"
#include "viewer/ViewerReport.h"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace icanscan::viewer
{

/** \brief How the structure labels are drawn over the base image. */
enum class LabelMode
{
  Outline, //!< the edge of each structure, in its colour
  Fill,    //!< each structure filled with its colour at `labelOpacity`
  Off,
};

/** \brief A grey window: `low` maps to black, `high` to white (base intensity units). */
struct Window
{
  double low = 0.0;
  double high = 1.0;
};

/** \brief Everything the user can change while viewing; no rendering, so it is testable on its own. */
class ViewState
{
public:
  /** `baseRoles`: the base series available, in cycling order (not empty). `windows`: the preset of each role.
   * `centre`: the initial crosshair (LPS mm). Throws UsageError when `baseRoles` is empty. */
  ViewState(std::vector<std::string> baseRoles,
            std::map<std::string, Window> windows,
            std::vector<Finding> findings,
            const std::array<double, 3> & centre);

  const std::array<double, 3> & Crosshair() const { return m_Crosshair; }
  void SetCrosshair(const std::array<double, 3> & lps) { m_Crosshair = lps; }
  /** Moves the crosshair by `mm` along the normal of `plane` (LPS axis, positive towards L, P or S). */
  void MoveAlongNormal(Plane plane, double mm);

  const std::string & BaseRole() const { return m_BaseRoles[m_BaseIndex]; }
  const std::vector<std::string> & BaseRoles() const { return m_BaseRoles; }
  /** Selects a base by role (case-insensitive; "DWI" means DWI_b1000, else DWI_b0); throws UsageError listing the
   * available roles. */
  void SetBaseRole(const std::string & role);
  void CycleBase();

  /** The current window of `role` (its preset until changed). */
  Window WindowOf(const std::string & role) const;
  void SetWindow(const std::string & role, const Window & window);
  /** Right-drag window/level: `dWidth` and `dLevel` are fractions of the preset width. The width stays positive. */
  void AdjustWindow(const std::string & role, double dWidth, double dLevel);
  void ResetWindow(const std::string & role);

  LabelMode GetLabelMode() const { return m_LabelMode; }
  void SetLabelMode(LabelMode mode) { m_LabelMode = mode; }
  void CycleLabelMode(); //!< outline -> fill -> off -> outline
  double LabelOpacity() const { return m_LabelOpacity; }
  void SetLabelOpacity(double opacity); //!< clamped to [0, 1]

  bool ShowLesionT2Flair() const { return m_ShowLesionT2Flair; }
  bool ShowLesionDwi() const { return m_ShowLesionDwi; }
  void ToggleLesionT2Flair() { m_ShowLesionT2Flair = !m_ShowLesionT2Flair; }
  void ToggleLesionDwi() { m_ShowLesionDwi = !m_ShowLesionDwi; }

  /** True (default): patient left on screen right. */
  bool Radiological() const { return m_Radiological; }
  void SetRadiological(bool radiological) { m_Radiological = radiological; }

  const std::vector<Finding> & Findings() const { return m_Findings; }
  /** Index into Findings() of the current finding; -1 before any was selected. */
  int CurrentFinding() const { return m_CurrentFinding; }
  /** Selects finding `index` (0-based) and moves the crosshair to its centroid; throws UsageError when out of range. */
  void GoToFinding(int index);
  /** Next/previous finding, wrapping around; no effect without findings. */
  void NextFinding();
  void PreviousFinding();

private:
  std::vector<std::string> m_BaseRoles;
  std::size_t m_BaseIndex = 0;
  std::map<std::string, Window> m_Presets;
  std::map<std::string, Window> m_Windows;
  std::vector<Finding> m_Findings;
  int m_CurrentFinding = -1;
  std::array<double, 3> m_Crosshair;
  LabelMode m_LabelMode = LabelMode::Outline;
  double m_LabelOpacity = 0.7;
  bool m_ShowLesionT2Flair = true;
  bool m_ShowLesionDwi = true;
  bool m_Radiological = true;
};

} // namespace icanscan::viewer
