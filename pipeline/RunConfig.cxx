#include "pipeline/RunConfig.h"

#include "core/Error.h"

#include <toml++/toml.h>

#include <algorithm>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
template<typename TParams>
void AddSection(std::vector<RunSetting> & out, const SettingSection<TParams> & section, TParams RunParams::*member)
{
  for (const auto & s : section.settings)
    out.push_back({ section.name, s.key, [member, m = s.member](RunParams & p) -> double & { return (p.*member).*m; },
                    s.defaultValue, RangeText(s), s.unit, s.doc });
}

std::string SectionList()
{
  std::string list;
  for (const auto & name : RunConfigSections())
    list += (list.empty() ? "[" : ", [") + name + "]";
  return list;
}
} // namespace

const std::vector<RunSetting> & RunSettings()
{
  static const std::vector<RunSetting> settings = []
  {
    std::vector<RunSetting> all;
    AddSection(all, LesionDetectionSettings(), &RunParams::detection);
    AddSection(all, InvolvementSettings(), &RunParams::involvement);
    AddSection(all, OedemaSettings(), &RunParams::oedema);
    return all;
  }();
  return settings;
}

std::vector<std::string> RunConfigSections()
{
  std::vector<std::string> names;
  for (const auto & s : RunSettings())
    if (names.empty() || names.back() != s.section)
      names.push_back(s.section);
  return names;
}

void ValidateRunParams(const RunParams & params)
{
  ValidateLesionDetectionParams(params.detection);
  ValidateInvolvementParams(params.involvement);
  ValidateOedemaParams(params.oedema);
}

RunParams LoadRunConfig(const std::filesystem::path & file)
{
  const std::string name = file.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw ConfigError(name + ": config file not found or not a regular file");
  toml::table table;
  try
  {
    table = toml::parse_file(name);
  }
  catch (const toml::parse_error & e)
  {
    std::ostringstream where;
    where << e.source().begin;
    throw ConfigError(name + ": not a valid TOML config (" + std::string(e.description()) + " at " + where.str() + ")");
  }
  RunParams params;
  for (const auto & [sectionKey, sectionNode] : table)
  {
    const std::string section(sectionKey.str());
    const auto sections = RunConfigSections();
    const auto * sectionTable = sectionNode.as_table();
    if (!sectionTable || std::find(sections.begin(), sections.end(), section) == sections.end())
      throw ConfigError(name + ": unknown section [" + section + "]; expected " + SectionList());
    for (const auto & [key, node] : *sectionTable)
    {
      const std::string k(key.str());
      const RunSetting * found = nullptr;
      for (const auto & s : RunSettings())
        if (section == s.section && k == s.key)
          found = &s;
      if (!found)
        throw ConfigError(name + ": unknown key '" + k + "' in [" + section + "] (see docs/config.md)");
      const auto value = node.value<double>();
      if (!value || node.is_boolean() || node.is_string())
        throw ConfigError(name + ": [" + section + "] " + k + " must be a number");
      found->ref(params) = *value;
    }
  }
  try
  {
    ValidateRunParams(params);
  }
  catch (const ConfigError & e)
  {
    throw ConfigError(name + ": " + e.what());
  }
  return params;
}

std::string RunConfigToToml(const RunParams & params)
{
  RunParams copy = params;
  std::ostringstream out;
  std::string section;
  for (const auto & s : RunSettings())
  {
    if (section != s.section)
    {
      section = s.section;
      out << (out.tellp() > 0 ? "\n" : "") << "[" << section << "]\n";
    }
    out << s.key << " = " << toml::value<double>(s.ref(copy)) << "\n";
  }
  return out.str();
}

std::string RunConfigMarkdownTable(const std::string & section)
{
  std::ostringstream out;
  out << "| key | default | valid range | unit | meaning |\n|---|---|---|---|---|\n";
  bool any = false;
  for (const auto & s : RunSettings())
  {
    if (section != s.section)
      continue;
    any = true;
    out << "| `" << s.key << "` | " << FormatNumber(s.defaultValue) << " | " << s.range << " | " << s.unit << " | "
        << s.doc << " |\n";
  }
  if (!any)
    throw UsageError("unknown config section [" + section + "]; expected " + SectionList());
  return out.str();
}

} // namespace icanscan::pipeline
