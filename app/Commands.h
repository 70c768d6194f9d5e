#pragma once

#include "pipeline/StudyRunStage.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace icanscan::app
{

/** \brief What a subcommand's run returns: the exit code it wants. */
using CommandAction = std::function<int(std::ostream & out, std::ostream & err)>;

/** \brief Registers a subcommand on `cli`; `action` is set to run it when it was chosen. */
void AddIndexCommand(CLI::App & cli, CommandAction & action);
void AddConvertCommand(CLI::App & cli, CommandAction & action);
void AddDemoCommand(CLI::App & cli, CommandAction & action);
void AddPhantomCommand(CLI::App & cli, CommandAction & action);
void AddSegmentCommand(CLI::App & cli, CommandAction & action);
void AddGradeCommand(CLI::App & cli, CommandAction & action);
void AddRunCommand(CLI::App & cli, CommandAction & action);
void AddViewCommand(CLI::App & cli, CommandAction & action);
void AddConfigCommand(CLI::App & cli, CommandAction & action);
void AddBatchCommand(CLI::App & cli, CommandAction & action);
void AddBidsCommand(CLI::App & cli, CommandAction & action);

/** \brief Logs a pipeline's progress on stderr: "[ 42%] lesion detection". */
pipeline::ProgressCallback ProgressLogger();

} // namespace icanscan::app
