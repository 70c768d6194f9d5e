#pragma once

#include "dicom/StudyIndex.h"

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

/** \brief Indexes STUDY with the common options (threads, role overrides); throws InputError(NoUsableDicom) naming
 * the folder when it holds no DICOM image. */
dicom::StudyIndex IndexStudyOrThrow(const std::string & study, int threads, const std::vector<std::string> & roles);

/** \brief Parses "--role ID=ROLE" options (ID a series id like 7 or 7.2, or a SeriesInstanceUID); throws
 * UsageError naming the bad entry. */
std::map<std::string, dicom::SeriesRole> ParseRoleOverrides(const std::vector<std::string> & entries);

} // namespace icanscan::app
