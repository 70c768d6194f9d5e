#pragma once

#include "dicom/FrameHeader.h"
#include "dicom/SeriesRole.h"

#include <array>
#include <string>
#include <vector>

namespace icanscan::dicom
{

/** \brief Verdict on a volume set's geometry and content. */
enum class Verdict
{
  Ok,
  Warning,  //!< usable, with messages the user should read
  Rejected, //!< not converted, not used by the pipeline
};

std::string ToString(Verdict verdict);

/** \brief Diffusion weighting of one volume of a set. */
struct DiffusionVolume
{
  double bValue = 0.0;              //!< s/mm²
  std::array<double, 3> gradient{}; //!< LPS unit vector; zero for b0 or trace/isotropic images
  bool hasGradient = false;
};

/** \brief One stack of frames that forms a 3D volume or a 4D series (same orientation, size, image type, echo).
 *
 * Frames are sorted volume-major, and inside a volume by position along the slice normal (ascending), never by
 * InstanceNumber. A DICOM series holding several such sets (localizer inside, several orientations, echoes,
 * magnitude + phase) is split into several VolumeSets sharing its SeriesInstanceUID. */
struct VolumeSet
{
  std::string id;          //!< "<SeriesNumber>" or "<SeriesNumber>.<k>" for the k-th split part
  std::string splitReason; //!< why this part was split from its series; empty when not split
  std::vector<FrameHeader> frames;
  unsigned slices = 0;
  unsigned volumes = 0;
  unsigned columns = 0; //!< image width (per slice: mosaic tiles already unpacked)
  unsigned rows = 0;

  std::array<double, 3> origin{};    //!< LPS position of voxel (0,0,0) of the first slice, mm
  std::array<double, 3> spacing{};   //!< column spacing, row spacing, slice spacing, mm
  std::array<double, 9> direction{}; //!< row-major 3x3; columns: row direction, column direction, slice normal

  std::vector<DiffusionVolume> diffusion; //!< one per volume when the set is diffusion weighted, else empty

  Verdict verdict = Verdict::Ok;
  std::vector<std::string> messages;

  SeriesRole role = SeriesRole::Other;
  std::vector<std::string> roleReasons;
  bool roleOverridden = false;

  const FileHeader & Header() const { return *frames.front().file; }
  std::vector<std::string> SourceFiles() const;
  std::vector<double> BValues() const;
};

} // namespace icanscan::dicom
