#include "dicom/StackGeometry.h"

#include "core/TextFormat.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <tuple>

namespace icanscan::dicom
{
namespace
{
constexpr double kPi = 3.14159265358979323846;

std::string BaseName(const std::string & path)
{
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void Reject(VolumeSet & set, const std::string & message)
{
  set.verdict = Verdict::Rejected;
  set.messages.push_back(message);
}

void Warn(VolumeSet & set, const std::string & message)
{
  if (set.verdict == Verdict::Ok)
    set.verdict = Verdict::Warning;
  set.messages.push_back(message);
}

/** Values that were present but unusable (NaN, negative spacing...): one message per kind of problem. */
bool CheckValueProblems(VolumeSet & set)
{
  std::map<std::string, std::pair<std::size_t, std::string>> byKind; // first words of the problem -> count, example
  for (const auto & f : set.frames)
    for (const auto & problem : f.valueProblems)
    {
      auto & entry = byKind[problem.substr(0, problem.find(' '))];
      if (entry.first++ == 0)
        entry.second = problem + " (" + f.file->displayPath + ")";
    }
  for (const auto & [kind, entry] : byKind)
    Reject(set, entry.second + (entry.first > 1 ? "; " + std::to_string(entry.first) + " images affected" : ""));
  return byKind.empty();
}

bool CheckRequiredAttributes(VolumeSet & set)
{
  if (!CheckValueProblems(set))
    return false;
  std::size_t noPosition = 0, noOrientation = 0, noSpacing = 0;
  std::string example[3];
  for (const auto & f : set.frames)
  {
    if (!f.position && noPosition++ == 0)
      example[0] = f.file->displayPath;
    if (!f.orientation && noOrientation++ == 0)
      example[1] = f.file->displayPath;
    if (!f.pixelSpacing && noSpacing++ == 0)
      example[2] = f.file->displayPath;
  }
  const std::size_t counts[3] = { noPosition, noOrientation, noSpacing };
  const char * names[3] = { "ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing" };
  bool ok = true;
  for (int i = 0; i < 3; ++i)
  {
    if (counts[i] > 0)
    {
      Reject(set, std::string(names[i]) + " missing in " + std::to_string(counts[i]) + " of " +
                    std::to_string(set.frames.size()) + " images (e.g. " + example[i] + ")");
      ok = false;
    }
  }
  return ok;
}

/** Order of the frames at one slice position: which volume comes first. Acquisition order as the scanner numbered
 * it (temporal position, acquisition, instance), as dcm2niix does; Philips' b-value and gradient numbers
 * (2005,1412/1413) break ties where instance numbers repeat. Positions are never taken from InstanceNumber. */
auto VolumeOrderKey(const FrameHeader & f)
{
  return std::make_tuple(f.temporalPosition, f.acquisitionNumber, f.instanceNumber, f.philipsBValueNumber,
                         f.philipsGradientNumber, f.file->path, f.frameIndex, f.mosaicTile);
}

double Dot(const std::array<double, 3> & a, const std::array<double, 3> & b)
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Drops exact copies of the same SOP instance (a file exported twice); returns how many were dropped. */
std::size_t DropCopies(std::vector<FrameHeader> & frames, std::vector<std::string> & droppedPaths)
{
  std::map<std::tuple<std::string, unsigned, int>, std::size_t> seen;
  std::vector<FrameHeader> kept;
  for (auto & f : frames)
  {
    const auto key = std::make_tuple(f.file->sopInstanceUid, f.frameIndex, f.mosaicTile);
    if (!f.file->sopInstanceUid.empty() && seen.count(key))
    {
      droppedPaths.push_back(f.file->displayPath);
      continue;
    }
    seen[key] = kept.size();
    kept.push_back(std::move(f));
  }
  const std::size_t dropped = frames.size() - kept.size();
  frames = std::move(kept);
  return dropped;
}
} // namespace

void ResolveStackGeometry(VolumeSet & set, const StackGeometryParams & params)
{
  if (set.frames.empty() || !CheckRequiredAttributes(set))
  {
    return;
  }
  std::vector<std::string> copies;
  if (DropCopies(set.frames, copies) > 0)
  {
    Warn(set, std::to_string(copies.size()) +
                " file(s) repeat an image already found (same SOPInstanceUID), ignored: " + copies.front());
  }

  const auto & o = *set.frames.front().orientation;
  const std::array<double, 3> row{ o[0], o[1], o[2] };
  const std::array<double, 3> col{ o[3], o[4], o[5] };
  std::array<double, 3> normal{ row[1] * col[2] - row[2] * col[1], row[2] * col[0] - row[0] * col[2],
                                row[0] * col[1] - row[1] * col[0] };
  const double normalLength = std::sqrt(Dot(normal, normal));
  if (std::abs(std::sqrt(Dot(row, row)) - 1.0) > 0.01 || std::abs(std::sqrt(Dot(col, col)) - 1.0) > 0.01 ||
      std::abs(Dot(row, col)) > 0.01 || normalLength < 0.99)
  {
    Reject(set,
           "ImageOrientationPatient is not two orthogonal unit vectors (" + set.frames.front().file->displayPath + ")");
    return;
  }
  for (auto & c : normal)
    c /= normalLength;

  // Cluster frames into slice positions along the normal.
  std::stable_sort(set.frames.begin(), set.frames.end(),
                   [&](const FrameHeader & a, const FrameHeader & b)
                   { return Dot(*a.position, normal) < Dot(*b.position, normal); });
  std::vector<std::vector<FrameHeader>> positions;
  double clusterStart = 0;
  for (auto & f : set.frames)
  {
    const double d = Dot(*f.position, normal);
    if (positions.empty() || d - clusterStart > params.samePositionMm)
    {
      positions.emplace_back();
      clusterStart = d;
    }
    positions.back().push_back(std::move(f));
  }
  set.frames.clear();

  std::map<std::size_t, std::size_t> countHistogram;
  for (const auto & p : positions)
    ++countHistogram[p.size()];
  const std::size_t volumes =
    std::max_element(countHistogram.begin(), countHistogram.end(),
                     [](const auto & a, const auto & b)
                     { return a.second < b.second || (a.second == b.second && a.first < b.first); })
      ->first;
  for (const auto & p : positions)
  {
    const double d = Dot(*p.front().position, normal);
    if (p.size() > volumes)
    {
      Reject(set, "duplicate slice position: " + std::to_string(p.size()) + " images at " + FormatFixed(d, 3) +
                    " mm along the normal where " + std::to_string(volumes) + " expected (" + p[0].file->displayPath +
                    ", " + p[1].file->displayPath + ")");
    }
    else if (p.size() < volumes)
    {
      Reject(set, "incomplete volumes: " + std::to_string(p.size()) + " of " + std::to_string(volumes) +
                    " images at slice position " + FormatFixed(d, 3) + " mm (" + p[0].file->displayPath + ")");
    }
  }
  for (auto & p : positions)
  {
    std::stable_sort(p.begin(), p.end(),
                     [](const FrameHeader & a, const FrameHeader & b)
                     { return VolumeOrderKey(a) < VolumeOrderKey(b); });
  }
  set.slices = static_cast<unsigned>(positions.size());
  set.volumes = static_cast<unsigned>(volumes);
  for (std::size_t v = 0; v < volumes; ++v)
  {
    for (auto & p : positions)
    {
      if (v < p.size())
        set.frames.push_back(p[v]);
    }
  }
  if (set.verdict == Verdict::Rejected)
  {
    return;
  }

  const FrameHeader & first = positions.front().front();
  const auto & pixelSpacing = *first.pixelSpacing;
  for (const auto & f : set.frames)
  {
    if (std::abs((*f.pixelSpacing)[0] - pixelSpacing[0]) > 1e-3 ||
        std::abs((*f.pixelSpacing)[1] - pixelSpacing[1]) > 1e-3)
    {
      Reject(set, "PixelSpacing differs between images (" + f.file->displayPath + ")");
      return;
    }
  }

  double sliceSpacing = 0;
  if (positions.size() >= 2)
  {
    std::vector<double> gaps;
    for (std::size_t i = 1; i < positions.size(); ++i)
      gaps.push_back(Dot(*positions[i].front().position, normal) - Dot(*positions[i - 1].front().position, normal));
    std::vector<double> sorted = gaps;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const double median = sorted[sorted.size() / 2];
    const double tolerance = std::max(params.spacingToleranceMm, params.spacingToleranceRel * median);
    for (std::size_t i = 0; i < gaps.size(); ++i)
    {
      if (std::abs(gaps[i] - median) <= tolerance)
        continue;
      const double ratio = gaps[i] / median;
      const long k = std::lround(ratio);
      const std::string where = " between " + BaseName(positions[i].front().file->displayPath) + " and " +
                                BaseName(positions[i + 1].front().file->displayPath);
      if (k >= 2 && std::abs(gaps[i] - k * median) <= tolerance * k)
      {
        Reject(set, "missing slice(s): gap of " + FormatFixed(gaps[i], 3) + " mm where the spacing is " +
                      FormatFixed(median, 3) + " mm (" + std::to_string(k - 1) + " slice(s) missing)" + where);
      }
      else
      {
        Reject(set, "non-uniform slice spacing: gap of " + FormatFixed(gaps[i], 3) + " mm where the spacing is " +
                      FormatFixed(median, 3) + " mm" + where);
      }
    }
    const std::array<double, 3> & p0 = *positions.front().front().position;
    const std::array<double, 3> & p1 = *positions.back().front().position;
    const std::array<double, 3> delta{ p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2] };
    const double along = Dot(delta, normal);
    const double across = std::sqrt(std::max(0.0, Dot(delta, delta) - along * along));
    const double tiltDeg = std::atan2(across, std::abs(along)) * 180.0 / kPi;
    if (tiltDeg > params.maxTiltDeg)
    {
      Reject(set, "gantry tilt / shear: slices are stacked " + FormatFixed(tiltDeg, 2) +
                    " degrees off the slice normal (not resampled; reconstruct without tilt)");
    }
    sliceSpacing = along / static_cast<double>(positions.size() - 1);
  }
  else
  {
    sliceSpacing = first.spacingBetweenSlices > 0 ? first.spacingBetweenSlices
                                                  : (first.sliceThickness > 0 ? first.sliceThickness : 1.0);
  }
  if (!std::isfinite(sliceSpacing) || !(sliceSpacing > 0) || !std::isfinite(Dot(*first.position, *first.position)))
  {
    Reject(set, "slice positions give no finite slice spacing (" + first.file->displayPath + ")");
    return;
  }
  if (set.slices < params.minSlices)
  {
    Warn(set, "too few slices (" + std::to_string(set.slices) + ") for a volume");
  }

  set.origin = *first.position;
  set.spacing = { pixelSpacing[1], pixelSpacing[0], sliceSpacing };
  for (int a = 0; a < 3; ++a)
  {
    set.direction[a * 3 + 0] = row[a];
    set.direction[a * 3 + 1] = col[a];
    set.direction[a * 3 + 2] = normal[a];
  }

  const bool weighted =
    std::any_of(set.frames.begin(), set.frames.end(), [](const FrameHeader & f) { return f.bValue.has_value(); });
  if (weighted)
  {
    for (std::size_t v = 0; v < volumes; ++v)
    {
      const FrameHeader & f = set.frames[v * set.slices];
      DiffusionVolume dv;
      dv.bValue = f.bValue.value_or(0.0);
      if (f.gradient)
      {
        dv.gradient = *f.gradient;
        dv.hasGradient = true;
      }
      for (std::size_t s = 1; s < set.slices; ++s)
      {
        if (std::abs(set.frames[v * set.slices + s].bValue.value_or(0.0) - dv.bValue) > 1.0)
        {
          Warn(set, "volume " + std::to_string(v + 1) + " mixes b-values across slices: volume order uncertain");
          break;
        }
      }
      set.diffusion.push_back(dv);
    }
  }
}

} // namespace icanscan::dicom
