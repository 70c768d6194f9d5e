#pragma once

#include "viewer/ViewState.h"
#include "viewer/ViewerReport.h"

#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include <string>
#include <vector>

class vtkTextActor;

namespace icanscan::viewer
{

/** \brief The text band above the slices: the oedema flag and its reasons, the grade, and the current finding.
 *
 * Long lines are wrapped to the panel width so nothing runs off the window. */
class InfoPanel
{
public:
  InfoPanel();
  ~InfoPanel();
  InfoPanel(const InfoPanel &) = delete;
  InfoPanel & operator=(const InfoPanel &) = delete;

  vtkRenderer * GetRenderer() const { return m_Renderer; }

  /** Sets the text for `report` and the state's current finding (plus `status`, e.g. "saved view.png"), wrapped at
   * `widthPixels`. */
  void Update(const ViewerReport & report, const ViewState & state, int widthPixels, const std::string & status = "");

  /** The lines shown by the last Update, wrapped. */
  const std::vector<std::string> & Lines() const { return m_Lines; }

  /** Number of lines the panel shows for `report` at `widthPixels` (to size the band before rendering). */
  static int LineCount(const ViewerReport & report, int widthPixels);
  static constexpr int kFontSize = 14;
  static constexpr int kLineHeight = 18; //!< pixels per line at kFontSize

private:
  vtkSmartPointer<vtkRenderer> m_Renderer;
  vtkSmartPointer<vtkTextActor> m_Banner;
  vtkSmartPointer<vtkTextActor> m_Finding;
  std::vector<std::string> m_Lines;
};

/** \brief Splits `line` at spaces into pieces of at most `maxChars` characters (continuations indented). */
std::vector<std::string> WrapLine(const std::string & line, std::size_t maxChars);

} // namespace icanscan::viewer
