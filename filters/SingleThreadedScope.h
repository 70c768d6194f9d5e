#pragma once

#include "itkMultiThreaderBase.h"

namespace icanscan::filters
{

/** \brief While alive, ITK objects created (and internal filters a filter creates while it runs) use one thread; the
 * previous global default is restored after. For results that must not change from run to run: ITK sums the work
 * units' partial results in whatever order they finish (Mattes MI derivatives, N4's B-spline fitting), and rounding
 * differences grow over hundreds of iterations. Not for concurrent use from several threads (it sets a process-wide
 * default). */
class SingleThreadedScope
{
public:
  explicit SingleThreadedScope(bool active = true)
    : m_Saved(itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads())
    , m_Active(active)
  {
    if (m_Active)
      itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(1);
  }
  ~SingleThreadedScope()
  {
    if (m_Active)
      itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(m_Saved);
  }
  SingleThreadedScope(const SingleThreadedScope &) = delete;
  SingleThreadedScope & operator=(const SingleThreadedScope &) = delete;

  /** The number of threads outside the guard: for filters whose output does not depend on it (resampling). */
  itk::ThreadIdType Saved() const { return m_Saved; }

private:
  itk::ThreadIdType m_Saved;
  bool m_Active;
};

} // namespace icanscan::filters
