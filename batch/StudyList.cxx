#include "batch/StudyList.h"

#include "core/Error.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace icanscan::batch
{
namespace fs = std::filesystem;

namespace
{
std::string Trim(const std::string & s)
{
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string Lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/** The canonical column a header cell names, or empty when unknown. */
std::string ColumnName(const std::string & header)
{
  static const std::map<std::string, std::string> names = {
    { "id", "id" },
    { "study_id", "id" },
    { "study", "study" },
    { "study_path", "study" },
    { "path", "study" },
    { "baseline", "baseline" },
    { "baseline_path", "baseline" },
    { "baseline_id", "baseline" },
    { "clinical", "clinical" },
    { "clinical_json", "clinical" },
    { "roles", "roles" },
    { "role", "roles" },
    { "role_overrides", "roles" },
  };
  const auto it = names.find(Lower(Trim(header)));
  return it == names.end() ? std::string() : it->second;
}

/** An absolute path: relative ones are relative to `folder` (itself made absolute from the working folder). */
fs::path Resolve(const fs::path & folder, const std::string & value)
{
  const fs::path p(value);
  return (p.is_absolute() ? p : fs::absolute(folder) / p).lexically_normal();
}

std::vector<std::string> SplitRoles(const std::string & cell)
{
  std::vector<std::string> roles;
  std::string current;
  for (char c : cell + ";")
  {
    if (c == ';' || c == ' ' || c == '\t')
    {
      if (!current.empty())
        roles.push_back(current);
      current.clear();
    }
    else
      current += c;
  }
  return roles;
}

std::string Canonical(const fs::path & p)
{
  std::error_code ec;
  const auto c = fs::weakly_canonical(p, ec);
  return (ec ? p.lexically_normal() : c).string();
}

/** Throws when following baselines from some study comes back to it. */
void CheckNoBaselineLoop(const std::vector<StudyEntry> & studies, const std::string & source)
{
  std::map<std::string, std::string> baselineOf;
  for (const auto & s : studies)
    baselineOf[s.id] = s.baselineId;
  for (const auto & s : studies)
  {
    std::set<std::string> seen{ s.id };
    for (std::string b = s.baselineId; !b.empty(); b = baselineOf[b])
      if (!seen.insert(b).second)
        throw UsageError(source + ": the baselines of study '" + s.id + "' loop back to '" + b + "'");
  }
}
} // namespace

void ValidateStudyId(const std::string & id, const std::string & where)
{
  auto fail = [&](const std::string & why) { throw UsageError(where + ": study id '" + id + "' " + why); };
  if (id.empty())
    throw UsageError(where + ": empty study id");
  if (id == "." || id == ".." || id.front() == '.')
    fail("cannot start with '.'");
  for (unsigned char c : id)
    if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f)
      fail("cannot hold '/', '\\', tabs or control characters (it names the study's folder under OUT_ROOT)");
  if (id.rfind("batch_", 0) == 0)
    fail("cannot start with 'batch_' (reserved for the batch's own files under OUT_ROOT)");
}

std::vector<std::vector<std::string>> SplitDelimited(const std::string & text,
                                                     char delimiter,
                                                     const std::string & source)
{
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, cellWasQuoted = false, any = false;
  int line = 1, quoteLine = 0;
  auto endCell = [&]
  {
    row.push_back(cellWasQuoted ? cell : Trim(cell));
    cell.clear();
    cellWasQuoted = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i)
  {
    const char c = text[i];
    if (quoted)
    {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
      {
        cell += '"';
        ++i;
      }
      else if (c == '"')
        quoted = false;
      else
      {
        if (c == '\n')
          ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"' && delimiter == ',' && Trim(cell).empty())
    {
      quoted = cellWasQuoted = true;
      quoteLine = line;
      cell.clear();
      any = true;
    }
    else if (c == delimiter)
    {
      endCell();
      any = true;
    }
    else if (c == '\n')
    {
      ++line;
      endCell();
      rows.push_back(row);
      row.clear();
      any = false;
    }
    else if (c != '\r')
    {
      cell += c;
      any = true;
    }
  }
  if (quoted)
    throw UsageError(source + ": line " + std::to_string(quoteLine) + ": a quoted cell is never closed");
  if (any || !cell.empty())
  {
    endCell();
    rows.push_back(row);
  }
  return rows;
}

std::vector<StudyEntry> ParseManifest(const std::string & text,
                                      const std::string & source,
                                      const fs::path & folder,
                                      char delimiter)
{
  // A row is a line (a quoted cell spanning lines shifts the numbers in messages after it).
  const auto rows = SplitDelimited(text, delimiter, source);
  std::vector<StudyEntry> studies;
  std::vector<std::string> columns;
  std::vector<int> lineOf;
  std::vector<std::string> baselineCells;
  int line = 0;
  for (const auto & row : rows)
  {
    ++line;
    const bool blank = std::all_of(row.begin(), row.end(), [](const std::string & c) { return c.empty(); });
    if (blank || (!row.empty() && !row.front().empty() && row.front().front() == '#'))
      continue;
    const std::string where = source + ": line " + std::to_string(line);
    if (columns.empty())
    {
      for (const auto & header : row)
      {
        const std::string name = ColumnName(header);
        if (name.empty())
          throw UsageError(where + ": unknown column '" + header +
                           "' (expected a header line with id, study and optionally baseline, clinical, roles)");
        if (std::find(columns.begin(), columns.end(), name) != columns.end())
          throw UsageError(where + ": column '" + header + "' given twice");
        columns.push_back(name);
      }
      for (const char * required : { "id", "study" })
        if (std::find(columns.begin(), columns.end(), required) == columns.end())
          throw UsageError(where + ": the header line has no '" + std::string(required) +
                           "' column (expected id, study and optionally baseline, clinical, roles)");
      continue;
    }
    if (row.size() > columns.size())
      throw UsageError(where + ": " + std::to_string(row.size()) + " cells, but the header names " +
                       std::to_string(columns.size()) + " columns");
    StudyEntry entry;
    std::string baselineCell;
    for (std::size_t k = 0; k < columns.size(); ++k)
    {
      const std::string value = k < row.size() ? row[k] : std::string();
      if (columns[k] == "id")
        entry.id = value;
      else if (columns[k] == "study")
      {
        if (value.empty())
          throw UsageError(where + ": no study path");
        entry.study = Resolve(folder, value);
      }
      else if (columns[k] == "baseline")
        baselineCell = value;
      else if (columns[k] == "clinical" && !value.empty())
        entry.clinical = Resolve(folder, value);
      else if (columns[k] == "roles")
        entry.roles = SplitRoles(value);
    }
    ValidateStudyId(entry.id, where);
    for (const auto & s : studies)
      if (s.id == entry.id)
        throw UsageError(where + ": study id '" + entry.id + "' already used on line " +
                         std::to_string(lineOf[&s - studies.data()]));
    studies.push_back(entry);
    baselineCells.push_back(baselineCell);
    lineOf.push_back(line);
  }
  if (columns.empty())
    throw UsageError(source + ": empty manifest (expected a header line, then one study per line)");
  if (studies.empty())
    throw UsageError(source + ": the manifest lists no study");

  std::map<std::string, std::size_t> byId, byPath;
  for (std::size_t i = 0; i < studies.size(); ++i)
  {
    byId[studies[i].id] = i;
    byPath.emplace(Canonical(studies[i].study), i);
  }
  for (std::size_t i = 0; i < studies.size(); ++i)
  {
    const std::string & value = baselineCells[i];
    if (value.empty())
      continue;
    const std::string where = source + ": line " + std::to_string(lineOf[i]);
    std::optional<std::size_t> other;
    if (const auto it = byId.find(value); it != byId.end())
      other = it->second;
    else if (const auto p = byPath.find(Canonical(Resolve(folder, value))); p != byPath.end())
      other = p->second;
    if (other && *other == i)
      throw UsageError(where + ": study '" + studies[i].id + "' names itself as its baseline");
    studies[i].baseline = other ? studies[*other].study : Resolve(folder, value);
    studies[i].baselineId = other ? studies[*other].id : std::string();
  }
  CheckNoBaselineLoop(studies, source);
  return studies;
}

std::vector<StudyEntry> ReadManifest(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw UsageError(file.string() + ": cannot read the manifest");
  std::ostringstream text;
  text << in.rdbuf();
  const std::string content = text.str();
  const std::string firstLine = content.substr(0, content.find('\n'));
  const bool tsv = Lower(file.extension().string()) == ".tsv" ||
                   (Lower(file.extension().string()) != ".csv" && firstLine.find('\t') != std::string::npos);
  return ParseManifest(content, file.string(), file.parent_path(), tsv ? '\t' : ',');
}

std::vector<StudyEntry> ScanStudyFolder(const fs::path & folder, const fs::path & exclude)
{
  std::vector<StudyEntry> studies;
  const std::string excluded = exclude.empty() ? std::string() : Canonical(exclude);
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
  {
    const std::string name = it->path().filename().string();
    if (!it->is_directory() || name.empty() || name.front() == '.' || Canonical(it->path()) == excluded)
      continue;
    StudyEntry entry;
    entry.id = name;
    entry.study = fs::absolute(it->path()).lexically_normal();
    ValidateStudyId(entry.id, folder.string());
    studies.push_back(entry);
  }
  if (ec)
    throw UsageError(folder.string() + ": cannot list the folder: " + ec.message());
  if (studies.empty())
    throw UsageError(folder.string() + ": no study subfolder (INPUT is a folder with one study per subfolder, or a "
                                       "CSV/TSV manifest)");
  std::sort(studies.begin(), studies.end(), [](const auto & a, const auto & b) { return a.id < b.id; });
  return studies;
}

std::vector<StudyEntry> ReadStudyList(const fs::path & input, const fs::path & exclude)
{
  std::error_code ec;
  if (fs::is_directory(input, ec))
    return ScanStudyFolder(input, exclude);
  if (!fs::exists(input, ec))
    throw UsageError(input.string() + ": no such folder or manifest file");
  return ReadManifest(input);
}

std::vector<StudyEntry> OrderBaselinesFirst(const std::vector<StudyEntry> & studies)
{
  std::vector<StudyEntry> ordered;
  std::set<std::string> placed;
  std::map<std::string, const StudyEntry *> byId;
  for (const auto & s : studies)
    byId[s.id] = &s;
  // depth-first: a study's baseline chain first (loops were rejected when the list was read)
  std::function<void(const StudyEntry &, int)> place = [&](const StudyEntry & s, int depth)
  {
    if (placed.count(s.id) || depth > static_cast<int>(studies.size()))
      return;
    if (!s.baselineId.empty() && byId.count(s.baselineId))
      place(*byId[s.baselineId], depth + 1);
    if (placed.insert(s.id).second)
      ordered.push_back(s);
  };
  for (const auto & s : studies)
    place(s, 0);
  return ordered;
}

nlohmann::json StudyListToJson(const std::vector<StudyEntry> & studies)
{
  nlohmann::json list = nlohmann::json::array();
  for (const auto & s : studies)
    list.push_back({ { "id", s.id },
                     { "study", s.study.string() },
                     { "baseline", s.baseline.string() },
                     { "baseline_id", s.baselineId },
                     { "clinical", s.clinical.string() },
                     { "roles", s.roles } });
  return list;
}

std::vector<StudyEntry> StudyListFromJson(const nlohmann::json & json, const std::string & source)
{
  if (!json.is_array())
    throw InputError(source + ": expected a JSON array of studies");
  std::vector<StudyEntry> studies;
  for (const auto & item : json)
  {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("study") ||
        !item["study"].is_string())
      throw InputError(source + ": each study needs string fields 'id' and 'study'");
    StudyEntry entry;
    entry.id = item["id"].get<std::string>();
    entry.study = item["study"].get<std::string>();
    entry.baseline = item.value("baseline", std::string());
    entry.baselineId = item.value("baseline_id", std::string());
    entry.clinical = item.value("clinical", std::string());
    if (item.contains("roles") && item["roles"].is_array())
      for (const auto & r : item["roles"])
        if (r.is_string())
          entry.roles.push_back(r.get<std::string>());
    studies.push_back(entry);
  }
  return studies;
}

} // namespace icanscan::batch
