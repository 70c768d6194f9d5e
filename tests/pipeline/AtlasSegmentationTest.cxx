// Atlas segmentation measured on another anatomy: the MNI152NLin6 template (not Colin27) with its own
// Harvard-Oxford and JHU labels from ../shared/testdata. Same-anatomy phantoms would only give an upper bound.

#include "pipeline/geometry/AtlasSegmentationStage.h"

#include "core/Error.h"
#include "filters/Resample.h"
#include "pipeline/geometry/StructureLabels.h"

#include "itkImageFileReader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <iostream>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;
using Image = itk::Image<float, 3>;
using Mask = itk::Image<unsigned char, 3>;

template<typename T>
typename T::Pointer Read(const fs::path & path)
{
  auto reader = itk::ImageFileReader<T>::New();
  reader->SetFileName(path.string());
  reader->Update();
  return reader->GetOutput();
}

double Dice(const Mask * a, std::initializer_list<int> aValues, const Mask * b, std::initializer_list<int> bValues)
{
  std::size_t both = 0, inA = 0, inB = 0;
  const std::size_t n = a->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
  {
    bool x = false, y = false;
    for (int v : aValues)
      x = x || a->GetBufferPointer()[i] == v;
    for (int v : bValues)
      y = y || b->GetBufferPointer()[i] == v;
    both += x && y;
    inA += x;
    inB += y;
  }
  const auto sp = a->GetSpacing();
  std::cout << "[ volume   ] ours " << inA * sp[0] * sp[1] * sp[2] / 1000 << " ml, reference "
            << inB * sp[0] * sp[1] * sp[2] / 1000 << " ml, overlap " << both * sp[0] * sp[1] * sp[2] / 1000 << " ml\n";
  return inA + inB == 0 ? 0.0 : 2.0 * both / (inA + inB);
}

class AtlasSegmentationTest : public ::testing::Test
{
protected:
  static void SetUpTestSuite()
  {
    const char * env = std::getenv("ICANSCAN_TESTDATA");
    s_Data = env && *env ? fs::path(env) : fs::path();
    if (s_Data.empty() || !fs::exists(s_Data / "templates/mni152nlin6_neuroparc"))
      return;
    try
    {
      s_Atlas = pipeline::LoadAtlas();
      s_HaveAtlas = true;
    }
    catch (const ConfigError &)
    {
    }
  }
  void SetUp() override
  {
    if (s_Data.empty() || !fs::exists(s_Data / "templates/mni152nlin6_neuroparc"))
      GTEST_SKIP() << "real test data absent (ICANSCAN_TESTDATA): skipped";
    if (!s_HaveAtlas)
      GTEST_SKIP() << "program atlas absent (Debian package mricron-data): skipped";
  }

  /** Segments `subject` and reports Dice against Harvard-Oxford (thalamus, hippocampus) and JHU (corpus callosum),
   * both resampled onto the subject grid. */
  static Mask::Pointer HarvardOxford()
  {
    return Read<Mask>(
      s_Data / "atlases/neuroparc_mni152nlin6/HarvardOxfordsub-maxprob-thr25_space-MNI152NLin6_res-1x1x1.nii.gz");
  }

  /** T2 contrast from the template's own tissue map (CSF bright, WM dark). */
  static Image::Pointer TissueT2()
  {
    const auto tissue = Read<Mask>(s_Data / "atlases/neuroparc_mni152nlin6/Tissue_space-MNI152NLin6_res-1x1x1.nii.gz");
    auto t2 = Image::New();
    t2->CopyInformation(tissue);
    t2->SetRegions(tissue->GetLargestPossibleRegion());
    t2->Allocate();
    const float value[4] = { 0.0f, 1800.0f, 900.0f, 600.0f }; // background, CSF, GM, WM
    for (std::size_t i = 0; i < tissue->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
      t2->GetBufferPointer()[i] = value[std::min<int>(3, tissue->GetBufferPointer()[i])];
    return t2;
  }

  /** 0.9 x 0.9 x 5 mm axial slices with a slice profile (anti-aliased resampling), as a clinical 2D T2 arrives. */
  static Image::Pointer Clinical(const Image * image)
  {
    itk::Vector<double, 3> clinical;
    clinical[0] = 0.9;
    clinical[1] = 0.9;
    clinical[2] = 5.0;
    return filters::ResliceToSpacing(image, clinical);
  }

  /** Segments `subject`; Dice against `harvardOxford` (default: the template's own) and JHU, resampled onto it. */
  static std::map<std::string, double> Evaluate(const Image * subject,
                                                pipeline::SubjectContrast contrast,
                                                const Mask * harvardOxford = nullptr)
  {
    pipeline::AtlasSegmentationParams params;
    params.headPass = false; // the template is skull-stripped
    const auto result = pipeline::AtlasSegmentationStage(params).Run(subject, contrast, s_Atlas);
    const fs::path atlases = s_Data / "atlases/neuroparc_mni152nlin6";
    const auto ho = filters::ResampleMask(harvardOxford ? harvardOxford : HarvardOxford().GetPointer(), subject);
    const auto jhu = filters::ResampleMask(Read<Mask>(atlases / "JHU_space-MNI152NLin6_res-1x1x1.nii.gz"), subject);
    std::map<std::string, double> dice;
    dice["thalamus_left"] = Dice(result.labels, { 1 }, ho, { 4 });
    dice["thalamus_right"] = Dice(result.labels, { 2 }, ho, { 15 });
    dice["hippocampus_left"] = Dice(result.labels, { 3 }, ho, { 9 });
    dice["hippocampus_right"] = Dice(result.labels, { 4 }, ho, { 19 });
    dice["corpus_callosum"] = Dice(result.labels, { 7, 8, 9 }, jhu, { 3, 4, 5 });
    dice["genu"] = Dice(result.labels, { 7 }, jhu, { 3 });
    dice["body"] = Dice(result.labels, { 8 }, jhu, { 4 });
    dice["splenium"] = Dice(result.labels, { 9 }, jhu, { 5 });
    dice["lateral_ventricles"] = Dice(result.labels, { 14 }, ho, { 3, 14 });
    dice["seconds"] = result.seconds;
    for (const auto & [k, v] : dice)
      std::cout << "[ dice     ] " << k << " " << v << "\n";
    return dice;
  }

  /** Measured with the B-spline levels of 60 (L-BFGS), 20 and 10 mm (stochastic, outliers left out): T1 1 mm
   * thalamus 0.80/0.79, hippocampus 0.67/0.68, corpus callosum 0.68; T2 5 mm thalamus 0.78/0.79, hippocampus
   * 0.63/0.65, corpus callosum 0.66 (docs/segmentation.md). */
  static void ExpectFloors(const std::map<std::string, double> & dice)
  {
    EXPECT_GE(dice.at("thalamus_left"), 0.75);
    EXPECT_GE(dice.at("thalamus_right"), 0.75);
    EXPECT_GE(dice.at("hippocampus_left"), 0.60);
    EXPECT_GE(dice.at("hippocampus_right"), 0.60);
    EXPECT_GE(dice.at("corpus_callosum"), 0.55);
  }

  static fs::path s_Data;
  static pipeline::Atlas s_Atlas;
  static bool s_HaveAtlas;
};
fs::path AtlasSegmentationTest::s_Data;
pipeline::Atlas AtlasSegmentationTest::s_Atlas;
bool AtlasSegmentationTest::s_HaveAtlas = false;

TEST_F(AtlasSegmentationTest, Mni152T1OneMillimetre)
{
  const auto subject =
    Read<Image>(s_Data / "templates/mni152nlin6_neuroparc/MNI152NLin6_res-1x1x1_T1w_descr-brain.nii.gz");
  ExpectFloors(Evaluate(subject, pipeline::SubjectContrast::T1));
}

TEST_F(AtlasSegmentationTest, Mni152T2ClinicalFiveMillimetreSlices)
{
  const auto subject = Clinical(TissueT2());
  ExpectFloors(Evaluate(subject, pipeline::SubjectContrast::T2));
}

/** ICANS thalami on another anatomy: each Harvard-Oxford thalamus swollen by about 20 % (a radial expansion by
 * 1.2^(1/3) within its equivalent-sphere radius, tapering to none 15 mm further out) and T2-hyperintense, on
 * 5 mm slices. Dice against the labels carried through the same swelling. */
TEST_F(AtlasSegmentationTest, Mni152T2SwollenHyperintenseThalami)
{
  const auto t2 = TissueT2();
  const auto ho = HarvardOxford();
  struct Swelling
  {
    itk::Point<double, 3> centre;
    double radius;
  };
  std::vector<Swelling> swellings;
  for (int label : { 4, 15 })
  {
    itk::Vector<double, 3> sum;
    sum.Fill(0);
    std::size_t count = 0;
    for (std::size_t i = 0; i < ho->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
      if (ho->GetBufferPointer()[i] == label)
      {
        itk::Point<double, 3> p;
        ho->TransformIndexToPhysicalPoint(ho->ComputeIndex(static_cast<itk::OffsetValueType>(i)), p);
        sum += p.GetVectorFromOrigin();
        ++count;
      }
    ASSERT_GT(count, 1000U);
    const auto sp = ho->GetSpacing();
    Swelling s;
    s.centre.Fill(0);
    s.centre += sum / static_cast<double>(count);
    s.radius = std::cbrt(3.0 * count * sp[0] * sp[1] * sp[2] / (4.0 * 3.14159265358979));
    swellings.push_back(s);
  }
  const double scale = std::cbrt(1.2);
  const double taper = 15.0;
  // Forward radial displacement u(r); the output voxel at radius R shows the source at r with r + u(r) = R.
  const auto displacement = [&](const Swelling & s, double r)
  {
    if (r <= s.radius)
      return (scale - 1) * r;
    if (r < s.radius + taper)
      return (scale - 1) * s.radius * (s.radius + taper - r) / taper;
    return 0.0;
  };
  auto swollenT2 = Image::New();
  swollenT2->CopyInformation(t2);
  swollenT2->SetRegions(t2->GetLargestPossibleRegion());
  swollenT2->Allocate();
  auto swollenHo = Mask::New();
  swollenHo->CopyInformation(ho);
  swollenHo->SetRegions(ho->GetLargestPossibleRegion());
  swollenHo->Allocate();
  swollenHo->FillBuffer(0);
  std::size_t before = 0, after = 0;
  for (std::size_t i = 0; i < t2->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
  {
    itk::Point<double, 3> p;
    t2->TransformIndexToPhysicalPoint(t2->ComputeIndex(static_cast<itk::OffsetValueType>(i)), p);
    for (const auto & s : swellings)
    {
      const auto v = p - s.centre;
      const double big = v.GetNorm();
      double r = big;
      for (int k = 0; k < 40; ++k) // contraction: |u'| < 1
        r = big - displacement(s, r);
      if (big > 0)
        p = s.centre + v * (r / big);
    }
    itk::Index<3> source;
    const bool inside = t2->TransformPhysicalPointToIndex(p, source);
    swollenT2->GetBufferPointer()[i] = inside ? t2->GetPixel(source) : 0.0f;
    const unsigned char label = inside ? ho->GetPixel(source) : 0;
    swollenHo->GetBufferPointer()[i] = label;
    before += ho->GetBufferPointer()[i] == 4 || ho->GetBufferPointer()[i] == 15;
    after += label == 4 || label == 15;
    if (label == 4 || label == 15)
      swollenT2->GetBufferPointer()[i] = 1300.0f; // T2-hyperintense: between grey matter (900) and CSF (1800)
  }
  std::cout << "[ swelling ] thalami " << 100.0 * (static_cast<double>(after) / before - 1) << " %\n";
  ASSERT_GT(after, 1.12 * before);
  const auto dice = Evaluate(Clinical(swollenT2), pipeline::SubjectContrast::T2, swollenHo);
  // Measured 0.74 / 0.71 (0.69-0.73 / 0.73-0.74 without the outlier mask, depending on the carried atlas's voxel size):
  // swollen structures make the fine levels less stable than normal anatomy (0.78 / 0.79 without swelling).
  EXPECT_GE(dice.at("thalamus_left"), 0.65);
  EXPECT_GE(dice.at("thalamus_right"), 0.65);
  EXPECT_GE(dice.at("hippocampus_left"), 0.60);
  EXPECT_GE(dice.at("hippocampus_right"), 0.60);
  EXPECT_GE(dice.at("corpus_callosum"), 0.55);
}
} // namespace

namespace
{
TEST(AtlasSegmentationParamsTest, BadParametersAreRejectedByName)
{
  using icanscan::pipeline::AtlasSegmentationParams;
  const auto expectRejected = [](const std::function<void(AtlasSegmentationParams &)> & spoil, const std::string & name)
  {
    AtlasSegmentationParams p;
    spoil(p);
    try
    {
      icanscan::pipeline::AtlasSegmentationStage stage(p);
      ADD_FAILURE() << name << " accepted";
    }
    catch (const icanscan::ConfigError & e)
    {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  expectRejected([](auto & p) { p.maskDilationMm = -1; }, "maskDilationMm");
  expectRejected([](auto & p) { p.transformLatticeMm = 25; }, "transformLatticeMm");
  expectRejected([](auto & p) { p.refine.whiteMatterSearchMm = 11; }, "whiteMatterSearchMm");
  expectRejected([](auto & p) { p.refine.callosumSearchMm = -0.5; }, "callosumSearchMm");
  expectRejected([](auto & p) { p.refine.ventricleSearchMm = 31; }, "ventricleSearchMm");
  expectRejected([](auto & p) { p.refine.ventricleSurfaceMarginMm = 40; }, "ventricleSurfaceMarginMm");
  expectRejected([](auto & p) { p.registration.histogramBins = 2; }, "histogramBins");
}
} // namespace
