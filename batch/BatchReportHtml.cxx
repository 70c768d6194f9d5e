#include "batch/BatchReportHtml.h"

#include "core/TextFormat.h"
#include "pipeline/report/ReportHtml.h"

#include <map>

namespace icanscan::batch
{
namespace
{
using pipeline::EscapeHtml;

constexpr const char * kStyle = R"(
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em;margin:0 0 .3em}
p.note{color:#555;margin:.2em 0 1em}
span.count{display:inline-block;margin-right:1.2em}
table{border-collapse:collapse;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eee;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}
td.num{text-align:right}
tr.failed td{background:#f8d7da}
tr.partial td{background:#fff3cd}
tr.skipped td{color:#777}
.flag-focal{color:#b35c00;font-weight:bold}
.flag-diffuse{color:#b00020;font-weight:bold}
.qc-suspect{background:#fff3cd !important;font-weight:bold}
.qc-failed{background:#f5c2c7 !important;font-weight:bold}
td.error{max-width:40em;font-size:.9em}
footer{margin-top:1.5em;color:#666;font-size:.85em}
)";

constexpr const char * kSortScript = R"(
document.querySelectorAll('table.sortable th').forEach(function(th, col){
  th.addEventListener('click', function(){
    var table = th.closest('table'), body = table.tBodies[0];
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    table.querySelectorAll('th').forEach(function(h){ h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    var key = function(row){ var c = row.cells[col]; return c.getAttribute('data-sort') || c.textContent.trim(); };
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function(a, b){
      var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
      if (x === '' || y === '') return x === y ? 0 : (x === '' ? 1 : -1);
      if (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) return dir * (nx - ny);
      return dir * x.localeCompare(y, undefined, {numeric: true});
    });
    rows.forEach(function(r){ body.appendChild(r); });
  });
});
)";

std::string Td(const std::string & html, const std::string & cls = {}, const std::string & sortKey = {})
{
  std::string td = "<td";
  if (!cls.empty())
    td += " class=\"" + cls + "\"";
  if (!sortKey.empty())
    td += " data-sort=\"" + EscapeHtml(sortKey) + "\"";
  return td + ">" + html + "</td>";
}

std::string Involved(const ReportDigest & d)
{
  std::string out;
  for (const auto & s : d.structures)
  {
    std::string kinds;
    if (s.t2flairInvolved.value_or(false))
      kinds = "T2/FLAIR";
    if (s.diffusionRestricted.value_or(false))
      kinds += kinds.empty() ? "DWI" : ", DWI";
    if (!kinds.empty())
      out += (out.empty() ? "" : "<br>") + EscapeHtml(s.key) + " (" + kinds + ")";
  }
  return out;
}

std::string QcCell(const ReportDigest & d)
{
  const std::string worst = d.WorstRegistration();
  std::string text = EscapeHtml(worst.empty() ? "" : worst);
  for (const auto & r : d.registrations)
    if (r.status != "ok")
      text += "<br>" + EscapeHtml(r.moving + ": " + r.status);
  if (d.rejectedSeries)
    text += "<br>" + std::to_string(d.rejectedSeries) + " series rejected";
  const std::string cls = worst == "failed" ? "qc-failed" : worst == "suspect" ? "qc-suspect" : "";
  return Td(text, cls, worst);
}

std::string Row(const SummaryRow & row)
{
  const auto & r = row.record;
  const std::string status = ToString(r.status);
  std::string html = "<tr class=\"" + status + "\">";
  const std::string id = EscapeHtml(r.id);
  html += Td(row.report ? "<a href=\"" + EscapeHtml(r.id) + "/report.html\">" + id + "</a>" : id, {}, r.id);
  html += Td(status);
  html += Td(r.exitCode ? std::to_string(*r.exitCode) : "", "num");
  if (row.report)
  {
    const auto & d = *row.report;
    html += Td(EscapeHtml(d.referenceRole + (d.referenceSeriesId.empty() ? "" : " (" + d.referenceSeriesId + ")")));
    const std::string flagClass = d.oedemaFlag == "focal" || d.oedemaFlag == "diffuse" ? "flag-" + d.oedemaFlag : "";
    html += Td(EscapeHtml(d.oedemaFlag), flagClass);
    html += Td(d.oedemaDomainGrade ? std::to_string(*d.oedemaDomainGrade) : "", "num");
    html += Td(d.icansGrade ? std::to_string(*d.icansGrade) : "", "num");
    html += Td(d.findings ? std::to_string(*d.findings) : "", "num");
    html += Td(Involved(d));
    html += QcCell(d);
  }
  else
    for (int k = 0; k < 7; ++k)
      html += Td("");
  const bool ran = r.status != StudyStatus::Skipped;
  html += Td(ran ? FormatFixed(r.seconds, 0) : "", "num");
  html += Td(ran ? FormatFixed(r.peakMemoryMb, 0) : "", "num");
  html += Td(EscapeHtml(r.error), "error");
  return html + "</tr>\n";
}
} // namespace

std::string BatchReportHtml(const std::vector<SummaryRow> & rows, const std::string & version)
{
  std::map<std::string, int> counts;
  int flagged = 0, qcProblems = 0;
  for (const auto & row : rows)
  {
    ++counts[ToString(row.record.status)];
    if (row.report && (row.report->oedemaFlag == "focal" || row.report->oedemaFlag == "diffuse"))
      ++flagged;
    if (row.report && (row.report->WorstRegistration() == "suspect" || row.report->WorstRegistration() == "failed"))
      ++qcProblems;
  }
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<title>icanscan batch: " +
                     std::to_string(rows.size()) + " studies</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>icanscan batch: " + std::to_string(rows.size()) + " studies</h1>\n<p>";
  for (const char * s : { "ok", "warning", "partial", "failed", "skipped" })
    html += "<span class=\"count\">" + std::string(s) + ": <strong>" + std::to_string(counts[s]) + "</strong></span>";
  html += "<span class=\"count\">oedema flagged: <strong>" + std::to_string(flagged) +
          "</strong></span><span class=\"count\">registration QC suspect/failed: <strong>" +
          std::to_string(qcProblems) + "</strong></span></p>\n";
  html += "<p class=\"note\">Click a column header to sort. Each study links to its own report.html. The same table "
          "with every structure's volume and involvement: <a href=\"batch_summary.tsv\">batch_summary.tsv</a>.</p>\n";
  html += "<table class=\"sortable\">\n<thead><tr><th>study</th><th>status</th><th>exit</th><th>reference</th>"
          "<th>oedema flag</th><th>oedema-domain grade</th><th>ICANS grade</th><th>findings</th>"
          "<th>involved structures</th><th>registration QC</th><th>seconds</th><th>peak MiB</th>"
          "<th>error / warnings</th></tr></thead>\n<tbody>\n";
  for (const auto & row : rows)
    html += Row(row);
  html += "</tbody>\n</table>\n<footer>icanscan " + EscapeHtml(version) +
          ". Supports clinical review; does not replace it.</footer>\n<script>" + kSortScript +
          "</script>\n</body>\n</html>\n";
  return html;
}

} // namespace icanscan::batch
