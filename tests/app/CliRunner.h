#pragma once

#include "app/RunCli.h"

#include <sstream>
#include <string>
#include <vector>

namespace icanscan::test
{

/** \brief What one in-process run of the command line returned and printed. */
struct CliRun
{
  int code;
  std::string out;
  std::string err;
};

/** \brief Runs `icanscan ARGS...` in-process through the real entry point. */
inline CliRun RunIcanscan(std::vector<std::string> args)
{
  args.insert(args.begin(), "icanscan");
  std::vector<const char *> argv;
  for (const auto & a : args)
    argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = icanscan::app::RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  return { code, out.str(), err.str() };
}

} // namespace icanscan::test
