#pragma once

namespace icanscan::batch
{

/** \brief Memory one `icanscan run` needs at its peak, with room to spare (MiB). Measured: 0.75-0.85 GiB for a study,
 * about 1.3 GiB with a baseline (bench/batch.sh). */
constexpr double kStudyMemoryMb = 1536;

/** \brief Studies to run at once by default: one per core (a run's registrations are single-threaded, so a second
 * study uses a core the first leaves idle), but no more than the memory holds at kStudyMemoryMb each; at least 1. */
int DefaultJobs(int cores, double memoryMb);

/** \brief `run --threads` for each study: the cores shared out between the studies running at once; at least 1. */
int ThreadsPerStudy(int cores, int jobs);

/** \brief Cores this process may use (its CPU affinity, as Slurm and cgroups set it), at least 1. */
int AvailableCores();

/** \brief Physical memory of the machine (MiB); 0 when unknown. */
double PhysicalMemoryMb();

} // namespace icanscan::batch
