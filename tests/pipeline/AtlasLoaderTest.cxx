#include "pipeline/geometry/AtlasLoader.h"

#include "core/Error.h"
#include "pipeline/geometry/StructureLabels.h"

#include "itkImageRegionConstIteratorWithIndex.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;
using pipeline::Structure;

const fs::path kTemplates = "/usr/share/mricron/templates";

/** Volume (ml), LPS centroid and extent of every structure, gathered once. */
struct StructureStats
{
  double ml = 0;
  std::array<double, 3> centroid{};
  std::array<double, 3> low{ 1e9, 1e9, 1e9 };
  std::array<double, 3> high{ -1e9, -1e9, -1e9 };
};

class AtlasLoaderTest : public ::testing::Test
{
protected:
  static void SetUpTestSuite()
  {
    if (!fs::exists(kTemplates / "ch2.nii.gz"))
      return;
    s_Atlas = std::make_unique<pipeline::Atlas>(pipeline::LoadAtlas());
    const auto * labels = s_Atlas->labels.GetPointer();
    const auto & spacing = labels->GetSpacing();
    const double voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000.0;
    for (itk::ImageRegionConstIteratorWithIndex<pipeline::Atlas::LabelImageType> it(labels,
                                                                                    labels->GetBufferedRegion());
         !it.IsAtEnd(); ++it)
    {
      if (!it.Get() || it.Get() > pipeline::kStructureCount)
        continue;
      pipeline::Atlas::LabelImageType::PointType p;
      labels->TransformIndexToPhysicalPoint(it.GetIndex(), p);
      auto & s = s_Stats[it.Get()];
      s.ml += voxelMl;
      for (unsigned d = 0; d < 3; ++d)
      {
        s.centroid[d] += p[d] * voxelMl;
        s.low[d] = std::min(s.low[d], p[d]);
        s.high[d] = std::max(s.high[d], p[d]);
      }
    }
    for (auto & s : s_Stats)
      for (auto & c : s.centroid)
        c = s.ml > 0 ? c / s.ml : 0.0;
  }
  static void TearDownTestSuite() { s_Atlas.reset(); }

  void SetUp() override
  {
    if (!s_Atlas)
      GTEST_SKIP() << kTemplates << " is absent (Debian package mricron-data)";
  }

  static const StructureStats & Stats(Structure s) { return s_Stats[static_cast<std::size_t>(s)]; }

  static std::unique_ptr<pipeline::Atlas> s_Atlas;
  static std::array<StructureStats, pipeline::kStructureCount + 1> s_Stats;
};
std::unique_ptr<pipeline::Atlas> AtlasLoaderTest::s_Atlas;
std::array<StructureStats, pipeline::kStructureCount + 1> AtlasLoaderTest::s_Stats;

TEST_F(AtlasLoaderTest, AllImagesShareTheColin27Grid)
{
  const auto region = s_Atlas->t1->GetLargestPossibleRegion();
  EXPECT_EQ(region.GetSize(0), 181u);
  EXPECT_EQ(region.GetSize(1), 217u);
  EXPECT_EQ(region.GetSize(2), 181u);
  for (const itk::ImageBase<3> * image : std::initializer_list<const itk::ImageBase<3> *>{
         s_Atlas->t1Brain.GetPointer(), s_Atlas->labels.GetPointer(), s_Atlas->brainMask.GetPointer(),
         s_Atlas->tissue.GetPointer(), s_Atlas->cerebellum.GetPointer() })
  {
    ASSERT_NE(image, nullptr);
    EXPECT_EQ(image->GetLargestPossibleRegion(), region);
    EXPECT_EQ(image->GetOrigin(), s_Atlas->t1->GetOrigin());
    EXPECT_EQ(image->GetDirection(), s_Atlas->t1->GetDirection());
  }
}

TEST_F(AtlasLoaderTest, TissueClassesAreOrderedAndPlausible)
{
  EXPECT_LT(s_Atlas->tissueMeans[0], s_Atlas->tissueMeans[1]);
  EXPECT_LT(s_Atlas->tissueMeans[1], s_Atlas->tissueMeans[2]);
  std::array<double, 4> ml{};
  const unsigned char * t = s_Atlas->tissue->GetBufferPointer();
  const unsigned char * m = s_Atlas->brainMask->GetBufferPointer();
  for (std::size_t i = 0; i < s_Atlas->tissue->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    ASSERT_LE(t[i], 3);
    ASSERT_EQ(t[i] != 0, m[i] != 0) << "tissue class outside the brain mask or missing inside it at voxel " << i;
    ml[t[i]] += 0.001;
  }
  // Colin27's brain: about 1.4 l, WM and GM each roughly 0.4-0.8 l.
  EXPECT_GT(ml[1] + ml[2] + ml[3], 1100.0);
  EXPECT_LT(ml[1] + ml[2] + ml[3], 1800.0);
  EXPECT_GT(ml[2], 350.0);
  EXPECT_GT(ml[3], 350.0);
  EXPECT_LT(ml[1], ml[2]);
}

TEST_F(AtlasLoaderTest, EveryStructureHasAPlausibleVolume)
{
  struct Range
  {
    Structure s;
    double low, high; // ml
  };
  const Range ranges[] = {
    { Structure::ThalamusLeft, 6, 10 },           { Structure::ThalamusRight, 6, 10 },
    { Structure::HippocampusLeft, 3, 6 },         { Structure::HippocampusRight, 3, 6 },
    { Structure::BasalGangliaLeft, 8, 25 },       { Structure::BasalGangliaRight, 8, 25 },
    { Structure::CorpusCallosumGenu, 3, 20 },     { Structure::CorpusCallosumBody, 5, 25 },
    { Structure::CorpusCallosumSplenium, 3, 20 }, { Structure::ExternalCapsuleLeft, 1, 8 },
    { Structure::ExternalCapsuleRight, 1, 8 },    { Structure::WhiteMatterLeft, 150, 400 },
    { Structure::WhiteMatterRight, 150, 400 },    { Structure::LateralVentricles, 5, 40 },
  };
  for (const auto & r : ranges)
  {
    EXPECT_GE(Stats(r.s).ml, r.low) << pipeline::Info(r.s).key;
    EXPECT_LE(Stats(r.s).ml, r.high) << pipeline::Info(r.s).key;
  }
  // Left and right halves of the same structure within 20 % of each other (the thin external capsules: 50 %).
  for (const auto & [left, right] : { std::pair{ Structure::ThalamusLeft, Structure::ThalamusRight },
                                      std::pair{ Structure::HippocampusLeft, Structure::HippocampusRight },
                                      std::pair{ Structure::BasalGangliaLeft, Structure::BasalGangliaRight },
                                      std::pair{ Structure::ExternalCapsuleLeft, Structure::ExternalCapsuleRight },
                                      std::pair{ Structure::WhiteMatterLeft, Structure::WhiteMatterRight } })
  {
    const double tolerance = left == Structure::ExternalCapsuleLeft ? 0.5 : 0.2;
    EXPECT_NEAR(Stats(left).ml / Stats(right).ml, 1.0, tolerance) << pipeline::Info(left).key;
  }
}

TEST_F(AtlasLoaderTest, LeftStructuresLieOnTheLeft)
{
  // ITK LPS: the subject's left is +x (MNI RAS x < 0). AAL gives the midline plane x = 0 itself to either side.
  for (const auto s : { Structure::ThalamusLeft, Structure::HippocampusLeft, Structure::BasalGangliaLeft,
                        Structure::ExternalCapsuleLeft, Structure::WhiteMatterLeft })
  {
    EXPECT_GT(Stats(s).centroid[0], 5.0) << pipeline::Info(s).key;
    EXPECT_GE(Stats(s).low[0], -0.5) << pipeline::Info(s).key;
  }
  for (const auto s : { Structure::ThalamusRight, Structure::HippocampusRight, Structure::BasalGangliaRight,
                        Structure::ExternalCapsuleRight, Structure::WhiteMatterRight })
  {
    EXPECT_LT(Stats(s).centroid[0], -5.0) << pipeline::Info(s).key;
    EXPECT_LE(Stats(s).high[0], 0.5) << pipeline::Info(s).key;
  }
}

TEST_F(AtlasLoaderTest, JhuMirrorIsDetectedAndTheExternalCapsulesAreLateralToThePutamen)
{
  // The packaged JHU file is mirrored; the loader must have noticed and said so.
  EXPECT_TRUE(s_Atlas->jhuLeftRightFlipped);
  EXPECT_FALSE(s_Atlas->notes.empty());
  // External capsule right at MNI RAS x > 0 (LPS x < 0), about 25-35 mm from the midline, lateral to the basal ganglia.
  const auto & right = Stats(Structure::ExternalCapsuleRight);
  const auto & left = Stats(Structure::ExternalCapsuleLeft);
  EXPECT_LT(right.centroid[0], -22.0);
  EXPECT_GT(right.centroid[0], -38.0);
  EXPECT_GT(left.centroid[0], 22.0);
  EXPECT_LT(left.centroid[0], 38.0);
  EXPECT_LT(right.centroid[0], Stats(Structure::BasalGangliaRight).centroid[0]);
  EXPECT_GT(left.centroid[0], Stats(Structure::BasalGangliaLeft).centroid[0]);
}

TEST_F(AtlasLoaderTest, CorpusCallosumIsOnTheMidlineWithTheGenuInFront)
{
  for (const auto s :
       { Structure::CorpusCallosumGenu, Structure::CorpusCallosumBody, Structure::CorpusCallosumSplenium })
  {
    EXPECT_NEAR(Stats(s).centroid[0], 0.0, 3.0) << pipeline::Info(s).key;
    EXPECT_GE(Stats(s).low[0], -20.5) << pipeline::Info(s).key;
    EXPECT_LE(Stats(s).high[0], 20.5) << pipeline::Info(s).key;
  }
  // LPS y grows posteriorly: genu < body < splenium; the body lies above the thalami.
  EXPECT_LT(Stats(Structure::CorpusCallosumGenu).centroid[1] + 30.0,
            Stats(Structure::CorpusCallosumSplenium).centroid[1]);
  EXPECT_LT(Stats(Structure::CorpusCallosumGenu).centroid[1], Stats(Structure::CorpusCallosumBody).centroid[1]);
  EXPECT_LT(Stats(Structure::CorpusCallosumBody).centroid[1], Stats(Structure::CorpusCallosumSplenium).centroid[1]);
  EXPECT_GT(Stats(Structure::CorpusCallosumBody).centroid[2], Stats(Structure::ThalamusLeft).centroid[2] + 10.0);
}

TEST_F(AtlasLoaderTest, VentriclesAreMedialDeepAndTouchNoSulcus)
{
  const auto & v = Stats(Structure::LateralVentricles);
  EXPECT_NEAR(v.centroid[0], 0.0, 6.0);
  EXPECT_LT(v.high[0] - v.low[0], 80.0);                              // never out to the lateral sulci
  EXPECT_LT(v.high[2], Stats(Structure::CorpusCallosumBody).high[2]); // not above the callosum
  // Every ventricle voxel is CSF class; none is outside the brain.
  const unsigned char * l = s_Atlas->labels->GetBufferPointer();
  const unsigned char * t = s_Atlas->tissue->GetBufferPointer();
  for (std::size_t i = 0; i < s_Atlas->labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    if (l[i] == static_cast<unsigned char>(Structure::LateralVentricles))
    {
      ASSERT_EQ(t[i], 1) << "ventricle voxel " << i << " is not CSF";
    }
  }
}

TEST_F(AtlasLoaderTest, WhiteMatterExcludesCerebellumAndDeepGreyWins)
{
  const unsigned char * l = s_Atlas->labels->GetBufferPointer();
  const unsigned char * c = s_Atlas->cerebellum->GetBufferPointer();
  const unsigned char * t = s_Atlas->tissue->GetBufferPointer();
  std::size_t cerebellarWhite = 0;
  for (std::size_t i = 0; i < s_Atlas->labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    const auto s = static_cast<Structure>(l[i]);
    if (c[i] && (s == Structure::WhiteMatterLeft || s == Structure::WhiteMatterRight))
      ++cerebellarWhite;
    if (s == Structure::WhiteMatterLeft || s == Structure::WhiteMatterRight || s == Structure::ExternalCapsuleLeft ||
        s == Structure::CorpusCallosumBody)
    {
      ASSERT_EQ(t[i], 3) << "white-matter structure on a non-WM voxel " << i;
    }
  }
  EXPECT_EQ(cerebellarWhite, 0u);
  EXPECT_GT(Stats(Structure::WhiteMatterLeft).low[2], -60.0);
}

TEST(AtlasLoaderErrors, MissingFolderIsAConfigErrorNamingTheFile)
{
  pipeline::AtlasParams params;
  params.folder = fs::temp_directory_path() / "icanscan no atlas here";
  try
  {
    pipeline::LoadAtlas(params);
    FAIL() << "no exception";
  }
  catch (const ConfigError & e)
  {
    EXPECT_NE(std::string(e.what()).find("ch2.nii.gz"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("mricron-data"), std::string::npos) << e.what();
  }
}

} // namespace
