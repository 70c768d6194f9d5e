#include "dicom/UihMosaic.h"

#include "dicom/DcmtkAttributes.h"

#include "dcmtk/dcmdata/dcdeftag.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

namespace icanscan::dicom
{
namespace
{
const DcmTagKey kUihSlicesInMosaic(0x0065, 0x1050);
const DcmTagKey kUihSliceSequence(0x0065, 0x1051);
const DcmTagKey kUihMatrixText(0x0065, 0x1004);

/** Whether tiles of columns x rows lay `slices` slices out on the frame: whole tiles, no empty row of tiles. */
bool Tiles(unsigned frameColumns, unsigned frameRows, unsigned columns, unsigned rows, unsigned slices)
{
  if (columns == 0 || rows == 0 || frameColumns % columns != 0 || frameRows % rows != 0)
    return false;
  const unsigned perRow = frameColumns / columns;
  const unsigned tileRows = frameRows / rows;
  return perRow * tileRows >= slices && perRow * (tileRows - 1) < slices;
}

/** Tile size (columns, rows); {0, 0} when nothing tiles the frame. */
std::pair<unsigned, unsigned> TileSize(DcmItem & ds, const FileHeader & file, unsigned slices)
{
  std::vector<std::pair<unsigned, unsigned>> candidates;
  const auto matrix = detail::GetNumbers(ds, DCM_AcquisitionMatrix, 2);
  if (matrix.size() == 4)
  {
    const auto frequency = static_cast<unsigned>(std::max(matrix[0], matrix[1]));
    const auto phase = static_cast<unsigned>(std::max(matrix[2], matrix[3]));
    candidates.insert(candidates.end(), { { frequency, phase }, { phase, frequency } });
  }
  const std::string text = detail::GetString(ds, kUihMatrixText); // e.g. "64*64"
  if (const auto star = text.find('*'); star != std::string::npos)
  {
    const auto a = static_cast<unsigned>(std::strtoul(text.c_str(), nullptr, 10));
    const auto b = static_cast<unsigned>(std::strtoul(text.c_str() + star + 1, nullptr, 10));
    candidates.insert(candidates.end(), { { a, b }, { b, a } });
  }
  for (const auto & [columns, rows] : candidates)
    if (Tiles(file.columns, file.rows, columns, rows, slices))
      return { columns, rows };
  for (unsigned side = std::min(file.columns, file.rows); side > 0; --side)
    if (Tiles(file.columns, file.rows, side, side, slices))
      return { side, side };
  return { 0, 0 };
}
} // namespace

bool IsUihMosaic(const FileHeader & file)
{
  std::string maker = file.manufacturer;
  std::transform(maker.begin(), maker.end(), maker.begin(), [](unsigned char c) { return std::toupper(c); });
  return maker.find("UIH") != std::string::npos &&
         std::find(file.imageType.begin(), file.imageType.end(), "VFRAME") != file.imageType.end();
}

std::string ExpandUihMosaic(DcmItem & dataset, const FrameHeader & whole, std::vector<FrameHeader> & frames)
{
  const auto count = detail::GetNumber(dataset, kUihSlicesInMosaic);
  if (!count || *count < 1 || *count > 4096)
    return "UIH mosaic without a plausible slice count in (0065,1050)";
  const auto slices = static_cast<unsigned>(*count);
  std::vector<std::array<double, 3>> positions;
  DcmItem * item = nullptr;
  for (unsigned k = 0; dataset.findAndGetSequenceItem(kUihSliceSequence, item, static_cast<int>(k), OFFalse).good();
       ++k)
  {
    const auto p = detail::GetVector<3>(*item, DCM_ImagePositionPatient);
    if (!p)
      return "UIH mosaic: item " + std::to_string(k + 1) + " of (0065,1051) has no ImagePositionPatient";
    positions.push_back(*p);
  }
  if (positions.size() != slices)
    return "UIH mosaic: (0065,1051) lists " + std::to_string(positions.size()) +
           " slice positions where (0065,1050) says " + std::to_string(slices) + " slices";
  const auto [columns, rows] = TileSize(dataset, *whole.file, slices);
  if (columns == 0)
    return "UIH mosaic: no tile size lays " + std::to_string(slices) + " slices out on the " +
           std::to_string(whole.file->columns) + "x" + std::to_string(whole.file->rows) + " frame";
  for (unsigned k = 0; k < slices; ++k)
  {
    FrameHeader slice = whole;
    slice.rows = rows;
    slice.columns = columns;
    slice.mosaicTile = static_cast<int>(k);
    slice.position = positions[k];
    frames.push_back(std::move(slice));
  }
  return {};
}

} // namespace icanscan::dicom
