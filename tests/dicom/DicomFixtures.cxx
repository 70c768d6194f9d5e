#include "tests/dicom/DicomFixtures.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>

namespace icanscan::test
{
namespace
{

constexpr double kPi = 3.14159265358979323846;

std::string Lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

DcmTag TagFromName(const std::string & name)
{
  DcmTag tag;
  if (DcmTag::findTagFromName(name.c_str(), tag).bad())
  {
    throw std::runtime_error("fixture: unknown DICOM attribute name '" + name + "'");
  }
  return tag;
}

/** Loads a file, lets `edit` change its dataset and saves it in place (Explicit VR Little Endian, new meta header). */
void EditFile(const std::string & path, const std::function<void(DcmDataset &)> & edit)
{
  DcmFileFormat file;
  // Everything in memory first: DCMTK reads large values lazily from the file that saveFile truncates.
  if (file.loadFile(path.c_str()).bad() || file.loadAllDataIntoMemory().bad())
  {
    throw std::runtime_error("fixture: cannot load '" + path + "'");
  }
  edit(*file.getDataset());
  const OFCondition status = file.saveFile(path.c_str(), EXS_LittleEndianExplicit);
  if (status.bad())
  {
    throw std::runtime_error("fixture: cannot save '" + path + "': " + status.text());
  }
}

std::string FormatDs(double value)
{
  for (int precision = 12; precision >= 4; --precision)
  {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general, precision);
    if (result.ptr - buffer <= 16)
    {
      return std::string(buffer, result.ptr);
    }
  }
  throw std::runtime_error("fixture: cannot format " + std::to_string(value) + " as DS");
}

std::array<double, 3> ReadTriplet(DcmDataset & ds, const DcmTagKey & key, unsigned first)
{
  std::array<double, 3> v{};
  for (unsigned i = 0; i < 3; ++i)
  {
    if (ds.findAndGetFloat64(key, v[i], first + i).bad())
    {
      throw std::runtime_error("fixture: cannot read " + DcmTag(key).toString() + " value " +
                               std::to_string(first + i));
    }
  }
  return v;
}

std::string NewUid()
{
  return dicom::MrSeriesWriter::GenerateUid();
}

const Direction kCoronal{ 1, 0, 0, 0, 0, 1, 0, -1, 0 };   // row L, column inferior, normal posterior
const Direction kSagittal{ 0, 0, -1, 1, 0, 0, 0, -1, 0 }; // row posterior, column inferior, normal right

} // namespace

std::filesystem::path MakeTempDir(const std::string & name)
{
  static std::atomic<unsigned> counter{ 0 };
  std::random_device device;
  const std::string unique =
    std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(device() % 1000000);
  const auto folder = std::filesystem::temp_directory_path() / ("icanscan " + name + " " + unique);
  if (!std::filesystem::create_directories(folder))
  {
    throw std::runtime_error("fixture: temp folder '" + folder.string() + "' already exists");
  }
  return folder;
}

void RemoveTempDir(const std::filesystem::path & folder)
{
  if (std::getenv("ICANSCAN_KEEP_TEMP") == nullptr)
  {
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
  }
}

Direction IdentityDirection()
{
  return { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
}

Direction RotationDirection(double xDeg, double yDeg, double zDeg)
{
  const double a = xDeg * kPi / 180.0;
  const double b = yDeg * kPi / 180.0;
  const double c = zDeg * kPi / 180.0;
  const double rx[9] = { 1, 0, 0, 0, std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a) };
  const double ry[9] = { std::cos(b), 0, std::sin(b), 0, 1, 0, -std::sin(b), 0, std::cos(b) };
  const double rz[9] = { std::cos(c), -std::sin(c), 0, std::sin(c), std::cos(c), 0, 0, 0, 1 };
  double ryx[9];
  Direction r{};
  for (int i = 0; i < 3; ++i)
  {
    for (int j = 0; j < 3; ++j)
    {
      ryx[3 * i + j] = ry[3 * i] * rx[j] + ry[3 * i + 1] * rx[3 + j] + ry[3 * i + 2] * rx[6 + j];
    }
  }
  for (int i = 0; i < 3; ++i)
  {
    for (int j = 0; j < 3; ++j)
    {
      r[3 * i + j] = rz[3 * i] * ryx[j] + rz[3 * i + 1] * ryx[3 + j] + rz[3 * i + 2] * ryx[6 + j];
    }
  }
  return r;
}

FixtureImage::Pointer MakeTestVolume(unsigned nx,
                                     unsigned ny,
                                     unsigned nz,
                                     const std::array<double, 3> & spacing,
                                     const Direction & direction,
                                     const std::array<double, 3> & origin,
                                     double offset)
{
  auto image = FixtureImage::New();
  FixtureImage::RegionType region;
  FixtureImage::SpacingType sp;
  FixtureImage::PointType org;
  FixtureImage::DirectionType dir;
  for (unsigned d = 0; d < 3; ++d)
  {
    region.SetSize(d, d == 0 ? nx : (d == 1 ? ny : nz));
    sp[d] = spacing[d];
    org[d] = origin[d];
    for (unsigned c = 0; c < 3; ++c)
    {
      dir[d][c] = direction[3 * d + c];
    }
  }
  image->SetRegions(region);
  image->SetSpacing(sp);
  image->SetOrigin(org);
  image->SetDirection(dir);
  image->Allocate();
  float * p = image->GetBufferPointer();
  for (unsigned k = 0; k < nz; ++k)
  {
    for (unsigned j = 0; j < ny; ++j)
    {
      for (unsigned i = 0; i < nx; ++i)
      {
        *p++ = static_cast<float>(offset + 200.0 + 80.0 * std::sin(0.3 * i) * std::cos(0.2 * j) + 0.37 * i + 0.11 * j +
                                  13.0 * k);
      }
    }
  }
  return image;
}

dicom::MrSeriesSpec MakeTestSpec(int seriesNumber, const std::string & description)
{
  dicom::MrSeriesSpec spec;
  spec.studyInstanceUid = dicom::MrSeriesWriter::GenerateUid();
  spec.seriesInstanceUid = dicom::MrSeriesWriter::GenerateUid();
  spec.frameOfReferenceUid = dicom::MrSeriesWriter::GenerateUid();
  spec.seriesNumber = seriesNumber;
  spec.seriesDescription = description;
  spec.protocolName = description;
  return spec;
}

std::vector<dicom::WrittenFile> WriteSeries(const FixtureImage * image,
                                            const dicom::MrSeriesSpec & spec,
                                            const std::filesystem::path & folder,
                                            const std::string & pattern)
{
  return dicom::MrSeriesWriter::Write(image, spec, folder, pattern);
}

std::string DeleteSliceFile(const std::vector<dicom::WrittenFile> & files, unsigned slice)
{
  for (const auto & f : files)
  {
    if (f.slice == slice)
    {
      std::filesystem::remove(f.path);
      return f.path;
    }
  }
  throw std::runtime_error("fixture: no file for slice " + std::to_string(slice));
}

std::string DuplicateSlice(const dicom::WrittenFile & file, const std::filesystem::path & copyPath)
{
  std::filesystem::copy_file(file.path, copyPath, std::filesystem::copy_options::overwrite_existing);
  const std::string uid = NewUid();
  EditFile(copyPath.string(), [&](DcmDataset & ds) { ds.putAndInsertString(DCM_SOPInstanceUID, uid.c_str()); });
  return uid;
}

std::vector<dicom::WrittenFile> WriteAlternatingOrientationSeries(const std::filesystem::path & folder,
                                                                  const dicom::MrSeriesSpec & spec,
                                                                  unsigned slicesPerOrientation)
{
  const unsigned n = slicesPerOrientation;
  const auto axial = MakeTestVolume(32, 28, n, { 1.5, 1.5, 4.0 }, IdentityDirection(), { -24, -20, -2.0 * n });
  const auto coronal = MakeTestVolume(32, 28, n, { 1.5, 1.5, 4.0 }, kCoronal, { -24, -2.0 * n, 20 }, 50.0);
  auto files = WriteSeries(axial, spec, folder, "AX_{n}.dcm");
  const auto second = WriteSeries(coronal, spec, folder, "COR_{n}.dcm");
  files.insert(files.end(), second.begin(), second.end());
  for (std::size_t f = 0; f < files.size(); ++f)
  {
    const int instance = f < n ? static_cast<int>(2 * f + 1) : static_cast<int>(2 * (f - n) + 2);
    EditFile(files[f].path,
             [&](DcmDataset & ds) { ds.putAndInsertString(DCM_InstanceNumber, std::to_string(instance).c_str()); });
  }
  return files;
}

void ApplyGantryTilt(const std::vector<dicom::WrittenFile> & files, double tiltDeg)
{
  if (files.empty())
  {
    return;
  }
  std::array<double, 3> first{};
  {
    DcmFileFormat file;
    if (file.loadFile(files.front().path.c_str()).bad())
    {
      throw std::runtime_error("fixture: cannot load '" + files.front().path + "'");
    }
    first = ReadTriplet(*file.getDataset(), DCM_ImagePositionPatient, 0);
  }
  const double shear = std::tan(tiltDeg * kPi / 180.0);
  for (const auto & f : files)
  {
    EditFile(f.path,
             [&](DcmDataset & ds)
             {
               auto position = ReadTriplet(ds, DCM_ImagePositionPatient, 0);
               const auto row = ReadTriplet(ds, DCM_ImageOrientationPatient, 0);
               const auto column = ReadTriplet(ds, DCM_ImageOrientationPatient, 3);
               const std::array<double, 3> normal{ row[1] * column[2] - row[2] * column[1],
                                                   row[2] * column[0] - row[0] * column[2],
                                                   row[0] * column[1] - row[1] * column[0] };
               double z = 0.0;
               for (int d = 0; d < 3; ++d)
               {
                 z += (position[d] - first[d]) * normal[d];
               }
               for (int d = 0; d < 3; ++d)
               {
                 position[d] += column[d] * shear * z;
               }
               const std::string text =
                 FormatDs(position[0]) + "\\" + FormatDs(position[1]) + "\\" + FormatDs(position[2]);
               ds.putAndInsertString(DCM_ImagePositionPatient, text.c_str());
             });
  }
}

SeriesWithLocalizer WriteSeriesWithLocalizer(const std::filesystem::path & folder,
                                             const dicom::MrSeriesSpec & spec,
                                             unsigned slices)
{
  SeriesWithLocalizer result;
  const auto axial =
    MakeTestVolume(40, 36, slices, { 1.2, 1.2, 3.5 }, IdentityDirection(), { -24, -21, -1.75 * slices });
  auto mainSpec = spec;
  mainSpec.firstInstanceNumber = 2;
  result.main = WriteSeries(axial, mainSpec, folder, "IM_{n}.dcm");

  const auto sagittal = MakeTestVolume(48, 48, 1, { 2.0, 2.0, 6.0 }, kSagittal, { 0, -48, 48 });
  auto localizerSpec = spec;
  localizerSpec.imageType = { "ORIGINAL", "PRIMARY", "LOCALIZER" };
  localizerSpec.firstInstanceNumber = 1;
  result.localizer = WriteSeries(sagittal, localizerSpec, folder, "IM_{n}.dcm").front();
  return result;
}

void ShuffleInstanceNumbers(const std::vector<dicom::WrittenFile> & files, unsigned seed)
{
  std::vector<std::string> numbers;
  for (const auto & f : files)
  {
    numbers.push_back(ReadStringAttribute(f.path, "InstanceNumber"));
  }
  if (numbers.size() < 2)
  {
    return;
  }
  std::vector<std::string> shuffled = numbers;
  std::mt19937 rng(seed);
  while (shuffled == numbers)
  {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
  }
  for (std::size_t f = 0; f < files.size(); ++f)
  {
    EditFile(files[f].path, [&](DcmDataset & ds) { ds.putAndInsertString(DCM_InstanceNumber, shuffled[f].c_str()); });
  }
}

std::uintmax_t TruncateInPixelData(const std::string & path)
{
  Uint16 rows = 0;
  Uint16 columns = 0;
  Uint16 bits = 0;
  {
    DcmFileFormat file;
    if (file.loadFile(path.c_str()).bad())
    {
      throw std::runtime_error("fixture: cannot load '" + path + "'");
    }
    DcmDataset & ds = *file.getDataset();
    ds.findAndGetUint16(DCM_Rows, rows);
    ds.findAndGetUint16(DCM_Columns, columns);
    ds.findAndGetUint16(DCM_BitsAllocated, bits);
  }
  const std::uintmax_t pixelBytes = std::uintmax_t{ rows } * columns * bits / 8;
  const std::uintmax_t size = std::filesystem::file_size(path);
  if (pixelBytes < 2 || pixelBytes >= size)
  {
    throw std::runtime_error("fixture: '" + path + "' has no pixel data to cut");
  }
  // Pixel data is the last element of the files MrSeriesWriter makes.
  const std::uintmax_t newSize = size - pixelBytes / 2;
  std::filesystem::resize_file(path, newSize);
  return newSize;
}

std::string WriteTextFile(const std::filesystem::path & path, const std::string & text)
{
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out)
  {
    throw std::runtime_error("fixture: cannot write '" + path.string() + "'");
  }
  return path.string();
}

void RemoveAttribute(const std::vector<std::string> & paths, const std::string & attributeName)
{
  const DcmTag tag = TagFromName(attributeName);
  for (const auto & path : paths)
  {
    EditFile(path,
             [&](DcmDataset & ds)
             {
               if (ds.findAndDeleteElement(tag).bad())
               {
                 throw std::runtime_error("fixture: '" + path + "' has no " + attributeName);
               }
             });
  }
}

void SetUint16Attribute(const std::vector<std::string> & paths, const std::string & attributeName, std::uint16_t value)
{
  const DcmTag tag = TagFromName(attributeName);
  for (const auto & path : paths)
  {
    EditFile(path, [&](DcmDataset & ds) { ds.putAndInsertUint16(tag, value); });
  }
}

void SetStringAttribute(const std::vector<std::string> & paths,
                        const std::string & attributeName,
                        const std::string & value)
{
  const DcmTag tag = TagFromName(attributeName);
  for (const auto & path : paths)
  {
    EditFile(path, [&](DcmDataset & ds) { ds.putAndInsertString(tag, value.c_str()); });
  }
}

std::string ReadStringAttribute(const std::string & path, const std::string & attributeName)
{
  DcmFileFormat file;
  if (file.loadFile(path.c_str()).bad())
  {
    throw std::runtime_error("fixture: cannot load '" + path + "'");
  }
  const DcmTag tag = TagFromName(attributeName);
  DcmItem * item = tag.getGroup() == 0x0002 ? static_cast<DcmItem *>(file.getMetaInfo()) : file.getDataset();
  OFString value;
  if (item->findAndGetOFStringArray(tag, value).bad())
  {
    return {};
  }
  return value.c_str();
}

double ReadRescaleSlope(const std::string & path)
{
  const std::string text = ReadStringAttribute(path, "RescaleSlope");
  return text.empty() ? 1.0 : std::stod(text);
}

std::vector<std::string> Paths(const std::vector<dicom::WrittenFile> & files)
{
  std::vector<std::string> paths;
  for (const auto & f : files)
  {
    paths.push_back(f.path);
  }
  return paths;
}

bool ContainsWord(const std::string & text, const std::string & word)
{
  return Lower(text).find(Lower(word)) != std::string::npos;
}

bool AnyMessageContains(const dicom::VolumeSet & set, const std::string & word)
{
  return std::any_of(set.messages.begin(), set.messages.end(),
                     [&](const std::string & m) { return ContainsWord(m, word); });
}

std::string Describe(const dicom::StudyIndex & index)
{
  std::ostringstream out;
  out << "index of " << index.root << ": " << index.filesScanned << " files scanned, " << index.volumeSets.size()
      << " volume sets, " << index.skipped.size() << " skipped\n";
  for (const auto & set : index.volumeSets)
  {
    out << "  set " << set.id << " [" << dicom::ToString(set.verdict) << "] role " << dicom::ToString(set.role) << ", "
        << set.slices << " slices x " << set.volumes << " volumes, " << set.columns << "x" << set.rows << ", "
        << set.frames.size() << " frames";
    if (!set.splitReason.empty())
    {
      out << ", split: " << set.splitReason;
    }
    out << "\n";
    for (const auto & m : set.messages)
    {
      out << "    message: " << m << "\n";
    }
  }
  for (const auto & s : index.skipped)
  {
    out << "  skipped " << s.path << ": " << s.reason << "\n";
  }
  return out.str();
}

bool SamePath(const std::string & a, const std::string & b)
{
  if (a == b)
  {
    return true;
  }
  std::error_code ec;
  return std::filesystem::equivalent(std::filesystem::path(a), std::filesystem::path(b), ec);
}

const dicom::SkippedFile * FindSkipped(const dicom::StudyIndex & index, const std::string & path)
{
  for (const auto & s : index.skipped)
  {
    if (SamePath(s.path, path))
    {
      return &s;
    }
  }
  return nullptr;
}

std::vector<const dicom::VolumeSet *> SetsWithFile(const dicom::StudyIndex & index, const std::string & path)
{
  std::vector<const dicom::VolumeSet *> sets;
  for (const auto & set : index.volumeSets)
  {
    const auto files = set.SourceFiles();
    if (std::any_of(files.begin(), files.end(), [&](const std::string & f) { return SamePath(f, path); }))
    {
      sets.push_back(&set);
    }
  }
  return sets;
}

std::vector<const dicom::VolumeSet *> SetsOfSeries(const dicom::StudyIndex & index, int seriesNumber)
{
  std::vector<const dicom::VolumeSet *> sets;
  for (const auto & set : index.volumeSets)
  {
    if (!set.frames.empty() && set.Header().seriesNumber == seriesNumber)
    {
      sets.push_back(&set);
    }
  }
  return sets;
}

} // namespace icanscan::test
