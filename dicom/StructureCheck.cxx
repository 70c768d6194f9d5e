#include "dicom/StructureCheck.h"

#include "dicom/ByteStream.h"

#include "dcmtk/dcmdata/dctag.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

namespace icanscan::dicom
{
namespace
{
using detail::ByteStream;
using detail::Cursor;
using detail::FileStream;
using detail::InflateStream;
using detail::MemoryStream;

constexpr std::uint32_t kUndefinedLength = 0xFFFFFFFFu;
constexpr const char * kDeflatedSyntax = "1.2.840.10008.1.2.1.99";
constexpr const char * kBigEndianSyntax = "1.2.840.10008.1.2.2";
constexpr const char * kImplicitSyntax = "1.2.840.10008.1.2";

struct Encoding
{
  bool explicitVr = true;
  bool bigEndian = false;
};

std::uint16_t U16(const std::uint8_t * p, bool bigEndian)
{
  return bigEndian ? static_cast<std::uint16_t>(p[0] << 8 | p[1]) : static_cast<std::uint16_t>(p[1] << 8 | p[0]);
}

std::uint32_t U32(const std::uint8_t * p, bool bigEndian)
{
  return bigEndian ? (std::uint32_t{ p[0] } << 24 | std::uint32_t{ p[1] } << 16 | std::uint32_t{ p[2] } << 8 | p[3])
                   : (std::uint32_t{ p[3] } << 24 | std::uint32_t{ p[2] } << 16 | std::uint32_t{ p[1] } << 8 | p[0]);
}

bool IsLongVr(const char vr[2])
{
  static const char * kLong[] = { "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" };
  for (const char * v : kLong)
    if (vr[0] == v[0] && vr[1] == v[1])
      return true;
  return false;
}

bool IsVrText(const char vr[2])
{
  return vr[0] >= 'A' && vr[0] <= 'Z' && vr[1] >= 'A' && vr[1] <= 'Z';
}

bool IsShortVr(const char vr[2])
{
  static const char * kShort[] = { "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO",
                                   "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US" };
  for (const char * v : kShort)
    if (vr[0] == v[0] && vr[1] == v[1])
      return true;
  return false;
}

/** DCMTK reads an unknown VR of two capital letters with a 4-byte length (as DICOM says new VRs will be), any other
 * two bytes with a 2-byte length. */
bool HasLongLength(const char vr[2])
{
  return IsVrText(vr) && (IsLongVr(vr) || !IsShortVr(vr));
}

/** Implicit VR: DCMTK takes the VR from its dictionary and reads a sequence's items. */
bool DictionarySaysSequence(std::uint16_t group, std::uint16_t element)
{
  return DcmTag(group, element).getEVR() == EVR_SQ;
}

std::string TagText(std::uint16_t group, std::uint16_t element)
{
  char text[16];
  std::snprintf(text, sizeof(text), "(%04X,%04X)", group, element);
  return text;
}

enum class Kind
{
  Dataset,
  Item,
  Sequence,
  PixelSequence,
};

struct Container
{
  Kind kind;
  bool defined;
  std::uint64_t end; //!< position just after the container (defined length only)
};

/** The walk itself: one element header at a time, with an explicit stack instead of recursion. */
class Walker
{
public:
  Walker(Cursor & cursor, Encoding encoding, const StructureCheckParams & params, StructureCheckResult & result)
    : m_Cursor(cursor)
    , m_Encoding(encoding)
    , m_Params(params)
    , m_Result(result)
  {
  }

  /** Walks to the end of the stream; false with m_Result.problem set when something is wrong. */
  bool Run()
  {
    m_Stack.push_back({ Kind::Dataset, false, 0 });
    while (true)
    {
      const Container top = m_Stack.back();
      if (top.defined && m_Cursor.Position() >= top.end)
      {
        if (m_Cursor.Position() > top.end)
          return Fail("an element runs past the end of its item or sequence at byte " + Offset());
        m_Stack.pop_back();
        continue;
      }
      std::uint8_t tag[4];
      std::size_t got = 0;
      if (!m_Cursor.Read(tag, 4, &got))
      {
        if (!m_Cursor.Stream().Error().empty())
          return Fail(m_Cursor.Stream().Error());
        if (m_Stack.size() > 1)
          return Fail("the file ends inside a sequence or item (truncated file)");
        return true; // the end of the dataset; a few bytes of trailing padding are tolerated
      }
      const std::uint16_t group = U16(tag, m_Encoding.bigEndian);
      const std::uint16_t element = U16(tag + 2, m_Encoding.bigEndian);
      ++m_Result.elements;
      if (group == 0xFFFE)
      {
        if (!Delimiter(element))
          return false;
        continue;
      }
      if (top.kind == Kind::Sequence || top.kind == Kind::PixelSequence)
        return Fail("expected an item inside a sequence, found " + TagText(group, element) + " at byte " + Offset());
      if (!Element(group, element))
        return false;
    }
  }

private:
  bool Fail(const std::string & problem)
  {
    m_Result.problem = problem;
    return false;
  }

  std::string Offset() const { return std::to_string(m_Cursor.Position()); }

  bool ReadLength32(std::uint32_t & length)
  {
    std::uint8_t bytes[4];
    if (!m_Cursor.Read(bytes, 4))
      return Fail("the file ends inside an element header (truncated file)");
    length = U32(bytes, m_Encoding.bigEndian);
    return true;
  }

  /** The end of a value of `length` bytes starting here, checked against the enclosing containers and the file. */
  bool CheckFits(std::uint32_t length, const std::string & what)
  {
    const std::uint64_t end = m_Cursor.Position() + length;
    for (const auto & c : m_Stack)
      if (c.defined && end > c.end)
        return Fail(what + " of " + std::to_string(length) + " bytes runs past the end of its item or sequence (" +
                    std::to_string(c.end - std::min(c.end, m_Cursor.Position())) + " bytes left)");
    if (const auto remaining = m_Cursor.Remaining(); remaining && length > *remaining)
      return Fail(what + " declares " + std::to_string(length) + " bytes but the file holds only " +
                  std::to_string(*remaining) + " more (truncated or damaged file)");
    return true;
  }

  bool Push(Kind kind, std::uint32_t length)
  {
    const bool defined = length != kUndefinedLength;
    m_Stack.push_back({ kind, defined, defined ? m_Cursor.Position() + length : 0 });
    const auto depth = static_cast<unsigned>(
      std::count_if(m_Stack.begin(), m_Stack.end(), [](const Container & c) { return c.kind == Kind::Sequence; }));
    m_Result.sequenceDepth = std::max(m_Result.sequenceDepth, depth);
    if (depth > m_Params.maxSequenceDepth)
      return Fail("sequences nested more than " + std::to_string(m_Params.maxSequenceDepth) +
                  " deep (a damaged or hostile file; DICOM objects need a few levels)");
    return true;
  }

  bool Delimiter(std::uint16_t element)
  {
    std::uint32_t length = 0;
    if (!ReadLength32(length))
      return false;
    const Kind kind = m_Stack.back().kind;
    const bool undefined = !m_Stack.back().defined;
    if (element == 0xE000)
    {
      if (kind == Kind::PixelSequence)
      {
        if (m_Stack.size() == 2 && m_TopLevelPixels)
          ++m_Result.pixelFragments;
        if (length == kUndefinedLength)
          return Fail("a pixel data fragment of undefined length at byte " + Offset());
        return CheckFits(length, "a pixel data fragment") && Skip(length);
      }
      if (kind != Kind::Sequence)
        return Fail("an item outside any sequence at byte " + Offset());
      if (length != kUndefinedLength && !CheckFits(length, "an item"))
        return false;
      return Push(Kind::Item, length);
    }
    if (element == 0xE00D)
    {
      if (kind != Kind::Item)
        return Fail("an item delimiter outside any item at byte " + Offset());
      if (undefined)
        m_Stack.pop_back();
      return true; // inside an item of defined length DCMTK tolerates it
    }
    if (element == 0xE0DD)
    {
      if (kind == Kind::Item && undefined && m_Stack.size() >= 2 && !m_Stack[m_Stack.size() - 2].defined)
        m_Stack.pop_back(); // item delimiter missing: DCMTK closes both
      if (m_Stack.back().kind != Kind::Sequence && m_Stack.back().kind != Kind::PixelSequence)
        return Fail("a sequence delimiter outside any sequence at byte " + Offset());
      if (!m_Stack.back().defined)
        m_Stack.pop_back();
      return true;
    }
    return Fail("unknown delimiter " + TagText(0xFFFE, element) + " at byte " + Offset());
  }

  bool Skip(std::uint64_t n)
  {
    if (!m_Cursor.Skip(n))
      return Fail(m_Cursor.Stream().Error().empty() ? "the file ends inside an element value (truncated file)"
                                                    : m_Cursor.Stream().Error());
    return true;
  }

  bool Element(std::uint16_t group, std::uint16_t element)
  {
    char vr[2] = { 0, 0 };
    std::uint32_t length = 0;
    const bool explicitVr = m_Encoding.explicitVr || group == 0x0002;
    if (explicitVr)
    {
      std::uint8_t bytes[2];
      if (!m_Cursor.Read(bytes, 2))
        return Fail("the file ends inside an element header (truncated file)");
      vr[0] = static_cast<char>(bytes[0]);
      vr[1] = static_cast<char>(bytes[1]);
      if (HasLongLength(vr))
      {
        std::uint8_t reserved[2];
        if (!m_Cursor.Read(reserved, 2))
          return Fail("the file ends inside an element header (truncated file)");
        if (!ReadLength32(length))
          return false;
      }
      else
      {
        std::uint8_t bytes16[2];
        if (!m_Cursor.Read(bytes16, 2))
          return Fail("the file ends inside an element header (truncated file)");
        length = U16(bytes16, m_Encoding.bigEndian);
      }
    }
    else if (!ReadLength32(length))
      return false;

    const bool pixelData = group == 0x7FE0 && element == 0x0010;
    const bool sequence =
      explicitVr ? (vr[0] == 'S' && vr[1] == 'Q') : (!pixelData && DictionarySaysSequence(group, element));
    const bool binary = explicitVr && vr[0] == 'O' && (vr[1] == 'B' || vr[1] == 'W');
    const bool topLevelPixels = pixelData && m_Stack.size() == 1;
    if (m_Stack.size() == 1)
      m_TopLevelPixels = topLevelPixels;
    if (topLevelPixels)
    {
      m_Result.hasPixelData = true;
      if (length != kUndefinedLength)
        m_Result.pixelDataLength = length;
    }
    if (length == kUndefinedLength)
      return Push(pixelData || binary ? Kind::PixelSequence : Kind::Sequence, length);
    if (!CheckFits(length, (pixelData ? "PixelData " : "element ") + TagText(group, element)))
      return false;
    if (sequence)
      return Push(Kind::Sequence, length);
    return Skip(length);
  }

  Cursor & m_Cursor;
  Encoding m_Encoding;
  const StructureCheckParams & m_Params;
  StructureCheckResult & m_Result;
  std::vector<Container> m_Stack;
  bool m_TopLevelPixels = false;
};

/** Explicit or implicit, little or big endian, from the first element of a dataset without a meta header. */
Encoding GuessEncoding(Cursor & cursor)
{
  std::uint8_t head[6];
  Encoding encoding;
  if (!cursor.Peek(head, 6))
    return encoding;
  const char vr[2] = { static_cast<char>(head[4]), static_cast<char>(head[5]) };
  encoding.explicitVr = IsVrText(vr);
  encoding.bigEndian = head[0] == 0x00 && head[1] != 0x00; // group 0x0008 stored as 00 08
  return encoding;
}

/** Walks the meta header (group 0002, explicit little endian) and returns the transfer syntax it names. */
bool ReadMetaHeader(Cursor & cursor, std::string & syntax, StructureCheckResult & result)
{
  while (true)
  {
    std::uint8_t head[8];
    if (!cursor.Peek(head, 8))
      return true;
    if (U16(head, false) != 0x0002)
      return true;
    cursor.Read(head, 8);
    ++result.elements;
    const std::uint16_t element = U16(head + 2, false);
    const char vr[2] = { static_cast<char>(head[4]), static_cast<char>(head[5]) };
    std::uint32_t length = U16(head + 6, false);
    if (HasLongLength(vr))
    {
      std::uint8_t bytes[4];
      if (!cursor.Read(bytes, 4))
      {
        result.problem = "the file ends inside its meta header (truncated file)";
        return false;
      }
      length = U32(bytes, false);
    }
    if (length == kUndefinedLength || (cursor.Remaining() && length > *cursor.Remaining()))
    {
      result.problem = "meta header element " + TagText(0x0002, element) + " runs past the end of the file";
      return false;
    }
    if (element == 0x0010 && length <= 64)
    {
      std::uint8_t value[64];
      if (!cursor.Read(value, length))
      {
        result.problem = "the file ends inside its meta header (truncated file)";
        return false;
      }
      syntax.assign(reinterpret_cast<const char *>(value), length);
      while (!syntax.empty() && (syntax.back() == '\0' || syntax.back() == ' '))
        syntax.pop_back();
    }
    else if (!cursor.Skip(length))
    {
      result.problem = "the file ends inside its meta header (truncated file)";
      return false;
    }
  }
}

StructureCheckResult Check(ByteStream & stream, const StructureCheckParams & params)
{
  StructureCheckResult result;
  Cursor cursor(stream);
  std::uint8_t preamble[132];
  bool part10 = false;
  if (cursor.Peek(preamble, 132) && std::memcmp(preamble + 128, "DICM", 4) == 0)
  {
    cursor.Skip(132);
    part10 = true;
  }
  std::string syntax;
  if (part10 && !ReadMetaHeader(cursor, syntax, result))
    return result;
  Encoding encoding;
  if (syntax.empty())
    encoding = GuessEncoding(cursor);
  else
  {
    encoding.explicitVr = syntax != kImplicitSyntax;
    encoding.bigEndian = syntax == kBigEndianSyntax;
  }
  if (syntax == kDeflatedSyntax)
  {
    InflateStream inflated(cursor, params.maxInflatedBytes); // the cursor holds bytes it peeked at
    Cursor inner(inflated);
    Walker(inner, encoding, params, result).Run();
    return result;
  }
  Walker(cursor, encoding, params, result).Run();
  return result;
}
} // namespace

StructureCheckResult CheckDicomStructure(const std::uint8_t * data,
                                         std::size_t size,
                                         const StructureCheckParams & params)
{
  MemoryStream stream(data, size);
  return Check(stream, params);
}

StructureCheckResult CheckDicomStructure(const std::string & path, const StructureCheckParams & params)
{
  std::unique_ptr<std::FILE, int (*)(std::FILE *)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file)
  {
    StructureCheckResult result;
    result.problem = std::string("cannot be opened: ") + std::strerror(errno);
    return result;
  }
  std::fseek(file.get(), 0, SEEK_END);
  const off_t size = ::ftello(file.get());
  std::fseek(file.get(), 0, SEEK_SET);
  FileStream stream(file.get(), size > 0 ? static_cast<std::uint64_t>(size) : 0);
  return Check(stream, params);
}

} // namespace icanscan::dicom
