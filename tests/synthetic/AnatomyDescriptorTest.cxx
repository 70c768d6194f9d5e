// The anatomy descriptor (--anatomy FILE.toml) and its loader: bad files rejected by name, sides checked by anatomy,
// and a small anatomy built in code loaded into the phantom's structures.
#include "synthetic/AnatomyDescriptor.h"
#include "synthetic/AnatomySource.h"
#include "synthetic/AnatomyVariability.h"

#include "core/Error.h"
#include "filters/MaskMorphology.h"

#include "itkImageFileWriter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;
using namespace icanscan::synthetic;
using pipeline::Structure;

/** A 40³ 1 mm "brain" (LPS, left = x > 0): white matter with a grey rim, two CSF ventricles and every structure as
 * a box, written as T1, brain mask, tissue classes and one label image whose values are the Structure values. */
class TinyAnatomy
{
public:
  explicit TinyAnatomy(const fs::path & folder)
    : m_Folder(folder)
  {
    fs::create_directories(folder);
    auto t1 = NewImage(), mask = NewImage(), tissue = NewImage(), labels = NewImage();
    for (int z = 0; z < 40; ++z)
      for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 40; ++x)
        {
          const int px = x - 20, py = y - 20, pz = z - 20; // LPS mm (identity direction, origin -20)
          const std::size_t i = x + 40 * (y + 40 * std::size_t(z));
          const bool brain = std::abs(px) <= 15 && std::abs(py) <= 15 && std::abs(pz) <= 12;
          if (!brain)
            continue;
          const bool rim = std::abs(px) >= 14 || std::abs(py) >= 14 || std::abs(pz) >= 11;
          int cls = rim ? 2 : 3, label = px >= 0 ? 12 : 13;
          auto box = [&](int x0, int x1, int y0, int y1, int z0, int z1)
          { return px >= x0 && px <= x1 && py >= y0 && py <= y1 && pz >= z0 && pz <= z1; };
          auto sided = [&](int x0, int x1, int y0, int y1, int z0, int z1, int left, int right, int c)
          {
            if (box(x0, x1, y0, y1, z0, z1))
              label = left, cls = c;
            if (box(-x1, -x0, y0, y1, z0, z1))
              label = right, cls = c;
          };
          sided(3, 6, -2, 2, -2, 2, 1, 2, 2);     // thalami
          sided(8, 10, 4, 6, -6, -4, 3, 4, 2);    // hippocampi
          sided(7, 10, -6, -3, 0, 3, 5, 6, 2);    // basal ganglia
          sided(11, 12, -3, 3, -2, 2, 10, 11, 3); // external capsules
          sided(1, 2, -4, 4, 3, 5, 14, 14, 1);    // ventricles
          if (box(-1, 1, -8, -7, 5, 6))
            label = 7;
          if (box(-1, 1, -2, 2, 7, 8))
            label = 8;
          if (box(-1, 1, 7, 8, 5, 6))
            label = 9;
          if (rim)
            label = 0;
          mask->GetBufferPointer()[i] = 1.0f;
          tissue->GetBufferPointer()[i] = static_cast<float>(cls);
          labels->GetBufferPointer()[i] = static_cast<float>(label);
          t1->GetBufferPointer()[i] = cls == 1 ? 200.0f : (cls == 2 ? 500.0f : 700.0f);
        }
    Write(t1, "t1.nii.gz");
    Write(mask, "mask.nii.gz");
    Write(tissue, "tissue.nii.gz");
    Write(labels, "labels.nii.gz");
  }

  /** A descriptor over these images; `labelLines` replaces the structure lines of the label table. */
  fs::path Descriptor(const std::string & name, const std::string & labelLines = "") const
  {
    std::string lines = labelLines;
    if (lines.empty())
      for (const auto & info : pipeline::AllStructures())
        lines += std::string(info.key) + " = [" + std::to_string(static_cast<int>(info.structure)) + "]\n";
    const fs::path file = m_Folder / name;
    std::ofstream out(file);
    out << "format = \"icanscan-anatomy-1\"\nname = \"tiny\"\n"
        << "[t1]\nfile = \"t1.nii.gz\"\n[brain_mask]\nfile = \"mask.nii.gz\"\n"
        << "[tissue]\nfile = \"tissue.nii.gz\"\ncsf = 1\ngm = 2\nwm = 3\n"
        << "[labels.all]\nfile = \"labels.nii.gz\"\nsource = \"subject\"\n"
        << lines;
    return file;
  }

private:
  using Image = itk::Image<float, 3>;
  static Image::Pointer NewImage()
  {
    auto image = Image::New();
    Image::RegionType region;
    region.SetSize({ { 40, 40, 40 } });
    image->SetRegions(region);
    Image::PointType origin;
    origin.Fill(-20.0);
    image->SetOrigin(origin);
    image->Allocate(true);
    return image;
  }
  void Write(const Image * image, const std::string & name) const
  {
    auto writer = itk::ImageFileWriter<Image>::New();
    writer->SetInput(image);
    writer->SetFileName((m_Folder / name).string());
    writer->Update();
  }
  fs::path m_Folder;
};

class AnatomyDescriptorTest : public ::testing::Test
{
protected:
  void SetUp() override
  {
    m_Root = fs::temp_directory_path() / ("icanscan anatomy ü " + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_Root);
    m_Anatomy = std::make_unique<TinyAnatomy>(m_Root);
  }
  void TearDown() override { fs::remove_all(m_Root); }

  fs::path Write(const std::string & name, const std::string & text) const
  {
    std::ofstream(m_Root / name) << text;
    return m_Root / name;
  }

  /** The message of the UsageError the descriptor raises (fails when there is none). */
  std::string UsageMessage(const fs::path & file) const
  {
    try
    {
      ReadAnatomyDescriptor(file);
    }
    catch (const UsageError & e)
    {
      return e.what();
    }
    ADD_FAILURE() << "no UsageError for " << file;
    return "";
  }

  fs::path m_Root;
  std::unique_ptr<TinyAnatomy> m_Anatomy;
};

TEST_F(AnatomyDescriptorTest, AValidDescriptorLoadsEveryStructureOnTheRightSide)
{
  const auto descriptor = ReadAnatomyDescriptor(m_Anatomy->Descriptor("good.toml"));
  EXPECT_EQ(descriptor.name, "tiny");
  EXPECT_EQ(descriptor.root, m_Root.lexically_normal());
  ASSERT_EQ(descriptor.labels.size(), 1u);
  EXPECT_EQ(descriptor.labels[0].values[static_cast<std::size_t>(Structure::ThalamusLeft)], std::vector<int>{ 1 });
  const auto source = LoadAnatomySource(descriptor);
  for (const auto & info : pipeline::AllStructures())
    EXPECT_GT(
      filters::CountNonZero(filters::SelectValues(source.labels, { static_cast<unsigned char>(info.structure) })), 0u)
      << info.key;
  EXPECT_FALSE(source.fromJhu[static_cast<std::size_t>(Structure::CorpusCallosumBody)]);
  EXPECT_FALSE(source.head) << "a skull-stripped source gets a synthetic shell later";
  // Fractions: pure white matter inside, CSF in the ventricles, sum 1 in the brain.
  const auto centreLeftWm = filters::Centroid(filters::SelectValues(source.labels, { 12 }));
  EXPECT_GT(centreLeftWm[0], 0.0);
  for (std::size_t i = 0; i < source.csf->GetBufferedRegion().GetNumberOfPixels(); i += 7)
  {
    if (source.brainMask->GetBufferPointer()[i])
    {
      ASSERT_NEAR(source.csf->GetBufferPointer()[i] + source.gm->GetBufferPointer()[i] +
                    source.wm->GetBufferPointer()[i],
                  1.0f, 1e-5f);
    }
  }
}

TEST_F(AnatomyDescriptorTest, SwappedSidesAreRejectedNamingTheFile)
{
  std::string lines;
  for (const auto & info : pipeline::AllStructures())
  {
    int value = static_cast<int>(info.structure);
    if (info.structure == Structure::ThalamusLeft)
      value = 2;
    else if (info.structure == Structure::ThalamusRight)
      value = 1;
    lines += std::string(info.key) + " = [" + std::to_string(value) + "]\n";
  }
  const auto descriptor = ReadAnatomyDescriptor(m_Anatomy->Descriptor("swapped.toml", lines));
  try
  {
    LoadAnatomySource(descriptor);
    FAIL() << "no error";
  }
  catch (const InputError & e)
  {
    EXPECT_NE(std::string(e.what()).find("thalamus_left"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("labels.nii.gz"), std::string::npos) << e.what();
  }
}

TEST_F(AnatomyDescriptorTest, AbsentLabelValueIsRejected)
{
  std::string lines;
  for (const auto & info : pipeline::AllStructures())
    lines += std::string(info.key) + " = [" +
             std::to_string(info.structure == Structure::HippocampusLeft ? 99 : static_cast<int>(info.structure)) +
             "]\n";
  EXPECT_THROW(LoadAnatomySource(ReadAnatomyDescriptor(m_Anatomy->Descriptor("absent.toml", lines))), InputError);
}

TEST_F(AnatomyDescriptorTest, BadDescriptorsAreUsageErrorsNamingTheFileAndTheProblem)
{
  const std::string good = [&]
  {
    std::ifstream in(m_Anatomy->Descriptor("base.toml"));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  auto replaced = [&](const std::string & from, const std::string & to)
  {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  const std::vector<std::pair<std::string, std::string>> cases{
    { "not toml [[", "not valid TOML" },
    { replaced("format = \"icanscan-anatomy-1\"", "format = \"v2\""), "format" },
    { good + "colour = 3\n", "unknown key 'colour'" },
    { replaced("csf = 1", "csf = \"1\""), "csf" },
    { replaced("thalamus_left = [1]\n", ""), "thalamus_left" },
    { replaced("thalamus_left = [1]", "thalamus_left = [1]\nthalamus_lft = [1]"), "thalamus_lft" },
    { replaced("thalamus_left = [1]", "thalamus_left = 1"), "thalamus_left" },
    { replaced("source = \"subject\"", "source = \"atlas\""), "source" },
    { replaced("[brain_mask]\nfile = \"mask.nii.gz\"\n", ""), "[brain_mask]" },
  };
  int n = 0;
  for (const auto & [text, expected] : cases)
  {
    const auto file = Write("bad" + std::to_string(n++) + ".toml", text);
    const std::string message = UsageMessage(file);
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << expected << ": " << message;
  }
  EXPECT_NE(UsageMessage(m_Root / "missing.toml").find("not found"), std::string::npos);
  // The same structure in two tables.
  const auto twice = Write("twice.toml", good + "[labels.more]\nfile = \"labels.nii.gz\"\nthalamus_left = [1]\n");
  EXPECT_NE(UsageMessage(twice).find("given in 2 label tables"), std::string::npos);
}

TEST_F(AnatomyDescriptorTest, MissingImageIsAnInputErrorNamingItsPathAndTheRootCanBeReplaced)
{
  const auto file = m_Anatomy->Descriptor("good.toml");
  fs::create_directories(m_Root / "elsewhere");
  try
  {
    ReadAnatomyDescriptor(file, m_Root / "elsewhere");
    FAIL() << "no error";
  }
  catch (const InputError & e)
  {
    EXPECT_EQ(e.Code(), ExitCode::NoUsableDicom);
    EXPECT_NE(std::string(e.what()).find((m_Root / "elsewhere" / "t1.nii.gz").string()), std::string::npos) << e.what();
  }
  for (const char * name : { "t1.nii.gz", "mask.nii.gz", "tissue.nii.gz", "labels.nii.gz" })
    fs::copy_file(m_Root / name, m_Root / "elsewhere" / name);
  EXPECT_EQ(ReadAnatomyDescriptor(file, m_Root / "elsewhere").t1, m_Root / "elsewhere" / "t1.nii.gz");
}

TEST(AnatomyVariability, DrawsStayInTheirRangesAndGrowWithAge)
{
  double youngVentricles = 0.0, oldVentricles = 0.0, youngSulci = 0.0, oldSulci = 0.0;
  int young = 0, old = 0;
  for (unsigned seed = 1; seed <= 60; ++seed)
  {
    const auto d = DrawAnatomy(seed, true, {});
    const double low[3] = { 20, 40, 60 }, high[3] = { 40, 60, 85 };
    const unsigned group = (seed + 2) % 3;
    EXPECT_GE(d.ageYears, low[group]) << seed;
    EXPECT_LE(d.ageYears, high[group]) << seed;
    EXPECT_GE(d.ventricleFactor, 0.5);
    EXPECT_LE(d.ventricleFactor, 2.0);
    EXPECT_GE(d.sulcalFactor, 0.7);
    EXPECT_LE(d.sulcalFactor, 1.5);
    EXPECT_GE(d.thalamusFactorLeft, 0.9);
    EXPECT_LE(d.thalamusFactorRight, 1.1);
    EXPECT_GE(d.intracranialMl, 1100.0);
    EXPECT_LE(d.intracranialMl, 1700.0);
    EXPECT_EQ(DicomAge(d.ageYears).size(), 4u);
    if (group == 0)
    {
      youngVentricles += d.ventricleFactor;
      youngSulci += d.sulcalFactor;
      ++young;
    }
    if (group == 2)
    {
      oldVentricles += d.ventricleFactor;
      oldSulci += d.sulcalFactor;
      ++old;
    }
    // One seed: one subject whatever the case (only its own ranges differ).
    EXPECT_EQ(DrawAnatomy(seed, true, {}).intracranialMl, d.intracranialMl);
  }
  EXPECT_GT(oldVentricles / old, 1.5 * youngVentricles / young);
  EXPECT_GT(oldSulci / old, 1.2 * youngSulci / young);
  PhantomPopulation atrophic;
  atrophic.ageYears = { 72.0, 85.0 };
  atrophic.ventricleFactor = { 1.7, 2.0 };
  const auto a = DrawAnatomy(4, true, atrophic);
  EXPECT_GE(a.ageYears, 72.0);
  EXPECT_GE(a.ventricleFactor, 1.7);
  EXPECT_EQ(a.ageGroup, "old");
  // Without variability: the template, age 45, unless the case gives its ranges.
  const auto fixed = DrawAnatomy(4, false, {});
  EXPECT_EQ(fixed.ventricleFactor, 1.0);
  EXPECT_EQ(fixed.intracranialMl, 0.0);
  EXPECT_EQ(DicomAge(fixed.ageYears), "045Y");
  EXPECT_GE(DrawAnatomy(4, false, atrophic).ventricleFactor, 1.7);
}

} // namespace
