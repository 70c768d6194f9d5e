#include "viewer/DisplayCheck.h"

#include "core/Error.h"

#include <X11/Xlib.h>

#include <cstdlib>

namespace icanscan::viewer
{

std::string DisplayProblem()
{
  const char * display = std::getenv("DISPLAY");
  if (display == nullptr || *display == '\0')
    return "no X display: the DISPLAY environment variable is not set";
  Display * connection = XOpenDisplay(display);
  if (connection == nullptr)
    return std::string("no X display: cannot open the X server DISPLAY=") + display;
  XCloseDisplay(connection);
  return "";
}

void RequireDisplay(const std::string & what)
{
  const std::string problem = DisplayProblem();
  if (!problem.empty())
    throw OutputError(
      "cannot render " + what + ": " + problem +
      " (VTK needs an X server even offscreen; run under `xvfb-run -a icanscan ...` on a headless machine)");
}

} // namespace icanscan::viewer
