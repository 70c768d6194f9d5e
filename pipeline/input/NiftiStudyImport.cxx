#include "pipeline/input/NiftiStudyImport.h"

#include "core/TextFormat.h"

#include "core/Error.h"
#include "core/FolderLock.h"
#include "core/RemoveOnSignal.h"
#include "core/TextEncoding.h"
#include "dicom/MrSeriesWriter.h"
#include "pipeline/input/NiftiFileCheck.h"
#include "pipeline/input/StrictJson.h"
#include "pipeline/input/NiftiSidecarReader.h"

#include <nlohmann/json.hpp>

#include "itkImageFileReader.h"
#include "itkImageIOFactory.h"
#include "itkImageRegionIterator.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <sstream>

namespace icanscan::pipeline
{
namespace fs = std::filesystem;
namespace
{
using Volume = dicom::MrSeriesWriter::ImageType;
using Series4D = itk::Image<float, 4>;

/** The file name without .nii or .nii.gz, or "" when `path` is no NIfTI file. */
std::string NiftiName(const fs::path & path)
{
  const std::string name = path.filename().string();
  const std::string lower = ToLower(name);
  for (const std::string ext : { ".nii.gz", ".nii" })
    if (lower.size() > ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0)
      return name.substr(0, name.size() - ext.size());
  return "";
}

/** Every .nii / .nii.gz file under `folder` (any depth), sorted. */
std::vector<fs::path> NiftiFilesUnder(const fs::path & folder)
{
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && !NiftiName(it->path()).empty())
      files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

/** A problem with one file: it is skipped, with this text as the reason. */
struct Unusable : std::runtime_error
{
  explicit Unusable(const std::string & what, bool isDamage = false)
    : std::runtime_error(what)
    , damaged(isDamage)
  {
  }
  bool damaged; //!< the file is damaged (truncated, impossible header values), not merely unsuitable
};

constexpr std::uintmax_t kMaxSidecarBytes = 16u << 20; // a JSON sidecar or .bval/.bvec is a few kB

/** A sidecar, .bval or .bvec beside the NIfTI file: present (a regular file of sane size), absent, or unusable. */
bool HasCompanion(const fs::path & file)
{
  std::error_code ec;
  const auto status = fs::status(file, ec);
  if (ec || status.type() == fs::file_type::not_found)
    return false;
  if (status.type() != fs::file_type::regular)
    throw Unusable(file.filename().string() + " is not a regular file");
  if (fs::file_size(file, ec) > kMaxSidecarBytes)
    throw Unusable(file.filename().string() + " is larger than " + std::to_string(kMaxSidecarBytes) + " bytes");
  return true;
}

nlohmann::json ReadSidecar(const fs::path & file)
{
  std::ifstream in(file);
  if (!in)
    throw Unusable("sidecar " + file.filename().string() + " cannot be read");
  const std::string text{ std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
  std::string problem;
  const std::optional<nlohmann::json> j = ParseStrictJson(text, problem);
  if (!j)
    throw Unusable("sidecar " + file.filename().string() + ": " + problem);
  if (!j->is_object())
    throw Unusable("sidecar " + file.filename().string() + " is not a JSON object");
  return *j;
}

std::vector<double> ReadNumbers(const fs::path & file)
{
  std::ifstream in(file);
  if (!in)
    throw Unusable(file.filename().string() + " cannot be read");
  std::vector<double> values;
  std::string token;
  while (in >> token)
  {
    std::size_t used = 0;
    double v = 0;
    try
    {
      v = std::stod(token, &used);
    }
    catch (const std::exception &)
    {
      used = 0;
    }
    if (used != token.size() || !std::isfinite(v))
      throw Unusable(file.filename().string() + ": '" + token + "' is not a number");
    values.push_back(v);
  }
  return values;
}

Series4D::Pointer ReadSeries(const fs::path & file)
{
  const NiftiFileCheck check = CheckNiftiFile(file);
  if (!check.problem.empty())
    throw Unusable(check.problem, true);
  auto io = itk::ImageIOFactory::CreateImageIO(file.c_str(), itk::ImageIOFactory::IOFileModeEnum::ReadMode);
  if (io == nullptr)
    throw Unusable("not a readable NIfTI file");
  try
  {
    io->SetFileName(file.string());
    io->ReadImageInformation();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw Unusable(std::string("header cannot be read: ") + e.GetDescription());
  }
  const unsigned dims = io->GetNumberOfDimensions();
  if (dims < 3 || dims > 4 || io->GetNumberOfComponents() != 1)
    throw Unusable(std::to_string(dims) + "D image with " + std::to_string(io->GetNumberOfComponents()) +
                   " component(s) per voxel: a 3D or 4D scalar image is needed");
  if (io->GetDimensions(0) < 2 || io->GetDimensions(1) < 2)
    throw Unusable("image of " + std::to_string(io->GetDimensions(0)) + "x" + std::to_string(io->GetDimensions(1)) +
                   " pixels per slice");
  auto reader = itk::ImageFileReader<Series4D>::New();
  reader->SetFileName(file.string());
  try
  {
    reader->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw Unusable(std::string("voxels cannot be read: ") + e.GetDescription(), true);
  }
  Series4D::Pointer series = reader->GetOutput();
  vnl_matrix<double> direction(3, 3);
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned c = 0; c < 3; ++c)
      direction(r, c) = series->GetDirection()(r, c);
  const double determinant = vnl_determinant(direction);
  if (!std::isfinite(determinant) || std::abs(determinant) < 1e-6)
    throw Unusable("orientation matrix is singular or not finite (determinant " + std::to_string(determinant) + ")",
                   true);
  return series;
}

/** Volume t of a 3D/4D series as a right-handed 3D image, with non-finite voxels set to 0. A left-handed one (what
 * dcm2niix writes for most DICOM: rows stored bottom-up) gets its row order reversed, which restores the DICOM's
 * own order; the voxels stay where they are in space. */
Volume::Pointer ExtractVolume(const Series4D * series, unsigned t, bool & flipped, std::size_t & nonFinite)
{
  const auto size4 = series->GetLargestPossibleRegion().GetSize();
  Volume::SizeType size{ { size4[0], size4[1], size4[2] } };
  Volume::DirectionType direction;
  Volume::SpacingType spacing;
  Volume::PointType origin;
  for (unsigned r = 0; r < 3; ++r)
  {
    spacing[r] = series->GetSpacing()[r];
    origin[r] = series->GetOrigin()[r];
    for (unsigned c = 0; c < 3; ++c)
      direction(r, c) = series->GetDirection()(r, c);
  }
  flipped = vnl_determinant(direction.GetVnlMatrix().as_matrix()) < 0;
  if (flipped)
  {
    for (unsigned r = 0; r < 3; ++r)
    {
      origin[r] += direction(r, 1) * spacing[1] * static_cast<double>(size[1] - 1);
      direction(r, 1) = -direction(r, 1);
    }
  }
  auto volume = Volume::New();
  volume->SetRegions(size);
  volume->SetSpacing(spacing);
  volume->SetOrigin(origin);
  volume->SetDirection(direction);
  volume->Allocate();
  const auto lastRow = static_cast<itk::IndexValueType>(size[1]) - 1;
  for (itk::ImageRegionIterator<Volume> it(volume, volume->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto i = it.GetIndex();
    const Series4D::IndexType source{ { i[0], flipped ? lastRow - i[1] : i[1], i[2],
                                        static_cast<itk::IndexValueType>(t) } };
    const float v = series->GetPixel(source);
    if (!std::isfinite(v))
      ++nonFinite;
    it.Set(std::isfinite(v) ? v : 0.0f);
  }
  return volume;
}

/** Gradient direction in patient (LPS) coordinates from an FSL bvec column (image axes). */
std::array<double, 3> PatientGradient(const Series4D * series, std::array<double, 3> v)
{
  vnl_matrix<double> d(3, 3);
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned c = 0; c < 3; ++c)
      d(r, c) = series->GetDirection()(r, c);
  if (vnl_determinant(d) > 0)
    v[0] = -v[0];
  std::array<double, 3> g{};
  for (unsigned r = 0; r < 3; ++r)
    g[r] = d(r, 0) * v[0] + d(r, 1) * v[1] + d(r, 2) * v[2];
  return g;
}

constexpr const char * kTemporaryPrefix = "icanscan-nifti-";

/** b-values from the sidecar's DiffusionBValue (no .bval): one per volume, or one for every volume (said in a note). */
std::vector<double> SidecarBValues(const std::vector<double> & values,
                                   unsigned volumes,
                                   const std::string & sidecarFile,
                                   std::vector<std::string> & notes)
{
  if (values.size() == volumes)
  {
    notes.push_back("b-value" + std::string(volumes == 1 ? "" : "s") + " from DiffusionBValue in " + sidecarFile +
                    " (no .bval)");
    return values;
  }
  if (values.size() == 1)
  {
    notes.push_back("one DiffusionBValue in " + sidecarFile + " given to each of the " + std::to_string(volumes) +
                    " volumes (no .bval)");
    return std::vector<double>(volumes, values.front());
  }
  throw Unusable(sidecarFile + ": DiffusionBValue holds " + std::to_string(values.size()) + " values for " +
                 std::to_string(volumes) + " volumes");
}

fs::path MakeTemporaryFolder()
{
  static std::atomic<unsigned> counter{ 0 };
  std::random_device device;
  const fs::path folder =
    fs::temp_directory_path() / (kTemporaryPrefix + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                                 std::to_string(device() % 100000));
  std::error_code ec;
  if (!fs::create_directories(folder, ec))
    throw OutputError(folder.string() + ": cannot create the temporary folder for the NIfTI import (" +
                      (ec ? ec.message() : std::string("already exists")) + ")");
  return folder;
}

/** What outputs may call a file: its path relative to the study folder, valid UTF-8. */
std::string DisplayName(const fs::path & file, const fs::path & folder)
{
  std::error_code ec;
  const fs::path relative = fs::relative(file, folder, ec);
  return MakeValidUtf8(ec || relative.empty() ? file.filename().string() : relative.string());
}
} // namespace

bool HoldsNiftiFiles(const fs::path & path)
{
  std::error_code ec;
  return fs::is_directory(path, ec) && !NiftiFilesUnder(path).empty();
}

ImportedNiftiStudy::ImportedNiftiStudy(const fs::path & folder)
  : m_Folder(folder)
{
  const std::vector<fs::path> files = NiftiFilesUnder(folder);
  std::error_code ec;
  RemoveStaleFolders(fs::temp_directory_path(ec), kTemporaryPrefix); // what killed imports left behind
  m_DicomFolder = MakeTemporaryFolder();
  m_Cleanup = std::make_unique<RemoveOnSignal>(m_DicomFolder);
  m_Lock = FileLock::TryAcquire(m_DicomFolder / kFolderLockName);

  const std::string studyUid = dicom::MrSeriesWriter::GenerateUid();
  const std::string frameUid = dicom::MrSeriesWriter::GenerateUid();
  std::set<int> usedNumbers;
  int nextFree = 1001;
  try
  {
    for (const auto & file : files)
    {
      ImportedNiftiSeries series;
      series.file = file;
      series.name = NiftiName(file);
      try
      {
        const fs::path stem = file.parent_path() / series.name;
        std::optional<nlohmann::json> sidecar;
        if (HasCompanion(stem.string() + ".json"))
          sidecar = ReadSidecar(stem.string() + ".json");
        series.hasSidecar = sidecar.has_value();
        auto reading = ReadNiftiSidecar(sidecar, series.name, stem.string() + ".json");
        auto & spec = reading.spec;
        series.warnings = reading.notes;
        series.nameRole = RoleFromFileName(series.name);
        const auto image = ReadSeries(file);
        series.volumes = static_cast<unsigned>(image->GetLargestPossibleRegion().GetSize()[3]);

        std::vector<double> bvals;
        std::vector<double> bvecs;
        if (HasCompanion(stem.string() + ".bval"))
        {
          bvals = ReadNumbers(stem.string() + ".bval");
          if (bvals.size() != series.volumes)
            throw Unusable(stem.filename().string() + ".bval holds " + std::to_string(bvals.size()) + " b-values for " +
                           std::to_string(series.volumes) + " volumes");
          if (HasCompanion(stem.string() + ".bvec"))
          {
            bvecs = ReadNumbers(stem.string() + ".bvec");
            if (bvecs.size() != 3 * bvals.size())
              throw Unusable(stem.filename().string() + ".bvec holds " + std::to_string(bvecs.size()) +
                             " numbers, not 3 x " + std::to_string(bvals.size()));
          }
        }
        else if (!reading.bValues.empty())
          bvals = SidecarBValues(reading.bValues, series.volumes, stem.string() + ".json", series.notes);

        const double declaredNumber = sidecar && sidecar->contains("SeriesNumber") && (*sidecar)["SeriesNumber"].is_number()
                                        ? (*sidecar)["SeriesNumber"].get<double>()
                                        : 0.0;
        int number = declaredNumber >= 1 && declaredNumber <= 99999 ? static_cast<int>(declaredNumber) : 0;
        if (number <= 0 || usedNumbers.count(number))
        {
          if (number > 0)
            series.notes.push_back("series number " + std::to_string(number) + " already taken by another file");
          while (usedNumbers.count(nextFree))
            ++nextFree;
          number = nextFree;
        }
        usedNumbers.insert(number);
        series.seriesNumber = number;
        spec.seriesNumber = number;
        spec.studyInstanceUid = studyUid;
        spec.frameOfReferenceUid = frameUid;
        spec.seriesInstanceUid = dicom::MrSeriesWriter::GenerateUid();

        const fs::path target = m_DicomFolder / ("series_" + std::to_string(number));
        std::size_t nonFinite = 0;
        bool flipped = false;
        for (unsigned t = 0; t < series.volumes; ++t)
        {
          const auto volume = ExtractVolume(image, t, flipped, nonFinite);
          const auto slices = static_cast<int>(volume->GetLargestPossibleRegion().GetSize()[2]);
          spec.firstInstanceNumber = static_cast<int>(t) * slices + 1;
          spec.acquisitionNumber = static_cast<int>(t) + 1;
          if (!bvals.empty())
          {
            spec.bValue = bvals[t];
            spec.gradient.reset();
            const std::array<double, 3> v{ bvecs.empty() ? 0.0 : bvecs[t],
                                           bvecs.empty() ? 0.0 : bvecs[bvals.size() + t],
                                           bvecs.empty() ? 0.0 : bvecs[2 * bvals.size() + t] };
            const double norm = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            if (bvals[t] > 0 && norm > 0.5)
            {
              auto g = PatientGradient(image, v);
              for (auto & c : g)
                c /= norm;
              spec.gradient = g;
            }
          }
          dicom::MrSeriesWriter::Write(volume, spec, target, "IM_{n}");
        }
        if (flipped)
          series.notes.push_back("left-handed voxel order: stored with the row order reversed");
        if (nonFinite > 0)
          series.notes.push_back(std::to_string(nonFinite) + " non-finite voxels (NaN/Inf) set to 0");
        if (!sidecar)
          series.notes.push_back("no JSON sidecar: only the file name describes the series");
        m_Series.push_back(std::move(series));
      }
      catch (const Unusable & e)
      {
        m_Skipped.push_back({ file.string(), e.what(), e.damaged, DisplayName(file, folder) });
      }
      catch (const InputError & e)
      {
        m_Skipped.push_back({ file.string(), e.what(), true, DisplayName(file, folder) });
      }
    }
  }
  catch (...)
  {
    fs::remove_all(m_DicomFolder, ec);
    throw;
  }
}

ImportedNiftiStudy::~ImportedNiftiStudy()
{
  std::error_code ec;
  fs::remove_all(m_DicomFolder, ec);
  m_Cleanup.reset();
  m_Lock.reset();
}

std::optional<int> ImportedNiftiStudy::SeriesNumberFor(const std::string & key) const
{
  for (const auto & s : m_Series)
  {
    std::error_code ec;
    const std::string relative = fs::relative(s.file, m_Folder, ec).string();
    if (key == s.name || key == s.file.filename().string() || (!ec && key == relative))
      return s.seriesNumber;
  }
  return std::nullopt;
}

} // namespace icanscan::pipeline
