#include "dicom/VolumeReader.h"

#include "core/Error.h"
#include "core/RuntimeLimits.h"
#include "dicom/PixelDecoder.h"

#include <omp.h>

#include <map>

namespace icanscan::dicom
{

std::vector<VolumeImage::Pointer> ReadVolumes(const VolumeSet & set, int threads)
{
  CheckThreadCount(threads);
  if (set.verdict == Verdict::Rejected)
  {
    throw InputError("series " + set.id + " was rejected and cannot be read: " +
                       (set.messages.empty() ? std::string("no reason recorded") : set.messages.front()),
                     ExitCode::NoUsableDicom);
  }
  if (set.frames.size() != static_cast<std::size_t>(set.slices) * set.volumes || set.frames.empty())
  {
    throw InputError("series " + set.id + ": " + std::to_string(set.frames.size()) + " images do not fill " +
                       std::to_string(set.slices) + " slices x " + std::to_string(set.volumes) + " volumes",
                     ExitCode::CorruptInput);
  }
  PixelDecoder::RegisterCodecs();

  std::vector<VolumeImage::Pointer> volumes;
  VolumeImage::RegionType region;
  region.SetSize({ set.columns, set.rows, set.slices });
  VolumeImage::DirectionType direction;
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned c = 0; c < 3; ++c)
      direction(r, c) = set.direction[r * 3 + c];
  for (unsigned v = 0; v < set.volumes; ++v)
  {
    auto image = VolumeImage::New();
    image->SetRegions(region);
    image->SetOrigin(set.origin.data());
    image->SetSpacing(set.spacing.data());
    image->SetDirection(direction);
    image->Allocate();
    volumes.push_back(image);
  }

  // Decode each file once, whichever slices and volumes its frames fill.
  std::map<std::string, std::vector<std::size_t>> framesByFile;
  for (std::size_t i = 0; i < set.frames.size(); ++i)
    framesByFile[set.frames[i].file->path].push_back(i);
  std::vector<const std::vector<std::size_t> *> work;
  for (const auto & entry : framesByFile)
    work.push_back(&entry.second);

  const std::size_t sliceVoxels = static_cast<std::size_t>(set.columns) * set.rows;
  std::string firstError;
  ExitCode firstCode = ExitCode::CorruptInput;
  const int nThreads = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 4) num_threads(nThreads)
  for (long w = 0; w < static_cast<long>(work.size()); ++w)
  {
    try
    {
      const std::vector<std::size_t> & indices = *work[w];
      PixelDecoder decoder(*set.frames[indices.front()].file);
      for (std::size_t i : indices)
      {
        const std::size_t volume = i / set.slices;
        const std::size_t slice = i % set.slices;
        decoder.ExtractFrame(set.frames[i], volumes[volume]->GetBufferPointer() + slice * sliceVoxels);
      }
    }
    catch (const Error & e)
    {
#pragma omp critical(icanscan_read_error)
      if (firstError.empty())
      {
        firstError = e.what();
        firstCode = e.Code();
      }
    }
    catch (const std::exception & e)
    {
#pragma omp critical(icanscan_read_error)
      if (firstError.empty())
        firstError = e.what();
    }
  }
  if (!firstError.empty())
  {
    throw InputError("series " + set.id + ": " + firstError, firstCode);
  }
  return volumes;
}

} // namespace icanscan::dicom
