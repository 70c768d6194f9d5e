#include "core/Findings.h"
#include "dicom/SeriesKey.h"

#include <gtest/gtest.h>

namespace icanscan::dicom
{
namespace
{

TEST(SeriesKey, WritesAndParsesRolesAndDiffusionVolumes)
{
  for (const SeriesKey & key : { SeriesKey{ SeriesRole::T2, std::nullopt }, SeriesKey{ SeriesRole::ADC, std::nullopt },
                                 DwiKey(0), DwiKey(800), DwiKey(1000) })
    EXPECT_EQ(ParseSeriesKey(ToString(key)), key) << ToString(key);
  EXPECT_EQ(ToString(DwiKey(1000)), "DWI_b1000");
  EXPECT_EQ(ParseSeriesKey("flair"), (SeriesKey{ SeriesRole::FLAIR, std::nullopt }));
}

TEST(SeriesKey, RejectsWhatIsNotAKey)
{
  for (const char * name : { "", "PET", "DWI_b", "DWI_bx", "DWI_b-5", "T2_b1000", "DWI_b1000000", "DWI_b10.5" })
    EXPECT_FALSE(ParseSeriesKey(name).has_value()) << name;
}

TEST(SeriesKey, HighestTraceIgnoresTheB0AndOtherRoles)
{
  EXPECT_EQ(HighestDwiTrace({ "T2", "DWI_b0", "DWI_b500", "DWI_b1000", "ADC" }), DwiKey(1000));
  EXPECT_EQ(HighestDwiTrace({ "DWI_b800", "DWI_b0" }), DwiKey(800));
  EXPECT_FALSE(HighestDwiTrace({ "T2", "DWI_b0", "DWI" }).has_value());
}

TEST(FindingNames, KindsAndSidesRoundTrip)
{
  for (const auto kind : { FindingKind::T2FlairHyperintensity, FindingKind::RestrictedDiffusion })
    EXPECT_EQ(ParseFindingKind(ToString(kind)), kind);
  for (const auto side : { Laterality::Left, Laterality::Right, Laterality::Bilateral, Laterality::Midline })
    EXPECT_EQ(ParseLaterality(ToString(side)), side);
  EXPECT_FALSE(ParseFindingKind("oedema").has_value());
  EXPECT_FALSE(ParseLaterality("both").has_value());
}

} // namespace
} // namespace icanscan::dicom
