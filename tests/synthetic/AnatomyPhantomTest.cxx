// Phantoms on another anatomy than the program's atlas (synthetic/anatomies/mni152nlin6.toml over ICANSCAN_TESTDATA):
// the truth follows every deformation, the drawn variables stay in their ranges, volume loss and mass effect point
// the right way, the basal cisterns exist and are effaced by diffuse oedema, the vendor layouts carry their tags, and
// a rerun writes the same study. Skipped with a message without the test data.
#include "synthetic/AnatomyDescriptor.h"
#include "synthetic/AnatomySource.h"
#include "synthetic/PhantomStudyWriter.h"

#include "core/Error.h"

#include "itkImageFileReader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;
using nlohmann::json;
using Mask = itk::Image<unsigned char, 3>;

fs::path TestData()
{
  const char * env = std::getenv("ICANSCAN_TESTDATA");
  return env ? fs::path(env) : fs::path();
}

Mask::Pointer ReadMask(const fs::path & file)
{
  auto reader = itk::ImageFileReader<Mask>::New();
  reader->SetFileName(file.string());
  reader->Update();
  return reader->GetOutput();
}

double VolumeMl(const Mask * m, unsigned char value)
{
  const auto & s = m->GetSpacing();
  std::size_t n = 0;
  for (std::size_t i = 0; i < m->GetBufferedRegion().GetNumberOfPixels(); ++i)
    n += m->GetBufferPointer()[i] == value;
  return n * s[0] * s[1] * s[2] / 1000.0;
}

json ReadJson(const fs::path & file)
{
  std::ifstream in(file);
  return json::parse(in);
}

class AnatomyPhantomTest : public ::testing::Test
{
protected:
  static void SetUpTestSuite()
  {
    const fs::path descriptor = fs::path(ICANSCAN_SOURCE_DIR) / "synthetic/anatomies/mni152nlin6.toml";
    if (TestData().empty() || !fs::exists(TestData() / "templates/mni152nlin6_neuroparc"))
      return;
    s_Source = std::make_unique<synthetic::AnatomySource>(
      synthetic::LoadAnatomySource(synthetic::ReadAnatomyDescriptor(descriptor, TestData())));
    s_Root = fs::temp_directory_path() / ("icanscan anatomy phantom " + std::to_string(::getpid()));
    fs::remove_all(s_Root);
  }
  static void TearDownTestSuite()
  {
    s_Source.reset();
    if (!s_Root.empty())
      fs::remove_all(s_Root);
  }
  void SetUp() override
  {
    if (!s_Source)
      GTEST_SKIP() << "ICANSCAN_TESTDATA (" << TestData() << ") has no templates/mni152nlin6_neuroparc";
  }

  /** One study, written on first use: `geometry` 3d at half matrix (2 x 2 x 1 mm) keeps the truth grid fine. */
  static fs::path Study(const std::string & caseName,
                        unsigned seed,
                        synthetic::PhantomGeometry geometry = synthetic::PhantomGeometry::Iso3d,
                        std::optional<synthetic::PhantomVendor> vendor = std::nullopt,
                        const std::string & tag = "")
  {
    const std::string key = caseName + "_" + std::to_string(seed) + "_" + synthetic::ToString(geometry) +
                            (vendor ? "_" + synthetic::ToString(*vendor) : "") + tag;
    const fs::path folder = s_Root / key;
    if (!fs::exists(folder))
    {
      synthetic::PhantomParams params;
      params.caseName = caseName;
      params.seed = seed;
      params.geometry = geometry;
      params.matrixScale = 0.5;
      params.vendor = vendor;
      synthetic::PhantomStudyWriter(*s_Source).Write(params, folder);
    }
    return folder;
  }

  static std::unique_ptr<synthetic::AnatomySource> s_Source;
  static fs::path s_Root;
};
std::unique_ptr<synthetic::AnatomySource> AnatomyPhantomTest::s_Source;
fs::path AnatomyPhantomTest::s_Root;

TEST_F(AnatomyPhantomTest, TruthLabelsMatchTheRecordedSubjectVolumes)
{
  const auto folder = Study("normal", 3); // old: large ventricles
  const auto truth = ReadJson(folder / "truth/truth.json");
  const auto labels = ReadMask(folder / "truth/labels.nii.gz");
  const auto & recorded = truth.at("anatomy").at("case_subject").at("structures_ml");
  for (const auto & info : pipeline::AllStructures())
  {
    const double written = VolumeMl(labels, static_cast<unsigned char>(info.structure));
    const double expected = recorded.at(info.key).get<double>();
    RecordProperty(std::string(info.key) + "_written_recorded",
                   std::to_string(written) + " " + std::to_string(expected));
    // Nearest-neighbour sampling on 2 x 2 x 1 mm against 1 mm: a few per cent on the small structures.
    EXPECT_NEAR(written, expected, 0.06 * expected + 0.3) << info.key;
  }
  const auto & anatomy = truth.at("anatomy");
  EXPECT_EQ(anatomy.at("source"), "mni152nlin6");
  EXPECT_NEAR(anatomy.at("intracranial_ml").at("subject").get<double>(),
              anatomy.at("intracranial_ml").at("drawn").get<double>(), 1.0);
  EXPECT_NEAR(anatomy.at("ventricle_factor").at("measured").get<double>(),
              anatomy.at("ventricle_factor").at("drawn").get<double>(), 0.1);
  EXPECT_NEAR(anatomy.at("sulcal_csf_factor").at("measured").get<double>(),
              anatomy.at("sulcal_csf_factor").at("drawn").get<double>(), 0.03);
  for (const char * side : { "left", "right" })
    EXPECT_NEAR(anatomy.at("thalamus_factor").at(side).at("measured").get<double>(),
                anatomy.at("thalamus_factor").at(side).at("drawn").get<double>(), 0.02);
  EXPECT_EQ(anatomy.at("age_group"), "old");
  EXPECT_EQ(anatomy.at("structures_from_jhu").size(), 5u);
}

TEST_F(AnatomyPhantomTest, YoungAndAtrophicSubjectsDifferAsDrawn)
{
  const auto young = ReadJson(Study("normal_young", 2) / "truth/truth.json").at("anatomy");
  const auto old = ReadJson(Study("normal_atrophic", 2) / "truth/truth.json").at("anatomy");
  auto ventricleFraction = [](const json & a)
  {
    return a.at("normal_subject").at("structures_ml").at("lateral_ventricles").get<double>() /
           a.at("normal_subject").at("intracranial_ml").get<double>();
  };
  EXPECT_GT(ventricleFraction(old), 2.5 * ventricleFraction(young));
  EXPECT_GT(old.at("normal_subject").at("sulcal_csf_ml").get<double>(),
            1.6 * young.at("normal_subject").at("sulcal_csf_ml").get<double>());
  EXPECT_LE(young.at("age_years").get<double>(), 30.0);
  EXPECT_GE(old.at("age_years").get<double>(), 72.0);
  // The age is written as PatientAge.
  const fs::path t2 = Study("normal_young", 2) / "dicom";
  for (const auto & entry : fs::recursive_directory_iterator(t2))
    if (entry.is_regular_file())
    {
      DcmFileFormat file;
      ASSERT_TRUE(file.loadFile(entry.path().c_str()).good());
      OFString age;
      ASSERT_TRUE(file.getDataset()->findAndGetOFString(DCM_PatientAge, age).good());
      EXPECT_EQ(std::string(age.c_str()), young.at("patient_age").get<std::string>());
      break;
    }
}

TEST_F(AnatomyPhantomTest, ChronicInfarctEnlargesItsVentricleAndPullsTheSeptumTowardsIt)
{
  for (const unsigned seed : { 1u, 2u }) // both sides
  {
    const auto truth =
      ReadJson(Study("chronic_infarct", seed, synthetic::PhantomGeometry::Clinical) / "truth/truth.json");
    const auto & m = truth.at("oedema_markers");
    const std::string side = m.at("lesion_side");
    const std::string other = side == "left" ? "right" : "left";
    EXPECT_GT(m.at("lateral_ventricle_" + side + "_ml").at("change_pct").get<double>(), 30.0) << side;
    EXPECT_LT(std::abs(m.at("lateral_ventricle_" + other + "_ml").at("change_pct").get<double>()), 6.0) << side;
    const double towardsLesion = side == "left" ? 1.0 : -1.0; // LPS x of the lesion's side
    EXPECT_GT(m.at("septum_shift_mm").get<double>() * towardsLesion, 1.0) << side;
    EXPECT_TRUE(m.at("volume_loss").get<bool>());
    EXPECT_EQ(truth.at("oedema").at("flag"), "none");
    EXPECT_GT(m.at("sulcal_csf_ml").at("change_pct").get<double>(), 3.0) << "widened sulci over the infarct";
    EXPECT_TRUE(truth.at("expected_findings").at("white_matter_" + side).at("t2flair_involved").get<bool>());
    EXPECT_FALSE(truth.at("expected_findings").at("white_matter_" + other).at("t2flair_involved").get<bool>());
    EXPECT_GT(truth.at("infarct_core_ml_source_grid").get<double>(), 3.0);
  }
}

TEST_F(AnatomyPhantomTest, FocalOedemaPushesTheSeptumAwayAndCompressesItsSide)
{
  const auto truth = ReadJson(Study("focal_oedema", 3, synthetic::PhantomGeometry::Clinical) / "truth/truth.json");
  const auto & m = truth.at("oedema_markers");
  const std::string side = m.at("lesion_side");
  const double awayFromLesion = side == "left" ? -1.0 : 1.0;
  EXPECT_GT(m.at("septum_shift_mm").get<double>() * awayFromLesion, 2.0) << side;
  EXPECT_LT(m.at("lateral_ventricle_" + side + "_ml").at("change_pct").get<double>(), -8.0) << side;
  EXPECT_EQ(truth.at("oedema").at("flag"), "focal");
}

TEST_F(AnatomyPhantomTest, BasalCisternsExistInNormalsAndAreEffacedByDiffuseOedema)
{
  const auto normal = Study("normal", 2);
  const auto diffuse = Study("white_matter_diffuse", 2);
  const double normalMl = VolumeMl(ReadMask(normal / "truth/cisterns.nii.gz"), 1);
  const double diffuseMl = VolumeMl(ReadMask(diffuse / "truth/cisterns.nii.gz"), 1);
  RecordProperty("cistern_csf_ml_normal_diffuse", std::to_string(normalMl) + " " + std::to_string(diffuseMl));
  EXPECT_GT(normalMl, 3.0);
  EXPECT_LT(diffuseMl, 0.35 * normalMl);
  const auto m = ReadJson(diffuse / "truth/truth.json").at("oedema_markers");
  EXPECT_LT(m.at("basal_cistern_csf_ml").at("change_pct").get<double>(), -60.0);
  EXPECT_LT(m.at("lateral_ventricles_ml").at("change_pct").get<double>(), -35.0);
  EXPECT_LT(m.at("sulcal_csf_ml").at("change_pct").get<double>(), -50.0);
  // Diffuse white-matter signal without oedema leaves every CSF space as it was.
  const auto leuko = ReadJson(Study("leukoencephalopathy", 2) / "truth/truth.json");
  EXPECT_NEAR(leuko.at("oedema_markers").at("lateral_ventricles_ml").at("change_pct").get<double>(), 0.0, 1e-9);
  EXPECT_EQ(leuko.at("oedema").at("flag"), "none");
  // The lesion is the white matter deeper than 3.5 mm from the cortex (U-fibres spared): on MNI152NLin6 about a third
  // of its white matter on the same (source) grid (measured 0.31 for seed 2), never a small patch.
  const auto & volumes = leuko.at("structure_volumes_atlas");
  const double whiteMl = volumes.at("white_matter_left").at("normal_ml").get<double>() +
                         volumes.at("white_matter_right").at("normal_ml").get<double>();
  const double lesionMl = leuko.at("lesions").at(0).at("volume_ml_source_grid").get<double>();
  RecordProperty("leukoencephalopathy_white_matter_fraction", std::to_string(lesionMl / whiteMl));
  EXPECT_GT(lesionMl, 0.25 * whiteMl) << lesionMl << " of " << whiteMl << " ml of white matter";
}

/** The tags of the first file of each series folder of a study: folder -> (ImageType, tag text). */
std::map<std::string, std::pair<std::string, std::string>> FirstFileTags(const fs::path & dicom, DcmTagKey tag)
{
  std::map<std::string, std::pair<std::string, std::string>> tags;
  for (const auto & series : fs::directory_iterator(dicom))
    for (const auto & file : fs::directory_iterator(series.path()))
    {
      DcmFileFormat format;
      if (!format.loadFile(file.path().c_str()).good())
        continue;
      OFString type, value;
      format.getDataset()->findAndGetOFStringArray(DCM_ImageType, type);
      format.getDataset()->findAndGetOFStringArray(tag, value);
      tags[series.path().filename().string()] = { type.c_str(), value.c_str() };
      break;
    }
  return tags;
}

TEST_F(AnatomyPhantomTest, VendorLayoutsCarryTheirTags)
{
  using synthetic::PhantomVendor;
  const auto ge = FirstFileTags(Study("normal", 1, synthetic::PhantomGeometry::Clinical, PhantomVendor::Ge) / "dicom",
                                DcmTagKey(0x0043, 0x1039));
  bool geDwi = false;
  for (const auto & [folder, tags] : ge)
    if (tags.first == "ORIGINAL\\PRIMARY\\OTHER" && tags.second.find("\\8\\0\\0") != std::string::npos)
      geDwi = true;
  EXPECT_TRUE(geDwi) << "GE DWI with its b-value in (0043,1039)";
  EXPECT_TRUE(ge.count("500_ADC__10__6_mm_2_s_")) << "GE ADC as its own series";

  const auto philips =
    FirstFileTags(Study("normal", 1, synthetic::PhantomGeometry::Clinical, PhantomVendor::Philips) / "dicom",
                  DcmTagKey(0x2001, 0x1004));
  EXPECT_EQ(philips.at("401_DWI_tra").second, "I") << "Philips isotropic image";
  EXPECT_EQ(philips.at("101_Survey").first, "ORIGINAL\\PRIMARY\\M_FFE\\M\\FFE");

  // Siemens: the b0 ORIGINAL ...\NONE\ND and the trace DERIVED ...\TRACEW\ND in one series.
  const fs::path siemens = Study("normal", 1, synthetic::PhantomGeometry::Clinical, PhantomVendor::Siemens) / "dicom" /
                           "4_ep2d_diff_3scan_trace_p2";
  std::map<std::string, int> types;
  for (const auto & file : fs::directory_iterator(siemens))
  {
    DcmFileFormat format;
    ASSERT_TRUE(format.loadFile(file.path().c_str()).good());
    OFString type;
    format.getDataset()->findAndGetOFStringArray(DCM_ImageType, type);
    ++types[type.c_str()];
  }
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types["ORIGINAL\\PRIMARY\\DIFFUSION\\NONE\\ND"], types["DERIVED\\PRIMARY\\DIFFUSION\\TRACEW\\ND"]);
}

TEST_F(AnatomyPhantomTest, ARerunWritesTheSameStudy)
{
  const auto first = Study("acute_infarct", 2, synthetic::PhantomGeometry::Clinical);
  const auto second = Study("acute_infarct", 2, synthetic::PhantomGeometry::Clinical, std::nullopt, "_again");
  for (const char * map : { "labels.nii.gz", "lesion_t2flair.nii.gz", "lesion_dwi.nii.gz", "cisterns.nii.gz" })
  {
    std::ifstream a(first / "truth" / map, std::ios::binary), b(second / "truth" / map, std::ios::binary);
    const std::string x((std::istreambuf_iterator<char>(a)), {}), y((std::istreambuf_iterator<char>(b)), {});
    EXPECT_FALSE(x.empty()) << map;
    EXPECT_EQ(x, y) << map;
  }
  // The true transform: the same numbers to 1e-9 (its centre is a sum over the brain whose last digit may differ
  // between runs with the order of a parallel reduction).
  auto numbers = [](const fs::path & file)
  {
    std::ifstream in(file);
    std::vector<double> values;
    for (std::string token; in >> token;)
    {
      char * end = nullptr;
      const double v = std::strtod(token.c_str(), &end);
      if (end != token.c_str() && *end == '\0')
        values.push_back(v);
    }
    return values;
  };
  const auto x = numbers(first / "truth" / "FLAIR_true_transform.tfm");
  const auto y = numbers(second / "truth" / "FLAIR_true_transform.tfm");
  ASSERT_EQ(x.size(), y.size());
  EXPECT_GE(x.size(), 9u);
  for (std::size_t i = 0; i < x.size(); ++i)
    EXPECT_NEAR(x[i], y[i], 1e-9 * std::max(1.0, std::abs(x[i]))) << "transform number " << i;
  auto withoutTimes = [](json j)
  {
    j.erase("seconds");
    return j;
  };
  EXPECT_EQ(withoutTimes(ReadJson(first / "truth/truth.json")), withoutTimes(ReadJson(second / "truth/truth.json")));
  // Pixel data of every DICOM file (the files differ only by UIDs, dates and times).
  std::map<std::string, std::string> pixels[2];
  int n = 0;
  for (const auto & study : { first, second })
  {
    for (const auto & entry : fs::recursive_directory_iterator(study / "dicom"))
    {
      if (!entry.is_regular_file())
        continue;
      DcmFileFormat format;
      ASSERT_TRUE(format.loadFile(entry.path().c_str()).good());
      const Uint16 * data = nullptr;
      unsigned long count = 0;
      ASSERT_TRUE(format.getDataset()->findAndGetUint16Array(DCM_PixelData, data, &count).good());
      pixels[n][fs::relative(entry.path(), study).string()] =
        std::string(reinterpret_cast<const char *>(data), count * sizeof(Uint16));
    }
    ++n;
  }
  EXPECT_EQ(pixels[0], pixels[1]);
}

} // namespace
