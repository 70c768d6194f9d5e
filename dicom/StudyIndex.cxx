#include "dicom/StudyIndex.h"

#include "core/Error.h"
#include "dicom/HeaderReader.h"
#include "dicom/PixelDecoder.h"
#include "dicom/SeriesClassifier.h"
#include "dicom/SeriesSplitter.h"
#include "dicom/StackGeometry.h"

#include <omp.h>

#include <algorithm>

namespace icanscan::dicom
{
namespace
{
std::vector<std::string> ListFiles(const std::filesystem::path & root, std::vector<SkippedFile> & skipped)
{
  std::vector<std::string> files;
  std::error_code ec;
  if (std::filesystem::is_regular_file(root, ec))
  {
    files.push_back(root.string());
    return files;
  }
  auto options = std::filesystem::directory_options::skip_permission_denied;
  for (auto it = std::filesystem::recursive_directory_iterator(root, options, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
  {
    std::error_code typeError;
    if (it->is_regular_file(typeError))
    {
      files.push_back(it->path().string());
    }
  }
  if (ec)
  {
    skipped.push_back({ root.string(), "folder scan stopped early: " + ec.message() });
  }
  std::sort(files.begin(), files.end());
  return files;
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

std::size_t StudyIndex::CountUsable() const
{
  return static_cast<std::size_t>(std::count_if(volumeSets.begin(), volumeSets.end(),
                                                [](const VolumeSet & s) { return s.verdict != Verdict::Rejected; }));
}

StudyIndex BuildStudyIndex(const std::filesystem::path & root, const StudyIndexParams & params)
{
  std::error_code ec;
  if (!std::filesystem::exists(root, ec))
  {
    throw InputError(root.string() + ": no such file or folder", ExitCode::NoUsableDicom);
  }
  PixelDecoder::RegisterCodecs();
  StudyIndex index;
  index.root = root;
  const std::vector<std::string> files = ListFiles(root, index.skipped);
  index.filesScanned = files.size();

  std::vector<HeaderReadResult> results(files.size());
  const int threads = params.threads > 0 ? params.threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 8) num_threads(threads)
  for (long i = 0; i < static_cast<long>(files.size()); ++i)
  {
    try
    {
      results[i] = ReadFrameHeaders(files[i]);
    }
    catch (const std::exception & e)
    {
      results[i].frames.clear();
      results[i].skipReason = std::string("header could not be read: ") + e.what();
    }
  }

  std::vector<FrameHeader> frames;
  for (std::size_t i = 0; i < files.size(); ++i)
  {
    if (!results[i].skipReason.empty())
    {
      index.skipped.push_back({ files[i], results[i].skipReason });
      continue;
    }
    for (auto & f : results[i].frames)
      frames.push_back(std::move(f));
  }

  index.volumeSets = SplitIntoVolumeSets(std::move(frames));
  for (auto & set : index.volumeSets)
  {
    ResolveStackGeometry(set);
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
