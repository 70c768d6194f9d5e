#include "pipeline/report/ReportHtml.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iomanip>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
using Json = nlohmann::json;

constexpr const char * kDash = "—";
constexpr const char * kNotAssessable = "not assessable";

constexpr const char * kStyle = R"(
:root { --ok: #1b7f3b; --amber: #b26a00; --red: #b3261e; --grey: #5f6368; --line: #d0d4d9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 1.2em 1.6em 3em; color: #1f2328; background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6em; margin: 0 0 0.2em; }
h2 { font-size: 1.2em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.02em; margin: 1.1em 0 0.4em; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em; }
.meta { color: var(--grey); margin: 0.2em 0; }
.disclaimer { margin: 0.6em 0 0; padding: 0.5em 0.8em; border-left: 4px solid var(--grey); background: #f3f4f6; }
.disclaimer strong { font-size: 1.05em; }
.banner { margin: 0.8em 0; padding: 0.5em 0.8em; border: 1px solid var(--amber); color: var(--amber); }
.summary { border: 2px solid var(--line); border-radius: 6px; padding: 0.4em 1em 0.8em; margin-top: 1.2em; }
.summary h2 { border: none; margin-top: 0.6em; }
.flag { display: inline-block; padding: 0.3em 0.9em; border-radius: 4px; color: #fff; font-weight: 600;
  font-size: 1.15em; }
.flag-none { background: var(--ok); }
.flag-focal { background: var(--amber); }
.flag-diffuse { background: var(--red); }
.flag-not_assessable, .flag-unknown { background: var(--grey); }
.grades { display: flex; flex-wrap: wrap; gap: 0.6em 2.4em; margin: 0.8em 0 0.2em; }
.grades div { min-width: 14em; }
.grades .label { display: block; color: var(--grey); font-size: 0.88em; }
.grades .value { font-size: 1.15em; font-weight: 600; }
.note, .muted { color: var(--grey); font-size: 0.9em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.4em 0; font-size: 0.93em; }
th, td { border: 1px solid var(--line); padding: 0.25em 0.55em; text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.yes { color: var(--red); font-weight: 600; }
.na { color: var(--grey); font-style: italic; }
.status { font-weight: 600; }
.status-ok { color: var(--ok); }
.status-warning { color: var(--amber); }
.status-failed { color: var(--red); }
.status-other { color: var(--grey); }
.figures { display: flex; flex-wrap: wrap; gap: 1.2em; }
figure.key { margin: 0; max-width: 100%; }
.frame { position: relative; display: inline-block; max-width: 100%; padding: 1.5em; background: #000;
  line-height: 0; }
.frame img { display: block; max-width: 100%; height: auto; image-rendering: auto; }
.frame .edge { position: absolute; color: #fff; font: 600 14px/1 system-ui, sans-serif; }
.edge-left { left: 0.45em; top: 50%; transform: translateY(-50%); }
.edge-right { right: 0.45em; top: 50%; transform: translateY(-50%); }
.edge-top { top: 0.4em; left: 50%; transform: translateX(-50%); }
.edge-bottom { bottom: 0.4em; left: 50%; transform: translateX(-50%); }
.missing { padding: 3em 2em; color: #bbb; line-height: 1.4; }
figcaption { max-width: 40em; margin-top: 0.4em; }
footer { margin-top: 2.5em; color: var(--grey); font-size: 0.85em; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  figure.key, tr, .summary { break-inside: avoid; }
  .scroll { overflow: visible; }
}
)";

const Json * Find(const Json & object, const char * key)
{
  if (!object.is_object())
    return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string Humanise(const std::string & text)
{
  std::string out = text;
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string FormatNumber(double value)
{
  if (!std::isfinite(value))
    return kDash;
  const double magnitude = std::abs(value);
  const int decimals = magnitude < 1 ? 3 : magnitude < 10 ? 2 : magnitude < 1000 ? 1 : 0;
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  std::string text = out.str();
  if (text.find('.') != std::string::npos)
  {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.')
      text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

/** Display text (escaped) of any JSON value; `nullText` for null, "—" when missing. */
std::string Value(const Json * value, const std::string & nullText = kDash, bool humanise = false)
{
  if (value == nullptr)
    return kDash;
  switch (value->type())
  {
    case Json::value_t::null:
      return nullText;
    case Json::value_t::boolean:
      return value->get<bool>() ? "yes" : "no";
    case Json::value_t::number_integer:
      return std::to_string(value->get<long long>());
    case Json::value_t::number_unsigned:
      return std::to_string(value->get<unsigned long long>());
    case Json::value_t::number_float:
      return FormatNumber(value->get<double>());
    case Json::value_t::string:
    {
      const auto & text = value->get_ref<const std::string &>();
      return EscapeHtml(humanise ? Humanise(text) : text);
    }
    case Json::value_t::array:
    {
      if (value->empty())
        return kDash;
      std::string out;
      for (const auto & element : *value)
        out += (&element == &value->front() ? "" : ", ") + Value(&element, nullText, humanise);
      return out;
    }
    default:
      return EscapeHtml(value->dump(-1, ' ', false, Json::error_handler_t::replace));
  }
}

std::string Text(const Json & object, const char * key, const std::string & nullText = kDash)
{
  return Value(Find(object, key), nullText);
}

/** Booleans of the structures table: null is "not assessable", never "no". */
std::string BooleanCell(const Json * value)
{
  if (value == nullptr)
    return "<td>" + std::string(kDash) + "</td>";
  if (value->is_null())
    return "<td class=\"na\">" + std::string(kNotAssessable) + "</td>";
  if (value->is_boolean())
    return value->get<bool>() ? "<td class=\"yes\">yes</td>" : "<td>no</td>";
  return "<td>" + Value(value) + "</td>";
}

std::string PlainCell(const Json * value, bool humanise = false)
{
  const bool number = value != nullptr && value->is_number();
  return std::string(number ? "<td class=\"num\">" : "<td>") + Value(value, kDash, humanise) + "</td>";
}

std::string StatusCell(const Json * status)
{
  std::string kind = "other";
  if (status != nullptr && status->is_string())
  {
    const std::string & text = status->get_ref<const std::string &>();
    if (text == "ok" || text == "pass" || text == "passed")
      kind = "ok";
    else if (text == "warning" || text == "warn")
      kind = "warning";
    else if (text == "failed" || text == "fail" || text == "error" || text == "rejected")
      kind = "failed";
  }
  return "<td class=\"status status-" + kind + "\">" + Value(status) + "</td>";
}

/** A cell as a function of its row (a JSON object). */
struct Column
{
  std::string header;
  std::function<std::string(const Json &)> cell;
  std::string key; //!< the row key it shows, so extra columns skip it; empty for computed cells
};

Column Field(const std::string & key, const std::string & header, bool humanise = false)
{
  return { header, [key, humanise](const Json & row) { return PlainCell(Find(row, key.c_str()), humanise); }, key };
}

/** Rows of `rows` (an array of objects) under `columns`, then one column per key no column shows. */
std::string Table(const Json * rows, std::vector<Column> columns, const std::string & emptyText)
{
  if (rows == nullptr || rows->is_null())
    return "<p>" + std::string(kDash) + "</p>\n";
  if (!rows->is_array())
    return "<p>" + Value(rows) + "</p>\n";
  if (rows->empty())
    return "<p>" + emptyText + "</p>\n";
  for (const auto & row : *rows)
  {
    if (!row.is_object())
      continue;
    for (const auto & item : row.items())
    {
      const bool shown = std::any_of(columns.begin(), columns.end(),
                                     [&item](const Column & column) { return column.key == item.key(); });
      if (!shown)
        columns.push_back(Field(item.key(), EscapeHtml(Humanise(item.key()))));
    }
  }
  std::string out = "<div class=\"scroll\"><table>\n<thead><tr>";
  for (const auto & column : columns)
    out += "<th>" + column.header + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto & row : *rows)
  {
    if (!row.is_object())
    {
      out += "<tr><td colspan=\"" + std::to_string(columns.size()) + "\">" + Value(&row) + "</td></tr>\n";
      continue;
    }
    out += "<tr>";
    for (const auto & column : columns)
      out += column.cell(row);
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string ListItems(const Json * items, const std::string & emptyText)
{
  if (items == nullptr || items->is_null())
    return "<p>" + std::string(kDash) + "</p>\n";
  if (!items->is_array())
    return "<ul><li>" + Value(items) + "</li></ul>\n";
  if (items->empty())
    return "<p>" + emptyText + "</p>\n";
  std::string out = "<ul>\n";
  for (const auto & item : *items)
    out += "<li>" + Value(&item) + "</li>\n";
  return out + "</ul>\n";
}

std::string Header(const Json & report)
{
  std::string out = "<header>\n<h1>icanscan ICANS imaging report</h1>\n";
  const Json * study = Find(report, "study");
  const Json * reference = Find(report, "reference");
  out += "<p class=\"meta\">icanscan version " + Text(report, "icanscan_version") + " &middot; report schema " +
         Text(report, "schema_version") + " &middot; study <code>" +
         (study ? Text(*study, "study_uid_hash") : std::string(kDash)) + "</code> &middot; reference series: " +
         (reference ? Text(*reference, "role") + " (series " + Text(*reference, "series_number") + ")"
                    : std::string(kDash)) +
         "</p>\n";
  out += "<p class=\"disclaimer\"><strong>Supports clinical review; does not replace it.</strong> The program "
         "describes imaging patterns; it does not diagnose. Every finding must be checked on the source images.</p>\n";
  const Json * schema = Find(report, "schema_version");
  if (schema != nullptr && !(schema->is_number_integer() && schema->get<long long>() == 1))
  {
    out += "<p class=\"banner\">This page is laid out for report schema 1; this report gives schema " + Value(schema) +
           ". Parts may be missing.</p>\n";
  }
  return out + "</header>\n";
}

std::string FlagBadge(const Json * flag)
{
  std::string kind = "unknown";
  if (flag != nullptr && flag->is_string())
  {
    const std::string & text = flag->get_ref<const std::string &>();
    if (text == "none" || text == "focal" || text == "diffuse" || text == "not_assessable")
      kind = text;
  }
  const std::string text = flag == nullptr || flag->is_null() ? std::string(kDash) : Value(flag, kDash, true);
  return "<span class=\"flag flag-" + kind + "\">Oedema flag: " + text + "</span>\n";
}

std::string Reasons(const Json * reasons)
{
  if (reasons == nullptr || reasons->is_null())
    return "<p>Reasons: " + std::string(kDash) + "</p>\n";
  if (!reasons->is_array() || reasons->empty())
    return "<p>Reasons: " + (reasons->is_array() ? std::string("none given") : Value(reasons)) + "</p>\n";
  std::string out = "<ul class=\"reasons\">\n";
  for (const auto & reason : *reasons)
  {
    if (!reason.is_object())
    {
      out += "<li>" + Value(&reason) + "</li>\n";
      continue;
    }
    const Json * text = Find(reason, "text");
    out += "<li>" + (text ? Value(text) : Value(Find(reason, "marker"), kDash, true)) + " <span class=\"muted\">(" +
           Value(Find(reason, "marker"), kDash, true) + " = " + Text(reason, "value") + "; threshold " +
           Text(reason, "threshold") + ")</span></li>\n";
  }
  return out + "</ul>\n";
}

/** "key value; key value" of a JSON object, keys humanised, the keys in `order` first; empty for anything else. */
std::string KeyValues(const Json * object, const std::string & nullText, const std::vector<std::string> & order = {})
{
  std::string out;
  if (object == nullptr || !object->is_object())
    return out;
  const auto add = [&out, &nullText](const std::string & key, const Json & value)
  { out += (out.empty() ? "" : "; ") + EscapeHtml(Humanise(key)) + " " + Value(&value, nullText); };
  for (const auto & key : order)
  {
    if (const Json * value = Find(*object, key.c_str()))
      add(key, *value);
  }
  for (const auto & item : object->items())
  {
    if (std::find(order.begin(), order.end(), item.key()) == order.end())
      add(item.key(), item.value());
  }
  return out;
}

std::string OverallGrade(const Json * icans)
{
  if (icans == nullptr || icans->is_null())
    return kDash;
  const Json * grade = Find(*icans, "grade");
  if (grade != nullptr && !grade->is_null())
  {
    // With domains not assessed the grade is only a lower bound.
    const Json * missing = Find(*icans, "domains_not_assessed");
    const bool partial = missing != nullptr && missing->is_array() && !missing->empty();
    const Json * domains = Find(*icans, "determining_domains");
    const bool named = domains != nullptr && domains->is_array() && !domains->empty();
    return (partial ? "at least grade " : "grade ") + Value(grade) +
           (named ? " (determined by: " + Value(domains, kDash, true) + ")" : "") +
           (partial ? "; not assessed: " + Value(missing, kDash, true) : "");
  }
  const Json * domainGrade = Find(*icans, "oedema_domain_grade");
  if (domainGrade != nullptr && domainGrade->is_number())
    return "imaging only: oedema-domain grade " + Value(domainGrade);
  return kNotAssessable;
}

std::string Summary(const Json & report)
{
  const Json * oedema = Find(report, "oedema");
  const Json * icans = Find(report, "icans");
  std::string out = "<section class=\"summary\">\n<h2>Summary</h2>\n";
  out += FlagBadge(oedema ? Find(*oedema, "flag") : nullptr);
  out += Reasons(oedema ? Find(*oedema, "reasons") : nullptr);
  const std::string markers = KeyValues(oedema ? Find(*oedema, "markers") : nullptr, kDash);
  if (!markers.empty())
    out += "<p class=\"muted\">Markers: " + markers + "</p>\n";
  const std::string domainGrade = icans ? Text(*icans, "oedema_domain_grade", kNotAssessable) : std::string(kDash);
  out += "<div class=\"grades\">\n<div><span class=\"label\">ICANS oedema-domain grade (imaging)</span><span "
         "class=\"value\">" +
         domainGrade + "</span></div>\n<div><span class=\"label\">ICANS overall grade</span><span class=\"value\">" +
         OverallGrade(icans) + "</span></div>\n</div>\n";
  const std::string domains = KeyValues(icans ? Find(*icans, "domain_grades") : nullptr, "not assessed",
                                        { "ice", "consciousness", "seizure", "motor", "icp_oedema" });
  if (!domains.empty())
    out += "<p>Domain grades: " + domains + "</p>\n";
  const Json * gradeReasons = icans ? Find(*icans, "reasons") : nullptr;
  if (gradeReasons != nullptr && gradeReasons->is_array() && !gradeReasons->empty())
    out += "<div class=\"muted\">" + ListItems(gradeReasons, kDash) + "</div>\n";
  out += "<p class=\"note\">The ASTCT ICANS grade is the most severe of the ICE score, consciousness, seizure, motor "
         "and raised-ICP/cerebral-oedema domains. Imaging informs only the oedema domain (0, 3 focal, 4 diffuse); the "
         "overall grade needs the clinical assessment. Oedema due to haemorrhage is excluded from ICANS grading.</p>\n";
  return out + "</section>\n";
}

std::vector<Column> FindingColumns()
{
  return { Field("id", "#"),
           Field("kind", "kind", true),
           Field("structure", "structure", true),
           Field("laterality", "laterality", true),
           Field("volume_ml", "volume (mL)"),
           Field("centroid_mm", "centroid (mm, LPS)") };
}

std::string Figures(const std::vector<KeyImageFigure> & figures)
{
  std::string out = "<section>\n<h2>Key images</h2>\n";
  if (figures.empty())
    return out + "<p>No key images.</p>\n</section>\n";
  out += "<div class=\"figures\">\n";
  for (const auto & figure : figures)
  {
    const auto letters = OrientationLetters(figure.plane, figure.radiological);
    out += "<figure class=\"key\"><div class=\"frame\">";
    if (figure.png.empty())
      out += "<div class=\"missing\">image not available</div>";
    else
      out +=
        "<img src=\"data:image/png;base64," + Base64Encode(figure.png) + "\" alt=\"" + EscapeHtml(figure.title) + "\">";
    const char * edges[] = { "left", "right", "top", "bottom" };
    for (unsigned i = 0; i < 4; ++i)
      out += std::string("<span class=\"edge edge-") + edges[i] + "\">" + letters[i] + "</span>";
    const char * plane = figure.plane == KeyImagePlane::Axial     ? "axial"
                         : figure.plane == KeyImagePlane::Coronal ? "coronal"
                                                                  : "sagittal";
    const char * convention = figure.plane == KeyImagePlane::Sagittal ? " (anterior on image left)"
                              : figure.radiological ? ", radiological convention (patient left on image right)"
                                                    : ", neurological convention (patient left on image left)";
    out += "</div><figcaption><strong>" + EscapeHtml(figure.title) + "</strong><br>" + EscapeHtml(figure.caption) +
           "<br><span class=\"muted\">" + plane + convention + "</span></figcaption></figure>\n";
  }
  return out + "</div>\n</section>\n";
}

std::string Structures(const Json * structures)
{
  std::string out = "<section>\n<h2>Structures</h2>\n";
  if (structures == nullptr || structures->is_null())
    return out + "<p>" + kDash + "</p>\n</section>\n";
  if (!structures->is_object() || structures->empty())
    return out + "<p>" + (structures->is_object() ? std::string("No structures.") : Value(structures)) +
           "</p>\n</section>\n";
  out += "<div class=\"scroll\"><table>\n<thead><tr><th>structure</th><th>volume (mL)</th><th>expected (mL)</th>"
         "<th>T2/FLAIR involved</th><th>diffusion restricted</th><th>hyperintense (mL)</th><th>restricted (mL)</th>"
         "<th>ADC mean (&micro;m&sup2;/s)</th><th>ADC ratio</th></tr></thead>\n<tbody>\n";
  for (const auto & item : structures->items())
  {
    const Json & s = item.value();
    out += "<tr><td>" + EscapeHtml(Humanise(item.key())) + "</td>" + PlainCell(Find(s, "volume_ml")) +
           PlainCell(Find(s, "expected_volume_ml")) + BooleanCell(Find(s, "t2flair_involved")) +
           BooleanCell(Find(s, "diffusion_restricted")) + PlainCell(Find(s, "hyperintense_ml")) +
           PlainCell(Find(s, "restricted_ml")) + PlainCell(Find(s, "adc_mean_um2s")) + PlainCell(Find(s, "adc_ratio")) +
           "</tr>\n";
  }
  out += "</tbody></table></div>\n<p class=\"note\">Expected volumes come from the atlas scaled to this head; ADC "
         "ratio is relative to the same patient's normal tissue of the same class.</p>\n";
  return out + "</section>\n";
}

std::string Series(const Json * series)
{
  const Column qcStatus{ "QC status",
                         [](const Json & row)
                         {
                           const Json * qc = Find(row, "qc");
                           return StatusCell(qc ? Find(*qc, "status") : nullptr);
                         },
                         "" };
  const Column qcMessages{ "QC messages",
                           [](const Json & row)
                           {
                             const Json * qc = Find(row, "qc");
                             return "<td>" + (qc ? Text(*qc, "messages") : std::string(kDash)) + "</td>";
                           },
                           "qc" };
  return "<section>\n<h2>Series and quality control</h2>\n" +
         Table(series,
               { Field("role", "role"), Field("series_number", "series"), Field("series_description", "description"),
                 Field("b_values", "b-values (s/mm&sup2;)"), qcStatus, qcMessages },
               "No series.") +
         "</section>\n";
}

std::string Registration(const Json * registration)
{
  const Column status{ "status", [](const Json & row) { return StatusCell(Find(row, "status")); }, "status" };
  return "<section>\n<h2>Registration</h2>\n" +
         Table(registration,
               { Field("moving", "moving"), Field("fixed", "fixed"), status, Field("messages", "messages") },
               "No registrations.") +
         "</section>\n";
}

std::string Methods(const Json * methods)
{
  std::string out = "<section>\n<h2>Methods</h2>\n";
  if (methods == nullptr || methods->is_null())
    return out + "<p>" + kDash + "</p>\n</section>\n";
  if (!methods->is_array())
    return out + "<p>" + Value(methods) + "</p>\n</section>\n";
  for (const auto & paragraph : *methods)
    out += "<p>" + Value(&paragraph) + "</p>\n";
  return out + "</section>\n";
}

std::string Baseline(const Json * baseline)
{
  if (baseline == nullptr || baseline->is_null())
    return {};
  std::string out = "<section>\n<h2>Comparison with baseline</h2>\n";
  if (!baseline->is_object())
    return out + "<p>" + Value(baseline) + "</p>\n</section>\n";
  std::string details;
  for (const auto & item : baseline->items())
  {
    if (item.key() != "structures" && item.key() != "new_findings" && item.key() != "resolved_findings")
      details += "<tr><th>" + EscapeHtml(Humanise(item.key())) + "</th>" + PlainCell(&item.value()) + "</tr>\n";
  }
  if (!details.empty())
    out += "<table>\n" + details + "</table>\n";
  out += "<h3>Structures</h3>\n";
  const Json * structures = Find(*baseline, "structures");
  if (structures != nullptr && structures->is_object())
  {
    Json rows = Json::array();
    for (const auto & item : structures->items())
    {
      Json row = { { "structure", item.key() } };
      if (item.value().is_object())
        row.update(item.value());
      rows.push_back(row);
    }
    out += Table(&rows,
                 { Field("structure", "structure", true), Field("volume_change_pct", "volume change (%)"),
                   Field("seen_fraction", "seen by the registration (fraction)") },
                 "No structures compared.");
  }
  else
  {
    out += Table(structures, {}, "No structures compared.");
  }
  out += "<h3>New findings</h3>\n" + Table(Find(*baseline, "new_findings"), FindingColumns(), "None.");
  out += "<h3>Resolved findings</h3>\n" + Table(Find(*baseline, "resolved_findings"), FindingColumns(), "None.");
  return out + "</section>\n";
}
} // namespace

std::string EscapeHtml(const std::string & text)
{
  std::string out;
  out.reserve(text.size());
  for (const char c : text)
  {
    switch (c)
    {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderReportHtml(const nlohmann::json & report, const std::vector<KeyImageFigure> & figures)
{
  const Json * study = Find(report, "study");
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    // Enforces self-containment in the browser: nothing but inline styles and data: images loads.
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
                    "style-src 'unsafe-inline'\">\n"
                    "<title>icanscan ICANS imaging report";
  if (study != nullptr && Find(*study, "study_uid_hash") != nullptr)
    out += " &middot; " + Text(*study, "study_uid_hash");
  out += "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  out += Header(report);
  out += Summary(report);
  out += "<section>\n<h2>Findings</h2>\n" + Table(Find(report, "findings"), FindingColumns(), "No findings.") +
         "</section>\n";
  out += Figures(figures);
  out += Structures(Find(report, "structures"));
  out += Series(Find(report, "series"));
  out += Registration(Find(report, "registration"));
  out += "<section>\n<h2>Warnings</h2>\n" + ListItems(Find(report, "warnings"), "None.") + "</section>\n";
  out += Methods(Find(report, "methods"));
  out += Baseline(Find(report, "baseline"));
  out += "<footer>icanscan " + Text(report, "icanscan_version") +
         ". Supports clinical review; does not replace it.</footer>\n</body>\n</html>\n";
  return out;
}

} // namespace icanscan::pipeline
