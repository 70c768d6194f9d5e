#include "batch/JobSlots.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <thread>

namespace icanscan::batch
{

int DefaultJobs(int cores, double memoryMb)
{
  int jobs = std::max(1, cores);
  if (memoryMb > 0)
    jobs = std::min(jobs, static_cast<int>(std::floor(memoryMb / kStudyMemoryMb)));
  return std::max(1, jobs);
}

int ThreadsPerStudy(int cores, int jobs)
{
  return std::max(1, std::max(1, cores) / std::max(1, jobs));
}

int AvailableCores()
{
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0)
    return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

double PhysicalMemoryMb()
{
  const long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || size <= 0)
    return 0;
  return static_cast<double>(pages) * static_cast<double>(size) / (1024.0 * 1024.0);
}

} // namespace icanscan::batch
