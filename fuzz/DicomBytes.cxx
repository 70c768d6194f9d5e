#include "fuzz/DicomBytes.h"

#include <cstring>

namespace icanscan::fuzz
{
namespace
{
void Put16(std::string & out, std::uint16_t v)
{
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>(v >> 8);
}

void Put32(std::string & out, std::uint32_t v)
{
  for (int i = 0; i < 4; ++i)
    out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
} // namespace

DicomBytes::DicomBytes(const std::string & transferSyntax)
  : m_Bytes(128, '\0')
{
  m_Bytes += "DICM";
  Long(0x0002, 0x0001, "OB", 2, std::string("\0\1", 2));
  Text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.4");
  Text(0x0002, 0x0003, "UI", "2.25.1");
  Text(0x0002, 0x0010, "UI", transferSyntax);
}

DicomBytes & DicomBytes::Text(std::uint16_t group, std::uint16_t element, const char * vr, const std::string & value)
{
  std::string padded = value;
  if (padded.size() % 2)
    padded += std::strcmp(vr, "UI") == 0 ? '\0' : ' ';
  Put16(m_Bytes, group);
  Put16(m_Bytes, element);
  m_Bytes.append(vr, 2);
  Put16(m_Bytes, static_cast<std::uint16_t>(padded.size()));
  m_Bytes += padded;
  return *this;
}

DicomBytes & DicomBytes::U16(std::uint16_t group, std::uint16_t element, std::uint16_t value)
{
  Put16(m_Bytes, group);
  Put16(m_Bytes, element);
  m_Bytes += "US";
  Put16(m_Bytes, 2);
  Put16(m_Bytes, value);
  return *this;
}

DicomBytes & DicomBytes::Long(std::uint16_t group,
                              std::uint16_t element,
                              const char * vr,
                              std::uint32_t length,
                              const std::string & value)
{
  Put16(m_Bytes, group);
  Put16(m_Bytes, element);
  m_Bytes.append(vr, 2);
  Put16(m_Bytes, 0);
  Put32(m_Bytes, length);
  m_Bytes += value;
  return *this;
}

DicomBytes & DicomBytes::Raw(const std::string & bytes)
{
  m_Bytes += bytes;
  return *this;
}

DicomBytes & DicomBytes::SmallImage(const std::string & spacing,
                                    const std::string & position,
                                    unsigned rows,
                                    unsigned columns)
{
  Text(0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\M\\ND");
  Text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.4");
  Text(0x0008, 0x0018, "UI", "2.25.1");
  Text(0x0008, 0x0060, "CS", "MR");
  Text(0x0008, 0x0070, "LO", "SIEMENS");
  Text(0x0008, 0x103E, "LO", "t2 tse");
  Text(0x0018, 0x0020, "CS", "SE");
  Text(0x0018, 0x0080, "DS", "4000");
  Text(0x0018, 0x0081, "DS", "90");
  Text(0x0020, 0x000D, "UI", "2.25.2");
  Text(0x0020, 0x000E, "UI", "2.25.3");
  Text(0x0020, 0x0011, "IS", "7");
  Text(0x0020, 0x0013, "IS", "1");
  Text(0x0020, 0x0032, "DS", position);
  Text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0");
  U16(0x0028, 0x0002, 1);
  Text(0x0028, 0x0004, "CS", "MONOCHROME2");
  U16(0x0028, 0x0010, static_cast<std::uint16_t>(rows));
  U16(0x0028, 0x0011, static_cast<std::uint16_t>(columns));
  Text(0x0028, 0x0030, "DS", spacing);
  U16(0x0028, 0x0100, 16);
  U16(0x0028, 0x0101, 16);
  U16(0x0028, 0x0102, 15);
  U16(0x0028, 0x0103, 0);
  return *this;
}

std::string DicomBytes::NestedSequences(unsigned depth)
{
  std::string out;
  for (unsigned i = 0; i < depth; ++i)
  {
    out += std::string("\x40\x00\x30\xA7SQ\0\0\xFF\xFF\xFF\xFF", 12);
    out += std::string("\xFE\xFF\x00\xE0\xFF\xFF\xFF\xFF", 8);
  }
  for (unsigned i = 0; i < depth; ++i)
  {
    out += std::string("\xFE\xFF\x0D\xE0\0\0\0\0", 8);
    out += std::string("\xFE\xFF\xDD\xE0\0\0\0\0", 8);
  }
  return out;
}

} // namespace icanscan::fuzz
