#pragma once

// Shared by the fuzz harnesses: a private scratch folder, and the two entry points every harness defines.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t * data, std::size_t size);

namespace icanscan::fuzz
{

/** A folder of this process for the files a harness must write (DCMTK, ITK and the NIfTI import read paths);
 * TMPDIR points into it, so nothing a library writes to the temporary folder escapes the harness. */
const std::filesystem::path & ScratchFolder();

/** Writes `size` bytes to `file` (replacing it). */
void WriteInput(const std::filesystem::path & file, const std::uint8_t * data, std::size_t size);

/** Aborts (a finding) when `text` is not valid UTF-8: every text icanscan reads must come out printable as JSON. */
void RequireUtf8(const std::string & text, const char * what);

} // namespace icanscan::fuzz
