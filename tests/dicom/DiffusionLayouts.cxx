#include "tests/dicom/DiffusionLayouts.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;
using Vec3 = std::array<double, 3>;

constexpr std::array<double, 3> kSpacing{ 2.0, 2.0, 4.0 };
constexpr std::array<double, 3> kOrigin{ -24.0, -20.0, -12.0 };
constexpr unsigned kNx = LayoutTruth::kColumns;
constexpr unsigned kNy = LayoutTruth::kRows;
constexpr unsigned kNz = LayoutTruth::kSlices;
const std::array<Vec3, 3> kDirections{ { { 1, 0, 0 }, { 0, 0.6, 0.8 }, { 0.6, -0.8, 0 } } };
constexpr std::array<double, 3> kDiffusivity{ 0.75, 1.0, 1.25 }; //!< x ADC, one per direction

/** S0 exp(-b D) with D = factor x ADC. The geometric mean over the three directions is S0 exp(-b ADC), the trace;
 * their arithmetic mean is 1.3 % brighter (an ADC 13 µm²/s too low at b = 1000). */
FixtureImage::Pointer Weighted(double b, double factor)
{
  const double d = LayoutTruth::kAdcUm2s * 1e-6 * factor;
  auto image = LayoutS0();
  for (std::size_t i = 0; i < image->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    image->GetBufferPointer()[i] = static_cast<float>(image->GetBufferPointer()[i] * std::exp(-b * d));
  return image;
}

FixtureImage::Pointer Constant(float value)
{
  auto image = LayoutS0();
  image->FillBuffer(value);
  return image;
}

void EditFiles(const std::vector<dicom::WrittenFile> & files, const std::function<void(DcmDataset &)> & edit)
{
  for (const auto & f : files)
  {
    DcmFileFormat file;
    if (file.loadFile(f.path.c_str()).bad())
      throw std::runtime_error("fixture: cannot load '" + f.path + "'");
    file.loadAllDataIntoMemory(); // large elements stay on disk until read: saving over the file would lose them
    edit(*file.getDataset());
    if (file.saveFile(f.path.c_str(), EXS_LittleEndianExplicit).bad())
      throw std::runtime_error("fixture: cannot save '" + f.path + "'");
  }
}

void Put(DcmDataset & ds, Uint16 group, Uint16 element, DcmEVR vr, const std::string & value)
{
  if (ds.putAndInsertString(DcmTag(group, element, vr), value.c_str()).bad())
    throw std::runtime_error("fixture: cannot put a private string");
}

void PutDoubles(DcmDataset & ds, Uint16 group, Uint16 element, const std::vector<double> & values)
{
  if (ds.putAndInsertFloat64Array(DcmTag(group, element, EVR_FD), values.data(), values.size()).bad())
    throw std::runtime_error("fixture: cannot put FD values");
}

void PutFloat(DcmDataset & ds, Uint16 group, Uint16 element, double value)
{
  if (ds.putAndInsertFloat32(DcmTag(group, element, EVR_FL), static_cast<float>(value)).bad())
    throw std::runtime_error("fixture: cannot put an FL value");
}

std::string Fixed(double v, int digits = 3)
{
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << v;
  return out.str();
}

dicom::MrSeriesSpec DwiSpec(int number, const std::string & description, const std::string & manufacturer)
{
  auto spec = MakeTestSpec(number, description);
  spec.manufacturer = manufacturer;
  spec.scanningSequence = "EP";
  spec.sequenceVariant = "SK\\SP";
  spec.repetitionTimeMs = 5000;
  spec.echoTimeMs = 80;
  return spec;
}

/** One volume per Write call, instance numbers and acquisition numbers continuing. */
std::vector<dicom::WrittenFile> WriteVolume(const FixtureImage * image,
                                            dicom::MrSeriesSpec spec,
                                            const fs::path & folder,
                                            unsigned volume)
{
  spec.firstInstanceNumber = static_cast<int>(volume * kNz + 1);
  spec.acquisitionNumber = static_cast<int>(volume + 1);
  return WriteSeries(image, spec, folder, "V" + std::to_string(volume) + "_{n}.dcm");
}

/** The slices of `volume` tiled `perRow` to a row into one frame of `tileRows` rows of tiles (empty tiles zero). */
FixtureImage::Pointer Mosaic(const FixtureImage * volume, unsigned perRow, unsigned tileRows, const Vec3 & origin)
{
  auto mosaic = FixtureImage::New();
  mosaic->SetRegions(FixtureImage::SizeType{ { kNx * perRow, kNy * tileRows, 1 } });
  mosaic->SetSpacing(FixtureImage::SpacingType(kSpacing.data()));
  mosaic->SetOrigin(FixtureImage::PointType(origin.data()));
  mosaic->Allocate(true);
  for (unsigned k = 0; k < kNz; ++k)
    for (unsigned j = 0; j < kNy; ++j)
      for (unsigned i = 0; i < kNx; ++i)
        mosaic->SetPixel({ { (k % perRow) * kNx + i, (k / perRow) * kNy + j, 0 } }, volume->GetPixel({ { i, j, k } }));
  return mosaic;
}

/** An SV10 CSA header with the given tags, as Siemens writes it (see SiemensCsaTest). */
std::vector<Uint8> SiemensCsa(const std::vector<std::pair<std::string, std::vector<std::string>>> & tags)
{
  std::vector<Uint8> b{ 'S', 'V', '1', '0', 4, 3, 2, 1 };
  auto putInt = [&](std::int32_t v)
  {
    const auto * p = reinterpret_cast<const Uint8 *>(&v);
    b.insert(b.end(), p, p + 4);
  };
  putInt(static_cast<std::int32_t>(tags.size()));
  putInt(77);
  for (const auto & [name, items] : tags)
  {
    Uint8 field[64] = {};
    std::memcpy(field, name.data(), std::min<std::size_t>(63, name.size()));
    b.insert(b.end(), field, field + 64);
    putInt(static_cast<std::int32_t>(items.size()));
    b.insert(b.end(), { 'I', 'S', 0, 0 });
    putInt(3);
    putInt(static_cast<std::int32_t>(items.size()));
    putInt(77);
    for (const auto & item : items)
    {
      const auto length = static_cast<std::int32_t>(item.size() + 1);
      for (int k = 0; k < 3; ++k)
        putInt(k == 2 ? 77 : length);
      putInt(length);
      b.insert(b.end(), item.begin(), item.end());
      b.push_back(0);
      while (b.size() % 4)
        b.push_back(0);
    }
  }
  return b;
}

/** Writes a one-file enhanced MR object: the frames of `volumes` (slice-major within each volume) with per-frame
 * position, FrameType, diffusion and temporal index. */
void WriteEnhanced(const fs::path & path,
                   int seriesNumber,
                   const std::string & description,
                   const std::vector<FixtureImage::Pointer> & volumes,
                   const std::vector<std::string> & frameTypes,
                   const std::vector<std::optional<double>> & bValues)
{
  DcmFileFormat file;
  DcmDataset & ds = *file.getDataset();
  const unsigned frames = static_cast<unsigned>(volumes.size()) * kNz;
  ds.putAndInsertString(DCM_SOPClassUID, UID_EnhancedMRImageStorage);
  ds.putAndInsertString(DCM_SOPInstanceUID, dicom::MrSeriesWriter::GenerateUid().c_str());
  ds.putAndInsertString(DCM_StudyInstanceUID, "2.25.1234567890123456789");
  ds.putAndInsertString(DCM_SeriesInstanceUID, dicom::MrSeriesWriter::GenerateUid().c_str());
  ds.putAndInsertString(DCM_FrameOfReferenceUID, "2.25.9876543210987654321");
  ds.putAndInsertString(DCM_SeriesNumber, std::to_string(seriesNumber).c_str());
  ds.putAndInsertString(DCM_InstanceNumber, "1");
  ds.putAndInsertString(DCM_Modality, "MR");
  ds.putAndInsertString(DCM_Manufacturer, "Siemens Healthineers");
  ds.putAndInsertString(DCM_SeriesDescription, description.c_str());
  ds.putAndInsertString(DCM_ImageType, frameTypes.front().c_str());
  ds.putAndInsertString(DCM_EchoPulseSequence, "SPIN");
  ds.putAndInsertString(DCM_EchoPlanarPulseSequence, "YES");
  ds.putAndInsertUint16(DCM_Rows, kNy);
  ds.putAndInsertUint16(DCM_Columns, kNx);
  ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(frames).c_str());
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_BitsStored, 16);
  ds.putAndInsertUint16(DCM_HighBit, 15);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);

  DcmItem * shared = nullptr;
  ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
  DcmItem * g = nullptr;
  shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, g, 0);
  g->putAndInsertString(DCM_PixelSpacing, "2\\2");
  g->putAndInsertString(DCM_SliceThickness, "4");
  g->putAndInsertString(DCM_SpacingBetweenSlices, "4");
  shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, g, 0);
  g->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
  shared->findOrCreateSequenceItem(DCM_MRTimingAndRelatedParametersSequence, g, 0);
  g->putAndInsertString(DCM_RepetitionTime, "5000");
  shared->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, g, 0);
  g->putAndInsertString(DCM_RescaleSlope, "0.1");
  g->putAndInsertString(DCM_RescaleIntercept, "0");
  g->putAndInsertString(DCM_RescaleType, "US");

  std::vector<Uint16> pixels;
  for (unsigned v = 0; v < volumes.size(); ++v)
  {
    for (unsigned k = 0; k < kNz; ++k)
    {
      DcmItem * frame = nullptr;
      ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, static_cast<long>(v * kNz + k));
      frame->findOrCreateSequenceItem(DCM_PlanePositionSequence, g, 0);
      const std::string position = Fixed(kOrigin[0]) + "\\" + Fixed(kOrigin[1]) + "\\" + Fixed(kOrigin[2] + 4.0 * k);
      g->putAndInsertString(DCM_ImagePositionPatient, position.c_str());
      frame->findOrCreateSequenceItem(DCM_FrameContentSequence, g, 0);
      g->putAndInsertUint32(DCM_TemporalPositionIndex, v + 1);
      g->putAndInsertUint32(DCM_InStackPositionNumber, k + 1);
      frame->findOrCreateSequenceItem(DCM_MRImageFrameTypeSequence, g, 0);
      g->putAndInsertString(DCM_FrameType, frameTypes[v].c_str());
      if (bValues[v])
      {
        frame->findOrCreateSequenceItem(DCM_MRDiffusionSequence, g, 0);
        g->putAndInsertFloat64(DCM_DiffusionBValue, *bValues[v]);
        g->putAndInsertString(DCM_DiffusionDirectionality, *bValues[v] > 0 ? "ISOTROPIC" : "NONE");
      }
      for (unsigned j = 0; j < kNy; ++j)
        for (unsigned i = 0; i < kNx; ++i)
          pixels.push_back(static_cast<Uint16>(std::lround(volumes[v]->GetPixel({ { i, j, k } }) * 10.0)));
    }
  }
  ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size()));
  fs::create_directories(path.parent_path());
  if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad())
    throw std::runtime_error("fixture: cannot write '" + path.string() + "'");
}
} // namespace

void RemoveTag(const std::string & path, unsigned group, unsigned element)
{
  EditFiles({ { path, "", 0 } },
            [&](DcmDataset & ds)
            {
              if (ds.findAndDeleteElement(DcmTagKey(static_cast<Uint16>(group), static_cast<Uint16>(element))).bad())
                throw std::runtime_error("fixture: '" + path + "' has no such tag");
            });
}

FixtureImage::Pointer LayoutS0()
{
  return MakeTestVolume(kNx, kNy, kNz, kSpacing, IdentityDirection(), kOrigin, 300.0);
}

void WriteSiemensTraceOnly(const fs::path & folder, bool mapsInSameSeries)
{
  auto spec = DwiSpec(4, "ep2d_diff_3scan_trace_p2", "SIEMENS");
  const auto siemensB = [](const std::string & b)
  {
    return [b](DcmDataset & ds)
    {
      Put(ds, 0x0019, 0x0010, EVR_LO, "SIEMENS MR HEADER");
      Put(ds, 0x0019, 0x100c, EVR_IS, b);
    };
  };
  spec.imageType = { "ORIGINAL", "PRIMARY", "DIFFUSION", "NONE", "ND" };
  spec.sequenceName = "*ep_b0";
  EditFiles(WriteVolume(LayoutS0(), spec, folder / "4", 0), siemensB("0"));
  spec.imageType = { "DERIVED", "PRIMARY", "DIFFUSION", "TRACEW", "ND" };
  spec.sequenceName = "*ep_b1000t";
  EditFiles(WriteVolume(Weighted(LayoutTruth::kBValue, 1.0), spec, folder / "4", 1), siemensB("1000"));

  auto maps = spec;
  if (!mapsInSameSeries)
  {
    maps = DwiSpec(5, "ep2d_diff_3scan_trace_p2_ADC", "SIEMENS");
    maps.studyInstanceUid = spec.studyInstanceUid;
    maps.frameOfReferenceUid = spec.frameOfReferenceUid;
  }
  maps.imageType = { "DERIVED", "PRIMARY", "DIFFUSION", "ADC", "ND" };
  WriteVolume(Constant(LayoutTruth::kAdcUm2s), maps, folder / "5", 2);
  if (!mapsInSameSeries)
  {
    maps.seriesNumber = 6;
    maps.seriesInstanceUid = dicom::MrSeriesWriter::GenerateUid();
    maps.seriesDescription = "ep2d_diff_3scan_trace_p2_EXP";
  }
  maps.imageType = { "DERIVED", "PRIMARY", "DIFFUSION", "EXP", "ND" };
  WriteVolume(Constant(449.0f), maps, folder / "6", 3);
}

void WriteSiemensSeparateTrace(const fs::path & folder)
{
  auto spec = DwiSpec(11001, "DWI_dir80_AP", "SIEMENS");
  spec.imageType = { "ORIGINAL", "PRIMARY", "DIFFUSION", "NONE", "MB", "ND", "MFSPLIT" };
  const auto siemens = [](const std::string & b, std::optional<Vec3> g)
  {
    return [b, g](DcmDataset & ds)
    {
      Put(ds, 0x0019, 0x0010, EVR_LO, "SIEMENS MR HEADER");
      Put(ds, 0x0019, 0x100c, EVR_IS, b);
      if (g)
        PutDoubles(ds, 0x0019, 0x100e, { (*g)[0], (*g)[1], (*g)[2] });
    };
  };
  constexpr double b = 2500;
  EditFiles(WriteVolume(LayoutS0(), spec, folder / "11001", 0), siemens("0", std::nullopt));
  EditFiles(WriteVolume(Weighted(b, kDiffusivity[0]), spec, folder / "11001", 1), siemens("2500", kDirections[0]));
  const auto derived = [&](int number, const std::string & type, const std::string & suffix)
  {
    auto d = DwiSpec(number, "DWI_dir80_AP_" + suffix, "SIEMENS");
    d.studyInstanceUid = spec.studyInstanceUid;
    d.frameOfReferenceUid = spec.frameOfReferenceUid;
    d.imageType = { "DERIVED", "PRIMARY", "DIFFUSION", type, "MB", "ND", "MFSPLIT" };
    return d;
  };
  WriteVolume(Constant(LayoutTruth::kAdcUm2s), derived(12001, "ADC", "ADC"), folder / "12001", 0);
  EditFiles(WriteVolume(Weighted(b, 1.0), derived(13001, "TRACEW", "TRACEW"), folder / "13001", 0),
            siemens("2500", std::nullopt));
  auto tensorB0 = derived(17001, "TENSOR", "TENSOR_B0");
  tensorB0.imageType = { "DERIVED", "PRIMARY", "DIFFUSION", "TENSOR_B0", "MB", "ND", "MFSPLIT" };
  EditFiles(WriteVolume(LayoutS0(), tensorB0, folder / "17001", 0), siemens("0", std::nullopt));
}

void WriteSiemensDirectionalMosaic(const fs::path & folder)
{
  auto spec = DwiSpec(7, "ep2d_diff_mddw_3", "SIEMENS");
  spec.imageType = { "ORIGINAL", "PRIMARY", "DIFFUSION", "NONE", "ND", "MOSAIC" };
  constexpr unsigned perRow = 3; // Siemens: a square grid of ceil(sqrt(6)) tiles a side
  // ImagePositionPatient of a Siemens mosaic is the corner of the whole frame seen as one image, centred on slice 0.
  const Vec3 corner{ kOrigin[0] - (perRow - 1) * kNx / 2.0 * kSpacing[0],
                     kOrigin[1] - (perRow - 1) * kNy / 2.0 * kSpacing[1], kOrigin[2] };
  const auto csa = SiemensCsa(
    { { "NumberOfImagesInMosaic", { std::to_string(kNz) } }, { "SliceNormalVector", { "0.0", "0.0", "1.0" } } });
  for (unsigned v = 0; v < 4; ++v)
  {
    const auto volume = v == 0 ? LayoutS0() : Weighted(LayoutTruth::kBValue, kDiffusivity[v - 1]);
    const auto mosaic = Mosaic(volume, perRow, perRow, corner);
    spec.firstInstanceNumber = static_cast<int>(v + 1);
    spec.acquisitionNumber = static_cast<int>(v + 1);
    spec.sequenceName = v == 0 ? "*ep_b0" : "*ep_b1000#" + std::to_string(v);
    const auto files = WriteSeries(mosaic, spec, folder / "7", "MR" + std::to_string(v) + ".IMA");
    EditFiles(
      files,
      [&](DcmDataset & ds)
      {
        Put(ds, 0x0019, 0x0010, EVR_LO, "SIEMENS MR HEADER");
        ds.putAndInsertUint16(DcmTag(0x0019, 0x100a, EVR_US), kNz);
        Put(ds, 0x0019, 0x100c, EVR_IS, v == 0 ? "0" : "1000");
        if (v > 0)
          PutDoubles(ds, 0x0019, 0x100e, { kDirections[v - 1][0], kDirections[v - 1][1], kDirections[v - 1][2] });
        Put(ds, 0x0029, 0x0010, EVR_LO, "SIEMENS CSA HEADER");
        ds.putAndInsertUint8Array(DcmTag(0x0029, 0x1010, EVR_OB), csa.data(), static_cast<unsigned long>(csa.size()));
      });
  }
  auto adc = DwiSpec(9, "ep2d_diff_mddw_3_ADC", "SIEMENS");
  adc.studyInstanceUid = spec.studyInstanceUid;
  adc.frameOfReferenceUid = spec.frameOfReferenceUid;
  adc.imageType = { "DERIVED", "PRIMARY", "DIFFUSION", "ADC", "ND", "NORM" };
  WriteVolume(Constant(LayoutTruth::kAdcUm2s), adc, folder / "9", 0);
}

void WriteGe(const fs::path & folder)
{
  auto spec = DwiSpec(5, "Ax DWI ASSET", "GE MEDICAL SYSTEMS");
  spec.imageType = { "ORIGINAL", "PRIMARY", "OTHER" };
  spec.scanningSequence = "EP\\SE";
  spec.sequenceVariant = "NONE";
  const auto geTags = [](const std::string & b)
  {
    return [b](DcmDataset & ds)
    {
      Put(ds, 0x0043, 0x0010, EVR_LO, "GEMS_PARM_01");
      Put(ds, 0x0043, 0x1039, EVR_IS, b + "\\8\\0\\0");
      Put(ds, 0x0019, 0x0010, EVR_LO, "GEMS_ACQU_01");
      for (Uint16 e : { 0x10bb, 0x10bc, 0x10bd })
        Put(ds, 0x0019, e, EVR_DS, "0"); // the combined image has no direction
    };
  };
  EditFiles(WriteVolume(LayoutS0(), spec, folder / "5", 0), geTags("0"));
  EditFiles(WriteVolume(Weighted(LayoutTruth::kBValue, 1.0), spec, folder / "5", 1), geTags("1000"));
  auto adc = DwiSpec(6, "ADC (10^-6 mm2/s)", "GE MEDICAL SYSTEMS");
  adc.studyInstanceUid = spec.studyInstanceUid;
  adc.frameOfReferenceUid = spec.frameOfReferenceUid;
  adc.imageType = { "DERIVED", "SECONDARY", "PROCESSED" };
  adc.scanningSequence = "EP\\SE";
  EditFiles(WriteVolume(Constant(LayoutTruth::kAdcUm2s), adc, folder / "6", 0), geTags("1000"));
}

void WritePhilips(const fs::path & folder)
{
  auto spec = DwiSpec(8, "DWI_SENSE", "Philips Medical Systems");
  spec.imageType = { "ORIGINAL", "PRIMARY", "M_SE", "M", "SE" };
  spec.scanningSequence = "SE";
  for (unsigned v = 0; v < 5; ++v)
  {
    const bool b0 = v == 0, isotropic = v == 4;
    const Vec3 direction = b0 || isotropic ? Vec3{ 0, 0, 0 } : kDirections[v - 1];
    spec.bValue = b0 ? 0.0 : LayoutTruth::kBValue;
    spec.gradient = direction;
    const auto image = b0 ? LayoutS0() : Weighted(LayoutTruth::kBValue, isotropic ? 1.0 : kDiffusivity[v - 1]);
    EditFiles(WriteVolume(image, spec, folder / "8", v),
              [&](DcmDataset & ds)
              {
                Put(ds, 0x2001, 0x0010, EVR_LO, "Philips Imaging DD 001");
                PutFloat(ds, 0x2001, 0x1003, *spec.bValue);
                Put(ds, 0x2001, 0x1004, EVR_CS, isotropic ? "I" : "O");
                Put(ds, 0x2005, 0x0010, EVR_LO, "Philips MR Imaging DD 001");
                for (int a = 0; a < 3; ++a)
                  PutFloat(ds, 0x2005, static_cast<Uint16>(0x10b0 + a), direction[a]);
                Put(ds, 0x2005, 0x1412, EVR_IS, b0 ? "1" : "2");
                Put(ds, 0x2005, 0x1413, EVR_IS, std::to_string(b0 ? 1 : v));
              });
  }
  auto adc = DwiSpec(9, "dADC_DWI_SENSE", "Philips Medical Systems");
  adc.studyInstanceUid = spec.studyInstanceUid;
  adc.frameOfReferenceUid = spec.frameOfReferenceUid;
  adc.imageType = { "ORIGINAL", "PRIMARY", "ADC_UNSPECIFIED", "ADC", "UNSPECIFIED" };
  WriteVolume(Constant(LayoutTruth::kAdcUm2s), adc, folder / "9", 0);
}

void WriteUih(const fs::path & folder)
{
  auto spec = DwiSpec(9, "dti_tra_dir16_AP_SaveBySlc", "UIH");
  spec.imageType = { "ORIGINAL", "PRIMARY", "M", "VFRAME" };
  spec.sequenceVariant = "NONE";
  constexpr unsigned perRow = 3, tileRows = 2; // UIH: as many columns of tiles as a square needs, rows as required
  constexpr double b0 = 1.2519398052526836, b = 928.28855993702052; // the real set's values
  for (unsigned v = 0; v < 4; ++v)
  {
    const auto volume = v == 0 ? LayoutS0() : Weighted(b, kDiffusivity[v - 1]);
    spec.firstInstanceNumber = static_cast<int>(v + 1);
    const auto files = WriteSeries(Mosaic(volume, perRow, tileRows, kOrigin), spec, folder / "9",
                                   "0000000" + std::to_string(v + 1) + ".dcm");
    EditFiles(files,
              [&](DcmDataset & ds)
              {
                ds.findAndDeleteElement(DCM_ImagePositionPatient);
                const Uint16 matrix[4] = { kNx, 0, 0, kNy };
                ds.putAndInsertUint16Array(DCM_AcquisitionMatrix, matrix, 4);
                Put(ds, 0x0065, 0x0010, EVR_LO, "Image Private Header");
                PutDoubles(ds, 0x0065, 0x1009, { v == 0 ? b0 : b });
                const Vec3 g = v == 0 ? Vec3{ 0, 0, 0 } : kDirections[v - 1];
                PutDoubles(ds, 0x0065, 0x1037, { g[0], g[1], g[2] });
                Put(ds, 0x0065, 0x1050, EVR_DS, std::to_string(kNz));
                auto * sequence = new DcmSequenceOfItems(DcmTag(0x0065, 0x1051, EVR_SQ));
                for (unsigned k = 0; k < kNz; ++k)
                {
                  auto * item = new DcmItem();
                  const std::string p =
                    Fixed(kOrigin[0]) + "\\" + Fixed(kOrigin[1]) + "\\" + Fixed(kOrigin[2] + kSpacing[2] * k);
                  item->putAndInsertString(DCM_ImagePositionPatient, p.c_str());
                  sequence->insert(item);
                }
                ds.insert(sequence, true);
              });
  }
}

void WriteCanon(const fs::path & folder)
{
  auto spec = DwiSpec(10, "DWI b1000", "CANON_MEC");
  spec.imageType = { "ORIGINAL", "PRIMARY" };
  for (unsigned v = 0; v < 4; ++v)
  {
    const Vec3 g = v == 0 ? Vec3{ 0, 0, 0 } : kDirections[v - 1];
    spec.bValue = v == 0 ? 0.0 : LayoutTruth::kBValue;
    const auto image = v == 0 ? LayoutS0() : Weighted(LayoutTruth::kBValue, kDiffusivity[v - 1]);
    const std::string comment = "b=" + std::to_string(std::lround(*spec.bValue)) + "(" + Fixed(g[0]) + "," +
                                Fixed(g[1]) + "," + Fixed(g[2]) + ")";
    EditFiles(WriteVolume(image, spec, folder / "10", v),
              [&](DcmDataset & ds) { ds.putAndInsertString(DCM_ImageComments, comment.c_str()); });
  }
  auto adc = DwiSpec(11, "ADC", "CANON_MEC");
  adc.studyInstanceUid = spec.studyInstanceUid;
  adc.frameOfReferenceUid = spec.frameOfReferenceUid;
  adc.imageType = { "DERIVED", "SECONDARY", "ADC" };
  WriteVolume(Constant(LayoutTruth::kAdcUm2s), adc, folder / "11", 0);
}

void WriteEnhancedDiffusion(const fs::path & folder)
{
  WriteEnhanced(folder / "12" / "DWI.dcm", 12, "ep2d_diff_tra", { LayoutS0(), Weighted(LayoutTruth::kBValue, 1.0) },
                { "ORIGINAL\\PRIMARY\\DIFFUSION\\NONE", "DERIVED\\PRIMARY\\DIFFUSION\\TRACEW" },
                { 0.0, LayoutTruth::kBValue });
  WriteEnhanced(folder / "13" / "ADC.dcm", 13, "ep2d_diff_tra_ADC", { Constant(LayoutTruth::kAdcUm2s) },
                { "DERIVED\\PRIMARY\\DIFFUSION\\ADC" }, { std::nullopt });
}

} // namespace icanscan::test
