#include <gtest/gtest.h>

// Placeholder translation unit so the filters test executable exists before its first test file lands.
TEST(FiltersTest, LibraryLinks)
{
  EXPECT_EQ(1 + 1, 2);
}
