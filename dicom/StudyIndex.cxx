#include "dicom/StudyIndex.h"

#include "core/FolderLock.h"
#include "core/Error.h"
#include "core/RuntimeLimits.h"
#include "core/TextEncoding.h"
#include "dicom/HeaderReader.h"
#include "dicom/PixelDecoder.h"
#include "dicom/SeriesClassifier.h"
#include "dicom/SeriesSplitter.h"
#include "dicom/StackGeometry.h"

#include <omp.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <set>

namespace icanscan::dicom
{
namespace
{
namespace fs = std::filesystem;

struct ListedFile
{
  std::string path;
  std::string displayPath;
};

std::string Describe(fs::file_type type)
{
  switch (type)
  {
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::socket:
      return "a socket";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::character:
      return "a character device";
    default:
      return "not a regular file";
  }
}

/** Every regular file under `root` (any depth), sorted. Folders reached through symbolic links are scanned once: a
 * second way to the same folder (a link loop, or two links to one folder) is listed as skipped, as are links that
 * lead nowhere, unreadable folders and special files (FIFOs would block a reader). */
std::vector<ListedFile> ListFiles(const fs::path & root, std::vector<SkippedFile> & skipped)
{
  std::vector<ListedFile> files;
  std::error_code ec;
  const auto skip = [&skipped](const std::string & path, const std::string & display, const std::string & reason,
                               bool damaged) {
    skipped.push_back({ path, reason, damaged, MakeValidUtf8(display) });
  };
  if (fs::is_regular_file(root, ec))
  {
    files.push_back({ root.string(), root.filename().string() });
    return files;
  }
  std::set<std::pair<dev_t, ino_t>> visited;
  std::vector<std::pair<fs::path, std::string>> folders{ { root, "" } };
  while (!folders.empty())
  {
    const auto [folder, relative] = folders.back();
    folders.pop_back();
    struct stat info = {};
    if (::stat(folder.c_str(), &info) != 0 || !visited.insert({ info.st_dev, info.st_ino }).second)
    {
      skip(folder.string(), relative, "a second way to a folder already scanned (symbolic link loop?)", false);
      continue;
    }
    std::vector<std::pair<fs::path, std::string>> subfolders;
    fs::directory_iterator it(folder, ec);
    if (ec)
      skip(folder.string(), relative.empty() ? "." : relative, "folder cannot be read: " + ec.message(), true);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec))
    {
      const fs::path & path = it->path();
      const std::string display = (relative.empty() ? "" : relative + "/") + path.filename().string();
      std::error_code statusError;
      const fs::file_status status = fs::status(path, statusError); // follows symbolic links
      if (statusError)
      {
        const bool link = it->is_symlink(statusError);
        skip(path.string(), display,
             link ? "symbolic link that leads nowhere or loops (" + statusError.message() + ")"
                  : "cannot be examined: " + statusError.message(),
             !link);
        continue;
      }
      if (status.type() == fs::file_type::directory)
        subfolders.push_back({ path, display });
      else if (status.type() == fs::file_type::regular && path.filename() == kFolderLockName)
        continue; // icanscan's own lock (e.g. of a NIfTI import's DICOM folder), not part of the study
      else if (status.type() == fs::file_type::regular)
        files.push_back({ path.string(), display });
      else
        skip(path.string(), display, Describe(status.type()) + ", not read", false);
    }
    if (ec)
      skip(folder.string(), relative.empty() ? "." : relative, "folder scan stopped early: " + ec.message(), true);
    std::sort(subfolders.rbegin(), subfolders.rend());
    for (auto & sub : subfolders)
      folders.push_back(std::move(sub));
  }
  std::sort(files.begin(), files.end(), [](const ListedFile & a, const ListedFile & b) { return a.path < b.path; });
  return files;
}

/** Two series with one SeriesNumber (another study's, or a missing number) would share ids: the later series get
 * the next free "<n>.<k>". */
void MakeIdsUnique(std::vector<VolumeSet> & sets)
{
  std::map<std::string, std::string> ownerOfId; // id -> SeriesInstanceUID
  std::map<int, int> highestPart;               // series number -> highest k used in "<n>.<k>" (1 for "<n>")
  for (const auto & set : sets)
  {
    const int number = set.Header().seriesNumber;
    const auto dot = set.id.find('.');
    const int part = dot == std::string::npos ? 1 : std::atoi(set.id.c_str() + dot + 1);
    highestPart[number] = std::max(highestPart[number], part);
  }
  for (auto & set : sets)
  {
    const std::string & uid = set.Header().seriesInstanceUid;
    const auto owner = ownerOfId.find(set.id);
    if (owner == ownerOfId.end())
    {
      ownerOfId[set.id] = uid;
      continue;
    }
    if (owner->second == uid)
      continue;
    const int number = set.Header().seriesNumber;
    set.id = std::to_string(number) + "." + std::to_string(++highestPart[number]);
    ownerOfId[set.id] = uid;
    set.splitReason = (set.splitReason.empty() ? "" : set.splitReason + "; ") + "series number " +
                      std::to_string(number) + " is also used by another series: renamed " + set.id;
  }
}

/** Texts that could not be converted from their character set are read as Latin-1: say so. */
void NoteTextProblems(VolumeSet & set)
{
  for (const auto & frame : set.frames)
  {
    if (frame.file->textProblem.empty())
      continue;
    set.messages.push_back(frame.file->textProblem + " (" + frame.file->displayPath + ")");
    if (set.verdict == Verdict::Ok)
      set.verdict = Verdict::Warning;
    return;
  }
}

/** A localizer is one or a few slices by design: "too few slices" is no warning there. */
void ForgiveFewSlicesOfLocalizer(VolumeSet & set)
{
  if (set.role != SeriesRole::Localizer || set.verdict != Verdict::Warning)
    return;
  auto & m = set.messages;
  m.erase(std::remove_if(m.begin(), m.end(), [](const std::string & s) { return s.rfind("too few slices", 0) == 0; }),
          m.end());
  if (m.empty())
    set.verdict = Verdict::Ok;
}

bool IdLess(const VolumeSet & a, const VolumeSet & b)
{
  const int na = a.Header().seriesNumber;
  const int nb = b.Header().seriesNumber;
  if (na != nb)
    return na < nb;
  if (a.id.size() != b.id.size())
    return a.id.size() < b.id.size();
  return a.id < b.id;
}
} // namespace

std::size_t StudyIndex::CountDamaged() const
{
  return static_cast<std::size_t>(
    std::count_if(skipped.begin(), skipped.end(), [](const SkippedFile & s) { return s.damaged; }));
}

std::size_t StudyIndex::CountUsable() const
{
  return static_cast<std::size_t>(std::count_if(volumeSets.begin(), volumeSets.end(),
                                                [](const VolumeSet & s) { return s.verdict != Verdict::Rejected; }));
}

StudyIndex BuildStudyIndex(const std::filesystem::path & root, const StudyIndexParams & params)
{
  CheckThreadCount(params.threads);
  std::error_code ec;
  if (!std::filesystem::exists(root, ec))
  {
    throw InputError(root.string() + ": " + (ec ? ec.message() : std::string("no such file or folder")),
                     ExitCode::NoUsableDicom);
  }
  PixelDecoder::RegisterCodecs();
  StudyIndex index;
  index.root = root;
  const std::vector<ListedFile> files = ListFiles(root, index.skipped);
  index.filesScanned = files.size();

  std::vector<HeaderReadResult> results(files.size());
  const int threads = params.threads > 0 ? params.threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 8) num_threads(threads)
  for (long i = 0; i < static_cast<long>(files.size()); ++i)
  {
    try
    {
      results[i] = ReadFrameHeaders(files[i].path, files[i].displayPath);
    }
    catch (const std::exception & e)
    {
      results[i].frames.clear();
      results[i].skipReason = std::string("header could not be read: ") + e.what();
      results[i].damaged = true;
    }
  }

  std::vector<FrameHeader> frames;
  for (std::size_t i = 0; i < files.size(); ++i)
  {
    if (!results[i].skipReason.empty())
    {
      index.skipped.push_back(
        { files[i].path, results[i].skipReason, results[i].damaged, MakeValidUtf8(files[i].displayPath) });
      continue;
    }
    for (auto & f : results[i].frames)
      frames.push_back(std::move(f));
  }

  index.volumeSets = SplitIntoVolumeSets(std::move(frames));
  MakeIdsUnique(index.volumeSets);
  for (auto & set : index.volumeSets)
  {
    ResolveStackGeometry(set);
    NoteTextProblems(set);
    ClassifySeries(set);
    ForgiveFewSlicesOfLocalizer(set);
    const auto byId = params.roleOverrides.find(set.id);
    const auto byUid = params.roleOverrides.find(set.Header().seriesInstanceUid);
    const auto chosen = byId != params.roleOverrides.end() ? byId : byUid;
    if (chosen != params.roleOverrides.end())
    {
      set.roleReasons.insert(set.roleReasons.begin(), "set by the user (was " + ToString(set.role) + ")");
      set.role = chosen->second;
      set.roleOverridden = true;
    }
  }
  std::sort(index.volumeSets.begin(), index.volumeSets.end(), IdLess);
  return index;
}

} // namespace icanscan::dicom
