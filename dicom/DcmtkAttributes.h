#pragma once

// Internal to icanscan_dicom: typed reads of DCMTK items. Not part of the public headers (DCMTK stays inside dicom/).

#include "dcmtk/dcmdata/dcitem.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::dicom::detail
{

/** Trimmed string value (all values joined by backslash); empty when absent. Reads UN elements as text. Always
 * valid UTF-8: the dataset is converted from its SpecificCharacterSet first (see ConvertTextToUtf8); bytes that are
 * still not UTF-8 are read as Latin-1. */
std::string GetString(DcmItem & item, const DcmTagKey & tag);

/** Value `index` of a numeric element (DS, IS, US, UL, SS, SL, FL, FD, or UN holding text); nullopt when absent or
 * not a number. */
std::optional<double> GetNumber(DcmItem & item, const DcmTagKey & tag, unsigned long index = 0);

/** All numeric values of an element; empty when absent. Elements of unknown VR (implicit VR private tags) are read
 * as text unless `binarySize` says how the binary value is stored: 2 = US, 4 = FL, 8 = FD. */
std::vector<double> GetNumbers(DcmItem & item, const DcmTagKey & tag, unsigned binarySize = 0);

/** Value `index` of a numeric element as an integer in [low, high]; nullopt when absent, not a number, not an
 * integer or out of range (so that a hostile value never reaches a narrowing cast). */
std::optional<long> GetInteger(DcmItem & item, const DcmTagKey & tag, long low, long high, unsigned long index = 0);

/** Backslash-separated values, trimmed and upper-cased. */
std::vector<std::string> GetUpperValues(DcmItem & item, const DcmTagKey & tag);

/** Converts every text of `dataset` from its SpecificCharacterSet (0008,0005) to UTF-8 with DCMTK's character set
 * conversion (iconv). Returns an empty string, or what went wrong (an unknown character set, bytes invalid in it):
 * texts are then left as they are and GetString reads their non-UTF-8 bytes as Latin-1. */
std::string ConvertTextToUtf8(DcmItem & dataset);

/** First item of a sequence inside `item`, or nullptr. */
DcmItem * FirstSequenceItem(DcmItem & item, const DcmTagKey & sequenceTag);

template<std::size_t N>
std::optional<std::array<double, N>> GetVector(DcmItem & item, const DcmTagKey & tag)
{
  const std::vector<double> values = GetNumbers(item, tag);
  if (values.size() < N)
  {
    return std::nullopt;
  }
  std::array<double, N> result{};
  for (std::size_t i = 0; i < N; ++i)
  {
    result[i] = values[i];
  }
  return result;
}

} // namespace icanscan::dicom::detail
