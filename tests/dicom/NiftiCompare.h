#pragma once

#include "itkImage.h"

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::test
{

using Volume = itk::Image<float, 3>;

/** A NIfTI file read as its 3D volumes, each reoriented to RAI so grids can be compared whatever the storage order. */
struct NiftiVolumes
{
  std::vector<Volume::Pointer> volumes;
  Volume::DirectionType direction; //!< stored (not reoriented) LPS direction, for bvec frames
};

NiftiVolumes ReadNiftiVolumesReoriented(const std::filesystem::path & file);

/** Empty when the grids agree (origin/spacing within toleranceMm, direction within 1e-4, same size); else why. */
std::string CompareGrids(const Volume * a, const Volume * b, double toleranceMm);

/** Largest absolute voxel difference (images must share their size). */
double MaxAbsDifference(const Volume * a, const Volume * b);
double MaxAbs(const Volume * a);

/** FSL bval/bvec files; bvecs are turned into LPS world directions using the image's stored direction. */
struct Gradients
{
  std::vector<double> bValues;
  std::vector<std::array<double, 3>> worldDirections;
};
Gradients ReadFslGradients(const std::filesystem::path & stem, const Volume::DirectionType & storedDirection);

/** The testdata root: $ICANSCAN_TESTDATA, else the CMake default; empty when the folder is absent. */
std::filesystem::path TestDataRoot();

} // namespace icanscan::test
