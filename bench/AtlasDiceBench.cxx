// Atlas registration accuracy on another anatomy (not a test): registers the program's atlas image to a template
// of a different anatomy and reports Dice of propagated labels against that template's own labels.
// Usage: icanscan_bench_atlas ATLAS_T1 ATLAS_LABELS SUBJECT SUBJECT_LABELS "a1:s1,a2:s2,..." [--affine-only]
//        icanscan_bench_atlas --dice-only WARPED_LABELS SUBJECT_LABELS "a1:s1,..."  (for the elastix peer)

#include "filters/AtlasRegistration.h"

#include "itkImageFileReader.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace
{
using Image = itk::Image<float, 3>;
using Labels = itk::Image<short, 3>;

template<typename T>
typename T::Pointer Read(const std::string & path)
{
  auto reader = itk::ImageFileReader<T>::New();
  reader->SetFileName(path);
  reader->Update();
  return reader->GetOutput();
}
} // namespace

/** Prints Dice of label pairs "a:s,..." between a propagated label map and the subject's labels (same grid). */
void PrintDice(const Labels * warped, const Labels * subject, const std::string & pairsText)
{
  std::stringstream pairs(pairsText);
  std::string pair;
  while (std::getline(pairs, pair, ','))
  {
    const auto colon = pair.find(':');
    const short a = static_cast<short>(std::stoi(pair.substr(0, colon)));
    const short s = static_cast<short>(std::stoi(pair.substr(colon + 1)));
    std::size_t both = 0, inA = 0, inS = 0;
    for (std::size_t i = 0; i < warped->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    {
      const bool x = warped->GetBufferPointer()[i] == a, y = subject->GetBufferPointer()[i] == s;
      both += x && y;
      inA += x;
      inS += y;
    }
    std::cout << "atlas " << a << " vs subject " << s << ": Dice " << (2.0 * both / std::max<std::size_t>(1, inA + inS))
              << "\n";
  }
}

int main(int argc, char ** argv)
{
  if (argc == 5 && std::string(argv[1]) == "--dice-only")
  {
    PrintDice(Read<Labels>(argv[2]), Read<Labels>(argv[3]), argv[4]);
    return 0;
  }
  if (argc < 6)
  {
    std::cerr << "usage: " << argv[0] << " ATLAS_T1 ATLAS_LABELS SUBJECT SUBJECT_LABELS a:s,... [--affine-only]\n";
    return 2;
  }
  itk::Object::SetGlobalWarningDisplay(false);
  const auto atlas = Read<Image>(argv[1]);
  const auto atlasLabels = Read<Labels>(argv[2]);
  const auto subject = Read<Image>(argv[3]);
  const auto subjectLabels = Read<Labels>(argv[4]);
  icanscan::filters::AtlasRegistrationParams params;
  params.deformable = !(argc > 6 && std::string(argv[6]) == "--affine-only");
  // Experiment knobs (environment), so parameter studies need no rebuild.
  if (const char * v = std::getenv("BENCH_WORKING_MM"))
    params.workingSpacingMm = std::atof(v);
  if (const char * v = std::getenv("BENCH_BSPLINE_SAMPLES"))
    params.bsplineSamples = static_cast<unsigned>(std::atoi(v));
  if (const char * v = std::getenv("BENCH_AFFINE_SAMPLES"))
    params.affineSamples = static_cast<unsigned>(std::atoi(v));
  if (std::getenv("BENCH_THREADED"))
    params.deterministic = false;
  if (const char * v = std::getenv("BENCH_BINS"))
    params.histogramBins = static_cast<unsigned>(std::atoi(v));
  if (const char * v = std::getenv("BENCH_GRID_MM"))
    params.bsplineInitialGridSpacingMm = std::atof(v);
  if (const char * v = std::getenv("BENCH_LEVELS"))
  {
    const unsigned levels = static_cast<unsigned>(std::atoi(v));
    params.bsplineShrinkFactors.assign(levels, 1);
    params.bsplineShrinkFactors[0] = 2;
    params.bsplineSmoothingVoxels.assign(levels, 0);
    params.bsplineSmoothingVoxels[0] = 1;
    params.bsplineIterations.assign(levels, 40);
  }
  if (const char * v = std::getenv("BENCH_ITERATIONS")) // e.g. 30,30,25
  {
    params.bsplineIterations.clear();
    for (const char * c = v; *c; ++c)
      if (c == v || c[-1] == ',')
        params.bsplineIterations.push_back(static_cast<unsigned>(std::atoi(c)));
  }
  if (const char * v = std::getenv("BENCH_FINE_GRIDS_MM")) // e.g. 20,10; "" for no fine level
  {
    const auto level = params.fineLevels.empty() ? icanscan::filters::StochasticBSplineParams{} : params.fineLevels[0];
    params.fineLevels.clear();
    for (const char * c = v; *c; ++c)
      if (c == v || c[-1] == ',')
      {
        params.fineLevels.push_back(level);
        params.fineLevels.back().gridSpacingMm = std::atof(c);
      }
  }
  for (auto & level : params.fineLevels)
  {
    if (const char * v = std::getenv("BENCH_FINE_ITERATIONS"))
      level.iterations = static_cast<unsigned>(std::atoi(v));
    if (const char * v = std::getenv("BENCH_FINE_SAMPLES"))
      level.samples = static_cast<unsigned>(std::atoi(v));
    if (const char * v = std::getenv("BENCH_FINE_STEP_MM"))
      level.maxStepMm = std::atof(v);
  }
  const auto result = icanscan::filters::RegisterAtlas(subject, atlas, nullptr, params);

  auto resampler = itk::ResampleImageFilter<Labels, Labels>::New();
  resampler->SetInput(atlasLabels);
  resampler->SetTransform(result.transform);
  resampler->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<Labels, double>::New());
  resampler->UseReferenceImageOn();
  resampler->SetReferenceImage(subjectLabels);
  resampler->Update();
  const Labels * warped = resampler->GetOutput();

  std::cout << "registration " << result.seconds << " s, affine MI " << result.affineMetric << ", final MI "
            << result.finalMetric;
  for (const auto & [before, after] : result.fineMetrics)
    std::cout << ", fine level MI " << before << " -> " << after;
  std::cout << "\n";
  PrintDice(warped, subjectLabels, argv[5]);
  return 0;
}
