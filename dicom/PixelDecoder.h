#pragma once

// Internal to icanscan_dicom: decoding of one file's pixel data (DCMTK).

#include "dicom/FrameHeader.h"

#include <memory>
#include <string>
#include <vector>

class DcmFileFormat;

namespace icanscan::dicom
{

/** \brief One file loaded with its pixel data decoded to native form; extracts frames as rescaled floats.
 *
 * Throws InputError(CorruptInput) naming the file when it cannot be loaded or decoded: truncated pixel data, a
 * transfer syntax without a decoder (JPEG 2000 in Debian's DCMTK), or a size that does not match the header. */
class PixelDecoder
{
public:
  explicit PixelDecoder(const FileHeader & file);
  ~PixelDecoder();
  PixelDecoder(const PixelDecoder &) = delete;
  PixelDecoder & operator=(const PixelDecoder &) = delete;

  /** Writes frame.rows * frame.columns floats (row by row) into `destination`. */
  void ExtractFrame(const FrameHeader & frame, float * destination) const;

  /** Registers DCMTK's JPEG and RLE decoders and quiets DCMTK's console log, once per process. */
  static void RegisterCodecs();

private:
  /** Native little-endian files whose PixelData element is the last one: read it directly (no second parse). */
  bool TryReadTrailingNativePixels();

  /** JPEG 2000, which Debian's DCMTK cannot decode, and JPEG-LS: the fragments as DCMTK read them, decoded by GDCM with
   * OpenJPEG and CharLS 2 (Debian's libgdcm, ITK's DICOM backend); GDCM's own file parser never sees the file (a
   * mutated file made it allocate 1.35 GB). DCMTK's own JPEG-LS decoder is not used: its bundled CharLS 1 exports the
   * same C symbols as the CharLS 2 that GDCM loads, so its calls land in the wrong library and corrupt the heap on any
   * decoding error. */
  bool TryDecodeWithGdcm();

  const FileHeader & m_File;
  std::vector<std::uint8_t> m_Buffer;
  std::unique_ptr<DcmFileFormat> m_Format;
  const std::uint8_t * m_Bytes8 = nullptr;
  const std::uint16_t * m_Words16 = nullptr;
  std::size_t m_ByteLength = 0; //!< bytes behind m_Bytes8 / m_Words16
};

} // namespace icanscan::dicom
