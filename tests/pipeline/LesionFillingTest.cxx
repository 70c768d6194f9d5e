#include "pipeline/baseline/LesionFilling.h"

#include "core/Error.h"
#include "core/Structures.h"

#include <gtest/gtest.h>

namespace
{
using icanscan::Structure;
using icanscan::filters::ByteLabelImage;
using icanscan::filters::FloatImage;
using icanscan::pipeline::FillLesions;
using icanscan::pipeline::MeasureStructureLevels;
using icanscan::pipeline::NormalLevelsForFilling;
using icanscan::pipeline::StructureLevels;

constexpr auto kThalamus = static_cast<unsigned char>(Structure::ThalamusLeft);
constexpr auto kHippocampus = static_cast<unsigned char>(Structure::HippocampusLeft);
constexpr auto kWmLeft = static_cast<unsigned char>(Structure::WhiteMatterLeft);
constexpr auto kWmRight = static_cast<unsigned char>(Structure::WhiteMatterRight);

template<typename T>
typename itk::Image<T, 3>::Pointer Blank(unsigned size = 10)
{
  auto image = itk::Image<T, 3>::New();
  typename itk::Image<T, 3>::RegionType region;
  region.SetSize({ size, size, size });
  image->SetRegions(region);
  image->Allocate(true);
  return image;
}

/** Ten voxels of thalamus at 100..109 (offsets 0-9), of which the first four are lesion. */
TEST(LesionFilling, StructureLevelsAreMediansOutsideTheExcludedVoxels)
{
  auto image = Blank<float>();
  auto labels = Blank<unsigned char>();
  auto lesion = Blank<unsigned char>();
  for (unsigned i = 0; i < 10; ++i)
  {
    image->GetBufferPointer()[i] = 100.0f + static_cast<float>(i);
    labels->GetBufferPointer()[i] = kThalamus;
    lesion->GetBufferPointer()[i] = i < 4 ? 1 : 0;
  }
  const auto all = MeasureStructureLevels(image, labels, nullptr);
  EXPECT_DOUBLE_EQ(all.outsideFraction.at(kThalamus), 1.0);
  EXPECT_NEAR(all.median.at(kThalamus), 104.5, 0.51); // the median of 100..109
  const auto outside = MeasureStructureLevels(image, labels, lesion);
  EXPECT_DOUBLE_EQ(outside.outsideFraction.at(kThalamus), 0.6);
  EXPECT_NEAR(outside.median.at(kThalamus), 106.5, 0.51); // the median of 104..109
  EXPECT_FALSE(outside.median.count(kHippocampus));
}

StructureLevels Levels(std::map<unsigned char, double> median, std::map<unsigned char, double> fraction)
{
  return StructureLevels{ std::move(median), std::move(fraction) };
}

TEST(LesionFilling, AStructureMostlyOutsideItsLesionsKeepsItsOwnLevel)
{
  const auto followup = Levels({ { kThalamus, 130 }, { kWmLeft, 110 } }, { { kThalamus, 0.3 }, { kWmLeft, 1.0 } });
  const auto baseline = Levels({ { kThalamus, 150 }, { kWmLeft, 100 } }, { { kThalamus, 1.0 }, { kWmLeft, 1.0 } });
  const auto levels = NormalLevelsForFilling(followup, baseline);
  EXPECT_DOUBLE_EQ(levels.at(kThalamus), 130.0);
  EXPECT_DOUBLE_EQ(levels.at(kWmLeft), 110.0);
}

TEST(LesionFilling, AStructureMostlyLesionTakesTheBaselineLevelScaledByTheWhiteMatter)
{
  const auto followup = Levels({ { kThalamus, 300 }, { kWmLeft, 108 }, { kWmRight, 112 } },
                               { { kThalamus, 0.1 }, { kWmLeft, 1.0 }, { kWmRight, 1.0 }, { kHippocampus, 0.0 } });
  const auto baseline = Levels({ { kThalamus, 150 }, { kWmLeft, 100 }, { kWmRight, 100 } },
                               { { kThalamus, 1.0 }, { kWmLeft, 1.0 }, { kWmRight, 1.0 } });
  const auto levels = NormalLevelsForFilling(followup, baseline);
  EXPECT_DOUBLE_EQ(levels.at(kThalamus), 150.0 * 110.0 / 100.0); // not its own lesional 300
  EXPECT_FALSE(levels.count(kHippocampus)) << "neither scan gives a level: left unfilled";
  // Without white matter in the baseline the scans cannot be put on one scale: no level from the baseline.
  const auto unscaled = NormalLevelsForFilling(followup, Levels({ { kThalamus, 150 } }, { { kThalamus, 1.0 } }));
  EXPECT_FALSE(unscaled.count(kThalamus));
}

TEST(LesionFilling, EachComponentTakesTheLevelOfTheStructureHoldingMostOfIt)
{
  auto image = Blank<float>();
  auto labels = Blank<unsigned char>();
  auto lesions = Blank<unsigned char>();
  // Component A: x 0..4 of row (y 0, z 0); three voxels in the thalamus, two past it in the white matter.
  for (unsigned x = 0; x < 5; ++x)
  {
    image->SetPixel({ { x, 0, 0 } }, 300.0f);
    lesions->SetPixel({ { x, 0, 0 } }, 1);
    labels->SetPixel({ { x, 0, 0 } }, x < 3 ? kThalamus : kWmLeft);
  }
  // Component B, apart from A: two voxels of hippocampus, which has no level.
  for (unsigned x = 0; x < 2; ++x)
  {
    image->SetPixel({ { x, 5, 5 } }, 280.0f);
    lesions->SetPixel({ { x, 5, 5 } }, 1);
    labels->SetPixel({ { x, 5, 5 } }, kHippocampus);
  }
  image->SetPixel({ { 8, 8, 8 } }, 42.0f); // not lesion: untouched
  const auto filled = FillLesions(image, lesions, labels, { { kThalamus, 150.0 }, { kWmLeft, 100.0 } });
  for (unsigned x = 0; x < 5; ++x)
  {
    EXPECT_FLOAT_EQ(filled.image->GetPixel({ { x, 0, 0 } }), 150.0f) << x; // white-matter part too: one component
    EXPECT_EQ(filled.unfilled->GetPixel({ { x, 0, 0 } }), 0);
  }
  for (unsigned x = 0; x < 2; ++x)
  {
    EXPECT_FLOAT_EQ(filled.image->GetPixel({ { x, 5, 5 } }), 280.0f);
    EXPECT_EQ(filled.unfilled->GetPixel({ { x, 5, 5 } }), 1);
  }
  EXPECT_FLOAT_EQ(filled.image->GetPixel({ { 8, 8, 8 } }), 42.0f);
  EXPECT_FLOAT_EQ(image->GetPixel({ { 0, 0, 0 } }), 300.0f) << "the input is not changed";
}

TEST(LesionFilling, CsfInTheMaskIsKeptAndTheRimsLesionPartIsFilled)
{
  // One row (1 mm voxels): lesion x 0..4 (thalamus x 0..2, level 300); x 4 closer to CSF (700) than to the lesion
  // (600 > 500, the midpoint). Outside it x 5 darker than the surrounding tissue (90 < 100), x 6 half lesion half
  // surround (200 between 100 and 300), 2 mm from the lesion; x 7 the same signal 3 mm away, beyond the 2 mm rim.
  auto image = Blank<float>();
  auto labels = Blank<unsigned char>();
  auto lesions = Blank<unsigned char>();
  const float row[] = { 300, 300, 300, 300, 600, 90, 200, 200 };
  for (unsigned x = 0; x < 8; ++x)
  {
    image->SetPixel({ { x, 0, 0 } }, row[x]);
    lesions->SetPixel({ { x, 0, 0 } }, x < 5 ? 1 : 0);
    labels->SetPixel({ { x, 0, 0 } }, x < 3 ? kThalamus : kWmLeft);
  }
  icanscan::pipeline::FillOptions options;
  options.csfLevel = 700;
  options.rimWidthMm = 2.0;
  options.surroundLevel = 100;
  const auto filled = FillLesions(image, lesions, labels, { { kThalamus, 150.0 } }, options);
  const float expected[] = { 150, 150, 150, 150, 600, 90, 125, 200 };
  for (unsigned x = 0; x < 8; ++x)
    EXPECT_FLOAT_EQ(filled.image->GetPixel({ { x, 0, 0 } }), expected[x]) << x;
  EXPECT_EQ(filled.filled->GetPixel({ { 4, 0, 0 } }), 1) << "in the mask, though kept";
  EXPECT_EQ(filled.filled->GetPixel({ { 6, 0, 0 } }), 0) << "the rim is not lesion";
  // Without a CSF level (FLAIR: CSF dark) a voxel brighter than the lesion is lesion: filled.
  options.csfLevel = 0;
  EXPECT_FLOAT_EQ(
    FillLesions(image, lesions, labels, { { kThalamus, 150.0 } }, options).image->GetPixel({ { 4, 0, 0 } }), 150.0f);
  // Without a rim the voxels outside the mask keep their signal.
  options.rimWidthMm = 0;
  EXPECT_FLOAT_EQ(
    FillLesions(image, lesions, labels, { { kThalamus, 150.0 } }, options).image->GetPixel({ { 6, 0, 0 } }), 200.0f);
}

TEST(LesionFilling, ImagesOnDifferentGridsAreAnInputError)
{
  auto image = Blank<float>(10);
  auto labels = Blank<unsigned char>(9);
  EXPECT_THROW(MeasureStructureLevels(image, labels, nullptr), icanscan::InputError);
  EXPECT_THROW(FillLesions(image, labels, labels, {}), icanscan::InputError);
}

} // namespace
