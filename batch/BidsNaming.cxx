#include "batch/BidsNaming.h"

#include <algorithm>
#include <cctype>

namespace icanscan::batch
{

const std::vector<std::string> & BidsEntityOrder()
{
  // BIDS specification, schema rules/entities (1.8/1.9): the order entities take in a file name.
  static const std::vector<std::string> order = {
    "sub",   "ses",   "sample",    "task",  "tracksys", "acq",  "nuc", "voi",   "ce",   "trc",  "stain",
    "rec",   "dir",   "run",       "mod",   "echo",     "flip", "inv", "mt",    "part", "proc", "hemi",
    "space", "split", "recording", "chunk", "seg",      "res",  "den", "label", "desc",
  };
  return order;
}

bool IsBidsLabel(const std::string & label)
{
  return !label.empty() &&
         std::all_of(label.begin(), label.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
}

std::string BidsName::Prefix() const
{
  return "sub-" + subject + (session.empty() ? std::string() : "_ses-" + session);
}

std::string BidsName::FileName() const
{
  auto sorted = entities;
  const auto & order = BidsEntityOrder();
  auto rank = [&](const std::string & key) { return std::find(order.begin(), order.end(), key) - order.begin(); };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const auto & a, const auto & b) { return rank(a.first) < rank(b.first); });
  std::string name = Prefix();
  for (const auto & [key, value] : sorted)
    name += "_" + key + "-" + value;
  return name + "_" + suffix + extension;
}

std::optional<BidsName> ParseBidsName(const std::string & fileName)
{
  const auto dot = fileName.find('.');
  const std::string stem = fileName.substr(0, dot);
  BidsName name;
  name.extension = dot == std::string::npos ? std::string() : fileName.substr(dot);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true)
  {
    const auto underscore = stem.find('_', start);
    parts.push_back(stem.substr(start, underscore == std::string::npos ? std::string::npos : underscore - start));
    if (underscore == std::string::npos)
      break;
    start = underscore + 1;
  }
  if (parts.size() < 2)
    return std::nullopt;
  name.suffix = parts.back();
  parts.pop_back();
  if (name.suffix.empty() || name.suffix.find('-') != std::string::npos)
    return std::nullopt;
  for (std::size_t k = 0; k < parts.size(); ++k)
  {
    const auto dash = parts[k].find('-');
    if (dash == std::string::npos || dash == 0)
      return std::nullopt;
    const std::string key = parts[k].substr(0, dash), value = parts[k].substr(dash + 1);
    if (k == 0 && key != "sub")
      return std::nullopt;
    if (k == 0)
      name.subject = value;
    else if (k == 1 && key == "ses")
      name.session = value;
    else
      name.entities.emplace_back(key, value);
  }
  return name;
}

std::string CheckBidsName(const std::string & fileName,
                          const std::vector<std::string> & suffixes,
                          const std::vector<std::string> & extensions)
{
  const auto name = ParseBidsName(fileName);
  if (!name)
    return "not sub-<label>[_ses-<label>][_<key>-<value>...]_<suffix>";
  if (!IsBidsLabel(name->subject))
    return "subject label '" + name->subject + "' is not alphanumeric";
  if (fileName.find("_ses-") != std::string::npos && !IsBidsLabel(name->session))
    return "session label '" + name->session + "' is not alphanumeric";
  const auto & order = BidsEntityOrder();
  std::ptrdiff_t last = 1; // after ses
  for (const auto & [key, value] : name->entities)
  {
    const auto at = std::find(order.begin(), order.end(), key);
    if (at == order.end() || key == "sub" || key == "ses")
      return "entity '" + key + "' is not a BIDS entity here";
    if (at - order.begin() <= last)
      return "entity '" + key + "' is out of the specification's order";
    last = at - order.begin();
    if (!IsBidsLabel(value))
      return "entity " + key + " value '" + value + "' is not alphanumeric";
  }
  if (std::find(suffixes.begin(), suffixes.end(), name->suffix) == suffixes.end())
    return "suffix '" + name->suffix + "' is not one of the expected suffixes";
  if (std::find(extensions.begin(), extensions.end(), name->extension) == extensions.end())
    return "extension '" + name->extension + "' is not expected";
  return {};
}

} // namespace icanscan::batch
