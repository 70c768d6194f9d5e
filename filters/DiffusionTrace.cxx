#include "filters/DiffusionTrace.h"

#include "core/Error.h"

#include <cmath>

namespace icanscan::filters
{
namespace
{
DiffusionImage::Pointer NewLike(const DiffusionImage * reference)
{
  auto image = DiffusionImage::New();
  image->CopyInformation(reference);
  image->SetRegions(reference->GetLargestPossibleRegion());
  image->Allocate(true);
  return image;
}
} // namespace

DiffusionSummaries DeriveDiffusionSummaries(const std::vector<DiffusionImage::Pointer> & volumes,
                                            const std::vector<double> & bValues,
                                            const std::vector<bool> & hasGradient,
                                            const DiffusionTraceParams & params)
{
  if (volumes.size() != bValues.size() || volumes.size() != hasGradient.size())
  {
    throw Error("DeriveDiffusionSummaries: " + std::to_string(volumes.size()) + " volumes but " +
                  std::to_string(bValues.size()) + " b-values and " + std::to_string(hasGradient.size()) + " flags",
                ExitCode::CorruptInput);
  }
  DiffusionSummaries result;
  if (volumes.empty())
  {
    return result;
  }
  const std::size_t voxels = volumes.front()->GetLargestPossibleRegion().GetNumberOfPixels();

  std::vector<std::size_t> b0;
  for (std::size_t i = 0; i < volumes.size(); ++i)
  {
    if (bValues[i] < params.b0MaxBValue)
      b0.push_back(i);
  }
  if (!b0.empty())
  {
    result.b0 = NewLike(volumes.front());
    float * out = result.b0->GetBufferPointer();
    for (std::size_t i : b0)
    {
      const float * in = volumes[i]->GetBufferPointer();
      for (std::size_t v = 0; v < voxels; ++v)
        out[v] += in[v] / static_cast<float>(b0.size());
    }
    result.b0Count = static_cast<unsigned>(b0.size());
  }

  // Shells: group b >= b0MaxBValue by proximity, in order of first appearance.
  std::vector<std::vector<std::size_t>> shells;
  std::vector<double> shellB;
  for (std::size_t i = 0; i < volumes.size(); ++i)
  {
    if (bValues[i] < params.b0MaxBValue)
      continue;
    std::size_t s = 0;
    while (s < shells.size() && std::abs(shellB[s] - bValues[i]) > params.shellToleranceBValue)
      ++s;
    if (s == shells.size())
    {
      shells.emplace_back();
      shellB.push_back(bValues[i]);
    }
    shells[s].push_back(i);
  }
  for (std::size_t s = 0; s < shells.size(); ++s)
  {
    bool allDirectional = true;
    for (std::size_t i : shells[s])
      allDirectional = allDirectional && hasGradient[i];
    if (!allDirectional || shells[s].size() < params.minDirections)
      continue;
    TraceVolume trace;
    trace.directions = static_cast<unsigned>(shells[s].size());
    trace.image = NewLike(volumes.front());
    double bSum = 0;
    for (std::size_t i : shells[s])
      bSum += bValues[i];
    trace.bValue = bSum / shells[s].size();
    float * out = trace.image->GetBufferPointer();
    for (std::size_t v = 0; v < voxels; ++v)
    {
      double logSum = 0;
      bool positive = true;
      for (std::size_t i : shells[s])
      {
        const float value = volumes[i]->GetBufferPointer()[v];
        if (!(value > 0))
        {
          positive = false;
          break;
        }
        logSum += std::log(static_cast<double>(value));
      }
      out[v] = positive ? static_cast<float>(std::exp(logSum / shells[s].size())) : 0.0f;
    }
    result.traces.push_back(std::move(trace));
  }
  return result;
}

} // namespace icanscan::filters
