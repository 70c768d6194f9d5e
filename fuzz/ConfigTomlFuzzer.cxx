// The run's TOML config: any text gives RunParams or a ConfigError; anything else is a finding.
#include "fuzz/FuzzSupport.h"

#include "core/Error.h"
#include "pipeline/RunConfig.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t * data, std::size_t size)
{
  using namespace icanscan;
  static const auto file = fuzz::ScratchFolder() / "config.toml";
  fuzz::WriteInput(file, data, size);
  try
  {
    const pipeline::RunParams params = pipeline::LoadRunConfig(file);
    const std::string written = pipeline::RunConfigToToml(params);
    fuzz::WriteInput(file, reinterpret_cast<const std::uint8_t *>(written.data()), written.size());
    pipeline::LoadRunConfig(file); // what was written back must read again
  }
  catch (const ConfigError &)
  {
  }
  return 0;
}
