#include "viewer/DisplayCheck.h"

#include "core/Error.h"

#include <X11/Xlib.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace icanscan::viewer
{
namespace
{

struct SharedConnection
{
  std::string name;
  Display * display = nullptr;
};

/** One connection per process, reopened only when DISPLAY names another server. A replaced connection is left open:
 * a render window made earlier may still use it. */
SharedConnection & Connection()
{
  static SharedConnection connection;
  return connection;
}

} // namespace

std::string DisplayProblem()
{
  const char * display = std::getenv("DISPLAY");
  if (display == nullptr || *display == '\0')
    return "no X display: the DISPLAY environment variable is not set";
  SharedConnection & shared = Connection();
  if (shared.display != nullptr && shared.name == display)
    return "";
  Display * connection = nullptr;
  for (int attempt = 0; attempt < 20 && connection == nullptr; ++attempt)
  {
    connection = XOpenDisplay(display);
    if (connection == nullptr)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (connection == nullptr)
    return std::string("no X display: cannot open the X server DISPLAY=") + display;
  shared.name = display;
  shared.display = connection;
  return "";
}

void * UsableDisplay(const std::string & what)
{
  const std::string problem = DisplayProblem();
  if (!problem.empty())
    throw OutputError(
      "cannot render " + what + ": " + problem +
      " (VTK needs an X server even offscreen; run under `xvfb-run -a icanscan ...` on a headless machine)");
  return Connection().display;
}

} // namespace icanscan::viewer
