// What the DICOM export takes from a run before any DICOM is written: the key images of report.html, the TID 1500
// content of report.json, and the segment codes.
#include "core/DisplayColours.h"
#include "core/Error.h"
#include "pipeline/export/ExportCodes.h"
#include "pipeline/export/MeasurementContent.h"
#include "pipeline/export/ReportKeyImages.h"
#include "pipeline/report/ReportHtml.h"
#include "pipeline/report/OutputFiles.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;

pipeline::RgbImage::Pointer Picture(unsigned width, unsigned height, unsigned char seed)
{
  auto image = pipeline::RgbImage::New();
  pipeline::RgbImage::SizeType size{ { width, height } };
  image->SetRegions(size);
  image->Allocate();
  for (std::size_t i = 0; i < image->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
  {
    itk::RGBPixel<unsigned char> p;
    p[0] = static_cast<unsigned char>(i * 7 + seed);
    p[1] = static_cast<unsigned char>(i * 3);
    p[2] = seed;
    image->GetBufferPointer()[i] = p;
  }
  return image;
}

TEST(ReportKeyImages, DecodesTheReportsPicturesWithTitlesAndOrientation)
{
  const fs::path folder = fs::temp_directory_path() / ("icanscan-keyimages-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  std::vector<pipeline::KeyImageFigure> figures(3);
  figures[0].title = "Finding 1: <thalamus> & \"both\"";
  figures[0].png = pipeline::EncodePng(Picture(9, 5, 10));
  figures[1].title = "not rendered"; // png empty: "image not available"
  figures[2].title = "Coronal";
  figures[2].png = pipeline::EncodePng(Picture(4, 6, 99));
  figures[2].plane = pipeline::KeyImagePlane::Coronal;
  figures[2].radiological = false;
  nlohmann::json report{ { "schema_version", 1 } };
  pipeline::WriteTextFileAtomically(folder / "report.html", pipeline::RenderReportHtml(report, figures));

  const auto frames = pipeline::ReadReportKeyImages(folder / "report.html");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].title, figures[0].title);
  EXPECT_EQ(frames[0].patientOrientation, "L\\P");
  EXPECT_EQ(frames[1].patientOrientation, "R\\F");
  const auto expected = Picture(9, 5, 10);
  ASSERT_EQ(frames[0].columns, 9u);
  ASSERT_EQ(frames[0].rows, 5u);
  for (std::size_t i = 0; i < 45; ++i)
    for (unsigned c = 0; c < 3; ++c)
      ASSERT_EQ(frames[0].rgb[3 * i + c], expected->GetBufferPointer()[i][c]) << i;

  pipeline::WriteTextFileAtomically(folder / "none.html", pipeline::RenderReportHtml(report, {}));
  EXPECT_TRUE(pipeline::ReadReportKeyImages(folder / "none.html").empty());
  EXPECT_THROW(pipeline::ReadReportKeyImages(folder / "missing.html"), InputError);
  pipeline::WriteTextFileAtomically(
    folder / "broken.html", "<figure class=\"key\"><img src=\"data:image/png;base64,AAAA\" alt=\"x\"></figure>");
  EXPECT_THROW(pipeline::ReadReportKeyImages(folder / "broken.html"), InputError);
  fs::remove_all(folder);
}

TEST(ReportKeyImages, Base64RoundTripsAndRejectsForeignCharacters)
{
  std::string bytes;
  for (int i = 0; i < 300; ++i)
    bytes.push_back(static_cast<char>(i * 37));
  for (std::size_t n : { 0u, 1u, 2u, 3u, 299u })
    EXPECT_EQ(pipeline::Base64Decode(pipeline::Base64Encode(bytes.substr(0, n))), bytes.substr(0, n));
  EXPECT_THROW(pipeline::Base64Decode("QU*J"), InputError);
}

nlohmann::json Report()
{
  nlohmann::json r;
  r["structures"] = nlohmann::json::object();
  for (const auto & info : pipeline::AllStructures())
    r["structures"][info.key] = { { "volume_ml", 8.25 },
                                  { "hyperintense_ml", 1.5 },
                                  { "restricted_ml", nullptr },
                                  { "adc_mean_um2s", 812.5 },
                                  { "adc_ratio", 1.05 },
                                  { "t2flair_involved", true },
                                  { "diffusion_restricted", nullptr } };
  r["lesions"] = { { { "kind", "t2flair_hyperintensity" }, { "volume_ml", 2.0 } },
                   { { "kind", "t2flair_hyperintensity" }, { "volume_ml", 0.5 } },
                   { { "kind", "restricted_diffusion" }, { "volume_ml", 9.0 } } };
  r["oedema"] = { { "flag", "diffuse" },
                  { "reasons", { { { "text", "ventricles compressed" } } } },
                  { "notes", nlohmann::json::array() } };
  r["icans"] = { { "oedema_domain_grade", 4 }, { "grade", nullptr }, { "reasons", { "icp_oedema: diffuse -> 4" } } };
  r["registration"] = { { { "moving", "FLAIR" }, { "status", "suspect" }, { "messages", { "edge low" } } },
                        { { "moving", "atlas" }, { "status", "ok" } } };
  r["warnings"] = { "FLAIR registration suspect" };
  return r;
}

TEST(MeasurementContent, CarriesEveryStructureNumberUnchangedAndNullsAsNotAssessable)
{
  pipeline::ExportSegmentIndex segments;
  segments.t2flair = 14;
  const auto content = pipeline::MeasurementContent(Report(), segments, "1.2.3");
  ASSERT_EQ(content.groups.size(), pipeline::kStructureCount + 1);
  const auto & thalamus = content.groups.front();
  EXPECT_EQ(thalamus.trackingId, "thalamus_left");
  EXPECT_EQ(thalamus.laterality->value, "7771000");
  ASSERT_EQ(thalamus.measurements.size(), 5u);
  EXPECT_EQ(*thalamus.measurements[0].value, 8.25);
  EXPECT_EQ(thalamus.measurements[0].unit.value, "cm3");
  EXPECT_FALSE(thalamus.measurements[2].value.has_value()); // restricted_ml null
  EXPECT_EQ(thalamus.measurements[3].derivation->meaning, "Mean");
  EXPECT_EQ(thalamus.evaluations[0].code->meaning, "Present");
  EXPECT_EQ(thalamus.evaluations[1].code->meaning, "Not Evaluated");
  const auto & ventricles = content.groups[pipeline::kStructureCount - 1];
  EXPECT_EQ(ventricles.measurements.size(), 2u); // volume and ADC only
  EXPECT_EQ(ventricles.laterality->meaning, "Bilateral");
  const auto & lesion = content.groups.back();
  EXPECT_EQ(lesion.segment, 14u);
  EXPECT_EQ(*lesion.measurements[0].value, 2.5);

  const auto has = [&](const std::string & concept, const std::string & value)
  {
    return std::any_of(content.evaluations.begin(), content.evaluations.end(),
                       [&](const dicom::QualitativeEvaluation & e)
                       { return e.concept.meaning == concept && (e.code ? e.code->meaning : e.text) == value; });
  };
  EXPECT_TRUE(has("Edema", "Diffuse"));
  EXPECT_TRUE(has("Reason for the oedema flag", "ventricles compressed"));
  EXPECT_TRUE(has("ASTCT ICANS grade, cerebral oedema domain (imaging)", "Grade 4"));
  EXPECT_TRUE(has("Registration QC of FLAIR to the reference", "Usable - Does not meet the quality control standard"));
  EXPECT_TRUE(has("Warning", "FLAIR registration suspect"));
  EXPECT_TRUE(has("Comment", pipeline::ReviewNotice("1.2.3")));
  for (const auto & e : content.evaluations)
    EXPECT_LE(e.concept.value.size(), 16u) << e.concept.value;
}

TEST(ExportCodes, StructuresUsePs316CodesOrTheirPrivateSchemeWithinDicomLimits)
{
  for (const auto & info : pipeline::AllStructures())
  {
    const auto segment = pipeline::StructureSegment(info);
    EXPECT_EQ(segment.value, static_cast<int>(info.structure));
    EXPECT_EQ(segment.rgb, info.rgb);
    EXPECT_TRUE(segment.type.scheme == "SCT" || segment.type.scheme == "99ICANSCAN") << info.key;
    EXPECT_LE(segment.type.value.size(), 16u);
    EXPECT_LE(segment.type.meaning.size(), 64u);
    EXPECT_LE(segment.label.size(), 64u);
  }
  EXPECT_EQ(pipeline::StructureTypeCode(pipeline::Info(pipeline::Structure::ThalamusRight)).value, "42695009");
  EXPECT_EQ(pipeline::StructureLaterality(pipeline::Info(pipeline::Structure::ThalamusRight))->value, "24028007");
  EXPECT_FALSE(pipeline::StructureLaterality(pipeline::Info(pipeline::Structure::CorpusCallosumGenu)).has_value());
  EXPECT_EQ(pipeline::LesionSegment(pipeline::LesionClass::RestrictedDiffusion).category.value, "49755003");
  // Lesion segments are drawn in the colours of the report's key images and the viewer.
  EXPECT_EQ(pipeline::LesionSegment(pipeline::LesionClass::T2FlairHyperintensity).rgb, kT2FlairLesionStyle.rgb);
  EXPECT_EQ(pipeline::LesionSegment(pipeline::LesionClass::RestrictedDiffusion).rgb, kRestrictedLesionStyle.rgb);
}

} // namespace
