#include "app/RunCli.h"

#include "app/Commands.h"
#include "core/Error.h"
#include "core/Version.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "itkObject.h"

namespace icanscan::app
{

pipeline::ProgressCallback ProgressLogger()
{
  return [](const std::string & step, double fraction) { spdlog::info("[{:3.0f}%] {}", 100.0 * fraction, step); };
}

int RunCli(int argc, const char * const * argv, std::ostream & out, std::ostream & err)
{
  CLI::App cli{ "icanscan: MRI pipeline for the brain imaging of ICANS (CAR-T neurotoxicity). Supports clinical "
                "review; never replaces it.",
                "icanscan" };
  cli.set_version_flag("--version", std::string("icanscan ") + kVersion);
  cli.require_subcommand(1);
  bool verbose = false;
  cli.add_flag("-v,--verbose", verbose, "More progress messages on stderr");
  CommandAction action;
  AddIndexCommand(cli, action);
  AddConvertCommand(cli, action);
  AddDemoCommand(cli, action);
  AddPhantomCommand(cli, action);
  AddSegmentCommand(cli, action);
  AddRunCommand(cli, action);
  AddGradeCommand(cli, action);
  AddViewCommand(cli, action);
  AddConfigCommand(cli, action);
  AddBatchCommand(cli, action);
  AddBidsCommand(cli, action);

  try
  {
    cli.parse(argc, argv);
  }
  catch (const CLI::CallForHelp & e)
  {
    return cli.exit(e, out, err);
  }
  catch (const CLI::CallForAllHelp & e)
  {
    return cli.exit(e, out, err);
  }
  catch (const CLI::CallForVersion & e)
  {
    return cli.exit(e, out, err);
  }
  catch (const CLI::ParseError & e)
  {
    cli.exit(e, out, err);
    return static_cast<int>(ExitCode::Usage);
  }

  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(err);
  auto logger = std::make_shared<spdlog::logger>("icanscan", sink);
  logger->set_pattern("icanscan: %v");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_default_logger(logger);

  // ITK's own warnings (e.g. an optimizer noting it ignores scales) are developer notes, not user messages.
  itk::Object::SetGlobalWarningDisplay(false);
  try
  {
    return action ? action(out, err) : static_cast<int>(ExitCode::Usage);
  }
  catch (const Error & e)
  {
    err << "icanscan: error: " << e.what() << "\n";
    return static_cast<int>(e.Code());
  }
  catch (const std::exception & e)
  {
    err << "icanscan: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::CorruptInput);
  }
}

} // namespace icanscan::app
