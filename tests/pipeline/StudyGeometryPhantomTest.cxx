// End to end on phantom studies: rigid target registration error against the known series motion, and structure
// Dice against the phantom's truth labels. Phantom anatomy is the atlas's own (warped), so this Dice is an upper
// bound, reported separately from the other-anatomy measurement (AtlasSegmentationTest).

#include "pipeline/geometry/StudyGeometryStage.h"

#include "core/Error.h"
#include "synthetic/PhantomStudyWriter.h"

#include "itkImageFileReader.h"
#include "itkImageRegionConstIteratorWithIndex.h"
#include "itkTransformFileReader.h"

#include <gtest/gtest.h>

#include <iostream>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;
using Mask = itk::Image<unsigned char, 3>;

itk::Transform<double, 3, 3>::Pointer ReadTransform(const fs::path & file)
{
  auto reader = itk::TransformFileReaderTemplate<double>::New();
  reader->SetFileName(file.string());
  reader->Update();
  return dynamic_cast<itk::Transform<double, 3, 3> *>(reader->GetTransformList()->front().GetPointer());
}

/** Mean distance between where two transforms send the brain voxels of `mask` (mm). */
double TargetRegistrationError(const itk::Transform<double, 3, 3> * a,
                               const itk::Transform<double, 3, 3> * b,
                               const Mask * mask)
{
  double sum = 0;
  std::size_t n = 0;
  itk::ImageRegionConstIteratorWithIndex<Mask> it(mask, mask->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it)
  {
    if (!it.Get())
      continue;
    itk::Point<double, 3> p;
    mask->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    sum += a->TransformPoint(p).EuclideanDistanceTo(b->TransformPoint(p));
    ++n;
  }
  return n ? sum / n : 1e9;
}

double Dice(const Mask * a, const Mask * b, unsigned char value)
{
  std::size_t both = 0, inA = 0, inB = 0;
  for (std::size_t i = 0; i < a->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
  {
    const bool x = a->GetBufferPointer()[i] == value, y = b->GetBufferPointer()[i] == value;
    both += x && y;
    inA += x;
    inB += y;
  }
  return inA + inB ? 2.0 * both / (inA + inB) : 0.0;
}

class StudyGeometryPhantomTest : public ::testing::TestWithParam<const char *>
{
protected:
  static void SetUpTestSuite()
  {
    try
    {
      s_Atlas = pipeline::LoadAtlas();
      s_HaveAtlas = true;
    }
    catch (const ConfigError &)
    {
    }
  }
  static pipeline::Atlas s_Atlas;
  static bool s_HaveAtlas;
};
pipeline::Atlas StudyGeometryPhantomTest::s_Atlas;
bool StudyGeometryPhantomTest::s_HaveAtlas = false;

TEST_P(StudyGeometryPhantomTest, RigidErrorBelowOneMillimetreAndStructuresFound)
{
  if (!s_HaveAtlas)
    GTEST_SKIP() << "program atlas absent (Debian package mricron-data): skipped";
  const fs::path folder =
    fs::temp_directory_path() / ("icanscan-geometry-" + std::string(GetParam()) + "-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  synthetic::PhantomParams params;
  params.caseName = GetParam();
  params.seed = 5;
  params.matrixScale = 0.5;
  const auto studies = synthetic::PhantomStudyWriter(s_Atlas).Write(params, folder);
  ASSERT_EQ(studies.size(), 1u);
  const auto & study = studies.front();

  const auto index = dicom::BuildStudyIndex(study.folder / "dicom");
  const auto geometry = pipeline::StudyGeometryStage({}).Run(index, s_Atlas);
  EXPECT_EQ(geometry.referenceRole, "T2");

  auto reader = itk::ImageFileReader<Mask>::New();
  reader->SetFileName((study.folder / "truth/labels.nii.gz").string());
  reader->Update();
  const Mask * truth = reader->GetOutput();
  auto brain = Mask::New();
  brain->CopyInformation(truth);
  brain->SetRegions(truth->GetLargestPossibleRegion());
  brain->Allocate();
  for (std::size_t i = 0; i < truth->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    brain->GetBufferPointer()[i] = truth->GetBufferPointer()[i] != 0;

  std::size_t checked = 0;
  for (const auto & registration : geometry.registrations)
  {
    const std::string role = registration.role == "DWI_b0" ? "DWI" : registration.role;
    for (const auto & series : study.series)
    {
      if (series.role != role)
        continue;
      const auto truthTransform = ReadTransform(series.transformFile);
      const double tre = TargetRegistrationError(registration.transform, truthTransform, brain);
      std::cout << "[ tre      ] " << GetParam() << " " << registration.role << " " << tre << " mm, QC "
                << filters::ToString(registration.qc.verdict) << "\n";
      EXPECT_LT(tre, 1.0) << registration.role;
      EXPECT_NE(registration.qc.verdict, filters::QcVerdict::Failed) << registration.role;
      ++checked;
    }
  }
  EXPECT_GE(checked, 3u) << "FLAIR, DWI and ADC must all be registered";

  // Labels are on the T2 grid, as the truth: compare directly (an upper bound: same anatomy as the atlas).
  ASSERT_EQ(geometry.segmentation.labels->GetLargestPossibleRegion().GetSize(),
            truth->GetLargestPossibleRegion().GetSize());
  const double thalamusLeft = Dice(geometry.segmentation.labels, truth, 1);
  const double thalamusRight = Dice(geometry.segmentation.labels, truth, 2);
  const double splenium = Dice(geometry.segmentation.labels, truth, 9);
  std::cout << "[ dice     ] " << GetParam() << " thalamus " << thalamusLeft << " / " << thalamusRight << ", splenium "
            << splenium << ", hippocampus " << Dice(geometry.segmentation.labels, truth, 3) << " / "
            << Dice(geometry.segmentation.labels, truth, 4) << ", atlas registration " << geometry.segmentation.seconds
            << " s\n";
  // Swollen thalami or a pushed hemisphere pull the registration less than the anatomy moved: reported separately,
  // with the floor this method reliably reaches there (0.82 / 0.81 on thalamic_bilateral, seed 5; elastix was
  // measured at ~0.62 on such studies). Normal anatomy must reach the floor.
  const double floor = std::string(GetParam()) == "normal" ? 0.75 : 0.65;
  EXPECT_GT(thalamusLeft, floor);
  EXPECT_GT(thalamusRight, floor);
  fs::remove_all(folder);
}

INSTANTIATE_TEST_SUITE_P(Cases,
                         StudyGeometryPhantomTest,
                         ::testing::Values("normal", "thalamic_bilateral", "focal_oedema"));
} // namespace
