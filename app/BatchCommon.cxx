#include "app/BatchCommon.h"

#include "core/Error.h"

namespace icanscan::app
{
namespace
{
volatile std::sig_atomic_t g_StopSignal = 0;
constexpr int kSignals[] = { SIGINT, SIGTERM, SIGHUP };

extern "C" void OnStopSignal(int signal)
{
  g_StopSignal = signal;
}
} // namespace

StopSignals::StopSignals()
{
  g_StopSignal = 0;
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  for (std::size_t k = 0; k < std::size(kSignals); ++k)
    ::sigaction(kSignals[k], &action, &m_Previous[k]);
}

StopSignals::~StopSignals()
{
  for (std::size_t k = 0; k < std::size(kSignals); ++k)
    ::sigaction(kSignals[k], &m_Previous[k], nullptr);
}

const volatile std::sig_atomic_t * StopSignals::Flag()
{
  return &g_StopSignal;
}

std::filesystem::path OwnExecutable()
{
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    throw Error("cannot find the icanscan executable (/proc/self/exe): " + ec.message(), ExitCode::Usage);
  return self;
}

} // namespace icanscan::app
