#include "dicom/SeriesSplitter.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace icanscan::dicom
{
namespace
{
constexpr double kOrientationTolerance = 1e-3; // direction-cosine difference still taken as the same plane

struct PartKey
{
  std::optional<std::array<double, 6>> orientation;
  unsigned rows = 0;
  unsigned columns = 0;
  std::string typeClass;
  int echoNumber = 0;
  long echoTimeCentiMs = 0;
  bool mosaic = false;

  bool Matches(const FrameHeader & f, const std::string & fType) const
  {
    if (rows != f.rows || columns != f.columns || typeClass != fType || echoNumber != f.echoNumber ||
        echoTimeCentiMs != std::lround(f.echoTimeMs * 100.0) || mosaic != (f.mosaicTile >= 0))
    {
      return false;
    }
    if (orientation.has_value() != f.orientation.has_value())
    {
      return false;
    }
    if (!orientation)
    {
      return true;
    }
    for (int i = 0; i < 6; ++i)
    {
      if (std::abs((*orientation)[i] - (*f.orientation)[i]) > kOrientationTolerance)
      {
        return false;
      }
    }
    return true;
  }
};

std::string FormatOrientation(const std::optional<std::array<double, 6>> & o)
{
  if (!o)
  {
    return "none";
  }
  std::ostringstream out;
  out.precision(3);
  for (int i = 0; i < 6; ++i)
  {
    out << (i ? "\\" : "") << (*o)[i];
  }
  return out.str();
}

/** Says how part `k` differs from the main part. */
std::string DescribeDifference(const PartKey & main, const PartKey & part)
{
  std::vector<std::string> reasons;
  if (part.typeClass != main.typeClass)
    reasons.push_back("image type " + (part.typeClass.empty() ? std::string("plain") : part.typeClass));
  if (!(part.orientation.has_value() == main.orientation.has_value() &&
        (!part.orientation ||
         [&]
         {
           for (int i = 0; i < 6; ++i)
             if (std::abs((*part.orientation)[i] - (*main.orientation)[i]) > kOrientationTolerance)
               return false;
           return true;
         }())))
    reasons.push_back("orientation " + FormatOrientation(part.orientation));
  if (part.rows != main.rows || part.columns != main.columns)
    reasons.push_back("dimensions " + std::to_string(part.columns) + "x" + std::to_string(part.rows));
  if (part.echoNumber != main.echoNumber || part.echoTimeCentiMs != main.echoTimeCentiMs)
  {
    std::ostringstream echo;
    echo << "echo " << part.echoNumber << " (TE " << part.echoTimeCentiMs / 100.0 << " ms)";
    reasons.push_back(echo.str());
  }
  std::string text = "split from series: ";
  for (std::size_t i = 0; i < reasons.size(); ++i)
    text += (i ? ", " : "") + reasons[i];
  return text;
}
} // namespace

std::string ImageTypeClass(const std::vector<std::string> & imageType)
{
  static const std::set<std::string> kSplitting = {
    "LOCALIZER", "ADC", "EADC",      "FA", "EXP", "TENSOR", "FIELD_MAP",        "B0",  "B0 MAP", "PHASE",  "P",
    "REAL",      "R",   "IMAGINARY", "I",  "MIP", "MNIP",   "PROJECTION IMAGE", "MPR", "SWI",    "T1 MAP", "T2 MAP"
  };
  // A diffusion trace (Siemens TRACEW, stored DERIVED beside its ORIGINAL b0) is one more diffusion weighting of the
  // same acquisition, not a separate volume set: split off, the b0 and the trace would each be half a DWI.
  const bool trace = std::any_of(imageType.begin() + std::min<std::size_t>(2, imageType.size()), imageType.end(),
                                 [](const std::string & t) { return t == "TRACEW" || t == "TRACE"; });
  std::set<std::string> found;
  for (std::size_t i = 0; i < imageType.size(); ++i)
  {
    const std::string & token = imageType[i];
    if (i == 0 && token == "DERIVED" && !trace)
      found.insert(token);
    else if (i >= 2 && kSplitting.count(token))
      found.insert(token);
    else if (i >= 2 && token.size() > 2 && token[1] == '_' && (token[0] == 'P' || token[0] == 'R' || token[0] == 'I'))
      found.insert(token.substr(0, 1)); // Philips "P_SE", "R_FFE": phase / real / imaginary
  }
  std::string joined;
  for (const auto & token : found)
    joined += (joined.empty() ? "" : "\\") + token;
  return joined;
}

std::vector<VolumeSet> SplitIntoVolumeSets(std::vector<FrameHeader> frames)
{
  std::map<std::string, std::vector<FrameHeader>> bySeries;
  for (auto & frame : frames)
  {
    // One UID under several series numbers (the same image exported in several transfer syntaxes, dcm_qa_ts) is
    // several series, as dcm2niix reads it.
    const std::string & uid = frame.file->seriesInstanceUid;
    const std::string key = (uid.empty() ? "(no SeriesInstanceUID) " + frame.file->path : uid) + " #" +
                            std::to_string(frame.file->seriesNumber);
    bySeries[key].push_back(std::move(frame));
  }

  std::vector<VolumeSet> sets;
  for (auto & [uid, seriesFrames] : bySeries)
  {
    std::vector<PartKey> keys;
    std::vector<std::vector<FrameHeader>> parts;
    for (auto & frame : seriesFrames)
    {
      const std::string typeClass = ImageTypeClass(frame.frameType);
      std::size_t k = 0;
      while (k < keys.size() && !keys[k].Matches(frame, typeClass))
        ++k;
      if (k == keys.size())
      {
        keys.push_back({ frame.orientation, frame.rows, frame.columns, typeClass, frame.echoNumber,
                         std::lround(frame.echoTimeMs * 100.0), frame.mosaicTile >= 0 });
        parts.emplace_back();
      }
      parts[k].push_back(std::move(frame));
    }
    // The biggest non-localizer part is the series proper; order the rest by size.
    std::vector<std::size_t> order(parts.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b)
                     {
                       const bool locA = keys[a].typeClass.find("LOCALIZER") != std::string::npos;
                       const bool locB = keys[b].typeClass.find("LOCALIZER") != std::string::npos;
                       if (locA != locB)
                         return !locA;
                       return parts[a].size() > parts[b].size();
                     });
    const int seriesNumber = parts[order[0]].front().file->seriesNumber;
    for (std::size_t rank = 0; rank < order.size(); ++rank)
    {
      VolumeSet set;
      set.id = std::to_string(seriesNumber) + (rank == 0 ? "" : "." + std::to_string(rank + 1));
      if (rank > 0)
        set.splitReason = DescribeDifference(keys[order[0]], keys[order[rank]]);
      else if (order.size() > 1)
        set.splitReason = "series holds " + std::to_string(order.size()) + " volume sets; this is the main one";
      set.frames = std::move(parts[order[rank]]);
      set.rows = set.frames.front().rows;
      set.columns = set.frames.front().columns;
      sets.push_back(std::move(set));
    }
  }
  return sets;
}

} // namespace icanscan::dicom
