#pragma once

#include <string>
#include <string_view>

namespace icanscan
{

/** \brief True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF). */
bool IsValidUtf8(std::string_view text);

/** \brief How MakeValidUtf8 reads a byte that is not part of a well-formed UTF-8 sequence. */
enum class InvalidByte
{
  Latin1,      //!< as the ISO 8859-1 character of that value (text from a file that did not say its encoding)
  Replacement, //!< as U+FFFD (names of files, bytes of unknown meaning)
};

/** \brief `text` unchanged when it is valid UTF-8; otherwise every byte outside a well-formed sequence is replaced
 * as `invalid` says. The result is always valid UTF-8, so JSON writers never fail on it. */
std::string MakeValidUtf8(std::string_view text, InvalidByte invalid = InvalidByte::Replacement);

} // namespace icanscan
