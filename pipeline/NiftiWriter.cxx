#include "pipeline/NiftiWriter.h"

#include "core/Error.h"
#include "pipeline/OutputFiles.h"

#include "itkImageFileWriter.h"
#include "itkNiftiImageIO.h"

#include <cmath>
#include <limits>

namespace icanscan::pipeline
{
namespace
{
bool
FitsInt16(const std::vector<itk::Image<float, 3>::Pointer> & volumes)
{
  for (const auto & volume : volumes)
  {
    const float * p = volume->GetBufferPointer();
    const std::size_t n = volume->GetLargestPossibleRegion().GetNumberOfPixels();
    for (std::size_t i = 0; i < n; ++i)
    {
      if (p[i] != std::nearbyint(p[i]) || p[i] < std::numeric_limits<short>::min() ||
          p[i] > std::numeric_limits<short>::max())
        return false;
    }
  }
  return true;
}

template <typename TPixel>
void
Write4D(const std::vector<itk::Image<float, 3>::Pointer> & volumes, const std::filesystem::path & file)
{
  using Image4 = itk::Image<TPixel, 4>;
  const auto & first = volumes.front();
  auto image = Image4::New();
  typename Image4::RegionType region;
  typename Image4::SpacingType spacing;
  typename Image4::PointType origin;
  typename Image4::DirectionType direction;
  direction.SetIdentity();
  for (unsigned d = 0; d < 3; ++d)
  {
    region.SetSize(d, first->GetLargestPossibleRegion().GetSize(d));
    spacing[d] = first->GetSpacing()[d];
    origin[d] = first->GetOrigin()[d];
    for (unsigned e = 0; e < 3; ++e)
      direction(d, e) = first->GetDirection()(d, e);
  }
  region.SetSize(3, volumes.size());
  spacing[3] = 1.0;
  origin[3] = 0.0;
  image->SetRegions(region);
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
  image->Allocate();
  const std::size_t n = first->GetLargestPossibleRegion().GetNumberOfPixels();
  TPixel * out = image->GetBufferPointer();
  for (std::size_t v = 0; v < volumes.size(); ++v)
  {
    const float * in = volumes[v]->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i)
      out[v * n + i] = static_cast<TPixel>(in[i]);
  }
  auto writer = itk::ImageFileWriter<Image4>::New();
  writer->SetImageIO(itk::NiftiImageIO::New());
  writer->SetInput(image);
  writer->SetFileName(file.string());
  writer->SetUseCompression(true);
  writer->Update();
}

template <typename TPixel>
void
Write3D(const itk::Image<float, 3> * volume, const std::filesystem::path & file)
{
  using Image3 = itk::Image<TPixel, 3>;
  auto image = Image3::New();
  image->CopyInformation(volume);
  image->SetRegions(volume->GetLargestPossibleRegion());
  image->Allocate();
  const std::size_t n = volume->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    image->GetBufferPointer()[i] = static_cast<TPixel>(volume->GetBufferPointer()[i]);
  auto writer = itk::ImageFileWriter<Image3>::New();
  writer->SetImageIO(itk::NiftiImageIO::New());
  writer->SetInput(image);
  writer->SetFileName(file.string());
  writer->SetUseCompression(true);
  writer->Update();
}
} // namespace

void
WriteNifti(const std::vector<itk::Image<float, 3>::Pointer> & volumes, const std::filesystem::path & file)
{
  if (volumes.empty())
  {
    throw OutputError(file.string() + ": nothing to write (no volumes)");
  }
  const std::filesystem::path temporary = TemporarySibling(file);
  try
  {
    const bool asShort = FitsInt16(volumes);
    if (volumes.size() == 1)
      asShort ? Write3D<short>(volumes.front(), temporary) : Write3D<float>(volumes.front(), temporary);
    else
      asShort ? Write4D<short>(volumes, temporary) : Write4D<float>(volumes, temporary);
  }
  catch (const itk::ExceptionObject & e)
  {
    std::error_code ec;
    std::filesystem::remove(temporary, ec);
    throw OutputError(file.string() + ": cannot write NIfTI: " + e.GetDescription());
  }
  CommitFile(temporary, file);
}

} // namespace icanscan::pipeline
