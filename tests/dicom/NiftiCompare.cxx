#include "NiftiCompare.h"

#include "itkImageFileReader.h"
#include "itkOrientImageFilter.h"
#include "vnl/algo/vnl_determinant.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace icanscan::test
{

NiftiVolumes ReadNiftiVolumesReoriented(const std::filesystem::path & file)
{
  using Image4 = itk::Image<float, 4>;
  auto reader = itk::ImageFileReader<Image4>::New();
  reader->SetFileName(file.string());
  reader->Update();
  Image4::Pointer image4 = reader->GetOutput();
  const auto size = image4->GetLargestPossibleRegion().GetSize();
  NiftiVolumes result;
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned c = 0; c < 3; ++c)
      result.direction(r, c) = image4->GetDirection()(r, c);
  for (unsigned t = 0; t < std::max<unsigned>(1, size[3]); ++t)
  {
    auto volume = Volume::New();
    Volume::RegionType region;
    region.SetSize({ size[0], size[1], size[2] });
    volume->SetRegions(region);
    Volume::SpacingType spacing;
    Volume::PointType origin;
    for (unsigned d = 0; d < 3; ++d)
    {
      spacing[d] = image4->GetSpacing()[d];
      origin[d] = image4->GetOrigin()[d];
    }
    volume->SetSpacing(spacing);
    volume->SetOrigin(origin);
    volume->SetDirection(result.direction);
    volume->Allocate();
    const std::size_t n = region.GetNumberOfPixels();
    std::copy_n(image4->GetBufferPointer() + t * n, n, volume->GetBufferPointer());
    auto orient = itk::OrientImageFilter<Volume, Volume>::New();
    orient->UseImageDirectionOn();
    orient->SetDesiredCoordinateOrientation(itk::SpatialOrientation::ITK_COORDINATE_ORIENTATION_RAI);
    orient->SetInput(volume);
    orient->Update();
    result.volumes.push_back(orient->GetOutput());
  }
  return result;
}

std::string CompareGrids(const Volume * a, const Volume * b, double toleranceMm)
{
  std::ostringstream why;
  if (a->GetLargestPossibleRegion().GetSize() != b->GetLargestPossibleRegion().GetSize())
    why << "size " << a->GetLargestPossibleRegion().GetSize() << " vs " << b->GetLargestPossibleRegion().GetSize();
  for (unsigned d = 0; d < 3; ++d)
  {
    if (std::abs(a->GetOrigin()[d] - b->GetOrigin()[d]) > toleranceMm)
      why << " origin[" << d << "] " << a->GetOrigin()[d] << " vs " << b->GetOrigin()[d];
    if (std::abs(a->GetSpacing()[d] - b->GetSpacing()[d]) > toleranceMm)
      why << " spacing[" << d << "] " << a->GetSpacing()[d] << " vs " << b->GetSpacing()[d];
    for (unsigned e = 0; e < 3; ++e)
      if (std::abs(a->GetDirection()(d, e) - b->GetDirection()(d, e)) > 1e-4)
        why << " direction(" << d << "," << e << ") " << a->GetDirection()(d, e) << " vs " << b->GetDirection()(d, e);
  }
  return why.str();
}

double MaxAbsDifference(const Volume * a, const Volume * b)
{
  const std::size_t n = a->GetLargestPossibleRegion().GetNumberOfPixels();
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i)
    worst = std::max(worst, static_cast<double>(std::abs(a->GetBufferPointer()[i] - b->GetBufferPointer()[i])));
  return worst;
}

double MaxAbs(const Volume * a)
{
  const std::size_t n = a->GetLargestPossibleRegion().GetNumberOfPixels();
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i)
    worst = std::max(worst, static_cast<double>(std::abs(a->GetBufferPointer()[i])));
  return worst;
}

Gradients ReadFslGradients(const std::filesystem::path & stem, const Volume::DirectionType & d)
{
  Gradients g;
  std::ifstream bval(stem.string() + ".bval");
  double b;
  while (bval >> b)
    g.bValues.push_back(b);
  std::ifstream bvec(stem.string() + ".bvec");
  std::vector<std::vector<double>> rows(3);
  std::string line;
  for (int r = 0; r < 3 && std::getline(bvec, line); ++r)
  {
    std::istringstream in(line);
    double v;
    while (in >> v)
      rows[r].push_back(v);
  }
  const double det = vnl_determinant(d.GetVnlMatrix().as_matrix());
  for (std::size_t i = 0; i < rows[0].size() && i < rows[1].size() && i < rows[2].size(); ++i)
  {
    std::array<double, 3> voxel{ det > 0 ? -rows[0][i] : rows[0][i], rows[1][i], rows[2][i] };
    std::array<double, 3> world{};
    for (unsigned r = 0; r < 3; ++r)
      world[r] = d(r, 0) * voxel[0] + d(r, 1) * voxel[1] + d(r, 2) * voxel[2];
    g.worldDirections.push_back(world);
  }
  return g;
}

std::filesystem::path TestDataRoot()
{
  const char * env = std::getenv("ICANSCAN_TESTDATA");
  std::filesystem::path root = env && *env ? env : ICANSCAN_TESTDATA_DEFAULT;
  return std::filesystem::is_directory(root / "dicom") ? root : std::filesystem::path();
}

} // namespace icanscan::test
