// The README's exit-code table is the one the program and its malformed-input corpus use: it lists exactly the codes of
// the error hierarchy (core/Error.h) and every code the command-line corpus (HostileCliTest.cxx) asserts.
#include "core/Error.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace icanscan::test
{
namespace
{
std::string ReadSource(const std::string & relative)
{
  std::ifstream in(std::string(ICANSCAN_SOURCE_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << relative;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/** The numeric codes of the rows of the README's "## Exit codes" table ("128 + signal" is not a single code). */
std::set<int> ReadmeExitCodes()
{
  std::istringstream readme(ReadSource("README.md"));
  const std::regex row(R"(^\| ([0-9]+) \|)");
  std::set<int> codes;
  bool inSection = false;
  for (std::string line; std::getline(readme, line);)
  {
    if (line.rfind("## ", 0) == 0)
    {
      if (inSection)
        break;
      inSection = line == "## Exit codes";
      continue;
    }
    std::smatch m;
    if (inSection && std::regex_search(line, m, row))
      codes.insert(std::stoi(m[1]));
  }
  return codes;
}

int CodeOf(const Error & e)
{
  return static_cast<int>(e.Code());
}

TEST(ExitCodeTableTest, ReadmeListsExactlyTheCodesOfTheErrorHierarchy)
{
  const std::set<int> program = { static_cast<int>(ExitCode::Ok),
                                  CodeOf(UsageError("")),
                                  CodeOf(ConfigError("")),
                                  CodeOf(InputError("", ExitCode::NoUsableDicom)),
                                  CodeOf(InputError("")),
                                  CodeOf(OutputError("")),
                                  static_cast<int>(ExitCode::PartialSuccess),
                                  CodeOf(NetworkError("")) };
  EXPECT_EQ(ReadmeExitCodes(), program);
}

TEST(ExitCodeTableTest, EveryCodeTheCommandLineCorpusAssertsIsInTheReadme)
{
  const std::string corpus = ReadSource("tests/app/HostileCliTest.cxx");
  // Expect({ args... }, CODE, { words... }) or Expect(args, CODE, ...)
  const std::regex call(R"(Expect\((?:\{[^}]*\}|[A-Za-z_]+),\s*([0-9]+),)");
  const std::set<int> readme = ReadmeExitCodes();
  std::set<int> asserted;
  for (auto it = std::sregex_iterator(corpus.begin(), corpus.end(), call); it != std::sregex_iterator(); ++it)
    asserted.insert(std::stoi((*it)[1]));
  ASSERT_GE(asserted.size(), 5u) << "the corpus's Expect(...) calls were not found: has their form changed?";
  for (const int code : asserted)
    EXPECT_TRUE(readme.count(code)) << "the corpus asserts exit code " << code << ", which the README does not list";
}
} // namespace
} // namespace icanscan::test
