#include "tests/export/ExportChecks.h"

#include "pipeline/geometry/StructureLabels.h"
#include "tests/export/DicomReadBack.h"
#include "tests/export/ExportTestData.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace icanscan::test
{
namespace fs = std::filesystem;

bool EqualToDsPrecision(const std::string & text, double value)
{
  if (text.empty() || text.size() > 16)
    return false;
  std::size_t digits = 0;
  bool leading = true;
  for (const char c : text)
  {
    if (c == 'e' || c == 'E')
      break;
    if (c < '0' || c > '9')
      continue;
    if (c != '0')
      leading = false;
    if (!leading)
      ++digits;
  }
  const double written = std::stod(text);
  if (value == 0.0 || written == 0.0)
    return written == value;
  const double exponent = std::floor(std::log10(std::abs(value)));
  const double halfUlp = 0.5 * std::pow(10.0, exponent - static_cast<double>(std::max<std::size_t>(digits, 1)) + 1);
  // Half a unit of the last written digit, plus the rounding of the doubles compared.
  return std::abs(written - value) <= halfUlp * 1.001 + 8 * std::numeric_limits<double>::epsilon() * std::abs(value);
}

void ExpectSegmentationMatchesRun(const fs::path & seg, const fs::path & run)
{
  const auto labels = ReadMask(run / "volumes" / "labels.nii.gz");
  const auto segments = ReadSegmentation(seg, labels);
  auto rebuilt = filters::MaskImage::New();
  rebuilt->CopyInformation(labels);
  rebuilt->SetRegions(labels->GetLargestPossibleRegion());
  rebuilt->Allocate(true);
  std::size_t structures = 0, overlap = 0;
  bool t2flair = false, dwi = false;
  for (const auto & [number, s] : segments)
  {
    for (const auto & info : pipeline::AllStructures())
    {
      if (s.trackingId != info.key)
        continue;
      ++structures;
      for (std::size_t i = 0; i < labels->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
        if (s.mask->GetBufferPointer()[i])
        {
          overlap += rebuilt->GetBufferPointer()[i] != 0;
          rebuilt->GetBufferPointer()[i] = static_cast<unsigned char>(info.structure);
        }
    }
    for (const auto & [key, file, seen] :
         { std::tuple<std::string, std::string, bool *>{ "lesion_t2flair", "lesion_t2flair.nii.gz", &t2flair },
           { "lesion_dwi", "lesion_dwi.nii.gz", &dwi } })
    {
      if (s.trackingId != key)
        continue;
      *seen = true;
      ASSERT_TRUE(fs::exists(run / "volumes" / file)) << key << " segment without " << file;
      const auto mask = ReadMask(run / "volumes" / file);
      EXPECT_DOUBLE_EQ(Dice(mask, s.mask), 1.0) << key;
      std::size_t differ = 0;
      for (std::size_t i = 0; i < mask->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
        differ += (mask->GetBufferPointer()[i] != 0) != (s.mask->GetBufferPointer()[i] != 0);
      EXPECT_EQ(differ, 0u) << key;
      EXPECT_EQ(s.categoryCode, "49755003^SCT^Morphologically Abnormal Structure");
    }
  }
  EXPECT_EQ(structures, pipeline::kStructureCount);
  EXPECT_EQ(overlap, 0u);
  EXPECT_EQ(CountDifferent(rebuilt, labels), 0u) << "label map rebuilt from " << seg;
  EXPECT_EQ(t2flair, fs::exists(run / "volumes" / "lesion_t2flair.nii.gz"));
  EXPECT_EQ(dwi, fs::exists(run / "volumes" / "lesion_dwi.nii.gz"));
}

void ExpectReportMatchesJson(const fs::path & sr, const nlohmann::json & report)
{
  const auto numbers = ReadSrMeasurements(sr);
  const std::pair<const char *, const char *> fields[] = {
    { "Volume", "volume_ml" },
    { "Volume of T2/FLAIR hyperintensity", "hyperintense_ml" },
    { "Volume of restricted diffusion", "restricted_ml" },
    { "Apparent Diffusion Coefficient", "adc_mean_um2s" },
    { "ADC ratio to normal tissue of the same class", "adc_ratio" },
  };
  std::size_t compared = 0;
  for (const auto & info : pipeline::AllStructures())
  {
    ASSERT_TRUE(numbers.count(info.key)) << "no measurement group " << info.key;
    const auto & group = numbers.at(info.key);
    const auto & s = report.at("structures").at(info.key);
    for (const auto & [concept, key] : fields)
    {
      const auto it = group.find(concept);
      if (it == group.end())
      {
        EXPECT_TRUE(s.at(key).is_null()) << info.key << " " << key << " missing from the SR";
        continue;
      }
      if (s.at(key).is_null())
        EXPECT_EQ(it->second, "") << info.key << " " << key << ": null written as a number";
      else
      {
        EXPECT_TRUE(EqualToDsPrecision(it->second, s.at(key).get<double>()))
          << info.key << " " << key << ": SR " << it->second << ", report " << s.at(key);
        ++compared;
      }
    }
  }
  EXPECT_GE(compared, pipeline::kStructureCount); // at least every volume
  for (const auto & [kind, group] : { std::pair<std::string, std::string>{ "t2flair_hyperintensity", "lesion_t2flair" },
                                      { "restricted_diffusion", "lesion_dwi" } })
  {
    if (!numbers.count(group))
      continue;
    double total = 0;
    for (const auto & lesion : report.at("lesions"))
      if (lesion.at("kind") == kind)
        total += lesion.at("volume_ml").get<double>();
    EXPECT_TRUE(EqualToDsPrecision(numbers.at(group).at("Volume"), total)) << group;
  }
}

} // namespace icanscan::test
