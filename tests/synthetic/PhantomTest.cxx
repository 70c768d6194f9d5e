#include "synthetic/PhantomStudyWriter.h"

#include "core/Error.h"
#include "dicom/StudyIndex.h"
#include "dicom/VolumeReader.h"
#include "pipeline/geometry/AtlasLoader.h"
#include "pipeline/geometry/StructureLabels.h"

#include "itkImageFileReader.h"
#include "itkMatrixOffsetTransformBase.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"
#include "itkTransformFileReader.h"

#include <gtest/gtest.h>

#include <tuple>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;
using pipeline::Structure;
using FloatImage = itk::Image<float, 3>;
using Rigid = itk::MatrixOffsetTransformBase<double, 3, 3>;

constexpr unsigned kSeed = 5;
const fs::path kTemplates = "/usr/share/mricron/templates";

/** One generated study, read back: its index, volumes per role, truth maps and transforms. */
struct Study
{
  fs::path folder;
  dicom::StudyIndex index;
  nlohmann::json truth;
  std::map<std::string, std::vector<FloatImage::Pointer>> volumes; // role -> volumes (DWI: b0, b1000)
  std::map<std::string, Rigid::Pointer> transforms;                // role -> true transform (T2 -> series)
  FloatImage::Pointer labels, lesionT2Flair, lesionDwi;
};

FloatImage::Pointer ReadNifti(const fs::path & file)
{
  auto reader = itk::ImageFileReader<FloatImage>::New();
  reader->SetFileName(file.string());
  reader->Update();
  return reader->GetOutput();
}

Rigid::Pointer ReadTransform(const fs::path & file)
{
  auto reader = itk::TransformFileReaderTemplate<double>::New();
  reader->SetFileName(file.string());
  reader->Update();
  auto * rigid = dynamic_cast<Rigid *>(reader->GetTransformList()->front().GetPointer());
  if (!rigid)
    throw std::runtime_error("not a matrix-offset transform: " + file.string());
  return rigid;
}

Study Generate(const pipeline::Atlas & atlas,
               const std::string & caseName,
               synthetic::PhantomGeometry geometry,
               const fs::path & root)
{
  synthetic::PhantomParams params;
  params.caseName = caseName;
  params.seed = kSeed;
  params.geometry = geometry;
  params.matrixScale = 0.5; // half the in-plane matrix (clinical T2 256² at 0.9 mm, 3d 2 x 2 x 1 mm): fast
  Study study;
  study.folder = root / caseName;
  synthetic::PhantomStudyWriter(atlas).Write(params, study.folder);
  study.index = dicom::BuildStudyIndex(study.folder / "dicom");
  std::ifstream in(study.folder / "truth" / "truth.json");
  in >> study.truth;
  for (const auto & set : study.index.volumeSets)
  {
    const std::string role = dicom::ToString(set.role);
    study.volumes[role] = dicom::ReadVolumes(set);
    study.transforms[role] = ReadTransform(study.folder / "truth" / (role + "_true_transform.tfm"));
  }
  study.labels = ReadNifti(study.folder / "truth" / "labels.nii.gz");
  study.lesionT2Flair = ReadNifti(study.folder / "truth" / "lesion_t2flair.nii.gz");
  study.lesionDwi = ReadNifti(study.folder / "truth" / "lesion_dwi.nii.gz");
  return study;
}

/** `map` (on the T2 grid) sampled on the grid of `series` at the T2 points transform⁻¹(series point): nearest
 * neighbour (truth maps) or linear. */
FloatImage::Pointer OnSeriesGrid(const FloatImage * map,
                                 const FloatImage * series,
                                 const Rigid * t2ToSeries,
                                 bool linear = false,
                                 float outside = 0.0f)
{
  auto resample = itk::ResampleImageFilter<FloatImage, FloatImage>::New();
  resample->SetInput(map);
  resample->SetOutputParametersFromImage(series);
  resample->SetTransform(t2ToSeries->GetInverseTransform());
  if (!linear)
    resample->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<FloatImage, double>::New());
  resample->SetDefaultPixelValue(outside);
  resample->Update();
  return resample->GetOutput();
}

/** Mutual information (nats) of two images on one grid, 32 x 32 bins, over the voxels where `b` is not negative. */
double MutualInformation(const FloatImage * a, const FloatImage * b)
{
  constexpr int bins = 32;
  const std::size_t n = a->GetBufferedRegion().GetNumberOfPixels();
  const float * x = a->GetBufferPointer();
  const float * y = b->GetBufferPointer();
  float xMax = 1e-6f, yMax = 1e-6f;
  for (std::size_t i = 0; i < n; ++i)
    if (y[i] >= 0.0f)
    {
      xMax = std::max(xMax, x[i]);
      yMax = std::max(yMax, y[i]);
    }
  std::vector<double> joint(bins * bins, 0.0), px(bins, 0.0), py(bins, 0.0);
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (y[i] < 0.0f)
      continue;
    const int u = std::min(bins - 1, static_cast<int>(bins * x[i] / xMax));
    const int v = std::min(bins - 1, static_cast<int>(bins * y[i] / yMax));
    joint[u * bins + v] += 1.0;
    px[u] += 1.0;
    py[v] += 1.0;
    total += 1.0;
  }
  double mi = 0.0;
  for (int u = 0; u < bins; ++u)
    for (int v = 0; v < bins; ++v)
      if (joint[u * bins + v] > 0.0)
        mi += joint[u * bins + v] / total * std::log(joint[u * bins + v] * total / (px[u] * py[v]));
  return mi;
}

Rigid::Pointer Inverse(const Rigid * t)
{
  const auto inverse = t->GetInverseTransform(); // keeps the object alive while it is cast
  return dynamic_cast<Rigid *>(inverse.GetPointer());
}

Rigid::Pointer IdentityLike(const Rigid * t)
{
  const itk::LightObject::Pointer another = t->CreateAnother();
  Rigid::Pointer identity = dynamic_cast<Rigid *>(another.GetPointer());
  identity->SetIdentity();
  identity->SetFixedParameters(t->GetFixedParameters());
  return identity;
}

bool IsStructure(float label, std::initializer_list<Structure> structures)
{
  for (const auto s : structures)
    if (static_cast<int>(std::lround(label)) == static_cast<int>(s))
      return true;
  return false;
}

/** Values of `image` where the (same-grid) label map holds one of `structures` and so do its in-plane neighbours
 * `margin` voxels away (a core without partial volume in plane). */
std::vector<float> ValuesIn(const FloatImage * image,
                            const FloatImage * labels,
                            std::initializer_list<Structure> structures,
                            int margin = 0)
{
  std::vector<float> values;
  const auto size = image->GetLargestPossibleRegion().GetSize();
  const float * v = image->GetBufferPointer();
  const float * l = labels->GetBufferPointer();
  for (long k = 0; k < long(size[2]); ++k)
    for (long j = margin; j + margin < long(size[1]); ++j)
      for (long i = margin; i + margin < long(size[0]); ++i)
      {
        bool core = true;
        for (long dj = -margin; dj <= margin && core; ++dj)
          for (long di = -margin; di <= margin && core; ++di)
            core = IsStructure(l[(k * size[1] + j + dj) * size[0] + i + di], structures);
        if (core)
          values.push_back(v[(k * size[1] + j) * size[0] + i]);
      }
  return values;
}

double Mean(const std::vector<float> & values)
{
  double sum = 0.0;
  for (const float v : values)
    sum += v;
  return values.empty() ? 0.0 : sum / values.size();
}

double Quantile(std::vector<float> values, double q)
{
  if (values.empty())
    return 0.0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * (values.size() - 1))];
}

double VolumeMl(const FloatImage * labels, std::initializer_list<Structure> structures)
{
  const auto & s = labels->GetSpacing();
  const float * l = labels->GetBufferPointer();
  std::size_t count = 0;
  for (std::size_t i = 0; i < labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
    count += IsStructure(l[i], structures);
  return count * s[0] * s[1] * s[2] / 1000.0;
}

class PhantomTest : public ::testing::Test
{
protected:
  static void SetUpTestSuite()
  {
    if (!fs::exists(kTemplates / "ch2.nii.gz"))
      return;
    s_Root = fs::temp_directory_path() / ("icanscan phantom ü " + std::to_string(::getpid()));
    fs::remove_all(s_Root);
    s_Atlas = std::make_unique<pipeline::Atlas>(pipeline::LoadAtlas());
  }
  static void TearDownTestSuite()
  {
    s_Studies.clear();
    s_Atlas.reset();
    if (!s_Root.empty())
      fs::remove_all(s_Root);
  }
  void SetUp() override
  {
    if (!s_Atlas)
      GTEST_SKIP() << kTemplates << " is absent (Debian package mricron-data)";
  }
  /** The study of a case, written on first use (CTest runs every test in its own process: each writes only what it
   * reads). One anatomy (seed) throughout; normal, thalamic and diffuse cases in 1 mm slices (volumes and motion
   * measurable on the truth grid), the others in the clinical geometry. */
  static const Study & Get(const std::string & name)
  {
    auto it = s_Studies.find(name);
    if (it == s_Studies.end())
    {
      using synthetic::PhantomGeometry;
      const bool iso = name == "normal" || name == "thalamic_bilateral" || name == "white_matter_diffuse";
      it = s_Studies
             .emplace(name, std::make_unique<Study>(Generate(
                              *s_Atlas, name, iso ? PhantomGeometry::Iso3d : PhantomGeometry::Clinical, s_Root)))
             .first;
    }
    return *it->second;
  }

  static fs::path s_Root;
  static std::unique_ptr<pipeline::Atlas> s_Atlas;
  static std::map<std::string, std::unique_ptr<Study>> s_Studies;
};
fs::path PhantomTest::s_Root;
std::unique_ptr<pipeline::Atlas> PhantomTest::s_Atlas;
std::map<std::string, std::unique_ptr<Study>> PhantomTest::s_Studies;

TEST_F(PhantomTest, IndexFindsT2FlairDwiAndAdc)
{
  for (const std::string name : { "normal", "shine_through" }) // one of each geometry
  {
    const Study * study = &Get(name);
    ASSERT_EQ(study->index.volumeSets.size(), 4u) << name;
    std::map<std::string, const dicom::VolumeSet *> byRole;
    for (const auto & set : study->index.volumeSets)
    {
      EXPECT_EQ(set.verdict, dicom::Verdict::Ok) << name << " " << set.id;
      byRole[dicom::ToString(set.role)] = &set;
    }
    ASSERT_EQ(byRole.count("T2") + byRole.count("FLAIR") + byRole.count("DWI") + byRole.count("ADC"), 4u) << name;
    EXPECT_EQ(byRole["DWI"]->BValues(), (std::vector<double>{ 0.0, 1000.0 })) << name;
    const bool clinical = study->truth.at("geometry") == "clinical";
    EXPECT_NEAR(byRole["T2"]->spacing[2], clinical ? 5.0 : 1.0, 1e-3) << name;
    // At full scale 0.45 / 0.9 / 1.8 mm (clinical) and 1 mm (3d); the matrices are halved here.
    EXPECT_NEAR(byRole["T2"]->spacing[0], clinical ? 0.9 : 2.0, 1e-3) << name;
    EXPECT_NEAR(byRole["FLAIR"]->spacing[0], clinical ? 1.8 : 2.0, 1e-3) << name;
    EXPECT_NEAR(byRole["DWI"]->spacing[0], clinical ? 3.6 : 2.0, 1e-3) << name;
    EXPECT_EQ(byRole["ADC"]->columns, byRole["DWI"]->columns);
    EXPECT_EQ(byRole["ADC"]->slices, byRole["DWI"]->slices);
    EXPECT_GE(byRole["T2"]->slices * byRole["T2"]->spacing[2], 120.0) << name; // covers the brain
    for (const auto & s : study->truth.at("series"))
      EXPECT_EQ(byRole.at(s.at("role").get<std::string>())->id, std::to_string(s.at("series_number").get<int>()));
  }
}

TEST_F(PhantomTest, TruthTransformsAreRigidMotionsRelativeToT2)
{
  const auto & study = Get("normal");
  const auto & t2 = study.transforms.at("T2");
  EXPECT_TRUE(t2->GetMatrix().GetVnlMatrix().is_identity(1e-12));
  EXPECT_NEAR(t2->GetOffset().GetNorm(), 0.0, 1e-9);
  for (const auto & s : study.truth.at("series"))
  {
    const auto role = s.at("role").get<std::string>();
    const auto & t = study.transforms.at(role);
    const auto & recorded = s.at("true_transform");
    for (unsigned r = 0; r < 3; ++r)
    {
      EXPECT_NEAR(t->GetOffset()[r], recorded.at("offset_mm")[r].get<double>(), 1e-3) << role;
      for (unsigned c = 0; c < 3; ++c)
        EXPECT_NEAR(t->GetMatrix()[r][c], recorded.at("matrix")[r][c].get<double>(), 1e-9) << role;
    }
    if (role == "T2")
      continue;
    const double degrees = recorded.at("rotation_deg").get<double>();
    EXPECT_GE(degrees, 1.0 - 1e-6) << role;
    EXPECT_LE(degrees, 3.0 + 1e-6) << role;
  }
  // ADC is derived from the DWI: one motion.
  EXPECT_EQ(study.transforms.at("ADC")->GetParameters(), study.transforms.at("DWI")->GetParameters());
  EXPECT_NE(study.transforms.at("FLAIR")->GetParameters(), study.transforms.at("DWI")->GetParameters());
}

TEST_F(PhantomTest, SeriesContentMovedByTheRecordedMotion)
{
  // The T2 resampled onto each series through the recorded transform must share more information with that series
  // than without it, or through its inverse (the opposite direction convention).
  for (const std::string name : { "normal", "shine_through" })
  {
    const auto & study = Get(name);
    const auto & t2 = study.volumes.at("T2").front();
    for (const std::string role : { "FLAIR", "DWI" })
    {
      const auto & image = study.volumes.at(role).front();
      const auto & t = study.transforms.at(role);
      const double recorded = MutualInformation(image, OnSeriesGrid(t2, image, t, true, -1.0f));
      const double identity = MutualInformation(image, OnSeriesGrid(t2, image, IdentityLike(t), true, -1.0f));
      const double inverse = MutualInformation(image, OnSeriesGrid(t2, image, Inverse(t), true, -1.0f));
      RecordProperty(name + "_" + role + "_mi_recorded_identity_inverse",
                     std::to_string(recorded) + " " + std::to_string(identity) + " " + std::to_string(inverse));
      EXPECT_GT(recorded, 1.02 * identity) << name << " " << role;
      EXPECT_GT(recorded, 1.02 * inverse) << name << " " << role;
    }
  }
  // In 1 mm slices the truth ventricles, dark on FLAIR, also land where the recorded motion puts them.
  const auto & study = Get("normal");
  const auto & flair = study.volumes.at("FLAIR").front();
  const auto & t = study.transforms.at("FLAIR");
  const auto ventricles = { Structure::LateralVentricles };
  const double recorded = Mean(ValuesIn(flair, OnSeriesGrid(study.labels, flair, t), ventricles));
  EXPECT_LT(recorded, 0.97 * Mean(ValuesIn(flair, OnSeriesGrid(study.labels, flair, IdentityLike(t)), ventricles)));
  EXPECT_LT(recorded, 0.9 * Mean(ValuesIn(flair, OnSeriesGrid(study.labels, flair, Inverse(t)), ventricles)));
}

TEST_F(PhantomTest, AdcValuesAreScannerLike)
{
  const auto & study = Get("normal");
  const auto & adc = study.volumes.at("ADC").front();
  const auto labels = OnSeriesGrid(study.labels, adc, study.transforms.at("ADC"));
  const auto white = ValuesIn(adc, labels, { Structure::WhiteMatterLeft, Structure::WhiteMatterRight }, 1);
  ASSERT_GT(white.size(), 200u);
  RecordProperty("adc_white_matter_median", std::to_string(Quantile(white, 0.5)));
  EXPECT_NEAR(Quantile(white, 0.5), 700.0, 100.0);
  const auto csf = ValuesIn(adc, labels, { Structure::LateralVentricles });
  ASSERT_GT(csf.size(), 20u);
  RecordProperty("adc_ventricles_p95", std::to_string(Quantile(csf, 0.95)));
  EXPECT_NEAR(Quantile(csf, 0.95), 3000.0, 400.0); // the ventricle cores, past the partial volume of 5 mm slices
  const auto thalamus = ValuesIn(adc, labels, { Structure::ThalamusLeft, Structure::ThalamusRight }, 1);
  RecordProperty("adc_thalamus_median", std::to_string(Quantile(thalamus, 0.5)));
  EXPECT_NEAR(Quantile(thalamus, 0.5), 750.0, 100.0);
}

TEST_F(PhantomTest, ThalamiSwellByAboutTwentyPercentWithTheSameAnatomy)
{
  const auto & normal = Get("normal");
  const auto & thalamic = Get("thalamic_bilateral");
  // One seed: one anatomy, pose and plan in both cases.
  EXPECT_EQ(normal.truth.at("series")[0].at("grid"), thalamic.truth.at("series")[0].at("grid"));
  EXPECT_EQ(normal.truth.at("deformation"), thalamic.truth.at("deformation"));
  for (const auto s : { Structure::ThalamusLeft, Structure::ThalamusRight })
  {
    const double ratio = VolumeMl(thalamic.labels, { s }) / VolumeMl(normal.labels, { s });
    RecordProperty(std::string(pipeline::Info(s).key) + "_volume_ratio", std::to_string(ratio));
    EXPECT_NEAR(ratio, 1.20, 0.05) << pipeline::Info(s).key;
    EXPECT_NEAR(thalamic.truth.at("swelling_percent").at(pipeline::Info(s).key).get<double>(), 20.0, 3.0);
    EXPECT_NEAR(normal.truth.at("swelling_percent").at(pipeline::Info(s).key).get<double>(), 0.0, 1e-9);
  }
  // Structures away from the thalami keep their volume.
  EXPECT_NEAR(VolumeMl(thalamic.labels, { Structure::HippocampusLeft }) /
                VolumeMl(normal.labels, { Structure::HippocampusLeft }),
              1.0, 0.05);
}

TEST_F(PhantomTest, LesionMasksLieInsideTheirStructuresAndShowOnT2AndFlair)
{
  const auto & normal = Get("normal");
  const auto & thalamic = Get("thalamic_bilateral");
  const auto lesionValue = { static_cast<Structure>(1) }; // lesion masks hold 0/1
  EXPECT_EQ(VolumeMl(normal.lesionT2Flair, lesionValue), 0.0);
  const float * lesion = thalamic.lesionT2Flair->GetBufferPointer();
  const float * labels = thalamic.labels->GetBufferPointer();
  std::size_t inLesion = 0, outside = 0;
  for (std::size_t i = 0; i < thalamic.labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    if (lesion[i] == 0.0f)
      continue;
    ++inLesion;
    outside += !IsStructure(labels[i], { Structure::ThalamusLeft, Structure::ThalamusRight });
  }
  EXPECT_GT(inLesion, 1000u);
  EXPECT_EQ(outside, 0u);
  // No DWI lesion in a vasogenic case.
  EXPECT_EQ(*std::max_element(thalamic.lesionDwi->GetBufferPointer(),
                              thalamic.lesionDwi->GetBufferPointer() +
                                thalamic.lesionDwi->GetBufferedRegion().GetNumberOfPixels()),
            0.0f);
  // The thalami are brighter than in the normal case on T2 and FLAIR (same seed: same geometry and noise).
  for (const std::string role : { "T2", "FLAIR" })
  {
    const auto & image = thalamic.volumes.at(role).front();
    const auto map = OnSeriesGrid(thalamic.lesionT2Flair, image, thalamic.transforms.at(role));
    const auto inside = ValuesIn(image, map, lesionValue, 1);
    const auto before = ValuesIn(normal.volumes.at(role).front(), map, lesionValue, 1);
    ASSERT_FALSE(inside.empty());
    EXPECT_GT(Mean(inside), 1.25 * Mean(before)) << role;
  }
  const auto & findings = thalamic.truth.at("expected_findings");
  EXPECT_TRUE(findings.at("thalamus_left").at("t2flair_involved").get<bool>());
  EXPECT_FALSE(findings.at("thalamus_left").at("diffusion_restricted").get<bool>());
  EXPECT_FALSE(findings.at("hippocampus_left").at("t2flair_involved").get<bool>());
  EXPECT_EQ(thalamic.truth.at("oedema").at("flag").get<std::string>(), "focal") << "swelling well beyond expectation";
  EXPECT_EQ(thalamic.truth.at("oedema").at("astct_oedema_grade").get<int>(), 3);
}

/** The DWI lesion against the same scan's white matter: b1000 mean over WM median, lesion mean ADC, WM median ADC. */
std::tuple<double, double, double> DiffusionLesionContrast(const Study & study)
{
  const auto & dwi = study.volumes.at("DWI");
  const auto & adc = study.volumes.at("ADC").front();
  EXPECT_EQ(dwi.size(), 2u);
  const auto & t = study.transforms.at("DWI");
  const auto lesionMap = OnSeriesGrid(study.lesionDwi, dwi.back(), t);
  const auto labelMap = OnSeriesGrid(study.labels, dwi.back(), t);
  const auto lesion = { static_cast<Structure>(1) }; // lesion masks hold 0/1
  const auto white = { Structure::WhiteMatterLeft, Structure::WhiteMatterRight };
  const auto b1000 = ValuesIn(dwi.back(), lesionMap, lesion);
  EXPECT_GT(b1000.size(), 5u);
  const double brighter = Mean(b1000) / Quantile(ValuesIn(dwi.back(), labelMap, white, 1), 0.5);
  return { brighter, Mean(ValuesIn(adc, lesionMap, lesion)), Quantile(ValuesIn(adc, labelMap, white, 1), 0.5) };
}

TEST_F(PhantomTest, ShineThroughIsBrightOnDwiWithHighAdc)
{
  // Against the normal white matter of the same scan: the splenium lesion is brighter at b1000 and its ADC higher.
  const auto & shine = Get("shine_through");
  const auto [brighter, lesionAdc, whiteAdc] = DiffusionLesionContrast(shine);
  RecordProperty("shine_through_b1000_over_white_matter", std::to_string(brighter));
  RecordProperty("shine_through_adc_lesion_white_matter", std::to_string(lesionAdc) + " " + std::to_string(whiteAdc));
  EXPECT_GT(brighter, 1.3);
  EXPECT_GT(lesionAdc, 1.2 * whiteAdc); // high, not restricted
  EXPECT_GT(lesionAdc, 850.0);
  const auto & splenium = shine.truth.at("expected_findings").at("corpus_callosum_splenium");
  EXPECT_TRUE(splenium.at("t2flair_involved").get<bool>());
  EXPECT_FALSE(splenium.at("diffusion_restricted").get<bool>());
  EXPECT_EQ(shine.truth.at("lesions").at(0).at("dwi_bright"), true);
}

TEST_F(PhantomTest, RestrictedSpleniumIsBrightOnDwiWithLowAdc)
{
  // Cytotoxic lesion: bright at b1000 AND ADC low against the same scan's white matter (unlike shine-through).
  const auto & study = Get("splenium_restricted");
  const auto [brighter, lesionAdc, whiteAdc] = DiffusionLesionContrast(study);
  RecordProperty("restricted_b1000_over_white_matter", std::to_string(brighter));
  RecordProperty("restricted_adc_lesion_white_matter", std::to_string(lesionAdc) + " " + std::to_string(whiteAdc));
  EXPECT_GT(brighter, 1.3);
  EXPECT_LT(lesionAdc, 0.8 * whiteAdc);
  const auto & splenium = study.truth.at("expected_findings").at("corpus_callosum_splenium");
  EXPECT_TRUE(splenium.at("diffusion_restricted").get<bool>());
  EXPECT_FALSE(study.truth.at("expected_findings").at("thalamus_left").at("diffusion_restricted").get<bool>());
}

TEST_F(PhantomTest, DiffuseWhiteMatterCaseCompressesTheVentriclesAndIsDiffuseOedema)
{
  // Same anatomy (seed) as the normal case: global swelling must shrink the lateral ventricles.
  const double normal = VolumeMl(Get("normal").labels, { Structure::LateralVentricles });
  const double swollen = VolumeMl(Get("white_matter_diffuse").labels, { Structure::LateralVentricles });
  RecordProperty("ventricles_normal_diffuse_ml", std::to_string(normal) + " " + std::to_string(swollen));
  EXPECT_LT(swollen, 0.85 * normal);
  const auto & oedema = Get("white_matter_diffuse").truth.at("oedema");
  EXPECT_EQ(oedema.at("flag").get<std::string>(), "diffuse");
  EXPECT_EQ(oedema.at("astct_oedema_grade").get<int>(), 4);
  EXPECT_TRUE(Get("white_matter_diffuse")
                .truth.at("expected_findings")
                .at("white_matter_left")
                .at("t2flair_involved")
                .get<bool>());
}

TEST_F(PhantomTest, HippocampiAreBrightOnFlairOnBothSides)
{
  // Seizure-related pattern: both hippocampi hyperintense on FLAIR against the same scan's thalami (deep grey).
  const auto & study = Get("hippocampal_bilateral");
  const auto & flair = study.volumes.at("FLAIR").front();
  const auto & t = study.transforms.at("FLAIR");
  const auto lesionMap = OnSeriesGrid(study.lesionT2Flair, flair, t);
  const auto labelMap = OnSeriesGrid(study.labels, flair, t);
  const auto thalamus =
    Quantile(ValuesIn(flair, labelMap, { Structure::ThalamusLeft, Structure::ThalamusRight }, 1), 0.5);
  for (Structure side : { Structure::HippocampusLeft, Structure::HippocampusRight })
  {
    const auto values = ValuesIn(flair, labelMap, { side }, 1);
    ASSERT_GT(values.size(), 5u);
    EXPECT_GT(Quantile(values, 0.5), 1.1 * thalamus) << static_cast<int>(side);
  }
  const auto & findings = study.truth.at("expected_findings");
  EXPECT_TRUE(findings.at("hippocampus_left").at("t2flair_involved").get<bool>());
  EXPECT_TRUE(findings.at("hippocampus_right").at("t2flair_involved").get<bool>());
  EXPECT_FALSE(findings.at("thalamus_left").at("t2flair_involved").get<bool>());
  EXPECT_GT(ValuesIn(flair, lesionMap, { static_cast<Structure>(1) }).size(), 5u);
}

TEST(PhantomCases, UnknownCaseIsAUsageErrorListingTheCases)
{
  try
  {
    synthetic::FindPhantomCase("thalamic");
    FAIL() << "no exception";
  }
  catch (const UsageError & e)
  {
    for (const char * name : { "normal", "thalamic_bilateral", "splenium_restricted", "hippocampal_bilateral",
                               "white_matter_diffuse", "focal_oedema", "shine_through", "baseline_followup" })
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << name;
  }
  EXPECT_THROW(synthetic::ParsePhantomGeometry("2d"), UsageError);
  EXPECT_EQ(synthetic::ParsePhantomGeometry("3d"), synthetic::PhantomGeometry::Iso3d);
}

TEST(PhantomCases, OedemaGradesFollowAstct)
{
  using synthetic::AstctOedemaGrade;
  using synthetic::FindPhantomCase;
  EXPECT_EQ(AstctOedemaGrade(FindPhantomCase("focal_oedema").oedema), 3);
  EXPECT_EQ(AstctOedemaGrade(FindPhantomCase("white_matter_diffuse").oedema), 4);
  EXPECT_EQ(AstctOedemaGrade(FindPhantomCase("normal").oedema), 0);
  EXPECT_EQ(FindPhantomCase("baseline_followup").sessions.size(), 2u);
}

} // namespace
