#include "pipeline/report/ReportHtml.h"

#include "itkImageFileReader.h"
#include "itkPNGImageIO.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan;
using nlohmann::json;
using pipeline::KeyImageFigure;
using pipeline::KeyImagePlane;
using pipeline::RgbImage;

/** The example report of schema 1, with hostile text in places a scanner or user controls. */
json ExampleReport()
{
  return json::parse(R"({
    "schema_version": 1, "icanscan_version": "0.4.0", "study": {"study_uid_hash": "ab12cd34"},
    "reference": {"role": "T2", "series_number": 3},
    "series": [
      {"role": "T2", "series_number": 3, "series_description": "t2_tse_tra", "b_values": [],
       "qc": {"status": "ok", "messages": []}},
      {"role": "DWI", "series_number": 5, "series_description": "<script>alert(1)</script>", "b_values": [0, 1000],
       "qc": {"status": "warning", "messages": ["motion in 2 of 24 slices"]}}],
    "registration": [{"moving": "FLAIR", "fixed": "T2", "status": "ok", "messages": ["NCC 0.93"]}],
    "structures": {
      "thalamus_left": {"volume_ml": 7.9, "expected_volume_ml": 7.1, "t2flair_involved": true,
        "diffusion_restricted": null, "hyperintense_ml": 5.2, "restricted_ml": null, "adc_mean_um2s": 812.0,
        "adc_ratio": 1.08},
      "zz_unassessed": {"volume_ml": 1.0, "expected_volume_ml": null, "t2flair_involved": null,
        "diffusion_restricted": null}},
    "findings": [{"id": 1, "kind": "t2flair_hyperintensity", "structure": "thalamus", "laterality": "bilateral",
      "volume_ml": 9.4, "centroid_mm": [1.0, -12.0, 8.0]}],
    "oedema": {"flag": "focal", "markers": {"thalamus_swelling_pct": 18.0},
      "reasons": [{"marker": "thalamus_swelling_pct", "value": 18.0, "threshold": 12.0,
        "text": "both thalami 18 % larger than expected"}]},
    "icans": {"oedema_domain_grade": 3, "grade": null, "determining_domains": []},
    "baseline": {"structures": {"thalamus_left": {"volume_change_pct": 12.0}},
      "new_findings": [{"id": 1, "kind": "t2flair_hyperintensity", "structure": "thalamus"}],
      "resolved_findings": []},
    "warnings": ["FLAIR & T2 <differ> in slice thickness"],
    "methods": ["Rigid registration to the T2.", "Atlas segmentation."]
  })");
}

/** A tiny two-colour PNG made by the ITK writer. */
std::string SmallPng()
{
  auto image = RgbImage::New();
  image->SetRegions(RgbImage::RegionType(itk::Size<2>{ { 7, 5 } }));
  image->Allocate();
  itk::RGBPixel<unsigned char> red;
  red[0] = 255, red[1] = 0, red[2] = 0;
  image->FillBuffer(red);
  image->GetBufferPointer()[0][1] = 200;
  return pipeline::EncodePng(image);
}

std::string Base64Decode(const std::string & text)
{
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text)
  {
    if (c == '=')
      break;
    const auto value = alphabet.find(c);
    if (value == std::string::npos)
      throw std::runtime_error("not base64");
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8)
    {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

/** Every data:image/png;base64 payload in the page, decoded. */
std::vector<std::string> EmbeddedPngs(const std::string & html)
{
  const std::string prefix = "data:image/png;base64,";
  std::vector<std::string> images;
  for (auto at = html.find(prefix); at != std::string::npos; at = html.find(prefix, at + 1))
  {
    const auto begin = at + prefix.size();
    images.push_back(Base64Decode(html.substr(begin, html.find('"', begin) - begin)));
  }
  return images;
}

std::size_t Count(const std::string & text, const std::string & what)
{
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

/** The table row whose first cell is `name`. */
std::string RowOf(const std::string & html, const std::string & name)
{
  const auto at = html.find("<tr><td>" + name + "</td>");
  if (at == std::string::npos)
    return {};
  return html.substr(at, html.find("</tr>", at) - at);
}

TEST(ReportHtmlTest, ExampleReportHasEverySectionInOrder)
{
  const std::string html = pipeline::RenderReportHtml(ExampleReport(), {});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>icanscan ICANS imaging report"), std::string::npos);
  EXPECT_NE(html.find("Supports clinical review; does not replace it."), std::string::npos);
  EXPECT_NE(html.find("0.4.0"), std::string::npos);
  EXPECT_NE(html.find("ab12cd34"), std::string::npos);
  std::size_t previous = 0;
  for (const char * heading :
       { "<h1>icanscan ICANS imaging report</h1>", "<h2>Summary</h2>", "<h2>Findings</h2>", "<h2>Key images</h2>",
         "<h2>Structures</h2>", "<h2>Series and quality control</h2>", "<h2>Registration</h2>", "<h2>Warnings</h2>",
         "<h2>Methods</h2>", "<h2>Comparison with baseline</h2>" })
  {
    const auto at = html.find(heading);
    ASSERT_NE(at, std::string::npos) << heading;
    EXPECT_GT(at, previous) << heading << " out of order";
    previous = at;
  }
  EXPECT_NE(html.find("<p>Atlas segmentation.</p>"), std::string::npos);
  EXPECT_NE(html.find("volume change (%)"), std::string::npos);
}

TEST(ReportHtmlTest, SummaryShowsFlagReasonsAndImagingOnlyGrade)
{
  const std::string html = pipeline::RenderReportHtml(ExampleReport(), {});
  EXPECT_NE(html.find("<span class=\"flag flag-focal\">Oedema flag: focal</span>"), std::string::npos);
  EXPECT_NE(html.find("both thalami 18 % larger than expected"), std::string::npos);
  EXPECT_NE(html.find("threshold 12"), std::string::npos);
  EXPECT_NE(html.find("imaging only: oedema-domain grade 3"), std::string::npos);

  json report = ExampleReport();
  report["oedema"]["flag"] = "diffuse";
  report["icans"] = { { "oedema_domain_grade", 4 }, { "grade", 4 }, { "determining_domains", { "oedema", "ICE" } } };
  const std::string graded = pipeline::RenderReportHtml(report, {});
  EXPECT_NE(graded.find("flag-diffuse"), std::string::npos);
  EXPECT_NE(graded.find("grade 4 (determined by: oedema, ICE)"), std::string::npos);
  EXPECT_EQ(graded.find("imaging only"), std::string::npos);

  report["icans"]["domains_not_assessed"] = { "motor" };
  report["icans"]["domain_grades"] = { { "ice", 2 }, { "motor", nullptr }, { "icp_oedema", 4 } };
  const std::string partial = pipeline::RenderReportHtml(report, {});
  EXPECT_NE(partial.find("at least grade 4 (determined by: oedema, ICE); not assessed: motor"), std::string::npos);
  EXPECT_NE(partial.find("Domain grades: ice 2; motor not assessed; icp oedema 4"), std::string::npos);

  report["oedema"]["flag"] = "not_assessable";
  report["icans"] = { { "oedema_domain_grade", nullptr }, { "grade", nullptr } };
  const std::string unassessable = pipeline::RenderReportHtml(report, {});
  EXPECT_NE(unassessable.find("<span class=\"flag flag-not_assessable\">Oedema flag: not assessable</span>"),
            std::string::npos);
  EXPECT_NE(unassessable.find("ICANS overall grade</span><span class=\"value\">not assessable"), std::string::npos);
}

TEST(ReportHtmlTest, NullBooleansAreNotAssessableNeverNo)
{
  const std::string html = pipeline::RenderReportHtml(ExampleReport(), {});
  const std::string thalamus = RowOf(html, "thalamus left");
  ASSERT_FALSE(thalamus.empty());
  EXPECT_NE(thalamus.find("<td class=\"yes\">yes</td><td class=\"na\">not assessable</td>"), std::string::npos)
    << thalamus;
  EXPECT_NE(thalamus.find(">812<"), std::string::npos) << thalamus;
  EXPECT_NE(thalamus.find(">1.08<"), std::string::npos) << thalamus;
  const std::string unassessed = RowOf(html, "zz unassessed");
  ASSERT_FALSE(unassessed.empty());
  EXPECT_EQ(Count(unassessed, "not assessable"), 2u) << unassessed;
  EXPECT_EQ(unassessed.find(">no<"), std::string::npos) << unassessed;
}

TEST(ReportHtmlTest, EscapesEveryReportString)
{
  json report = ExampleReport();
  report["structures"]["<b>x</b>"] = { { "volume_ml", 1.0 } };
  report["oedema"]["reasons"][0]["text"] = "\"quoted\" <img src=x onerror=alert(1)>";
  KeyImageFigure figure{ "<script>title</script>", "a & b", SmallPng(), KeyImagePlane::Axial, true };
  const std::string html = pipeline::RenderReportHtml(report, { figure });
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(html.find("<b>x"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("FLAIR &amp; T2 &lt;differ&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;quoted&quot;"), std::string::npos);
  EXPECT_NE(html.find("a &amp; b"), std::string::npos);
  EXPECT_EQ(pipeline::EscapeHtml("<a href='x'>&</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
}

TEST(ReportHtmlTest, SelfContainedWithDecodableImagesAndOrientationLetters)
{
  const std::string png = SmallPng();
  const std::vector<KeyImageFigure> figures{ { "Axial FLAIR", "red: hyperintensity", png, KeyImagePlane::Axial, true },
                                             { "Coronal FLAIR", "", png, KeyImagePlane::Coronal, false },
                                             { "Sagittal", "", "", KeyImagePlane::Sagittal, true } };
  const std::string html = pipeline::RenderReportHtml(ExampleReport(), figures);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(Count(html, "src=\""), Count(html, "src=\"data:image/png;base64,"));
  EXPECT_EQ(html.find("<script"), std::string::npos);

  const auto images = EmbeddedPngs(html);
  ASSERT_EQ(images.size(), 2u);
  const fs::path file = fs::temp_directory_path() / ("icanscan-report-test-" + std::to_string(::getpid()) + ".png");
  for (const auto & bytes : images)
  {
    EXPECT_EQ(bytes, png);
    {
      std::ofstream out(file, std::ios::binary);
      out << bytes;
    }
    auto reader = itk::ImageFileReader<RgbImage>::New();
    reader->SetImageIO(itk::PNGImageIO::New());
    reader->SetFileName(file.string());
    reader->Update();
    EXPECT_EQ(reader->GetOutput()->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 7, 5 } }));
    EXPECT_EQ(reader->GetOutput()->GetBufferPointer()[0][1], 200);
  }
  fs::remove(file);

  // Radiological axial, neurological coronal, sagittal.
  EXPECT_NE(html.find("<span class=\"edge edge-left\">R</span><span class=\"edge edge-right\">L</span><span "
                      "class=\"edge edge-top\">A</span><span class=\"edge edge-bottom\">P</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"edge edge-left\">L</span><span class=\"edge edge-right\">R</span><span "
                      "class=\"edge edge-top\">S</span><span class=\"edge edge-bottom\">I</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"edge edge-left\">A</span><span class=\"edge edge-right\">P</span>"),
            std::string::npos);
  EXPECT_NE(html.find("image not available"), std::string::npos);
  EXPECT_NE(html.find("<strong>Axial FLAIR</strong><br>red: hyperintensity"), std::string::npos);
}

TEST(ReportHtmlTest, MissingOrOddSectionsDoNotThrow)
{
  std::string html;
  ASSERT_NO_THROW(html = pipeline::RenderReportHtml(json::object(), {}));
  EXPECT_NE(html.find("Supports clinical review; does not replace it."), std::string::npos);
  EXPECT_NE(html.find("Oedema flag: —"), std::string::npos);
  EXPECT_EQ(html.find("Comparison with baseline"), std::string::npos) << "no baseline section without a baseline";
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_NO_THROW(pipeline::RenderReportHtml(json(), {}));
  EXPECT_NO_THROW(pipeline::RenderReportHtml(json::array({ 1, 2 }), {}));
  EXPECT_NO_THROW(pipeline::RenderReportHtml(json("text"), {}));

  const json odd = json::parse(R"({
    "schema_version": 2, "icanscan_version": null, "study": [], "reference": "T2",
    "series": [{"qc": null}, 5, {"series_number": "x", "qc": {"status": 7}}],
    "registration": {"moving": "FLAIR"},
    "structures": {"a": null, "b": 5, "c": {"t2flair_involved": "maybe"}},
    "findings": 3,
    "oedema": {"flag": 42, "reasons": [{"value": null}, "plain reason", 7], "markers": []},
    "icans": {"grade": "three", "determining_domains": "oedema"},
    "baseline": {"structures": [1], "new_findings": null, "interval_days": 14},
    "warnings": "just one", "methods": {"text": "x"}
  })");
  ASSERT_NO_THROW(html = pipeline::RenderReportHtml(odd, {}));
  EXPECT_NE(html.find("report schema 2"), std::string::npos);
  EXPECT_NE(html.find("laid out for report schema 1"), std::string::npos);
  EXPECT_NE(html.find("flag-unknown"), std::string::npos);
  EXPECT_NE(html.find("plain reason"), std::string::npos);
  EXPECT_NE(html.find("Comparison with baseline"), std::string::npos);
  EXPECT_NE(html.find("interval days"), std::string::npos);

  json infinite = ExampleReport();
  infinite["structures"]["thalamus_left"]["volume_ml"] = std::numeric_limits<double>::quiet_NaN();
  infinite["warnings"].push_back(std::string("bad utf-8 \xff\xfe"));
  infinite["baseline"]["details"] = { { "bytes", std::string("\xc3\x28") } };
  EXPECT_NO_THROW(pipeline::RenderReportHtml(infinite, {}));
}
} // namespace
