// Writes every harness's regression inputs as files, DIR/<harness>/regression-<name>, for bench/fuzz.sh to seed the
// corpora. With --csa FILE..., also writes the Siemens CSA headers (0029,1010/1020) stored in those DICOM files
// (explicit VR) to DIR/siemens_csa/csa-<hash>: the real seeds of the CSA harness.
#include "fuzz/Regressions.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <string>
#include <vector>

namespace
{
/** The CSA headers of one file, found by their tag and OB VR; values not starting with "SV10" are left out. */
std::vector<std::string> CsaHeaders(const std::string & file)
{
  std::ifstream in(file, std::ios::binary);
  const std::string data{ std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
  std::vector<std::string> headers;
  for (const char * tag : { "\x29\x00\x10\x10OB\x00\x00", "\x29\x00\x20\x10OB\x00\x00" })
  {
    const auto at = data.find(std::string(tag, 8));
    if (at == std::string::npos || at + 12 > data.size())
      continue;
    std::uint32_t length = 0;
    std::memcpy(&length, data.data() + at + 8, 4);
    const std::string value = data.substr(at + 12, length);
    if (value.compare(0, 4, "SV10") == 0)
      headers.push_back(value);
  }
  return headers;
}
} // namespace

int main(int argc, char ** argv)
{
  if (argc < 2)
  {
    std::fprintf(stderr, "usage: %s DIR [--csa DICOM_FILE...]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root(argv[1]);
  for (const auto & harness : icanscan::fuzz::HarnessNames())
  {
    const auto folder = root / harness;
    std::filesystem::create_directories(folder);
    for (const auto & input : icanscan::fuzz::RegressionInputs(harness))
      std::ofstream(folder / ("regression-" + input.name), std::ios::binary) << input.bytes;
  }
  for (int i = 3; i < argc && std::strcmp(argv[2], "--csa") == 0; ++i)
    for (const auto & header : CsaHeaders(argv[i]))
      std::ofstream(root / "siemens_csa" / ("csa-" + std::to_string(std::hash<std::string>{}(header))),
                    std::ios::binary)
        << header; // named by content: the same header in many files is one seed
  return 0;
}
