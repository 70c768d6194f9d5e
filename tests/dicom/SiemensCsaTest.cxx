#include "dicom/SiemensCsa.h"

#include <gtest/gtest.h>

#include <cstring>

namespace
{
void PutInt(std::vector<std::uint8_t> & b, std::int32_t v)
{
  const auto * p = reinterpret_cast<const std::uint8_t *>(&v);
  b.insert(b.end(), p, p + 4);
}

/** An SV10 CSA header with the given tags, laid out as Siemens writes it. */
std::vector<std::uint8_t> MakeCsa(const std::vector<std::pair<std::string, std::vector<std::string>>> & tags)
{
  std::vector<std::uint8_t> b{ 'S', 'V', '1', '0', 4, 3, 2, 1 };
  PutInt(b, static_cast<std::int32_t>(tags.size()));
  PutInt(b, 77);
  for (const auto & [name, items] : tags)
  {
    std::uint8_t field[64] = {};
    std::memcpy(field, name.data(), std::min<std::size_t>(63, name.size()));
    b.insert(b.end(), field, field + 64);
    PutInt(b, static_cast<std::int32_t>(items.size())); // vm
    b.insert(b.end(), { 'D', 'S', 0, 0 });
    PutInt(b, 3);                                       // syngodt
    PutInt(b, static_cast<std::int32_t>(items.size())); // nitems
    PutInt(b, 77);
    for (const auto & item : items)
    {
      const auto length = static_cast<std::int32_t>(item.size() + 1);
      PutInt(b, length);
      PutInt(b, length);
      PutInt(b, 77);
      PutInt(b, length);
      b.insert(b.end(), item.begin(), item.end());
      b.push_back(0);
      while (b.size() % 4)
        b.push_back(0);
    }
  }
  return b;
}

TEST(SiemensCsaTest, ParsesNamesAndItems)
{
  const auto csa = MakeCsa(
    { { "NumberOfImagesInMosaic", { "35" } }, { "SliceNormalVector", { "0.0", "-0.1", "0.995" } }, { "B_value", {} } });
  const auto tags = icanscan::dicom::ParseSiemensCsa(csa.data(), csa.size());
  ASSERT_EQ(tags.count("NumberOfImagesInMosaic"), 1u);
  EXPECT_EQ(tags.at("NumberOfImagesInMosaic"), std::vector<std::string>{ "35" });
  EXPECT_EQ(tags.at("SliceNormalVector").size(), 3u);
  EXPECT_EQ(tags.at("SliceNormalVector")[2], "0.995");
  EXPECT_TRUE(tags.at("B_value").empty());
}

TEST(SiemensCsaTest, TruncatedOrForeignBuffersNeverReadPastTheEnd)
{
  const auto csa = MakeCsa({ { "NumberOfImagesInMosaic", { "35" } }, { "SliceNormalVector", { "0", "0", "1" } } });
  for (std::size_t length = 0; length < csa.size(); ++length)
  {
    std::vector<std::uint8_t> copy(csa.begin(), csa.begin() + static_cast<long>(length)); // exact-size heap block
    const auto tags = icanscan::dicom::ParseSiemensCsa(copy.data(), copy.size());
    EXPECT_LE(tags.size(), 2u);
    if (length < csa.size() - 20)
    {
      EXPECT_EQ(tags.count("SliceNormalVector") && tags.at("SliceNormalVector").size() == 3, false) << length;
    }
  }
  const std::uint8_t text[] = "not a CSA header at all";
  EXPECT_TRUE(icanscan::dicom::ParseSiemensCsa(text, sizeof(text)).empty());
  EXPECT_TRUE(icanscan::dicom::ParseSiemensCsa(nullptr, 100).empty());
}
} // namespace
