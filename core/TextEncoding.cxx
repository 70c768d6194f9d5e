#include "core/TextEncoding.h"

namespace icanscan
{
namespace
{
/** Length of the well-formed UTF-8 sequence starting at `i`, or 0 when the bytes there are not one. */
std::size_t SequenceLength(std::string_view text, std::size_t i)
{
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80)
    return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF; // range of the second byte (Unicode table 3-7)
  if (lead >= 0xC2 && lead <= 0xDF)
    length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF)
  {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  }
  else if (lead >= 0xF0 && lead <= 0xF4)
  {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  }
  else
    return 0;
  if (i + length > text.size())
    return 0;
  if (byte(i + 1) < low || byte(i + 1) > high)
    return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
      return 0;
  return length;
}

void AppendCodePoint(std::string & out, unsigned code)
{
  if (code < 0x80)
    out += static_cast<char>(code);
  else if (code < 0x800)
  {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  else
  {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}
} // namespace

bool IsValidUtf8(std::string_view text)
{
  for (std::size_t i = 0; i < text.size();)
  {
    const std::size_t length = SequenceLength(text, i);
    if (length == 0)
      return false;
    i += length;
  }
  return true;
}

std::string MakeValidUtf8(std::string_view text, InvalidByte invalid)
{
  if (IsValidUtf8(text))
    return std::string(text);
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  for (std::size_t i = 0; i < text.size();)
  {
    const std::size_t length = SequenceLength(text, i);
    if (length > 0)
    {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    AppendCodePoint(out, invalid == InvalidByte::Latin1 ? static_cast<unsigned char>(text[i]) : 0xFFFDu);
    ++i;
  }
  return out;
}

} // namespace icanscan
