// The real multiple-sclerosis case with an expert lesion mask (../shared/testdata/real/ms_ljubljana, cross-sectional
// patient 19: FLAIR + T2 registered to MNI, GOLD_STANDARD on the same grid): `icanscan run` with its default settings,
// nothing made for this case. Floors of the generalisation issue: T2/FLAIR lesion Dice >= 0.70 against the expert
// mask, and at most 1 ml of found lesion farther than 3 mm from it. CTest label `floors` (left out of
// scripts/test.sh until met); the figures are printed either way.
#include "CliRunner.h"

#include "filters/ImageSimilarity.h"
#include "filters/ImageTypes.h"
#include "filters/MaskMorphology.h"
#include "filters/Resample.h"

#include <gtest/gtest.h>

#include "itkImageFileReader.h"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using icanscan::filters::MaskImage;

fs::path Patient19()
{
  const char * env = std::getenv("ICANSCAN_TESTDATA");
  return fs::path(env ? env : "") / "real" / "ms_ljubljana" / "cross_sectional" / "MNI" / "patient19";
}

/** A mask file as 0/1: every voxel above 0.5 (the expert mask is stored as float in some releases). */
MaskImage::Pointer ReadMask(const fs::path & file)
{
  using FloatReader = itk::ImageFileReader<itk::Image<float, 3>>;
  auto reader = FloatReader::New();
  reader->SetFileName(file.string());
  reader->Update();
  const auto * values = reader->GetOutput();
  auto mask = MaskImage::New();
  mask->CopyInformation(values);
  mask->SetRegions(values->GetLargestPossibleRegion());
  mask->Allocate();
  const std::size_t n = values->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    mask->GetBufferPointer()[i] = values->GetBufferPointer()[i] > 0.5f ? 1 : 0;
  return mask;
}

double Millilitres(const MaskImage * mask)
{
  const auto s = mask->GetSpacing();
  std::size_t count = 0;
  const std::size_t n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    count += mask->GetBufferPointer()[i] != 0;
  return count * s[0] * s[1] * s[2] / 1000.0;
}

TEST(RealLesionFloors, MultipleSclerosisLesionsFoundAsTheExpertDrewThem)
{
  const fs::path data = Patient19();
  const fs::path flair = data / "FLAIR_N4_noneck_reduced_winsor_regtoFLAIR_brain_N4_regtoMNI.nii.gz";
  const fs::path t2 = data / "T2_N4_noneck_reduced_winsor_regtoFLAIR_brain_N4_regtoMNI.nii.gz";
  const fs::path expertFile = data / "GOLD_STANDARD_N4_noneck_reduced_winsor_regtoFLAIR_regtoMNI.nii.gz";
  if (!fs::exists(flair) || !fs::exists(t2) || !fs::exists(expertFile))
    GTEST_SKIP() << "real test data absent (ICANSCAN_TESTDATA): skipped";
  const fs::path root = fs::temp_directory_path() / ("icanscan_real_lesion_" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "study");
  fs::create_symlink(t2, root / "study" / "visit_T2w.nii.gz");
  fs::create_symlink(flair, root / "study" / "visit_FLAIR.nii.gz");
  const auto result = icanscan::test::RunIcanscan({ "run", (root / "study").string(), "-o", (root / "out").string() });
  ASSERT_EQ(result.code, 0) << result.err;

  const auto found = ReadMask(root / "out" / "volumes" / "lesion_t2flair.nii.gz");
  // The run writes its reference reoriented (same voxels, axes flipped): the expert mask is read onto that grid by
  // nearest neighbour, exact for a flip.
  const auto expert = icanscan::filters::ResampleMask(ReadMask(expertFile), found);
  const double dice = icanscan::filters::Dice(found, expert);
  const auto near = icanscan::filters::DilateMm(expert, 3.0);
  auto far = icanscan::filters::SelectValues(found, { 1 });
  const std::size_t n = far->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    far->GetBufferPointer()[i] &= static_cast<unsigned char>(near->GetBufferPointer()[i] == 0);
  const double farMl = Millilitres(far);
  // Where the misses lie: on a found lesion's boundary (within 1 mm of it: where the edge is drawn) or farther, in
  // lesions or parts of lesions not found.
  const auto foundGrown = icanscan::filters::DilateMm(found, 1.0);
  std::size_t missedAtEdge = 0, missedElsewhere = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (expert->GetBufferPointer()[i] && !found->GetBufferPointer()[i])
      ++(foundGrown->GetBufferPointer()[i] ? missedAtEdge : missedElsewhere);
  const double voxelMl = icanscan::filters::VoxelVolumeMl(found);
  std::cout << "real MS patient 19: found " << Millilitres(found) << " ml, expert " << Millilitres(expert)
            << " ml, Dice " << dice << ", " << farMl << " ml farther than 3 mm from the expert mask; missed "
            << missedAtEdge * voxelMl << " ml within 1 mm of a found lesion, " << missedElsewhere * voxelMl
            << " ml farther\n";
  EXPECT_GE(dice, 0.70);
  EXPECT_LE(farMl, 1.0);
  fs::remove_all(root);
}
} // namespace
