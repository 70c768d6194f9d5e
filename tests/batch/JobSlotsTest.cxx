#include "batch/JobSlots.h"

#include <gtest/gtest.h>

namespace icanscan::batch
{
namespace
{
TEST(JobSlotsTest, OneStudyPerCoreBoundedByMemory)
{
  EXPECT_EQ(DefaultJobs(2, 24 * 1024), 2);
  EXPECT_EQ(DefaultJobs(64, 8 * 1024), 5) << "8 GiB holds 5 studies at 1.5 GiB";
  EXPECT_EQ(DefaultJobs(8, 1000), 1) << "at least one";
  EXPECT_EQ(DefaultJobs(0, 0), 1);
  EXPECT_EQ(DefaultJobs(4, 0), 4) << "memory unknown";
  EXPECT_EQ(ThreadsPerStudy(8, 2), 4);
  EXPECT_EQ(ThreadsPerStudy(2, 2), 1);
  EXPECT_EQ(ThreadsPerStudy(2, 5), 1);
  EXPECT_GE(AvailableCores(), 1);
  EXPECT_GT(PhysicalMemoryMb(), 0);
}

} // namespace
} // namespace icanscan::batch
