#pragma once

#include "batch/BatchRunner.h"

#include <ostream>
#include <string>

namespace icanscan::batch
{

/** \brief Shows a batch's progress: on a terminal one line redrawn in place (done, failed, running, elapsed, ETA) with
 * a line of its own for each study that does not end ok; otherwise (a log file, a pipe, a cluster job) plain log
 * lines, one when a study starts and one when it ends. */
class ProgressDisplay : public BatchObserver
{
public:
  ProgressDisplay(std::ostream & out, bool terminal);
  void Started(const std::string & id, const BatchProgress & progress) override;
  void Finished(const CompletionRecord & record, bool reused, const BatchProgress & progress) override;
  void Tick(const BatchProgress & progress) override;
  /** Ends the progress line (terminal mode). */
  void Close();

  /** "7/12 done, 1 failed, 2 running, elapsed 3m05s, ETA 2m10s" */
  static std::string ProgressLine(const BatchProgress & progress);
  /** "45s", "3m05s", "2h01m" */
  static std::string FormatDuration(double seconds);

private:
  void Redraw(const BatchProgress & progress);
  void Print(const std::string & line);
  std::ostream & m_Out;
  bool m_Terminal;
  std::size_t m_LineWidth = 0;
};

} // namespace icanscan::batch
