#include "dicom/VolumeSet.h"

#include <set>

namespace icanscan::dicom
{

std::string ToString(Verdict verdict)
{
  switch (verdict)
  {
    case Verdict::Ok:
      return "ok";
    case Verdict::Warning:
      return "warning";
    case Verdict::Rejected:
      return "rejected";
  }
  return "rejected";
}

std::vector<std::string> VolumeSet::SourceFiles() const
{
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const auto & frame : frames)
  {
    if (seen.insert(frame.file->path).second)
    {
      files.push_back(frame.file->path);
    }
  }
  return files;
}

std::vector<double> VolumeSet::BValues() const
{
  std::vector<double> values;
  for (const auto & volume : diffusion)
  {
    values.push_back(volume.bValue);
  }
  return values;
}

} // namespace icanscan::dicom
