#pragma once

#include "viewer/ViewState.h"
#include "viewer/ViewerReport.h"

#include <vtkImageData.h>
#include <vtkSmartPointer.h>

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace icanscan::viewer
{

/** \brief One base series on the display grid. */
struct BaseVolume
{
  std::string role;                    //!< T2, FLAIR, DWI_b1000, DWI_b0 or ADC
  vtkSmartPointer<vtkImageData> image; //!< float, on the scene grid
  Window preset;                       //!< default grey window
};

/** \brief The content of an `icanscan run` output folder (OUT), ready to display.
 *
 * Every volume is resampled with ITK onto one grid aligned with the LPS axes (identity direction), built from the
 * first base present (T2, FLAIR, DWI_b1000, DWI_b0, ADC): same physical extent, the spacing of the voxel axis
 * nearest each LPS axis. So VTK world coordinates are LPS mm, whatever the direction matrix of the files; bases are
 * interpolated linearly, masks and labels at the nearest voxel. */
class ViewerScene
{
public:
  /** Loads OUT. Throws InputError(NoUsableDicom) when OUT holds neither report.json nor volumes/, InputError
   * (corrupt input) naming report.json when it is missing or unreadable, or naming the volume when no base can be
   * read or a file is damaged. Missing labels or lesion masks are not errors: Notes() says so. */
  static ViewerScene Load(const std::filesystem::path & out);

  /** Builds a scene from volumes already on an LPS-aligned grid (tests). `bases` not empty. */
  ViewerScene(std::vector<BaseVolume> bases,
              vtkSmartPointer<vtkImageData> labels,
              vtkSmartPointer<vtkImageData> lesionT2Flair,
              vtkSmartPointer<vtkImageData> lesionDwi,
              ViewerReport report);

  const std::vector<BaseVolume> & Bases() const { return m_Bases; }
  const BaseVolume & Base(const std::string & role) const;         //!< throws UsageError when absent
  vtkImageData * Labels() const { return m_Labels; }               //!< unsigned char label values 1..14, or null
  vtkImageData * LesionT2Flair() const { return m_LesionT2Flair; } //!< unsigned char mask or null
  vtkImageData * LesionDwi() const { return m_LesionDwi; }         //!< unsigned char mask or null
  const ViewerReport & Report() const { return m_Report; }
  const std::vector<std::string> & Notes() const { return m_Notes; }

  /** Colour (0..255 RGB) of each label value; value 0 and unknown values are absent. */
  const std::map<int, std::array<unsigned char, 3>> & LabelColours() const { return m_LabelColours; }
  void SetLabelColours(std::map<int, std::array<unsigned char, 3>> colours) { m_LabelColours = std::move(colours); }

  /** Physical bounds of the grid (voxel centres, LPS mm): xmin, xmax, ymin, ymax, zmin, zmax. */
  std::array<double, 6> Bounds() const;
  std::array<double, 3> Spacing() const;
  std::array<double, 3> Centre() const;
  /** Number of grid slices along LPS axis `axis`. */
  int SliceCount(int axis) const;
  /** LPS coordinate (mm) of slice `index` along `axis`; index 0 is the most right (x), anterior (y) or inferior (z). */
  double SliceCoordinate(int axis, int index) const;

  /** A fresh view state: every base role, their presets, the report's findings, the crosshair at the centre. */
  ViewState MakeState() const;

  /** The structure colours of core/Structures.h (used when OUT has no labels_itksnap.txt). */
  static std::map<int, std::array<unsigned char, 3>> DefaultLabelColours();
  /** Robust grey window of a base: ADC 0..2000 um^2/s in the unit of the map; others the 1st..99.5th percentile of
   * the voxels above 0. */
  static Window PresetWindow(const std::string & role, vtkImageData * image);

private:
  std::vector<BaseVolume> m_Bases;
  vtkSmartPointer<vtkImageData> m_Labels;
  vtkSmartPointer<vtkImageData> m_LesionT2Flair;
  vtkSmartPointer<vtkImageData> m_LesionDwi;
  ViewerReport m_Report;
  std::map<int, std::array<unsigned char, 3>> m_LabelColours;
  std::vector<std::string> m_Notes;
};

} // namespace icanscan::viewer
