#pragma once

#include <ostream>

namespace icanscan::app
{

/** \brief The whole command line: parses, runs the subcommand, and maps every error to its documented exit code
 * (0 ok, 2 usage, 3 config, 4 no usable DICOM, 5 corrupt input, 6 output not writable, 7 partial success).
 * Never throws. */
int RunCli(int argc, const char * const * argv, std::ostream & out, std::ostream & err);

} // namespace icanscan::app
