#pragma once

#include <string>

namespace icanscan::viewer
{

/** \brief Why no render window can be opened, or "" when an X display is usable.
 *
 * VTK here is built for X11 only: creating any render window, even offscreen, without an X server aborts the
 * process. So the viewer asks this before creating one. Checks that DISPLAY is set and that the server answers. */
std::string DisplayProblem();

/** \brief Throws OutputError (exit code 6, the picture cannot be produced) with DisplayProblem() and a hint when no
 * display is usable; `what` names what was to be rendered. */
void RequireDisplay(const std::string & what);

} // namespace icanscan::viewer
