#include "dicom/PixelDecoder.h"

#include "core/Error.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcpixel.h"
#include "dcmtk/dcmdata/dcpixseq.h"
#include "dcmtk/dcmdata/dcpxitem.h"
#include "dcmtk/dcmdata/dcrledrg.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmdata/dcxfer.h"
#include "dcmtk/dcmjpeg/djdecode.h"
#include "dcmtk/oflog/oflog.h"

#include "gdcmImage.h"
#include "gdcmSequenceOfFragments.h"
#include "gdcmTrace.h"

#include <cmath>
#include <fstream>
#include <mutex>

namespace icanscan::dicom
{
namespace
{
std::string SyntaxName(const std::string & uid)
{
  const char * name = dcmFindNameOfUID(uid.c_str(), nullptr);
  return (name ? std::string(name) + " " : std::string()) + "(" + uid + ")";
}

[[noreturn]] void Fail(const FileHeader & file, const std::string & what)
{
  throw InputError(file.displayPath + ": " + what, ExitCode::CorruptInput);
}

bool DecodedByGdcm(const std::string & uid)
{
  return uid == UID_JPEG2000LosslessOnlyTransferSyntax || uid == UID_JPEG2000TransferSyntax ||
         uid == UID_JPEGLSLosslessTransferSyntax || uid == UID_JPEGLSLossyTransferSyntax;
}
} // namespace

void PixelDecoder::RegisterCodecs()
{
  static std::once_flag once;
  std::call_once(once,
                 []
                 {
                   // DCMTK's own warnings (e.g. "PixelData encountered, skipping rest of dataset" when we stop before
                   // it on purpose) are not the user's business; real problems reach them as icanscan errors.
                   OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
                   gdcm::Trace::WarningOff();
                   gdcm::Trace::ErrorOff(); // a decoding error reaches the user as an InputError naming the file
                   DJDecoderRegistration::registerCodecs();
                   DcmRLEDecoderRegistration::registerCodecs();
                 });
}

bool PixelDecoder::TryReadTrailingNativePixels()
{
  const bool explicitVr = m_File.transferSyntaxUid == UID_LittleEndianExplicitTransferSyntax;
  const bool implicitVr = m_File.transferSyntaxUid == UID_LittleEndianImplicitTransferSyntax;
  if (!explicitVr && !implicitVr)
    return false;
  const std::uint64_t expected =
    static_cast<std::uint64_t>(m_File.rows) * m_File.columns * m_File.numberOfFrames * (m_File.bitsAllocated / 8);
  const std::uint64_t headerSize = explicitVr ? 12 : 8;
  if (expected == 0 || expected + headerSize > m_File.fileSize || expected % 2 != 0)
    return false;
  std::ifstream in(m_File.path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(m_File.fileSize - expected - headerSize));
  std::uint8_t header[12] = {};
  in.read(reinterpret_cast<char *>(header), static_cast<std::streamsize>(headerSize));
  if (!in || header[0] != 0xE0 || header[1] != 0x7F || header[2] != 0x10 || header[3] != 0x00)
    return false;
  const std::uint8_t * lengthBytes = header + 4;
  if (explicitVr)
  {
    const bool otherVr =
      (header[4] == 'O' && (header[5] == 'W' || header[5] == 'B')) && header[6] == 0 && header[7] == 0;
    if (!otherVr)
      return false;
    lengthBytes = header + 8;
  }
  const std::uint32_t length = lengthBytes[0] | (lengthBytes[1] << 8) | (lengthBytes[2] << 16) |
                               (static_cast<std::uint32_t>(lengthBytes[3]) << 24);
  if (length != expected)
    return false;
  m_Buffer.resize(expected);
  in.read(reinterpret_cast<char *>(m_Buffer.data()), static_cast<std::streamsize>(expected));
  if (!in)
    return false;
  if (m_File.bitsAllocated == 8)
    m_Bytes8 = m_Buffer.data();
  else
    m_Words16 = reinterpret_cast<const std::uint16_t *>(m_Buffer.data());
  m_ByteLength = m_Buffer.size();
  return true;
}

bool PixelDecoder::TryDecodeWithGdcm()
{
  const std::string & uid = m_File.transferSyntaxUid;
  if (!DecodedByGdcm(uid))
    return false;
  const std::string codec =
    uid == UID_JPEGLSLosslessTransferSyntax || uid == UID_JPEGLSLossyTransferSyntax ? "JPEG-LS" : "JPEG 2000";
  // DCMTK parses the file (its structure checked before), GDCM decodes only the fragments: GDCM's own file parser
  // never sees the rest of the file (private tags, CSA headers, whatever a damaged file holds).
  m_Format = std::make_unique<DcmFileFormat>();
  const OFCondition loaded = m_Format->loadFile(m_File.path.c_str());
  if (loaded.bad())
    Fail(m_File, std::string("cannot be read: ") + loaded.text());
  DcmDataset * ds = m_Format->getDataset();
  DcmElement * element = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr)
    Fail(m_File, "has no PixelData (7FE0,0010)");
  DcmPixelSequence * fragments = nullptr;
  if (static_cast<DcmPixelData *>(element)
        ->getEncapsulatedRepresentation(ds->getOriginalXfer(), nullptr, fragments)
        .bad() ||
      fragments == nullptr)
    Fail(m_File, codec + " pixel data " + SyntaxName(uid) + " is not encapsulated in fragments");

  gdcm::SmartPointer<gdcm::SequenceOfFragments> sequence = new gdcm::SequenceOfFragments;
  for (unsigned long i = 1; i < fragments->card(); ++i) // item 0 is the basic offset table
  {
    DcmPixelItem * item = nullptr;
    Uint8 * bytes = nullptr;
    if (fragments->getItem(item, i).bad() || item == nullptr || item->getUint8Array(bytes).bad())
      Fail(m_File, codec + " fragment " + std::to_string(i) + " cannot be read");
    static const char none = 0;
    gdcm::Fragment fragment;
    fragment.SetByteValue(bytes ? reinterpret_cast<const char *>(bytes) : &none,
                          gdcm::VL(bytes ? item->getLength() : 0));
    sequence->AddFragment(fragment);
  }
  gdcm::DataElement pixels(gdcm::Tag(0x7fe0, 0x0010));
  pixels.SetVR(gdcm::VR::OB);
  pixels.SetValue(*sequence);

  gdcm::Image image;
  image.SetNumberOfDimensions(m_File.numberOfFrames > 1 ? 3 : 2);
  image.SetDimension(0, m_File.columns);
  image.SetDimension(1, m_File.rows);
  if (m_File.numberOfFrames > 1)
    image.SetDimension(2, m_File.numberOfFrames);
  const auto highBit = static_cast<unsigned short>(m_File.bitsStored > 0 ? m_File.bitsStored - 1 : 0);
  image.SetPixelFormat(gdcm::PixelFormat(
    static_cast<unsigned short>(m_File.samplesPerPixel), static_cast<unsigned short>(m_File.bitsAllocated),
    static_cast<unsigned short>(m_File.bitsStored), highBit, static_cast<unsigned short>(m_File.pixelRepresentation)));
  image.SetPhotometricInterpretation(
    gdcm::PhotometricInterpretation::GetPIType(m_File.photometricInterpretation.c_str()));
  image.SetTransferSyntax(gdcm::TransferSyntax::GetTSType(uid.c_str()));
  image.SetDataElement(pixels);

  const std::uint64_t expected =
    static_cast<std::uint64_t>(m_File.rows) * m_File.columns * m_File.numberOfFrames * (m_File.bitsAllocated / 8);
  if (image.GetBufferLength() != expected)
    Fail(m_File, codec + " pixel data decodes to " + std::to_string(image.GetBufferLength()) + " bytes where " +
                   std::to_string(expected) + " are declared");
  m_Buffer.resize(expected);
  if (!image.GetBuffer(reinterpret_cast<char *>(m_Buffer.data())))
    Fail(m_File, codec + " pixel data " + SyntaxName(uid) + " could not be decoded (GDCM with " +
                   (codec == "JPEG-LS" ? "CharLS" : "OpenJPEG") + ")");
  m_Format.reset(); // the decoded copy is all that is needed
  if (m_File.bitsAllocated == 8)
    m_Bytes8 = m_Buffer.data();
  else
    m_Words16 = reinterpret_cast<const std::uint16_t *>(m_Buffer.data());
  m_ByteLength = m_Buffer.size();
  return true;
}

PixelDecoder::PixelDecoder(const FileHeader & file)
  : m_File(file)
{
  RegisterCodecs();
  if (TryReadTrailingNativePixels() || TryDecodeWithGdcm())
  {
    return;
  }
  m_Format = std::make_unique<DcmFileFormat>();
  const OFCondition loaded = m_Format->loadFile(file.path.c_str());
  if (loaded.bad())
  {
    Fail(file, std::string("cannot be read: ") + loaded.text());
  }
  DcmDataset * ds = m_Format->getDataset();
  const DcmXfer original(ds->getOriginalXfer());
  if (original.isEncapsulated())
  {
    const OFCondition decoded = ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    if (decoded.bad() || !ds->canWriteXfer(EXS_LittleEndianExplicit))
    {
      Fail(file, "pixel data in transfer syntax " + SyntaxName(original.getXferID()) +
                   " cannot be decoded (no decoder in this DCMTK build" +
                   (decoded.bad() ? std::string(": ") + decoded.text() : std::string()) + ")");
    }
  }
  DcmElement * pixels = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, pixels).bad() || pixels == nullptr)
  {
    Fail(file, "has no PixelData (7FE0,0010)");
  }
  const std::uint64_t expected =
    static_cast<std::uint64_t>(file.rows) * file.columns * file.numberOfFrames * (file.bitsAllocated / 8);
  const std::uint64_t available = pixels->getLength();
  if (available < expected)
  {
    Fail(file, "pixel data holds " + std::to_string(available) + " bytes where Rows x Columns x frames needs " +
                 std::to_string(expected) + " (truncated file?)");
  }
  if (file.bitsAllocated == 8)
  {
    Uint8 * data = nullptr;
    if (pixels->getUint8Array(data).bad() || data == nullptr)
      Fail(file, "8-bit pixel data cannot be accessed");
    m_Bytes8 = data;
    m_ByteLength = available;
  }
  else
  {
    Uint16 * data = nullptr;
    if (pixels->getUint16Array(data).bad() || data == nullptr)
      Fail(file, "pixel data cannot be accessed as 16-bit words");
    m_Words16 = data;
    m_ByteLength = available;
  }
}

PixelDecoder::~PixelDecoder() = default;

void PixelDecoder::ExtractFrame(const FrameHeader & frame, float * destination) const
{
  const FileHeader & file = m_File;
  if (frame.frameIndex >= file.numberOfFrames)
  {
    Fail(file, "frame " + std::to_string(frame.frameIndex) + " requested of " + std::to_string(file.numberOfFrames));
  }
  const std::size_t frameVoxels = static_cast<std::size_t>(file.rows) * file.columns;
  const std::size_t frameStart = frameVoxels * frame.frameIndex;
  unsigned tileRow = 0, tileColumn = 0;
  if (frame.mosaicTile >= 0)
  {
    const unsigned perRow = frame.columns > 0 ? file.columns / frame.columns : 0;
    if (perRow == 0)
      Fail(file, "mosaic tile of " + std::to_string(frame.columns) + " columns in a frame of " +
                   std::to_string(file.columns));
    tileRow = static_cast<unsigned>(frame.mosaicTile) / perRow;
    tileColumn = static_cast<unsigned>(frame.mosaicTile) % perRow;
  }
  // The last sample this frame reads must lie inside the decoded pixel data, whatever the header claimed.
  const std::uint64_t lastRow = std::uint64_t{ tileRow } * frame.rows + frame.rows;
  const std::uint64_t lastColumn = std::uint64_t{ tileColumn } * frame.columns + frame.columns;
  const std::uint64_t bytesPerSample = file.bitsAllocated / 8;
  if (frame.rows == 0 || frame.columns == 0 || lastRow > file.rows || lastColumn > file.columns ||
      (frameStart + (lastRow - 1) * file.columns + lastColumn) * bytesPerSample > m_ByteLength)
    Fail(file, "frame " + std::to_string(frame.frameIndex) + " (" + std::to_string(frame.columns) + " x " +
                 std::to_string(frame.rows) + ") lies outside the " + std::to_string(m_ByteLength) +
                 " bytes of decoded pixel data");
  const unsigned stored =
    file.bitsStored > 0 && file.bitsStored <= file.bitsAllocated ? file.bitsStored : file.bitsAllocated;
  const bool isSigned = file.pixelRepresentation == 1;
  const std::uint32_t mask = stored >= 32 ? 0xFFFFFFFFu : ((1u << stored) - 1u);
  const std::uint32_t signBit = stored >= 32 ? 0x80000000u : (1u << (stored - 1));

  // Philips "precise" values, as dcm2niix writes them by default: (SV * RS + RI) / (RS * SS).
  double slope = frame.rescaleSlope;
  double intercept = frame.rescaleIntercept;
  if (frame.philipsScaleSlope > 0 && slope != 0)
  {
    intercept = intercept / (slope * frame.philipsScaleSlope);
    slope = 1.0 / frame.philipsScaleSlope;
  }

  for (unsigned r = 0; r < frame.rows; ++r)
  {
    const std::size_t rowStart =
      frameStart + static_cast<std::size_t>(tileRow * frame.rows + r) * file.columns + tileColumn * frame.columns;
    for (unsigned c = 0; c < frame.columns; ++c)
    {
      const std::size_t i = rowStart + c;
      std::uint32_t raw;
      if (m_Bytes8 != nullptr)
        raw = m_Bytes8[i];
      else if (file.bitsAllocated == 16)
        raw = m_Words16[i];
      else
        raw = static_cast<std::uint32_t>(m_Words16[2 * i]) | (static_cast<std::uint32_t>(m_Words16[2 * i + 1]) << 16);
      raw &= mask;
      double value;
      if (isSigned && (raw & signBit))
        value = static_cast<double>(static_cast<std::int64_t>(raw) - (static_cast<std::int64_t>(mask) + 1));
      else
        value = static_cast<double>(raw);
      destination[static_cast<std::size_t>(r) * frame.columns + c] = static_cast<float>(value * slope + intercept);
    }
  }
}

} // namespace icanscan::dicom
