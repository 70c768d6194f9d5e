#include "dicom/SiemensCsa.h"

#include <cstring>

namespace icanscan::dicom
{
namespace
{
std::int32_t ReadInt32(const std::uint8_t * p)
{
  std::int32_t value;
  std::memcpy(&value, p, sizeof(value)); // CSA is little endian, as is every platform we build for
  return value;
}
} // namespace

std::map<std::string, std::vector<std::string>> ParseSiemensCsa(const std::uint8_t * data, std::size_t length)
{
  std::map<std::string, std::vector<std::string>> tags;
  constexpr std::size_t kTagHeader = 84; // name[64], vm, vr[4], syngodt, nitems, xx
  if (data == nullptr || length < 16 || std::memcmp(data, "SV10", 4) != 0)
  {
    return tags;
  }
  const std::int32_t tagCount = ReadInt32(data + 8);
  if (tagCount <= 0 || tagCount > 1000)
  {
    return tags;
  }
  std::size_t offset = 16;
  for (std::int32_t t = 0; t < tagCount; ++t)
  {
    if (offset + kTagHeader > length)
    {
      break;
    }
    const char * namePtr = reinterpret_cast<const char *>(data + offset);
    const std::string name(namePtr, strnlen(namePtr, 64));
    const std::int32_t itemCount = ReadInt32(data + offset + 76);
    offset += kTagHeader;
    if (itemCount < 0 || itemCount > 10000)
    {
      break;
    }
    std::vector<std::string> items;
    for (std::int32_t i = 0; i < itemCount; ++i)
    {
      if (offset + 16 > length)
      {
        return tags;
      }
      const std::int32_t itemLength = ReadInt32(data + offset + 4);
      offset += 16;
      if (itemLength < 0 || offset + static_cast<std::size_t>(itemLength) > length)
      {
        return tags;
      }
      const char * itemPtr = reinterpret_cast<const char *>(data + offset);
      std::string value(itemPtr, strnlen(itemPtr, static_cast<std::size_t>(itemLength)));
      while (!value.empty() && (value.back() == ' ' || value.back() == '\0'))
      {
        value.pop_back();
      }
      if (!value.empty())
      {
        items.push_back(value);
      }
      offset += (static_cast<std::size_t>(itemLength) + 3) & ~std::size_t{ 3 };
    }
    tags[name] = std::move(items);
  }
  return tags;
}

} // namespace icanscan::dicom
