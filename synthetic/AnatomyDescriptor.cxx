#include "synthetic/AnatomyDescriptor.h"

#include "core/Error.h"

#include <toml++/toml.h>

#include <set>
#include <sstream>

namespace icanscan::synthetic
{
namespace
{

namespace fs = std::filesystem;

/** Reports problems of one descriptor, each naming the file. */
class Problems
{
public:
  explicit Problems(fs::path file)
    : m_File(std::move(file))
  {
  }
  [[noreturn]] void Fail(const std::string & what) const
  {
    throw UsageError("anatomy descriptor '" + m_File.string() + "': " + what);
  }
  const fs::path & File() const { return m_File; }

private:
  fs::path m_File;
};

void RejectUnknownKeys(const toml::table & table,
                       const std::set<std::string> & known,
                       const std::string & where,
                       const Problems & problems)
{
  for (const auto & [key, node] : table)
  {
    const std::string k(key.str());
    if (!known.count(k))
    {
      std::string list;
      for (const auto & name : known)
        list += (list.empty() ? "" : ", ") + name;
      problems.Fail("unknown key '" + k + "' in " + where + " (expected: " + list + ")");
    }
  }
}

std::string RequiredString(const toml::table & table,
                           const std::string & key,
                           const std::string & where,
                           const Problems & problems)
{
  const auto * node = table.get(key);
  if (!node)
    problems.Fail(where + " needs '" + key + "'");
  const auto value = node->value<std::string>();
  if (!value || !node->is_string() || value->empty())
    problems.Fail(where + " '" + key + "' must be a non-empty string");
  return *value;
}

int RequiredInt(const toml::table & table,
                const std::string & key,
                const std::string & where,
                const Problems & problems)
{
  const auto * node = table.get(key);
  if (!node)
    problems.Fail(where + " needs '" + key + "'");
  if (!node->is_integer())
    problems.Fail(where + " '" + key + "' must be an integer label value");
  const auto value = node->value<std::int64_t>();
  if (*value < 1 || *value > 65535)
    problems.Fail(where + " '" + key + "' = " + std::to_string(*value) + ": expected a label value in 1..65535");
  return static_cast<int>(*value);
}

std::vector<int> LabelValues(const toml::node & node, const std::string & where, const Problems & problems)
{
  std::vector<int> values;
  const auto * array = node.as_array();
  if (!array || array->empty())
    problems.Fail(where + " must be a non-empty list of integer label values, e.g. [4]");
  for (const auto & element : *array)
  {
    if (!element.is_integer())
      problems.Fail(where + " must hold integers only");
    const auto v = *element.value<std::int64_t>();
    if (v < 1 || v > 65535)
      problems.Fail(where + " holds " + std::to_string(v) + ": expected label values in 1..65535");
    values.push_back(static_cast<int>(v));
  }
  return values;
}

const toml::table & RequiredTable(const toml::table & root, const std::string & key, const Problems & problems)
{
  const auto * node = root.get(key);
  if (!node)
    problems.Fail("needs a [" + key + "] table");
  const auto * table = node->as_table();
  if (!table)
    problems.Fail("'" + key + "' must be a table ([" + key + "])");
  return *table;
}

fs::path ExistingFile(const fs::path & root,
                      const std::string & relative,
                      const std::string & where,
                      const Problems & problems)
{
  const fs::path path = fs::u8path(relative).is_absolute() ? fs::u8path(relative) : root / fs::u8path(relative);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw InputError("anatomy descriptor '" + problems.File().string() + "': " + where + " file '" + path.string() +
                       "' not found (root '" + root.string() +
                       "'; set it with --anatomy-root or ICANSCAN_ANATOMY_ROOT)",
                     ExitCode::NoUsableDicom);
  return path;
}

AnatomyLabelImage ReadLabelTable(const std::string & name,
                                 const toml::table & table,
                                 const fs::path & root,
                                 const Problems & problems)
{
  AnatomyLabelImage image;
  image.table = "labels." + name;
  std::set<std::string> known{ "file", "source", "brainstem" };
  for (const auto & info : pipeline::AllStructures())
    known.insert(info.key);
  RejectUnknownKeys(table, known, "[" + image.table + "]", problems);
  image.file = ExistingFile(root, RequiredString(table, "file", "[" + image.table + "]", problems),
                            "[" + image.table + "]", problems);
  if (table.get("source"))
  {
    const std::string source = RequiredString(table, "source", "[" + image.table + "]", problems);
    if (source != "subject" && source != "jhu")
      problems.Fail("[" + image.table + "] source = '" + source + "': expected \"subject\" or \"jhu\"");
    image.jhu = source == "jhu";
  }
  for (const auto & info : pipeline::AllStructures())
    if (const auto * node = table.get(info.key))
      image.values[static_cast<std::size_t>(info.structure)] =
        LabelValues(*node, "[" + image.table + "] " + info.key, problems);
  if (const auto * node = table.get("brainstem"))
    image.brainstem = LabelValues(*node, "[" + image.table + "] brainstem", problems);
  return image;
}

} // namespace

AnatomyDescriptor ReadAnatomyDescriptor(const fs::path & file, const std::optional<fs::path> & rootOverride)
{
  const Problems problems(file);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    problems.Fail("not found or not a regular file (give a .toml anatomy descriptor, or colin27)");
  toml::table root;
  try
  {
    root = toml::parse_file(file.string());
  }
  catch (const toml::parse_error & e)
  {
    std::ostringstream where;
    where << e.source().begin;
    problems.Fail("not valid TOML (" + std::string(e.description()) + " at " + where.str() + ")");
  }
  RejectUnknownKeys(root, { "format", "name", "description", "root", "t1", "brain_mask", "tissue", "labels" },
                    "the top level", problems);
  const std::string format = RequiredString(root, "format", "the top level", problems);
  if (format != "icanscan-anatomy-1")
    problems.Fail("format = '" + format + "': expected \"icanscan-anatomy-1\"");

  AnatomyDescriptor descriptor;
  descriptor.descriptorFile = file;
  descriptor.name = RequiredString(root, "name", "the top level", problems);
  if (root.get("description"))
    descriptor.description = RequiredString(root, "description", "the top level", problems);
  const fs::path folder = fs::absolute(file, ec).parent_path();
  if (rootOverride)
    descriptor.root = *rootOverride;
  else if (root.get("root"))
  {
    const fs::path given = fs::u8path(RequiredString(root, "root", "the top level", problems));
    descriptor.root = given.is_absolute() ? given : folder / given;
  }
  else
    descriptor.root = folder;
  descriptor.root = descriptor.root.lexically_normal();

  const auto & t1 = RequiredTable(root, "t1", problems);
  RejectUnknownKeys(t1, { "file", "skull_stripped" }, "[t1]", problems);
  descriptor.t1 = ExistingFile(descriptor.root, RequiredString(t1, "file", "[t1]", problems), "[t1]", problems);
  if (const auto * node = t1.get("skull_stripped"))
  {
    if (!node->is_boolean())
      problems.Fail("[t1] skull_stripped must be true or false");
    descriptor.skullStripped = *node->value<bool>();
  }
  if (!descriptor.skullStripped)
    problems.Fail("[t1] skull_stripped = false is not supported yet: give a skull-stripped T1 and its brain mask "
                  "(the phantom synthesises skull and scalp)");

  const auto & mask = RequiredTable(root, "brain_mask", problems);
  RejectUnknownKeys(mask, { "file" }, "[brain_mask]", problems);
  descriptor.brainMask =
    ExistingFile(descriptor.root, RequiredString(mask, "file", "[brain_mask]", problems), "[brain_mask]", problems);

  const auto & tissue = RequiredTable(root, "tissue", problems);
  RejectUnknownKeys(tissue, { "file", "csf", "gm", "wm" }, "[tissue]", problems);
  descriptor.tissue =
    ExistingFile(descriptor.root, RequiredString(tissue, "file", "[tissue]", problems), "[tissue]", problems);
  descriptor.tissueValues = { RequiredInt(tissue, "csf", "[tissue]", problems),
                              RequiredInt(tissue, "gm", "[tissue]", problems),
                              RequiredInt(tissue, "wm", "[tissue]", problems) };
  if (std::set<int>(descriptor.tissueValues.begin(), descriptor.tissueValues.end()).size() != 3)
    problems.Fail("[tissue] csf, gm and wm must be three different values");

  const auto & labels = RequiredTable(root, "labels", problems);
  if (labels.empty())
    problems.Fail("[labels] needs at least one label table, e.g. [labels.subcortical]");
  for (const auto & [key, node] : labels)
  {
    const std::string name(key.str());
    const auto * table = node.as_table();
    if (!table)
      problems.Fail("labels." + name + " must be a table ([labels." + name + "])");
    descriptor.labels.push_back(ReadLabelTable(name, *table, descriptor.root, problems));
  }
  for (const auto & info : pipeline::AllStructures())
  {
    const auto v = static_cast<std::size_t>(info.structure);
    int tables = 0;
    for (const auto & image : descriptor.labels)
      tables += image.values[v].empty() ? 0 : 1;
    if (tables == 0)
      problems.Fail("structure '" + std::string(info.key) + "' is in no [labels.*] table (every one of the 14 keys " +
                    "must be given)");
    if (tables > 1)
      problems.Fail("structure '" + std::string(info.key) + "' is given in " + std::to_string(tables) +
                    " label tables; give it once");
  }
  int brainstems = 0;
  for (const auto & image : descriptor.labels)
    brainstems += image.brainstem.empty() ? 0 : 1;
  if (brainstems > 1)
    problems.Fail("'brainstem' is given in several label tables; give it once");
  return descriptor;
}

} // namespace icanscan::synthetic
