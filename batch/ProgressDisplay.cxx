#include "batch/ProgressDisplay.h"

#include "core/TextFormat.h"

#include <cmath>
#include <cstdio>

namespace icanscan::batch
{

ProgressDisplay::ProgressDisplay(std::ostream & out, bool terminal)
  : m_Out(out)
  , m_Terminal(terminal)
{
}

std::string ProgressDisplay::FormatDuration(double seconds)
{
  const long s = std::lround(std::max(0.0, seconds));
  char text[32];
  if (s < 60)
    std::snprintf(text, sizeof(text), "%lds", s);
  else if (s < 3600)
    std::snprintf(text, sizeof(text), "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof(text), "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  return text;
}

std::string ProgressDisplay::ProgressLine(const BatchProgress & p)
{
  std::string line = std::to_string(p.done) + "/" + std::to_string(p.total) + " done";
  if (p.reused)
    line += " (" + std::to_string(p.reused) + " reused)";
  line += ", " + std::to_string(p.failed) + " failed, " + std::to_string(p.running) + " running, elapsed " +
          FormatDuration(p.elapsedSeconds);
  line += ", ETA " + (p.etaSeconds ? FormatDuration(*p.etaSeconds) : std::string("?"));
  return line;
}

void ProgressDisplay::Print(const std::string & line)
{
  if (m_Terminal && m_LineWidth)
  {
    m_Out << "\r" << std::string(m_LineWidth, ' ') << "\r";
    m_LineWidth = 0;
  }
  m_Out << "batch: " << line << "\n" << std::flush;
}

void ProgressDisplay::Redraw(const BatchProgress & progress)
{
  if (!m_Terminal)
    return;
  const std::string line = "batch: " + ProgressLine(progress);
  m_Out << "\r" << line;
  if (line.size() < m_LineWidth)
    m_Out << std::string(m_LineWidth - line.size(), ' ') << "\r" << line;
  m_Out << std::flush;
  m_LineWidth = line.size();
}

void ProgressDisplay::Started(const std::string & id, const BatchProgress & progress)
{
  if (!m_Terminal)
    Print("started " + id + " (" + std::to_string(progress.running) + " running)");
  Redraw(progress);
}

void ProgressDisplay::Finished(const CompletionRecord & r, bool reused, const BatchProgress & progress)
{
  const std::string where = "[" + std::to_string(progress.done) + "/" + std::to_string(progress.total) + "] ";
  std::string line = where + r.id + " " + ToString(r.status);
  if (reused)
    line += " (complete from an earlier batch, reused)";
  else if (r.exitCode)
    line += " (exit " + std::to_string(*r.exitCode) + ", " + FormatDuration(r.seconds) + ", " +
            FormatFixed(r.peakMemoryMb, 0) + " MiB)";
  if (!r.error.empty())
    line += ": " + r.error;
  const bool notable = r.status != StudyStatus::Ok && !reused;
  if (!m_Terminal || notable)
    Print(line);
  Redraw(progress);
}

void ProgressDisplay::Tick(const BatchProgress & progress)
{
  Redraw(progress);
}

void ProgressDisplay::Close()
{
  if (m_Terminal && m_LineWidth)
    m_Out << "\n" << std::flush;
  m_LineWidth = 0;
}

} // namespace icanscan::batch
