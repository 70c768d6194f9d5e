// Rigid registration benchmark helper (not a test): writes synthetic thick-slice pairs with a known motion, runs
// icanscan's rigid registration, and scores a transform (ours as .tfm, elastix's through transformix output points)
// by target registration error over the fixed brain. Driven by bench/rigid_vs_elastix.sh.
//
//   icanscan_bench_rigid make-pair DIR SEED   fixed.nii.gz (T2 0.45x0.45x5), moving.nii.gz (FLAIR or b0, 1.8-2 mm
//                                             in-plane, slices offset), masks, truth.tfm, points.txt (transformix)
//   icanscan_bench_rigid register DIR         DIR/ours.tfm; prints "seconds <registration wall time>"
//   icanscan_bench_rigid tre DIR FILE         FILE = a .tfm, or transformix's outputpoints.txt; prints "tre_mm <mean>"

#include "RegistrationPair.h"

#include "filters/RigidRegistration.h"

#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkImageRegionConstIteratorWithIndex.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace
{
namespace fs = std::filesystem;
using icanscan::filters::FloatImage;
using icanscan::filters::MaskImage;
using icanscan::filters::RigidTransform;
namespace test = icanscan::filters::test;

template<typename TImage>
void Write(const TImage * image, const fs::path & path)
{
  auto writer = itk::ImageFileWriter<TImage>::New();
  writer->SetInput(image);
  writer->SetFileName(path.string());
  writer->Update();
}

template<typename TImage>
typename TImage::Pointer Read(const fs::path & path)
{
  auto reader = itk::ImageFileReader<TImage>::New();
  reader->SetFileName(path.string());
  reader->Update();
  return reader->GetOutput();
}

/** Fixed-brain sample points (physical, mm): every 4th in-plane voxel of every slice. */
std::vector<itk::Point<double, 3>> BrainPoints(const MaskImage * mask)
{
  std::vector<itk::Point<double, 3>> points;
  itk::ImageRegionConstIteratorWithIndex<MaskImage> it(mask, mask->GetLargestPossibleRegion());
  for (it.GoToBegin(); !it.IsAtEnd(); ++it)
  {
    const auto index = it.GetIndex();
    if (it.Get() == 0 || index[0] % 4 != 0 || index[1] % 4 != 0)
      continue;
    itk::Point<double, 3> point;
    mask->TransformIndexToPhysicalPoint(index, point);
    points.push_back(point);
  }
  return points;
}

int MakePair(const fs::path & dir, unsigned seed)
{
  fs::create_directories(dir);
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> magnitude(1.0, 3.0);
  std::uniform_int_distribution<int> sign(0, 1);
  auto draw = [&] { return (sign(random) ? 1.0 : -1.0) * magnitude(random); };
  const std::array<double, 3> angles{ draw(), draw(), draw() };
  const std::array<double, 3> shift{ draw(), draw(), draw() };
  const std::array<double, 3> centre{ draw() * 5, draw() * 5, draw() * 5 };
  const auto truth = test::MakeRigid(angles, shift, centre);

  test::HeadGrid fixedGrid; // clinical T2 TSE: 0.45 x 0.45 in-plane, 5 mm slices
  fixedGrid.spacing = { 0.45, 0.45, 5.0 };
  fixedGrid.size = { 512, 512, 30 };
  fixedGrid.subSamples = { 1, 1, 5 };
  test::HeadGrid movingGrid;
  const bool flair = seed % 2 == 1;
  const double inPlane = flair ? 1.8 : 2.0; // FLAIR 1.8 mm, DWI b0 2 mm
  movingGrid.spacing = { inPlane, inPlane, 5.0 };
  movingGrid.size = { flair ? 128u : 115u, flair ? 128u : 115u, 30 };
  movingGrid.offsetMm = { 0.9, -0.9, 2.5 }; // other slice positions than the T2
  movingGrid.subSamples = { 2, 2, 5 };

  const auto fixed = test::MakeHead(fixedGrid, test::kT2, nullptr, 0.02, seed * 2 + 1);
  // DWI b0 is T2-weighted with lower SNR.
  const auto moving =
    test::MakeHead(movingGrid, flair ? test::kFlair : test::kT2, truth, flair ? 0.02 : 0.05, seed * 2 + 2);
  const auto fixedMask = test::MakeIntracranialMask(fixedGrid);
  const auto movingMask = test::MakeIntracranialMask(movingGrid, truth);
  Write(fixed.GetPointer(), dir / "fixed.nii.gz");
  Write(moving.GetPointer(), dir / "moving.nii.gz");
  Write(fixedMask.GetPointer(), dir / "fixed_mask.nii.gz");
  Write(movingMask.GetPointer(), dir / "moving_mask.nii.gz");
  icanscan::filters::WriteTransform(truth, dir / "truth.tfm");

  const auto points = BrainPoints(fixedMask);
  std::ofstream out(dir / "points.txt");
  out << "point\n" << points.size() << "\n";
  out.precision(10);
  for (const auto & p : points)
    out << p[0] << " " << p[1] << " " << p[2] << "\n";
  std::cout << "pair " << dir.string() << " moving " << (flair ? "FLAIR" : "b0") << " motion deg " << angles[0] << " "
            << angles[1] << " " << angles[2] << " mm " << shift[0] << " " << shift[1] << " " << shift[2] << "\n";
  return 0;
}

int Register(const fs::path & dir)
{
  const auto fixed = Read<FloatImage>(dir / "fixed.nii.gz");
  const auto moving = Read<FloatImage>(dir / "moving.nii.gz");
  const auto fixedMask = Read<MaskImage>(dir / "fixed_mask.nii.gz");
  const auto result = icanscan::filters::RegisterRigid(fixed, moving, fixedMask, nullptr);
  icanscan::filters::WriteTransform(result.transform, dir / "ours.tfm");
  std::cout << "seconds " << result.seconds << "\n";
  return 0;
}

int Tre(const fs::path & dir, const fs::path & file)
{
  const auto truth = icanscan::filters::ReadRigidTransform(dir / "truth.tfm");
  const auto points = BrainPoints(Read<MaskImage>(dir / "fixed_mask.nii.gz"));
  std::vector<itk::Point<double, 3>> mapped;
  if (file.extension() == ".tfm")
  {
    const auto recovered = icanscan::filters::ReadRigidTransform(file);
    for (const auto & p : points)
      mapped.push_back(recovered->TransformPoint(p));
  }
  else
  {
    // transformix: "... ; OutputPoint = [ x y z ] ; ..." per input point, in input order.
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
    {
      const auto at = line.find("OutputPoint = [");
      if (at == std::string::npos)
        continue;
      std::istringstream values(line.substr(at + 15));
      itk::Point<double, 3> p;
      values >> p[0] >> p[1] >> p[2];
      mapped.push_back(p);
    }
  }
  if (mapped.size() != points.size())
  {
    std::cerr << "tre: " << mapped.size() << " mapped points for " << points.size() << " brain points\n";
    return 1;
  }
  double sum = 0;
  for (std::size_t i = 0; i < points.size(); ++i)
    sum += mapped[i].EuclideanDistanceTo(truth->TransformPoint(points[i]));
  std::cout << "tre_mm " << sum / static_cast<double>(points.size()) << "\n";
  return 0;
}
} // namespace

int main(int argc, char ** argv)
{
  const std::vector<std::string> args(argv + 1, argv + argc);
  try
  {
    if (args.size() == 3 && args[0] == "make-pair")
      return MakePair(args[1], static_cast<unsigned>(std::stoul(args[2])));
    if (args.size() == 2 && args[0] == "register")
      return Register(args[1]);
    if (args.size() == 3 && args[0] == "tre")
      return Tre(args[1], args[2]);
  }
  catch (const std::exception & e)
  {
    std::cerr << "icanscan_bench_rigid: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: icanscan_bench_rigid make-pair DIR SEED | register DIR | tre DIR FILE\n";
  return 2;
}
