// The harness without a fuzzing engine: runs LLVMFuzzerTestOneInput on the regression inputs generated in code
// (--regressions) and on files or folders given as arguments, as libFuzzer would. A finding aborts the process.
#include "fuzz/FuzzSupport.h"
#include "fuzz/Regressions.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace
{
int RunOne(const std::string & name, const std::string & bytes)
{
  std::fprintf(stderr, "replay %s (%zu bytes)\n", name.c_str(), bytes.size());
  return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
}

std::string ReadFile(const std::filesystem::path & file)
{
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
} // namespace

int main(int argc, char ** argv)
{
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i)
  {
    if (std::strcmp(argv[i], "--regressions") == 0)
    {
      for (const auto & input : icanscan::fuzz::RegressionInputs(ICANSCAN_FUZZ_HARNESS))
      {
        RunOne(input.name, input.bytes);
        ++replayed;
      }
      continue;
    }
    const std::filesystem::path path(argv[i]);
    if (std::filesystem::is_directory(path))
    {
      for (const auto & entry : std::filesystem::directory_iterator(path))
        if (entry.is_regular_file())
        {
          RunOne(entry.path().string(), ReadFile(entry.path()));
          ++replayed;
        }
      continue;
    }
    RunOne(path.string(), ReadFile(path));
    ++replayed;
  }
  std::printf("%s: %zu input(s) replayed without a finding\n", ICANSCAN_FUZZ_HARNESS, replayed);
  return replayed > 0 ? 0 : 1;
}
