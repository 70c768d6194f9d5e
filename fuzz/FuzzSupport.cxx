#include "fuzz/FuzzSupport.h"

#include "core/TextEncoding.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace icanscan::fuzz
{

const std::filesystem::path & ScratchFolder()
{
  static const std::filesystem::path folder = []
  {
    const std::filesystem::path base =
      std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
    const auto path = base / ("icanscan-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path / "tmp");
    ::setenv("TMPDIR", (path / "tmp").c_str(), 1);
    std::atexit([] { std::filesystem::remove_all(ScratchFolder()); });
    return path;
  }();
  return folder;
}

void WriteInput(const std::filesystem::path & file, const std::uint8_t * data, std::size_t size)
{
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
}

void RequireUtf8(const std::string & text, const char * what)
{
  if (!IsValidUtf8(text))
  {
    std::fprintf(stderr, "finding: %s is not valid UTF-8\n", what);
    std::abort();
  }
}

} // namespace icanscan::fuzz
