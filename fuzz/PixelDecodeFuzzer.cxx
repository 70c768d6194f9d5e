// Pixel decoding: one file's bytes read as a header, then every frame decoded in whichever transfer syntax the file
// names (native, big endian, RLE and JPEG through DCMTK; JPEG-LS and JPEG 2000 through GDCM). A decoding failure must
// be an InputError; anything else (crash, sanitizer report, another exception) is a finding.
#include "fuzz/FuzzSupport.h"

#include "core/Error.h"
#include "dicom/HeaderReader.h"
#include "dicom/PixelDecoder.h"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t * data, std::size_t size)
{
  using namespace icanscan;
  static const auto file = fuzz::ScratchFolder() / "pixels.dcm";
  dicom::PixelDecoder::RegisterCodecs();
  fuzz::WriteInput(file, data, size);
  const dicom::HeaderReadResult result = dicom::ReadFrameHeaders(file.string(), "pixels.dcm");
  if (result.frames.empty())
    return 0;
  const auto & header = *result.frames.front().file;
  if (std::uint64_t{ header.rows } * header.columns > (std::uint64_t{ 1 } << 22))
    return 0; // a valid but huge frame: not worth the fuzzer's time
  try
  {
    dicom::PixelDecoder decoder(header);
    std::vector<float> buffer;
    std::size_t decoded = 0;
    for (const auto & frame : result.frames)
    {
      if (++decoded > 64)
        break;
      buffer.resize(std::size_t{ frame.rows } * frame.columns);
      decoder.ExtractFrame(frame, buffer.data());
    }
  }
  catch (const InputError &)
  {
  }
  return 0;
}
