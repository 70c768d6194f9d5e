#pragma once

#include "itkImage.h"
#include "itkImageFileWriter.h"

#include <array>
#include <cmath>
#include <initializer_list>
#include <filesystem>
#include <fstream>
#include <string>

namespace icanscan::test
{

/** \brief A small `icanscan run` output folder written in code.
 *
 * 40 x 40 x 12 voxels of 4 x 4 x 5 mm, stored with a direction that flips x and y (RAS-like voxel order), so a
 * viewer that displays voxel indices instead of physical positions puts left and right the wrong way. The T2/FLAIR
 * lesion is on the patient's LEFT (LPS x in [28, 44] mm), finding 1 at its centroid; the DWI lesion is on the
 * patient's right (x in [-44, -28] mm), finding 2. */
struct ViewerOut
{
  std::filesystem::path folder;
  std::array<double, 3> leftLesionCentroid{};
  std::array<double, 3> rightLesionCentroid{};
};

inline ViewerOut WriteViewerOut(const std::filesystem::path & folder)
{
  using FloatImage = itk::Image<float, 3>;
  using MaskImage = itk::Image<unsigned char, 3>;
  std::filesystem::create_directories(folder / "volumes");
  FloatImage::RegionType region;
  region.SetSize({ { 40, 40, 12 } });
  FloatImage::DirectionType direction;
  direction.SetIdentity();
  direction(0, 0) = -1.0;
  direction(1, 1) = -1.0;
  const double spacing[3] = { 4.0, 4.0, 5.0 };
  FloatImage::PointType origin;
  origin[0] = 78.0; // index 0 is patient left: x decreases with the index
  origin[1] = 78.0;
  origin[2] = -27.5;

  auto base = FloatImage::New();
  auto lesionLeft = MaskImage::New();
  auto lesionRight = MaskImage::New();
  auto labels = MaskImage::New();
  for (itk::ImageBase<3> * image : std::initializer_list<itk::ImageBase<3> *>{
         base.GetPointer(), lesionLeft.GetPointer(), lesionRight.GetPointer(), labels.GetPointer() })
  {
    image->SetRegions(region);
    image->SetSpacing(spacing);
    image->SetOrigin(origin);
    image->SetDirection(direction);
  }
  base->Allocate(true);
  lesionLeft->Allocate(true);
  lesionRight->Allocate(true);
  labels->Allocate(true);
  ViewerOut out{ folder, {}, {} };
  std::array<double, 3> sumLeft{}, sumRight{};
  int nLeft = 0, nRight = 0;
  for (int k = 0; k < 12; ++k)
    for (int j = 0; j < 40; ++j)
      for (int i = 0; i < 40; ++i)
      {
        const FloatImage::IndexType index = { { i, j, k } };
        FloatImage::PointType p;
        base->TransformIndexToPhysicalPoint(index, p);
        const double r = std::sqrt(p[0] * p[0] + p[1] * p[1] + 4.0 * p[2] * p[2]);
        if (r < 70.0)
          base->SetPixel(index, static_cast<float>(100 + (i * 7 + j * 3 + k) % 60));
        const bool inY = std::abs(p[1]) <= 10.0, inZ = std::abs(p[2]) <= 6.0;
        if (inY && inZ && p[0] >= 28.0 && p[0] <= 44.0)
        {
          lesionLeft->SetPixel(index, 1);
          for (int d = 0; d < 3; ++d)
            sumLeft[d] += p[d];
          ++nLeft;
        }
        if (inY && inZ && p[0] >= -44.0 && p[0] <= -28.0)
        {
          lesionRight->SetPixel(index, 1);
          for (int d = 0; d < 3; ++d)
            sumRight[d] += p[d];
          ++nRight;
        }
        if (std::abs(p[0] + 10.0) <= 4.0 && std::abs(p[1] - 30.0) <= 8.0 && inZ)
          labels->SetPixel(index, 2); // thalamus_right, away from both lesions
      }
  for (int d = 0; d < 3; ++d)
  {
    out.leftLesionCentroid[d] = sumLeft[d] / nLeft;
    out.rightLesionCentroid[d] = sumRight[d] / nRight;
  }
  auto write = [&folder](auto image, const char * name)
  {
    using ImageType = typename decltype(image)::ObjectType;
    auto writer = itk::ImageFileWriter<ImageType>::New();
    writer->SetInput(image);
    writer->SetFileName((folder / "volumes" / name).string());
    writer->Update();
  };
  write(base, "T2.nii.gz");
  write(base, "FLAIR.nii.gz");
  write(base, "DWI_b1000.nii.gz");
  write(labels, "labels.nii.gz");
  write(lesionLeft, "lesion_t2flair.nii.gz");
  write(lesionRight, "lesion_dwi.nii.gz");
  auto c = [](const std::array<double, 3> & v)
  { return "[" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ", " + std::to_string(v[2]) + "]"; };
  std::ofstream(folder / "report.json")
    << "{\"findings\": [{\"id\": 1, \"kind\": \"t2flair_hyperintensity\", \"structure\": \"thalamus\", "
       "\"laterality\": \"left\", \"volume_ml\": 2.5, \"centroid_mm\": "
    << c(out.leftLesionCentroid)
    << "}, {\"id\": 2, \"kind\": \"restricted_diffusion\", \"structure\": \"basal_ganglia\", \"laterality\": "
       "\"right\", \"volume_ml\": 2.5, \"centroid_mm\": "
    << c(out.rightLesionCentroid)
    << "}], \"oedema\": {\"flag\": \"focal\", \"reasons\": [{\"text\": \"Thalamus left swollen\"}]}, "
       "\"icans\": {\"oedema_domain_grade\": 3, \"grade\": null}}\n";
  return out;
}

} // namespace icanscan::test
