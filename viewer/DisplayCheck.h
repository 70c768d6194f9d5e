#pragma once

#include <string>

namespace icanscan::viewer
{

/** \brief Why no render window can be opened, or "" when an X display is usable.
 *
 * VTK here is built for X11 only: creating any render window, even offscreen, without an X server aborts the
 * process. So the viewer asks this before creating one. Checks that DISPLAY is set and that the server answers
 * (retrying for up to 2 s: a busy or freshly started Xvfb can refuse a connection for a moment). The connection it
 * opens is kept for the process and handed to every render window (UsableDisplay), so VTK never opens its own. */
std::string DisplayProblem();

/** \brief The process's X connection (a `Display *`, as VTK's SetDisplayId takes it) for the current DISPLAY.
 *
 * Throws OutputError (exit code 6, the picture cannot be produced) with DisplayProblem() and a hint when no display
 * is usable; `what` names what was to be rendered. Give the result to vtkRenderWindow::SetDisplayId before the first
 * Render: VTK's own XOpenDisplay aborts the process when the server refuses the connection. */
void * UsableDisplay(const std::string & what);

} // namespace icanscan::viewer
