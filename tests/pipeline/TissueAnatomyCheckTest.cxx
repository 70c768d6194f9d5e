// CheckTissueAgainstAnatomy (pipeline/geometry/TissueAnatomyCheck): intensity tissue classes are kept while they
// describe the anatomy, and grey/white matter are taken from the atlas when the white-matter class has lost most of
// the atlas's white matter (diffuse white-matter hyperintensity).
#include "pipeline/geometry/TissueAnatomyCheck.h"

#include "core/Error.h"

#include <gtest/gtest.h>

namespace
{
using Image = itk::Image<unsigned char, 3>;
using icanscan::pipeline::CheckTissueAgainstAnatomy;
using icanscan::pipeline::TissueAnatomyParams;
constexpr unsigned char kCsf = 1, kGm = 2, kWm = 3;

Image::Pointer Filled(unsigned char value, unsigned size = 10)
{
  auto image = Image::New();
  Image::SizeType s;
  s.Fill(size);
  image->SetRegions(Image::RegionType(s));
  image->Allocate();
  image->FillBuffer(value);
  return image;
}

/** Atlas: voxels 0-499 white matter, 500-899 grey matter, 900-999 CSF; brain everywhere but voxel 999. */
struct Scene
{
  Image::Pointer atlas = Filled(kWm);
  Image::Pointer brain = Filled(1);
  Image::Pointer tissue = Filled(kWm);
  Scene()
  {
    for (std::size_t i = 500; i < 1000; ++i)
    {
      atlas->GetBufferPointer()[i] = i < 900 ? kGm : kCsf;
      tissue->GetBufferPointer()[i] = i < 900 ? kGm : kCsf;
    }
    brain->GetBufferPointer()[999] = 0;
  }
  unsigned char & At(std::size_t i) { return tissue->GetBufferPointer()[i]; }
};

TEST(TissueAnatomyCheck, ClassesThatDescribeTheAnatomyAreKept)
{
  Scene scene;
  for (std::size_t i = 0; i < 100; ++i) // a fifth of the white matter hyperintense: a focal lesion takes the GM class
    scene.At(i) = kGm;
  const auto check = CheckTissueAgainstAnatomy(scene.tissue, scene.atlas, scene.brain);
  EXPECT_DOUBLE_EQ(check.whiteMatterAgreement, 0.8);
  EXPECT_FALSE(check.anatomyUsed);
  EXPECT_EQ(scene.At(0), kGm); // unchanged
  EXPECT_NE(check.note.find("80 %"), std::string::npos) << check.note;
}

TEST(TissueAnatomyCheck, MostlyHyperintenseWhiteMatterIsNamedByTheAtlas)
{
  Scene scene;
  for (std::size_t i = 0; i < 400; ++i) // four fifths of the white matter hyperintense
    scene.At(i) = kGm;
  for (std::size_t i = 500; i < 700; ++i) // and the cortex took the white-matter class
    scene.At(i) = kWm;
  scene.At(450) = kCsf; // a CSF voxel inside the atlas's white matter (a larger ventricle)
  scene.At(950) = kGm;  // tissue where the atlas has CSF (a smaller sulcus)
  scene.At(999) = kGm;  // outside the brain
  TissueAnatomyParams noMargin;
  noMargin.whiteMatterMarginMm = 0;
  const auto check = CheckTissueAgainstAnatomy(scene.tissue, scene.atlas, scene.brain, noMargin);
  EXPECT_NEAR(check.whiteMatterAgreement, 99.0 / 500.0, 1e-12);
  ASSERT_TRUE(check.anatomyUsed);
  for (std::size_t i = 0; i < 400; ++i)
    ASSERT_EQ(scene.At(i), kWm) << i;
  for (std::size_t i = 500; i < 700; ++i)
    ASSERT_EQ(scene.At(i), kGm) << i;
  EXPECT_EQ(scene.At(450), kCsf); // CSF stays by intensity
  EXPECT_EQ(scene.At(950), kGm);  // the atlas names grey and white matter only
  EXPECT_EQ(scene.At(999), kGm);  // outside the brain: untouched
  EXPECT_NE(check.note.find("taken from the atlas"), std::string::npos) << check.note;
}

TEST(TissueAnatomyCheck, TheAgreementMustFallBelowTheSetting)
{
  Scene scene;
  for (std::size_t i = 0; i < 250; ++i) // exactly half
    scene.At(i) = kGm;
  EXPECT_FALSE(CheckTissueAgainstAnatomy(scene.tissue, scene.atlas, scene.brain).anatomyUsed);
  TissueAnatomyParams stricter;
  stricter.minWhiteMatterAgreement = 0.6;
  stricter.whiteMatterMarginMm = 0;
  EXPECT_TRUE(CheckTissueAgainstAnatomy(scene.tissue, scene.atlas, scene.brain, stricter).anatomyUsed);
  EXPECT_EQ(scene.At(0), kWm);
}

/** Near the atlas's white-matter border the intensity class stays: the registration may have put cortex there. */
TEST(TissueAnatomyCheck, WhiteMatterOnlyDeepInsideTheAtlasWhiteMatter)
{
  Scene scene; // atlas white matter: slices z 0-4 of the 10 x 10 x 10 grid (1 mm voxels)
  for (std::size_t i = 0; i < 500; ++i)
    scene.At(i) = kGm;
  TissueAnatomyParams params;
  params.whiteMatterMarginMm = 2.0;
  ASSERT_TRUE(CheckTissueAgainstAnatomy(scene.tissue, scene.atlas, scene.brain, params).anatomyUsed);
  const auto at = [&](unsigned x, unsigned y, unsigned z) { return scene.At(x + 10 * y + 100 * z); };
  EXPECT_EQ(at(5, 5, 2), kWm); // 2 mm or more from grey matter (z 5) and from the grid's edge
  EXPECT_EQ(at(5, 5, 4), kGm); // 1 mm from the atlas's grey matter: the intensity class stays
  EXPECT_EQ(at(0, 5, 2), kGm); // at the edge of the imaged brain
}

TEST(TissueAnatomyCheck, ImagesOnAnotherGridAreRefused)
{
  Scene scene;
  const auto small = Filled(kWm, 9);
  EXPECT_THROW(CheckTissueAgainstAnatomy(scene.tissue, small, scene.brain), icanscan::InputError);
  EXPECT_THROW(CheckTissueAgainstAnatomy(nullptr, scene.atlas, scene.brain), icanscan::InputError);
}

} // namespace
