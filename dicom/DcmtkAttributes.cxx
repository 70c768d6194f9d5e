#include "dicom/DcmtkAttributes.h"

#include "core/TextEncoding.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcelem.h"
#include "dcmtk/dcmdata/dcsequen.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace icanscan::dicom::detail
{
namespace
{
std::string Trim(const std::string & s)
{
  const auto first = s.find_first_not_of(" \t\r\n\0", 0, 5);
  if (first == std::string::npos)
  {
    return {};
  }
  const auto last = s.find_last_not_of(" \t\r\n\0", std::string::npos, 5);
  return s.substr(first, last - first + 1);
}

std::vector<std::string> SplitBackslash(const std::string & s)
{
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true)
  {
    const auto pos = s.find('\\', start);
    parts.push_back(Trim(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start)));
    if (pos == std::string::npos)
    {
      break;
    }
    start = pos + 1;
  }
  return parts;
}

DcmElement * FindElement(DcmItem & item, const DcmTagKey & tag)
{
  DcmElement * element = nullptr;
  if (item.findAndGetElement(tag, element, OFFalse).bad())
  {
    return nullptr;
  }
  return element;
}

bool IsBinaryUnknown(DcmElement * element)
{
  const DcmEVR vr = element->ident();
  return vr == EVR_UN || vr == EVR_OB || vr == EVR_ox || vr == EVR_UNKNOWN || vr == EVR_UNKNOWN2B;
}

std::string RawBytes(DcmElement * element)
{
  Uint8 * bytes = nullptr;
  if (element->getUint8Array(bytes).bad() || bytes == nullptr)
  {
    return {};
  }
  return std::string(reinterpret_cast<const char *>(bytes), element->getLength());
}
} // namespace

std::string GetString(DcmItem & item, const DcmTagKey & tag)
{
  DcmElement * element = FindElement(item, tag);
  if (element == nullptr)
  {
    return {};
  }
  if (IsBinaryUnknown(element))
  {
    return MakeValidUtf8(Trim(RawBytes(element)), InvalidByte::Latin1);
  }
  OFString value;
  if (element->getOFStringArray(value).bad())
  {
    return {};
  }
  return MakeValidUtf8(Trim(std::string(value.c_str(), value.length())), InvalidByte::Latin1);
}

std::string ConvertTextToUtf8(DcmItem & dataset)
{
  if (!dataset.containsExtendedCharacters())
    return {};
  const OFString declared = [&]
  {
    OFString value;
    dataset.findAndGetOFStringArray(DCM_SpecificCharacterSet, value);
    return value;
  }();
  const OFCondition status = dataset.convertToUTF8();
  if (status.good())
    return {};
  return "text in SpecificCharacterSet '" + std::string(declared.c_str()) + "' could not be converted to UTF-8 (" +
         status.text() + "); non-UTF-8 bytes read as Latin-1";
}

std::vector<double> GetNumbers(DcmItem & item, const DcmTagKey & tag, unsigned binarySize)
{
  std::vector<double> values;
  DcmElement * element = FindElement(item, tag);
  if (element == nullptr || element->getLength() == 0)
  {
    return values;
  }
  const DcmEVR vr = element->ident();
  if (IsBinaryUnknown(element))
  {
    const std::string raw = RawBytes(element);
    if (binarySize == 2)
    {
      for (std::size_t offset = 0; offset + 2 <= raw.size(); offset += 2)
      {
        Uint16 u;
        std::memcpy(&u, raw.data() + offset, 2);
        values.push_back(u);
      }
      return values;
    }
    if (binarySize == 4 || binarySize == 8)
    {
      for (std::size_t offset = 0; offset + binarySize <= raw.size(); offset += binarySize)
      {
        if (binarySize == 4)
        {
          float f;
          std::memcpy(&f, raw.data() + offset, 4);
          values.push_back(f);
        }
        else
        {
          double d;
          std::memcpy(&d, raw.data() + offset, 8);
          values.push_back(d);
        }
      }
      return values;
    }
    for (const std::string & part : SplitBackslash(Trim(raw)))
    {
      char * end = nullptr;
      const double v = std::strtod(part.c_str(), &end);
      if (part.empty() || end == part.c_str())
      {
        return {};
      }
      values.push_back(v);
    }
    return values;
  }
  const unsigned long count = element->getVM();
  for (unsigned long i = 0; i < count; ++i)
  {
    if (vr == EVR_FL || vr == EVR_FD || vr == EVR_DS || vr == EVR_OF || vr == EVR_OD)
    {
      Float64 v = 0;
      if (vr == EVR_FL || vr == EVR_OF)
      {
        Float32 f = 0;
        if (element->getFloat32(f, i).bad())
          return {};
        v = f;
      }
      else if (element->getFloat64(v, i).bad())
      {
        return {};
      }
      values.push_back(v);
    }
    else if (vr == EVR_US)
    {
      Uint16 v = 0;
      if (element->getUint16(v, i).bad())
        return {};
      values.push_back(v);
    }
    else if (vr == EVR_UL)
    {
      Uint32 v = 0;
      if (element->getUint32(v, i).bad())
        return {};
      values.push_back(v);
    }
    else if (vr == EVR_SS)
    {
      Sint16 v = 0;
      if (element->getSint16(v, i).bad())
        return {};
      values.push_back(v);
    }
    else if (vr == EVR_SL || vr == EVR_IS)
    {
      Sint32 v = 0;
      if (element->getSint32(v, i).bad())
        return {};
      values.push_back(v);
    }
    else
    {
      OFString text;
      if (element->getOFString(text, i).bad())
        return {};
      char * end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (end == text.c_str())
        return {};
      values.push_back(v);
    }
  }
  return values;
}

std::optional<double> GetNumber(DcmItem & item, const DcmTagKey & tag, unsigned long index)
{
  const std::vector<double> values = GetNumbers(item, tag);
  if (index >= values.size())
  {
    return std::nullopt;
  }
  return values[index];
}

std::optional<long> GetInteger(DcmItem & item, const DcmTagKey & tag, long low, long high, unsigned long index)
{
  const std::optional<double> value = GetNumber(item, tag, index);
  if (!value || !std::isfinite(*value) || *value < static_cast<double>(low) || *value > static_cast<double>(high) ||
      std::floor(*value) != *value)
    return std::nullopt;
  return static_cast<long>(*value);
}

std::vector<std::string> GetUpperValues(DcmItem & item, const DcmTagKey & tag)
{
  const std::string joined = GetString(item, tag);
  if (joined.empty())
  {
    return {};
  }
  std::vector<std::string> values = SplitBackslash(joined);
  for (auto & v : values)
  {
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  }
  return values;
}

DcmItem * FirstSequenceItem(DcmItem & item, const DcmTagKey & sequenceTag)
{
  DcmItem * found = nullptr;
  if (item.findAndGetSequenceItem(sequenceTag, found, 0, OFFalse).bad())
  {
    return nullptr;
  }
  return found;
}

} // namespace icanscan::dicom::detail
