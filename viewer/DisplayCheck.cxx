#include "viewer/DisplayCheck.h"

#include "core/Error.h"

#include <X11/Xlib.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace icanscan::viewer
{

std::string DisplayProblem()
{
  const char * display = std::getenv("DISPLAY");
  if (display == nullptr || *display == '\0')
    return "no X display: the DISPLAY environment variable is not set";
  // A freshly started or busy X server (xvfb-run on a loaded machine) can refuse a connection for a moment.
  Display * connection = nullptr;
  for (int attempt = 0; attempt < 20 && connection == nullptr; ++attempt)
  {
    connection = XOpenDisplay(display);
    if (connection == nullptr)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
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
