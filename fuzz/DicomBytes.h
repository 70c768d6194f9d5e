#pragma once

// A DICOM file written byte by byte (Explicit VR Little Endian unless told otherwise), so that regression inputs can
// hold what no DICOM toolkit would write: nesting too deep, lengths that lie, values that are not numbers.

#include <cstdint>
#include <string>

namespace icanscan::fuzz
{

/** \brief Builds a Part 10 file element by element; the caller keeps the tags in ascending order. */
class DicomBytes
{
public:
  /** Preamble, "DICM" and a meta header naming `transferSyntax`. */
  explicit DicomBytes(const std::string & transferSyntax = "1.2.840.10008.1.2.1");

  /** A string element (padded to even length with a space, or a NUL for UI). */
  DicomBytes & Text(std::uint16_t group, std::uint16_t element, const char * vr, const std::string & value);
  DicomBytes & U16(std::uint16_t group, std::uint16_t element, std::uint16_t value);
  /** A long-form element (OB, OW, UN, SQ...) with `length` as written and `value` as the bytes that follow. */
  DicomBytes & Long(std::uint16_t group,
                    std::uint16_t element,
                    const char * vr,
                    std::uint32_t length,
                    const std::string & value);
  DicomBytes & Raw(const std::string & bytes);

  /** The attributes of a small MR image (16 x 16, 16 bit, one axial slice, one study and series) up to, not
   * including, the pixel data. `spacing` and `position` are the DS texts. */
  DicomBytes & SmallImage(const std::string & spacing = "1\\1",
                          const std::string & position = "0\\0\\0",
                          unsigned rows = 16,
                          unsigned columns = 16);

  const std::string & Bytes() const { return m_Bytes; }

  /** `depth` sequences (ContentSequence) nested in one another, each in an item, undefined lengths, all closed. */
  static std::string NestedSequences(unsigned depth);

private:
  std::string m_Bytes;
};

} // namespace icanscan::fuzz
