#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace icanscan::dicom
{

/** \brief Parses a Siemens CSA header (private (0029,1010) / (0029,1020), "SV10" format) into name -> item strings.
 *
 * Bounds-checked against the buffer: a damaged header yields the tags read so far, never a read past the end.
 * The older CSA1 layout is not parsed (empty result); callers fall back to standard attributes. */
std::map<std::string, std::vector<std::string>> ParseSiemensCsa(const std::uint8_t * data, std::size_t length);

} // namespace icanscan::dicom
