#include "core/TextEncoding.h"

#include <gtest/gtest.h>

namespace icanscan
{
namespace
{

TEST(TextEncodingTest, WellFormedUtf8IsKeptAsIs)
{
  for (const std::string & text :
       { std::string("plain ASCII"),
         std::string("Sch\xC3\xA4"
                     "del"),
         std::string("\xE6\x97\xA5\xE6\x9C\xAC"), std::string("\xF0\x9F\xA7\xA0"), std::string() })
  {
    EXPECT_TRUE(IsValidUtf8(text)) << text;
    EXPECT_EQ(MakeValidUtf8(text, InvalidByte::Latin1), text);
    EXPECT_EQ(MakeValidUtf8(text, InvalidByte::Replacement), text);
  }
}

TEST(TextEncodingTest, MalformedSequencesAreRejected)
{
  for (const std::string & text :
       { std::string("Sch\xE4"
                     "del"),
         std::string("\xC0\xAF"), std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80"), std::string("\xE6\x97"),
         std::string("\x80"), std::string("\xFF\xFE") })
  {
    EXPECT_FALSE(IsValidUtf8(text)) << "bytes of length " << text.size();
    EXPECT_TRUE(IsValidUtf8(MakeValidUtf8(text, InvalidByte::Latin1)));
    EXPECT_TRUE(IsValidUtf8(MakeValidUtf8(text, InvalidByte::Replacement)));
  }
}

TEST(TextEncodingTest, Latin1BytesBecomeTheirCharacters)
{
  EXPECT_EQ(MakeValidUtf8("Sch\xE4"
                          "del",
                          InvalidByte::Latin1),
            "Sch\xC3\xA4"
            "del");
  EXPECT_EQ(MakeValidUtf8("\xC9"
                          "d\xE8"
                          "me",
                          InvalidByte::Latin1),
            "\xC3\x89"
            "d\xC3\xA8"
            "me");
  // Valid sequences inside invalid text are kept; only the stray bytes are read as Latin-1.
  EXPECT_EQ(MakeValidUtf8("\xC3\xA4\xE4", InvalidByte::Latin1), "\xC3\xA4\xC3\xA4");
}

TEST(TextEncodingTest, ReplacementMarksEachStrayByte)
{
  EXPECT_EQ(MakeValidUtf8("a\xFF"
                          "b",
                          InvalidByte::Replacement),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(MakeValidUtf8("\xE6\x97", InvalidByte::Replacement), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

} // namespace
} // namespace icanscan
