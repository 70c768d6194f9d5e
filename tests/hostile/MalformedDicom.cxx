#include "tests/hostile/MalformedDicom.h"

#include "tests/dicom/DicomFixtures.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcvrlo.h>
#include <dcmtk/dcmdata/dcvrus.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>

#include "gdcmImageChangeTransferSyntax.h"
#include "gdcmImageReader.h"
#include "gdcmImageWriter.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>

namespace icanscan::test
{
namespace
{
void Append(std::vector<std::uint8_t> & out, std::initializer_list<std::uint8_t> bytes)
{
  out.insert(out.end(), bytes.begin(), bytes.end());
}

std::size_t FindLast(const std::vector<std::uint8_t> & bytes, const std::vector<std::uint8_t> & pattern)
{
  const auto it = std::find_end(bytes.begin(), bytes.end(), pattern.begin(), pattern.end());
  if (it == bytes.end())
    throw std::runtime_error("corpus: pattern not found in the file");
  return static_cast<std::size_t>(it - bytes.begin());
}

void RegisterEncoders()
{
  static std::once_flag once;
  std::call_once(once,
                 []
                 {
                   DcmRLEEncoderRegistration::registerCodecs();
                   DJEncoderRegistration::registerCodecs();
                 });
}
} // namespace

std::vector<dicom::WrittenFile> WriteSmallSeries(const std::filesystem::path & folder,
                                                 int seriesNumber,
                                                 unsigned slices,
                                                 const std::function<void(dicom::MrSeriesSpec &)> & edit,
                                                 unsigned size)
{
  const auto image = MakeTestVolume(size, size, slices, { 1.0, 1.0, 4.0 }, IdentityDirection(),
                                    { -8.0, -8.0, -2.0 * slices }, 10.0 * seriesNumber);
  // One study of one patient per process, unless the case says otherwise (a folder of several studies is refused).
  static const std::string study = dicom::MrSeriesWriter::GenerateUid();
  auto spec = MakeTestSpec(seriesNumber, "series " + std::to_string(seriesNumber));
  spec.studyInstanceUid = study;
  if (edit)
    edit(spec);
  return WriteSeries(image, spec, folder, "S" + std::to_string(seriesNumber) + "_{n}.dcm");
}

void EditDicom(const std::vector<std::string> & paths, const std::function<void(DcmDataset &)> & edit)
{
  for (const auto & path : paths)
  {
    DcmFileFormat file;
    // Everything in memory first: DCMTK reads large values lazily from the file that saveFile truncates.
    if (file.loadFile(path.c_str()).bad() || file.loadAllDataIntoMemory().bad())
      throw std::runtime_error("corpus: cannot load " + path);
    DcmDataset & ds = *file.getDataset();
    edit(ds);
    const E_TransferSyntax xfer = ds.getCurrentXfer();
    if (file.saveFile(path.c_str(), xfer == EXS_Unknown ? EXS_LittleEndianExplicit : xfer).bad())
      throw std::runtime_error("corpus: cannot save " + path);
  }
}

std::vector<std::string> PathsOf(const std::vector<dicom::WrittenFile> & files)
{
  std::vector<std::string> paths;
  for (const auto & f : files)
    paths.push_back(f.path);
  return paths;
}

std::vector<std::uint8_t> ReadBytes(const std::filesystem::path & file)
{
  std::ifstream in(file, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteBytes(const std::filesystem::path & file, const std::vector<std::uint8_t> & bytes)
{
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw std::runtime_error("corpus: cannot write " + file.string());
}

std::size_t PixelDataOffset(const std::vector<std::uint8_t> & bytes)
{
  try
  {
    return FindLast(bytes, { 0xE0, 0x7F, 0x10, 0x00, 'O', 'W' });
  }
  catch (const std::runtime_error &)
  {
    return FindLast(bytes, { 0xE0, 0x7F, 0x10, 0x00, 'O', 'B' });
  }
}

void NestSequences(const std::filesystem::path & file, unsigned depth)
{
  std::vector<std::uint8_t> bytes = ReadBytes(file);
  std::vector<std::uint8_t> nested;
  for (unsigned i = 0; i < depth; ++i)
  {
    Append(nested, { 0x40, 0x00, 0x30, 0xA7, 'S', 'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF }); // ContentSequence
    Append(nested, { 0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF });                 // item
  }
  for (unsigned i = 0; i < depth; ++i)
  {
    Append(nested, { 0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0 }); // item delimiter
    Append(nested, { 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0 }); // sequence delimiter
  }
  const std::size_t at = PixelDataOffset(bytes);
  bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), nested.begin(), nested.end());
  WriteBytes(file, bytes);
}

void NestAndSave(const std::string & path, unsigned depth, const std::string & syntax)
{
  DcmFileFormat file;
  if (file.loadFile(path.c_str()).bad() || file.loadAllDataIntoMemory().bad())
    throw std::runtime_error("corpus: cannot load " + path);
  DcmItem * item = file.getDataset();
  for (unsigned level = 0; level < depth; ++level)
  {
    DcmItem * inner = nullptr;
    if (item->findOrCreateSequenceItem(DCM_ContentSequence, inner, 0).bad() || inner == nullptr)
      throw std::runtime_error("corpus: cannot nest a sequence");
    item = inner;
  }
  item->putAndInsertString(DCM_TextValue, "innermost");
  const E_TransferSyntax xfer = syntax == "implicit"     ? EXS_LittleEndianImplicit
                                : syntax == "big endian" ? EXS_BigEndianExplicit
                                : syntax == "deflated"   ? EXS_DeflatedLittleEndianExplicit
                                                         : EXS_LittleEndianExplicit;
  if (file.saveFile(path.c_str(), xfer).bad())
    throw std::runtime_error("corpus: cannot save " + path + " as " + syntax);
}

void SetPixelDataLength(const std::filesystem::path & file, std::uint32_t length)
{
  std::vector<std::uint8_t> bytes = ReadBytes(file);
  const std::size_t at = PixelDataOffset(bytes) + 8;
  for (int i = 0; i < 4; ++i)
    bytes[at + i] = static_cast<std::uint8_t>(length >> (8 * i));
  WriteBytes(file, bytes);
}

void CorruptRowsVr(const std::filesystem::path & file, const char vr[2])
{
  std::vector<std::uint8_t> bytes = ReadBytes(file);
  const std::vector<std::uint8_t> rows{ 0x28, 0x00, 0x10, 0x00, 'U', 'S' };
  const auto it = std::search(bytes.begin(), bytes.end(), rows.begin(), rows.end());
  if (it == bytes.end())
    throw std::runtime_error("corpus: no Rows element in " + file.string());
  it[4] = static_cast<std::uint8_t>(vr[0]);
  it[5] = static_cast<std::uint8_t>(vr[1]);
  WriteBytes(file, bytes);
}

void MarkAsMosaic(const std::vector<std::string> & paths, unsigned tiles)
{
  EditDicom(paths,
            [tiles](DcmDataset & ds)
            {
              ds.putAndInsertString(DCM_Manufacturer, "SIEMENS");
              ds.putAndInsertString(DCM_ImageType, "ORIGINAL\\PRIMARY\\M\\ND\\MOSAIC");
              auto * creator = new DcmLongString(DcmTag(0x0019, 0x0010, EVR_LO));
              creator->putString("SIEMENS MR HEADER");
              ds.insert(creator, true);
              auto * count = new DcmUnsignedShort(DcmTag(0x0019, 0x100A, EVR_US));
              count->putUint16(static_cast<Uint16>(std::min(tiles, 65535u)));
              ds.insert(count, true);
            });
}

void DeclareFrames(const std::string & path, unsigned frames, bool compress)
{
  if (compress)
    Compress(path, "RLE");
  EditDicom({ path },
            [frames](DcmDataset & ds)
            {
              ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(frames).c_str());
              DcmItem * shared = nullptr;
              ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
            });
}

void SetDescriptionBytes(const std::vector<std::string> & paths, const std::string & charset, const std::string & text)
{
  EditDicom(paths,
            [&](DcmDataset & ds)
            {
              if (charset.empty())
                ds.findAndDeleteElement(DCM_SpecificCharacterSet);
              else
                ds.putAndInsertString(DCM_SpecificCharacterSet, charset.c_str());
              ds.putAndInsertOFStringArray(DCM_SeriesDescription, OFString(text.data(), text.size()));
            });
}

void Compress(const std::string & path, const std::string & syntax)
{
  if (syntax == "JPEG-LS")
  {
    gdcm::ImageReader reader;
    reader.SetFileName(path.c_str());
    if (!reader.Read())
      throw std::runtime_error("corpus: GDCM cannot read " + path);
    gdcm::ImageChangeTransferSyntax change;
    change.SetTransferSyntax(gdcm::TransferSyntax::JPEGLSLossless);
    change.SetInput(reader.GetImage());
    if (!change.Change())
      throw std::runtime_error("corpus: GDCM cannot encode JPEG-LS");
    gdcm::ImageWriter writer;
    writer.SetFileName(path.c_str());
    writer.SetFile(reader.GetFile());
    writer.SetImage(change.GetOutput());
    if (!writer.Write())
      throw std::runtime_error("corpus: GDCM cannot write " + path);
    return;
  }
  RegisterEncoders();
  DcmFileFormat file;
  if (file.loadFile(path.c_str()).bad() || file.loadAllDataIntoMemory().bad())
    throw std::runtime_error("corpus: cannot load " + path);
  DcmDataset & ds = *file.getDataset();
  const E_TransferSyntax xfer = syntax == "RLE" ? EXS_RLELossless : EXS_JPEGProcess14SV1;
  const DJ_RPLossless losslessParams;
  const DcmRepresentationParameter * params = syntax == "RLE" ? nullptr : &losslessParams;
  if (ds.chooseRepresentation(xfer, params).bad() || !ds.canWriteXfer(xfer))
    throw std::runtime_error("corpus: DCMTK cannot encode " + syntax);
  if (file.saveFile(path.c_str(), xfer).bad())
    throw std::runtime_error("corpus: cannot save " + path);
}

void FlipCompressedBytes(const std::string & path, unsigned count, unsigned seed)
{
  std::vector<std::uint8_t> bytes = ReadBytes(path);
  std::size_t at = PixelDataOffset(bytes) + 12; // tag, VR, reserved, undefined length
  const auto length = [&](std::size_t item)
  {
    return std::uint32_t{ bytes[item + 4] } | std::uint32_t{ bytes[item + 5] } << 8 |
           std::uint32_t{ bytes[item + 6] } << 16 | std::uint32_t{ bytes[item + 7] } << 24;
  };
  at += 8 + length(at); // the basic offset table
  const std::size_t fragment = length(at);
  at += 8;
  std::mt19937 random(seed);
  for (unsigned i = 0; i < count && fragment > 0; ++i)
    bytes[at + random() % fragment] ^= 0xFF;
  WriteBytes(path, bytes);
}

} // namespace icanscan::test
