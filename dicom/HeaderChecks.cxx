#include "dicom/HeaderChecks.h"

#include <cmath>
#include <sstream>

namespace icanscan::dicom
{
namespace
{
template<std::size_t N>
std::string Values(const std::array<double, N> & v)
{
  std::ostringstream out;
  out.precision(6);
  for (std::size_t i = 0; i < N; ++i)
    out << (i ? "\\" : "") << v[i];
  return out.str();
}

template<std::size_t N>
bool AllFinite(const std::array<double, N> & v)
{
  for (double x : v)
    if (!std::isfinite(x))
      return false;
  return true;
}

double FiniteOrZero(double v)
{
  return std::isfinite(v) ? v : 0.0;
}

constexpr double kMaxPixelSpacingMm = 1000.0; // a pixel larger than a metre is no MR pixel
constexpr double kMaxBValue = 100000.0;       // s/mm²; clinical b-values stay below 10,000
} // namespace

FileProblem CheckFileHeader(const FileHeader & h, bool encapsulated, const StructureCheckResult & structure)
{
  const auto missing = [](const char * name) { return FileProblem{ std::string(name) + " missing (type 1)", true }; };
  if (h.rows == 0 && h.columns == 0 && !structure.hasPixelData)
    return { "no image: " + (h.sopClassUid.empty() ? std::string("no SOP class") : h.sopClassUid), false };
  if (h.rows == 0 || h.columns == 0)
    return { "Rows or Columns is 0 or missing (Rows " + std::to_string(h.rows) + ", Columns " +
               std::to_string(h.columns) + ")",
             true };
  if (!structure.hasPixelData)
    return missing("PixelData (7FE0,0010)");
  if (h.bitsAllocated != 8 && h.bitsAllocated != 16 && h.bitsAllocated != 32)
    return { "BitsAllocated " + std::to_string(h.bitsAllocated) + " is not supported (expected 8, 16 or 32)", true };
  if (h.bitsStored == 0 || h.bitsStored > h.bitsAllocated)
    return { "BitsStored " + std::to_string(h.bitsStored) + " does not fit BitsAllocated " +
               std::to_string(h.bitsAllocated),
             true };
  if (h.pixelRepresentation > 1)
    return { "PixelRepresentation " + std::to_string(h.pixelRepresentation) + " (expected 0 or 1)", true };
  if (h.samplesPerPixel != 1)
    return { "SamplesPerPixel " + std::to_string(h.samplesPerPixel) + " (colour) is not a grey-scale MR image", false };
  if (h.studyInstanceUid.empty())
    return missing("StudyInstanceUID (0020,000D)");
  if (h.seriesInstanceUid.empty())
    return missing("SeriesInstanceUID (0020,000E)");

  const std::uint64_t frameBytes = std::uint64_t{ h.rows } * h.columns * (h.bitsAllocated / 8);
  const std::uint64_t declared = frameBytes * h.numberOfFrames;
  const std::string declaration = "Rows " + std::to_string(h.rows) + " x Columns " + std::to_string(h.columns) + " x " +
                                  std::to_string(h.numberOfFrames) + " frame(s) x " +
                                  std::to_string(h.bitsAllocated / 8) + " byte(s)";
  if (!encapsulated)
  {
    const std::uint64_t present = structure.pixelDataLength.value_or(0);
    if (present < declared)
      return { "pixel data holds " + std::to_string(present) + " bytes where " + declaration + " needs " +
                 std::to_string(declared) + " (truncated or damaged file)",
               true };
    return {};
  }
  // Compressed: every frame needs at least one fragment (after the offset table) of at least a few bytes.
  const std::uint64_t fragments = structure.pixelFragments > 0 ? structure.pixelFragments - 1 : 0;
  if (fragments < h.numberOfFrames)
    return { "compressed pixel data holds " + std::to_string(fragments) + " fragment(s) for " +
               std::to_string(h.numberOfFrames) + " declared frame(s) (truncated or damaged file)",
             true };
  if (declared > std::uint64_t{ 4 } << 30)
    return { "declared image size of " + std::to_string(declared) + " bytes (" + declaration + ") is implausible",
             true };
  return {};
}

std::string CheckMosaic(const FileHeader & file, unsigned tiles)
{
  const unsigned perRow = static_cast<unsigned>(std::ceil(std::sqrt(static_cast<double>(tiles))));
  if (tiles > 65535 || perRow == 0 || file.rows / perRow < 2 || file.columns / perRow < 2)
    return "Siemens mosaic of " + std::to_string(tiles) + " images cannot be tiled in a frame of " +
           std::to_string(file.columns) + " x " + std::to_string(file.rows) + " pixels (damaged header)";
  return {};
}

void CleanFileValues(FileHeader & h)
{
  h.repetitionTimeMs = FiniteOrZero(h.repetitionTimeMs);
  h.echoTimeMs = FiniteOrZero(h.echoTimeMs);
  h.inversionTimeMs = FiniteOrZero(h.inversionTimeMs);
  h.flipAngleDeg = FiniteOrZero(h.flipAngleDeg);
  h.fieldStrengthT = FiniteOrZero(h.fieldStrengthT);
}

void CheckFrameValues(FrameHeader & frame)
{
  auto & problems = frame.valueProblems;
  if (frame.position && !AllFinite(*frame.position))
  {
    problems.push_back("ImagePositionPatient " + Values(*frame.position) + " is not finite");
    frame.position.reset();
  }
  if (frame.orientation && !AllFinite(*frame.orientation))
  {
    problems.push_back("ImageOrientationPatient " + Values(*frame.orientation) + " is not finite");
    frame.orientation.reset();
  }
  if (frame.pixelSpacing)
  {
    const auto & ps = *frame.pixelSpacing;
    const bool finite = AllFinite(ps);
    if (!finite || !(ps[0] > 0 && ps[1] > 0) || ps[0] > kMaxPixelSpacingMm || ps[1] > kMaxPixelSpacingMm)
    {
      problems.push_back("PixelSpacing " + Values(ps) +
                         (finite ? " is not a positive spacing of at most 1000 mm" : " is not finite"));
      frame.pixelSpacing.reset();
    }
  }
  if (!std::isfinite(frame.sliceThickness) || frame.sliceThickness < 0)
    frame.sliceThickness = 0;
  if (!std::isfinite(frame.spacingBetweenSlices) || frame.spacingBetweenSlices < 0)
    frame.spacingBetweenSlices = 0;
  if (!std::isfinite(frame.rescaleSlope) || !std::isfinite(frame.rescaleIntercept))
    problems.push_back("RescaleSlope " + std::to_string(frame.rescaleSlope) + " or RescaleIntercept " +
                       std::to_string(frame.rescaleIntercept) + " is not finite");
  if (!std::isfinite(frame.philipsScaleSlope) || frame.philipsScaleSlope < 0)
    frame.philipsScaleSlope = 0;
  if (!std::isfinite(frame.echoTimeMs))
    frame.echoTimeMs = 0;
  if (frame.bValue && !(std::isfinite(*frame.bValue) && *frame.bValue >= 0 && *frame.bValue <= kMaxBValue))
  {
    problems.push_back("diffusion b-value " + std::to_string(*frame.bValue) + " is not a finite value in [0, " +
                       std::to_string(static_cast<long>(kMaxBValue)) + "] s/mm²");
    frame.bValue.reset();
  }
  if (frame.gradient && !AllFinite(*frame.gradient))
  {
    problems.push_back("diffusion gradient " + Values(*frame.gradient) + " is not finite");
    frame.gradient.reset();
  }
}

} // namespace icanscan::dicom
