#include "batch/BidsDataset.h"

#include "batch/BidsNaming.h"
#include "core/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>

namespace icanscan::batch
{
namespace fs = std::filesystem;

namespace
{
std::string Upper(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string WithoutPrefix(const std::string & label, const std::string & prefix)
{
  return label.rfind(prefix, 0) == 0 ? label.substr(prefix.size()) : label;
}

/** "sub-01_T2w" for sub-01_T2w.nii.gz; empty when not a NIfTI file. */
std::string NiftiStem(const fs::path & file)
{
  const std::string name = file.filename().string();
  for (const char * ext : { ".nii.gz", ".nii" })
  {
    const std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0)
      return name.substr(0, name.size() - e.size());
  }
  return {};
}

/** The role of a NIfTI file of anat/ or dwi/ from its BIDS name; empty when icanscan does not use it. */
std::string RoleOf(const std::string & datatype, const std::string & stem)
{
  const auto name = ParseBidsName(stem + ".nii");
  if (!name)
    return {};
  if (datatype == "anat")
    return name->suffix == "T2w" ? "T2" : name->suffix == "FLAIR" ? "FLAIR" : "";
  if (datatype != "dwi")
    return {};
  const std::string suffix = Upper(name->suffix);
  std::string marker = suffix;
  for (const auto & [key, value] : name->entities)
    if (key == "acq" || key == "rec" || key == "desc")
    {
      const std::string v = Upper(value);
      if (v == "ADC" || v == "TRACEW" || v == "TRACE")
        marker = v;
    }
  if (marker == "ADC")
    return "ADC";
  if (marker == "TRACEW" || marker == "TRACE" || suffix == "DWI")
    return "DWI";
  return {};
}

std::vector<BidsImage> FindImages(const fs::path & sessionFolder)
{
  std::vector<BidsImage> images;
  for (const char * datatype : { "anat", "dwi" })
  {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(sessionFolder / datatype, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file())
        files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto & file : files)
    {
      const std::string stem = NiftiStem(file);
      const std::string role = stem.empty() ? std::string() : RoleOf(datatype, stem);
      if (role.empty())
        continue;
      BidsImage image;
      image.file = file;
      image.role = role;
      for (const char * ext : { ".json", ".bval", ".bvec" })
        if (fs::is_regular_file(file.parent_path() / (stem + ext), ec))
          image.companions.push_back(file.parent_path() / (stem + ext));
      images.push_back(image);
    }
  }
  return images;
}

std::vector<fs::path> SortedFolders(const fs::path & folder, const std::string & prefix)
{
  std::vector<fs::path> folders;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory() && it->path().filename().string().rfind(prefix, 0) == 0)
      folders.push_back(it->path());
  std::sort(folders.begin(), folders.end());
  return folders;
}
} // namespace

std::string BidsSession::Id() const
{
  return "sub-" + subject + (session.empty() ? std::string() : "_ses-" + session);
}

std::string BidsSession::Incomplete() const
{
  if (Images("T2").empty() && Images("FLAIR").empty())
    return "no T2w or FLAIR image in " + (folder / "anat").string() + ": nothing to analyse";
  return {};
}

std::vector<const BidsImage *> BidsSession::Images(const std::string & role) const
{
  std::vector<const BidsImage *> found;
  for (const auto & image : images)
    if (image.role == role)
      found.push_back(&image);
  return found;
}

BidsDataset ScanBidsDataset(const fs::path & root,
                            const std::vector<std::string> & participants,
                            const std::vector<std::string> & sessions)
{
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw UsageError(root.string() + ": not a folder (expected a BIDS dataset)");
  BidsDataset dataset;
  dataset.root = fs::absolute(root).lexically_normal();
  if (std::ifstream in(root / "dataset_description.json"); in)
  {
    const auto d = nlohmann::json::parse(in, nullptr, false);
    if (d.is_object())
    {
      dataset.name = d.value("Name", std::string());
      dataset.doi = d.value("DatasetDOI", std::string());
      dataset.version = d.value("DatasetVersion", std::string());
    }
  }
  std::set<std::string> wanted, wantedSessions, seen, seenSessions;
  for (const auto & p : participants)
    wanted.insert(WithoutPrefix(p, "sub-"));
  for (const auto & s : sessions)
    wantedSessions.insert(WithoutPrefix(s, "ses-"));
  const auto subjects = SortedFolders(root, "sub-");
  if (subjects.empty())
    throw UsageError(root.string() + ": no sub-<label> folder (expected a BIDS dataset)");
  for (const auto & subjectFolder : subjects)
  {
    const std::string subject = WithoutPrefix(subjectFolder.filename().string(), "sub-");
    if (!wanted.empty() && !wanted.count(subject))
      continue;
    seen.insert(subject);
    auto sessionFolders = SortedFolders(subjectFolder, "ses-");
    if (sessionFolders.empty())
    {
      if (!wantedSessions.empty())
        continue;
      dataset.sessions.push_back({ subject, "", subjectFolder, FindImages(subjectFolder) });
      continue;
    }
    for (const auto & sessionFolder : sessionFolders)
    {
      const std::string session = WithoutPrefix(sessionFolder.filename().string(), "ses-");
      if (!wantedSessions.empty() && !wantedSessions.count(session))
        continue;
      seenSessions.insert(session);
      dataset.sessions.push_back({ subject, session, sessionFolder, FindImages(sessionFolder) });
    }
  }
  for (const auto & w : wanted)
    if (!seen.count(w))
      throw UsageError("--participant-label " + w + ": no folder sub-" + w + " in " + root.string());
  for (const auto & w : wantedSessions)
    if (!seenSessions.count(w))
      throw UsageError("--session-label " + w + ": no folder ses-" + w + " in the selected participants");
  return dataset;
}

} // namespace icanscan::batch
