#include "filters/TissueClassifier.h"

#include "core/Error.h"

#include <gtest/gtest.h>

#include <random>

namespace
{
using namespace icanscan;
using filters::TissueIntensityImage;
using filters::TissueMaskImage;

template<typename TImage>
typename TImage::Pointer MakeImage(unsigned size)
{
  auto image = TImage::New();
  typename TImage::RegionType region;
  region.SetSize({ size, size, size });
  image->SetRegions(region);
  image->Allocate(true);
  return image;
}

/** Three slabs of known means (30, 90, 120) plus Gaussian noise inside a mask; a bright outlier outside the slabs. */
struct ThreeClassPhantom
{
  TissueIntensityImage::Pointer image = MakeImage<TissueIntensityImage>(30);
  TissueMaskImage::Pointer mask = MakeImage<TissueMaskImage>(30);
  std::vector<unsigned char> truth; // class per voxel (0 outside)

  explicit ThreeClassPhantom(double sigma, double unmaskedValue = 500.0)
  {
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, sigma);
    const std::size_t n = image->GetBufferedRegion().GetNumberOfPixels();
    truth.assign(n, 0);
    float * v = image->GetBufferPointer();
    unsigned char * m = mask->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i)
    {
      const std::size_t x = i % 30;
      if (x < 3)
      {
        v[i] = static_cast<float>(unmaskedValue); // outside the mask: must not matter
        continue;
      }
      const unsigned char c = x < 8 ? 1 : (x < 18 ? 2 : 3); // 5, 10 and 12 columns: unequal class sizes
      const double mean = c == 1 ? 30.0 : (c == 2 ? 90.0 : 120.0);
      v[i] = static_cast<float>(mean + noise(rng));
      m[i] = 1;
      truth[i] = c;
    }
  }
};

TEST(TissueClassifier, RecoversThreeClassesAndTheirMeans)
{
  ThreeClassPhantom phantom(4.0);
  const auto result = filters::ClassifyTissue(phantom.image, phantom.mask);
  ASSERT_EQ(result.means.size(), 3u);
  EXPECT_NEAR(result.means[0], 30.0, 1.0);
  EXPECT_NEAR(result.means[1], 90.0, 1.0);
  EXPECT_NEAR(result.means[2], 120.0, 1.0);
  ASSERT_EQ(result.thresholds.size(), 2u);
  EXPECT_NEAR(result.thresholds[1], 105.0, 1.0);
  std::size_t wrong = 0, outside = 0;
  const unsigned char * l = result.labels->GetBufferPointer();
  for (std::size_t i = 0; i < phantom.truth.size(); ++i)
  {
    wrong += phantom.truth[i] && l[i] != phantom.truth[i];
    outside += !phantom.truth[i] && l[i] != 0;
  }
  EXPECT_EQ(outside, 0u);
  EXPECT_LT(wrong, phantom.truth.size() / 200); // classes 15 and 30 sigma apart: almost no error
  EXPECT_EQ(result.counts[0] + result.counts[1] + result.counts[2], 27u * 30u * 30u);
  EXPECT_EQ(result.labels->GetOrigin(), phantom.image->GetOrigin());
}

TEST(TissueClassifier, TwoClassesSplitBetweenTheDarkAndTheBright)
{
  ThreeClassPhantom phantom(2.0);
  filters::TissueClassifierParams params;
  params.numberOfClasses = 2;
  const auto result = filters::ClassifyTissue(phantom.image, phantom.mask, params);
  ASSERT_EQ(result.means.size(), 2u);
  EXPECT_NEAR(result.means[0], 30.0, 1.0);
  EXPECT_GT(result.means[1], 95.0);
  EXPECT_LT(result.means[1], 115.0);
}

TEST(TissueClassifier, RejectsBadParametersAndInputs)
{
  ThreeClassPhantom phantom(2.0);
  filters::TissueClassifierParams params;
  params.numberOfClasses = 1;
  EXPECT_THROW(filters::ClassifyTissue(phantom.image, phantom.mask, params), ConfigError);
  params = {};
  params.outlierPercentile = 20.0;
  EXPECT_THROW(filters::ClassifyTissue(phantom.image, phantom.mask, params), ConfigError);
  EXPECT_THROW(filters::ClassifyTissue(nullptr, phantom.mask), InputError);
  auto empty = MakeImage<TissueMaskImage>(30);
  EXPECT_THROW(filters::ClassifyTissue(phantom.image, empty), InputError);
  auto otherGrid = MakeImage<TissueMaskImage>(20);
  EXPECT_THROW(filters::ClassifyTissue(phantom.image, otherGrid), InputError);
  auto shifted = MakeImage<TissueMaskImage>(30);
  shifted->FillBuffer(1);
  auto origin = shifted->GetOrigin();
  origin[0] = 1.0;
  shifted->SetOrigin(origin);
  EXPECT_THROW(filters::ClassifyTissue(phantom.image, shifted), InputError);
}

} // namespace
