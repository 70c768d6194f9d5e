#pragma once

// Reading icanscan's DICOM objects back the way a PACS client would: the segmentation with DCMTK's
// DcmSegmentation::loadFile, the SR with DSRDocument, and the objects through dciodvfy (Debian dicom3tools).

#include "filters/ImageTypes.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace icanscan::test
{

/** \brief One segment as read back. */
struct ReadSegment
{
  std::string label;
  std::string trackingId;
  std::string typeCode;             //!< "value^scheme^meaning"
  std::string categoryCode;         //!< "value^scheme^meaning"
  std::string modifierCode;         //!< first type modifier, "" if none
  filters::MaskImage::Pointer mask; //!< on the grid given to ReadSegmentation
  std::size_t frames = 0;
};

/** \brief A segmentation read with DcmSegmentation::loadFile: its segments by number, frames placed on `grid` by
 * their ImagePositionPatient (a frame off the grid fails the read with an exception). */
std::map<int, ReadSegment> ReadSegmentation(const std::filesystem::path & file, const filters::MaskImage * grid);

/** \brief Numeric measurements of a TID 1500 SR by tracking identifier then concept meaning: the DS string as
 * written ("" for a NUM without value). */
std::map<std::string, std::map<std::string, std::string>> ReadSrMeasurements(const std::filesystem::path & file);

/** \brief Every TEXT and CODE value of an SR or KOS as "concept meaning: value" lines. */
std::vector<std::string> ReadSrTexts(const std::filesystem::path & file);

/** \brief Referenced SOP instance UIDs of the IMAGE items of an SR / KOS. */
std::vector<std::string> ReadSrImageReferences(const std::filesystem::path & file);

/** \brief A header string of a DICOM file ("" when absent). */
std::string HeaderString(const std::filesystem::path & file, unsigned short group, unsigned short element);

/** \brief The "Error" lines dciodvfy prints for a file, or one line saying dciodvfy is missing. */
std::vector<std::string> DciodvfyErrors(const std::filesystem::path & file);

/** \brief True when dciodvfy is installed. */
bool HaveDciodvfy();

} // namespace icanscan::test
