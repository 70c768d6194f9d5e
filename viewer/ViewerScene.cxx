#include "viewer/ViewerScene.h"

#include "core/Error.h"
#include "core/Structures.h"
#include "filters/ImageTypes.h"

#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"

#include <vtkFloatArray.h>
#include <vtkPointData.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace icanscan::viewer
{
namespace
{
using filters::FloatImage;
using LabelImage = filters::ByteLabelImage;

/** The LPS-aligned display grid. */
struct Grid
{
  FloatImage::PointType origin;
  FloatImage::SpacingType spacing;
  FloatImage::SizeType size;
};

template<typename TImage>
typename TImage::Pointer ReadImage(const std::filesystem::path & file)
{
  auto reader = itk::ImageFileReader<TImage>::New();
  reader->SetFileName(file.string());
  try
  {
    reader->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw InputError(file.string() + ": cannot be read as a NIfTI volume (" + e.GetDescription() + ")");
  }
  return reader->GetOutput();
}

Grid GridOf(const FloatImage * reference)
{
  const auto size = reference->GetLargestPossibleRegion().GetSize();
  const auto & direction = reference->GetDirection();
  const auto & spacing = reference->GetSpacing();
  Grid grid;
  double lo[3] = { 1e300, 1e300, 1e300 }, hi[3] = { -1e300, -1e300, -1e300 };
  for (unsigned corner = 0; corner < 8; ++corner)
  {
    itk::ContinuousIndex<double, 3> index;
    for (unsigned d = 0; d < 3; ++d)
      index[d] = (corner >> d) & 1U ? static_cast<double>(size[d]) - 1.0 : 0.0;
    FloatImage::PointType p;
    reference->TransformContinuousIndexToPhysicalPoint(index, p);
    for (unsigned k = 0; k < 3; ++k)
    {
      lo[k] = std::min(lo[k], p[k]);
      hi[k] = std::max(hi[k], p[k]);
    }
  }
  for (unsigned k = 0; k < 3; ++k)
  {
    // The spacing of the voxel axis that runs nearest this LPS axis: 5 mm slices stay 5 mm, no invented detail.
    unsigned nearest = 0;
    for (unsigned j = 1; j < 3; ++j)
      if (std::abs(direction(k, j)) > std::abs(direction(k, nearest)))
        nearest = j;
    grid.spacing[k] = spacing[nearest];
    grid.origin[k] = lo[k];
    grid.size[k] = static_cast<itk::SizeValueType>(std::floor((hi[k] - lo[k]) / grid.spacing[k] + 0.5)) + 1;
  }
  return grid;
}

template<typename TImage>
typename TImage::Pointer ResampleToGrid(const TImage * image, const Grid & grid, bool nearest)
{
  auto resample = itk::ResampleImageFilter<TImage, TImage, double>::New();
  resample->SetInput(image);
  resample->SetOutputOrigin(grid.origin);
  resample->SetOutputSpacing(grid.spacing);
  resample->SetSize(grid.size);
  typename TImage::DirectionType identity;
  identity.SetIdentity();
  resample->SetOutputDirection(identity);
  resample->SetDefaultPixelValue(0);
  if (nearest)
    resample->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<TImage, double>::New());
  else
    resample->SetInterpolator(itk::LinearInterpolateImageFunction<TImage, double>::New());
  resample->Update();
  return resample->GetOutput();
}

template<typename TImage, typename TArray>
vtkSmartPointer<vtkImageData> ToVtk(const TImage * image)
{
  const auto size = image->GetLargestPossibleRegion().GetSize();
  auto data = vtkSmartPointer<vtkImageData>::New();
  data->SetExtent(0, static_cast<int>(size[0]) - 1, 0, static_cast<int>(size[1]) - 1, 0, static_cast<int>(size[2]) - 1);
  data->SetOrigin(image->GetOrigin()[0], image->GetOrigin()[1], image->GetOrigin()[2]);
  data->SetSpacing(image->GetSpacing()[0], image->GetSpacing()[1], image->GetSpacing()[2]);
  auto scalars = vtkSmartPointer<TArray>::New();
  const std::size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  scalars->SetNumberOfTuples(static_cast<vtkIdType>(n));
  // ITK and VTK both store x fastest, then y, then z.
  std::memcpy(scalars->GetPointer(0), image->GetBufferPointer(), n * sizeof(typename TImage::PixelType));
  data->GetPointData()->SetScalars(scalars);
  return data;
}

std::map<int, std::array<unsigned char, 3>> ReadItkSnapColours(const std::filesystem::path & file)
{
  std::map<int, std::array<unsigned char, 3>> colours;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
  {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream fields(line);
    int value = 0, r = 0, g = 0, b = 0;
    if (fields >> value >> r >> g >> b && value > 0 && value < 256)
      colours[value] = { static_cast<unsigned char>(std::clamp(r, 0, 255)),
                         static_cast<unsigned char>(std::clamp(g, 0, 255)),
                         static_cast<unsigned char>(std::clamp(b, 0, 255)) };
  }
  return colours;
}

bool ExistsNoThrow(const std::filesystem::path & p)
{
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}
} // namespace

ViewerScene::ViewerScene(std::vector<BaseVolume> bases,
                         vtkSmartPointer<vtkImageData> labels,
                         vtkSmartPointer<vtkImageData> lesionT2Flair,
                         vtkSmartPointer<vtkImageData> lesionDwi,
                         ViewerReport report)
  : m_Bases(std::move(bases))
  , m_Labels(std::move(labels))
  , m_LesionT2Flair(std::move(lesionT2Flair))
  , m_LesionDwi(std::move(lesionDwi))
  , m_Report(std::move(report))
  , m_LabelColours(DefaultLabelColours())
{
  if (m_Bases.empty() || m_Bases.front().image == nullptr)
    throw InputError("the viewer needs at least one base volume", ExitCode::NoUsableDicom);
}

ViewerScene ViewerScene::Load(const std::filesystem::path & out)
{
  const auto reportJson = out / "report.json";
  const auto volumes = out / "volumes";
  if (!ExistsNoThrow(reportJson) && !ExistsNoThrow(volumes))
    throw InputError(out.string() + ": not an `icanscan run` output folder (no report.json, no volumes/)",
                     ExitCode::NoUsableDicom);
  ViewerReport report = ReadViewerReport(reportJson);

  const char * roles[] = { "T2", "FLAIR", "DWI_b1000", "DWI_b0", "ADC" };
  std::vector<std::pair<std::string, FloatImage::Pointer>> read;
  for (const char * role : roles)
  {
    const auto file = volumes / (std::string(role) + ".nii.gz");
    if (ExistsNoThrow(file))
      read.emplace_back(role, ReadImage<FloatImage>(file));
  }
  if (read.empty())
    throw InputError((volumes / "T2.nii.gz").string() +
                     ": missing, and no other base volume (FLAIR, DWI_b1000, DWI_b0, ADC) in " + volumes.string());
  const Grid grid = GridOf(read.front().second);

  std::vector<BaseVolume> bases;
  for (const auto & [role, image] : read)
  {
    auto vtkImage = ToVtk<FloatImage, vtkFloatArray>(ResampleToGrid<FloatImage>(image, grid, false));
    bases.push_back({ role, vtkImage, PresetWindow(role, vtkImage) });
  }
  std::vector<std::string> notes;
  auto readMask = [&](const char * name) -> vtkSmartPointer<vtkImageData>
  {
    const auto file = volumes / name;
    if (!ExistsNoThrow(file))
    {
      notes.push_back(file.string() + ": absent, not shown");
      return nullptr;
    }
    return ToVtk<LabelImage, vtkUnsignedCharArray>(ResampleToGrid<LabelImage>(ReadImage<LabelImage>(file), grid, true));
  };
  auto labels = readMask("labels.nii.gz");
  auto lesionT2Flair = readMask("lesion_t2flair.nii.gz");
  auto lesionDwi = readMask("lesion_dwi.nii.gz");
  ViewerScene scene(std::move(bases), labels, lesionT2Flair, lesionDwi, std::move(report));
  const auto colourFile = volumes / "labels_itksnap.txt";
  if (ExistsNoThrow(colourFile))
  {
    auto colours = ReadItkSnapColours(colourFile);
    if (!colours.empty())
      scene.m_LabelColours = std::move(colours);
  }
  scene.m_Notes = std::move(notes);
  return scene;
}

const BaseVolume & ViewerScene::Base(const std::string & role) const
{
  for (const auto & b : m_Bases)
    if (b.role == role)
      return b;
  throw UsageError("base series \"" + role + "\" is not loaded");
}

std::array<double, 6> ViewerScene::Bounds() const
{
  double b[6];
  m_Bases.front().image->GetBounds(b);
  return { b[0], b[1], b[2], b[3], b[4], b[5] };
}

std::array<double, 3> ViewerScene::Spacing() const
{
  const double * s = m_Bases.front().image->GetSpacing();
  return { s[0], s[1], s[2] };
}

std::array<double, 3> ViewerScene::Centre() const
{
  const auto b = Bounds();
  return { 0.5 * (b[0] + b[1]), 0.5 * (b[2] + b[3]), 0.5 * (b[4] + b[5]) };
}

int ViewerScene::SliceCount(int axis) const
{
  const int * e = m_Bases.front().image->GetExtent();
  return e[2 * axis + 1] - e[2 * axis] + 1;
}

double ViewerScene::SliceCoordinate(int axis, int index) const
{
  return m_Bases.front().image->GetOrigin()[axis] + index * m_Bases.front().image->GetSpacing()[axis];
}

ViewState ViewerScene::MakeState() const
{
  std::vector<std::string> roles;
  std::map<std::string, Window> windows;
  for (const auto & b : m_Bases)
  {
    roles.push_back(b.role);
    windows[b.role] = b.preset;
  }
  return ViewState(roles, windows, m_Report.findings, Centre());
}

std::map<int, std::array<unsigned char, 3>> ViewerScene::DefaultLabelColours()
{
  std::map<int, std::array<unsigned char, 3>> colours;
  for (const auto & s : AllStructures())
    colours[static_cast<int>(s.structure)] = s.rgb;
  return colours;
}

Window ViewerScene::PresetWindow(const std::string & role, vtkImageData * image)
{
  auto * scalars = image->GetPointData()->GetScalars();
  const vtkIdType n = scalars->GetNumberOfTuples();
  const vtkIdType stride = std::max<vtkIdType>(1, n / 400000);
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(n / stride + 1));
  for (vtkIdType i = 0; i < n; i += stride)
  {
    const double v = scalars->GetComponent(i, 0);
    if (v > 0.0 && std::isfinite(v))
      values.push_back(v);
  }
  if (values.empty())
    return { 0.0, 1.0 };
  auto percentile = [&values](double p)
  {
    auto nth = values.begin() + static_cast<std::ptrdiff_t>(p / 100.0 * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), nth, values.end());
    return *nth;
  };
  if (role == "ADC")
  {
    // 0..2000 um^2/s shows restricted diffusion dark and CSF bright; the unit of the map is guessed from its range.
    const double p99 = percentile(99.0);
    const double unit = p99 > 50.0 ? 1.0 : p99 > 0.05 ? 1e-3 : 1e-6;
    return { 0.0, 2000.0 * unit };
  }
  const double low = percentile(1.0);
  const double high = percentile(99.5);
  return high > low ? Window{ low, high } : Window{ low, low + 1.0 };
}

} // namespace icanscan::viewer
