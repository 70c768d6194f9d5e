#include "synthetic/CsfSpaces.h"

#include "filters/MaskMorphology.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace icanscan::synthetic
{
namespace
{

constexpr double kBandMm = 6.0;

/** A voxel near the CSF boundary: where it lies and what it holds. */
struct Candidate
{
  std::size_t index;
  float level;   //!< signed distance (mm) of the voxel to the boundary, + inside tissue
  float csf;     //!< its CSF fraction (1 for subarachnoid CSF of the head)
  bool external; //!< HeadTissue::ExternalCsf
  bool sulcal;   //!< counts for CsfVolumes::sulcalMl (brain, no label, not a cistern)
  bool cistern;  //!< in the basal-cistern region
};

double VoxelMl(const itk::ImageBase<3> * image)
{
  const auto & s = image->GetSpacing();
  return s[0] * s[1] * s[2] / 1000.0;
}

bool Editable(const TissueMaps & maps, std::size_t i)
{
  const auto h = static_cast<HeadTissue>(maps.head->GetBufferPointer()[i]);
  return (h == HeadTissue::Brain && maps.labels->GetBufferPointer()[i] == 0) || h == HeadTissue::ExternalCsf;
}

std::vector<Candidate> Candidates(const TissueMaps & maps, const LabelImage * cisterns)
{
  const std::size_t n = maps.labels->GetBufferedRegion().GetNumberOfPixels();
  const float * c = maps.csf->GetBufferPointer();
  const unsigned char * h = maps.head->GetBufferPointer();
  auto spaces = filters::NewMaskLike(maps.labels);
  unsigned char * s = spaces->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    s[i] = Editable(maps, i) && (h[i] == static_cast<unsigned char>(HeadTissue::ExternalCsf) || c[i] >= 0.5f) ? 1 : 0;
  const auto region = maps.labels->GetLargestPossibleRegion();
  const auto outside = filters::DistanceMm(spaces, region);
  const auto inside = filters::DepthMm(spaces, region);
  const float * dOut = outside->GetBufferPointer();
  const float * dIn = inside->GetBufferPointer();
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!Editable(maps, i))
      continue;
    const bool external = h[i] == static_cast<unsigned char>(HeadTissue::ExternalCsf);
    const float csf = external ? 1.0f : c[i];
    float level = s[i] ? -(dIn[i] - 0.5f) : dOut[i] - 0.5f;
    if (level > kBandMm || level < -kBandMm)
      continue;
    if (!external && ((csf > 0.0f && csf < 1.0f) || std::abs(level) <= 1.0f))
      level = 0.5f - csf; // a partial-volume fraction places the boundary within the voxel
    const bool cistern = cisterns && cisterns->GetBufferPointer()[i];
    candidates.push_back({ i, level, csf, external, !external && !cistern, cistern });
  }
  return candidates;
}

float Target(const Candidate & c, double delta)
{
  const double t = std::clamp(0.5 - (c.level - delta), 0.0, 1.0);
  return static_cast<float>(delta > 0.0 ? std::max<double>(c.csf, t) : std::min<double>(c.csf, t));
}

void Apply(const TissueMaps & maps, const Candidate & c, float target)
{
  float * csf = maps.csf->GetBufferPointer();
  float * gm = maps.gm->GetBufferPointer();
  float * wm = maps.wm->GetBufferPointer();
  unsigned char * head = maps.head->GetBufferPointer();
  const std::size_t i = c.index;
  if (c.external)
  {
    if (target >= 1.0f)
      return;
    head[i] = static_cast<unsigned char>(HeadTissue::Brain);
    csf[i] = target;
    gm[i] = 1.0f - target;
    wm[i] = 0.0f;
    return;
  }
  const float change = target - csf[i];
  if (change > 0.0f)
  {
    const float fromGrey = std::min(change, gm[i]);
    gm[i] -= fromGrey;
    wm[i] = std::max(0.0f, wm[i] - (change - fromGrey));
  }
  else
    gm[i] -= change;
  csf[i] = target;
}

} // namespace

CsfVolumes MeasureCsf(const TissueMaps & maps, const LabelImage * cisterns)
{
  CsfVolumes volumes;
  const std::size_t n = maps.labels->GetBufferedRegion().GetNumberOfPixels();
  const double ml = VoxelMl(maps.labels);
  const float * c = maps.csf->GetBufferPointer();
  const unsigned char * h = maps.head->GetBufferPointer();
  const unsigned char * l = maps.labels->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
  {
    const bool cistern = cisterns && cisterns->GetBufferPointer()[i];
    const bool external = h[i] == static_cast<unsigned char>(HeadTissue::ExternalCsf);
    const double csf = external ? 1.0 : (h[i] == static_cast<unsigned char>(HeadTissue::Brain) ? c[i] : 0.0);
    if (cistern)
      volumes.cisternMl += csf * ml;
    else if (external)
      volumes.externalMl += ml;
    else if (l[i] == 0)
      volumes.sulcalMl += csf * ml;
  }
  return volumes;
}

std::size_t MoveCsfBoundary(const TissueMaps & maps, double deltaMm, const std::function<double(const Vec3 &)> & weight)
{
  if (deltaMm == 0.0)
    return 0;
  const auto candidates = Candidates(maps, nullptr);
  std::size_t changed = 0;
  for (const auto & c : candidates)
  {
    double w = 1.0;
    if (weight)
    {
      const auto p = filters::PointOfOffset(maps.labels, c.index);
      w = std::clamp(weight(Vec3{ p[0], p[1], p[2] }), 0.0, 1.0);
    }
    const float target = Target(c, deltaMm * w);
    if (target != c.csf)
    {
      Apply(maps, c, target);
      ++changed;
    }
  }
  return changed;
}

double ScaleSulcalCsf(const TissueMaps & maps, const LabelImage * cisterns, double factor)
{
  if (!(factor > 0.0))
    throw std::logic_error("phantom: sulcal CSF factor must be positive");
  if (std::abs(factor - 1.0) < 1e-6)
    return 0.0;
  const auto candidates = Candidates(maps, cisterns);
  const double ml = VoxelMl(maps.labels);
  const double before = MeasureCsf(maps, cisterns).sulcalMl;
  double inBand = 0.0;
  for (const auto & c : candidates)
    inBand += c.sulcal ? c.csf * ml : 0.0;
  const double fixed = before - inBand;
  const double wanted = factor * before;
  auto volume = [&](double delta)
  {
    double sum = fixed;
    for (const auto & c : candidates)
    {
      const float target = Target(c, delta);
      if (c.sulcal)
        sum += target * ml;
      else if (c.external && target < 1.0f && !c.cistern)
        sum += target * ml; // subarachnoid CSF the cortex grows into becomes brain: its CSF counts as sulcal
    }
    return sum;
  };
  double low = factor > 1.0 ? 0.0 : -kBandMm + 0.5;
  double high = factor > 1.0 ? kBandMm - 0.5 : 0.0;
  double delta = 0.5 * (low + high);
  for (int iteration = 0; iteration < 40; ++iteration)
  {
    delta = 0.5 * (low + high);
    const double v = volume(delta);
    if (std::abs(v / wanted - 1.0) < 0.005)
      break;
    (v < wanted ? low : high) = delta;
  }
  for (const auto & c : candidates)
  {
    const float target = Target(c, delta);
    if (target != c.csf)
      Apply(maps, c, target);
  }
  return delta;
}

} // namespace icanscan::synthetic
