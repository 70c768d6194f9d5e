// One whole `icanscan run` on the demo study rewritten to the Siemens trace-only layout (b0 ORIGINAL\...\NONE\ND and
// b1000 DERIVED\...\TRACEW\ND in one series, b only in (0019,100C)), without an ADC series: diffusion is assessed
// from the b0 and the trace. Before, the series was split into a b0-only and a trace-only part and diffusion was
// "not assessable" without a word in the summary.
#include "CliRunner.h"

#include "synthetic/DemoStudy.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using icanscan::test::RunIcanscan;

/** Rewrites one demo DWI file as Siemens stores a trace-only acquisition. */
void ToSiemensTraceOnly(const fs::path & file)
{
  DcmFileFormat format;
  ASSERT_TRUE(format.loadFile(file.c_str()).good()) << file;
  format.loadAllDataIntoMemory();
  DcmDataset & ds = *format.getDataset();
  Float64 b = 0;
  ASSERT_TRUE(ds.findAndGetFloat64(DCM_DiffusionBValue, b).good()) << file;
  ds.findAndDeleteElement(DCM_DiffusionBValue);
  ds.putAndInsertString(DCM_Manufacturer, "SIEMENS");
  ds.putAndInsertString(DCM_ImageType,
                        b > 0 ? "DERIVED\\PRIMARY\\DIFFUSION\\TRACEW\\ND" : "ORIGINAL\\PRIMARY\\DIFFUSION\\NONE\\ND");
  ds.putAndInsertString(DcmTag(0x0019, 0x0010, EVR_LO), "SIEMENS MR HEADER");
  ds.putAndInsertString(DcmTag(0x0019, 0x100c, EVR_IS), b > 0 ? "1000" : "0");
  ASSERT_TRUE(format.saveFile(file.c_str(), EXS_LittleEndianExplicit).good()) << file;
}

TEST(DiffusionRunTest, SiemensTraceOnlyStudyIsAssessedEndToEnd)
{
  const fs::path root = fs::temp_directory_path() / ("icanscan-dwi-run-" + std::to_string(::getpid()));
  fs::remove_all(root);
  icanscan::synthetic::WriteDemoStudy(root / "study");
  fs::remove_all(root / "study" / "4_ADC"); // the ADC must be computed from the b0 and the trace
  for (const auto & entry : fs::directory_iterator(root / "study" / "3 DWI trace"))
    ToSiemensTraceOnly(entry.path());

  const auto r = RunIcanscan({ "run", (root / "study").string(), "-o", (root / "out").string() });
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("diffusion not assessable"), std::string::npos) << r.out;
  std::ifstream in(root / "out" / "report.json");
  const auto report = nlohmann::json::parse(in);
  bool dwiUsed = false;
  for (const auto & s : report.at("series"))
    if (s.at("role") == "DWI")
    {
      EXPECT_EQ(s.at("b_values"), nlohmann::json::array({ 0.0, 1000.0 })) << "b0 and trace stay one set";
      dwiUsed = dwiUsed || s.at("used").get<bool>();
    }
  EXPECT_TRUE(dwiUsed);
  EXPECT_NE(report.at("detection").at("adc_source").get<std::string>().find("computed"), std::string::npos);
  EXPECT_FALSE(report.at("structures").at("thalamus_left").at("diffusion_restricted").is_null());
  for (const auto & w : report.at("warnings"))
    EXPECT_EQ(w.get<std::string>().find("diffusion"), std::string::npos) << w;
  fs::remove_all(root);
}

} // namespace
