#include "synthetic/PhantomProtocol.h"

#include "core/Error.h"
#include "synthetic/PhantomContrast.h"

#include <cctype>
#include <random>

namespace icanscan::synthetic
{
namespace
{

using Seq = PhantomSequences;
using Kind = PhantomSeriesKind;

std::vector<std::string> Split(const std::string & text)
{
  std::vector<std::string> parts;
  std::string part;
  for (const char c : text)
  {
    if (c == '\\')
    {
      parts.push_back(part);
      part.clear();
    }
    else
      part += c;
  }
  parts.push_back(part);
  return parts;
}

std::string Format(double value)
{
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

/** Timings of the contrast model (the same sequences whatever the vendor calls them). */
void SetTimings(dicom::MrSeriesSpec & spec, Kind kind)
{
  switch (kind)
  {
    case Kind::Localizer:
      spec.repetitionTimeMs = Seq::kLocalizerRepetitionMs;
      spec.echoTimeMs = Seq::kLocalizerEchoMs;
      spec.flipAngleDeg = Seq::kLocalizerFlipDeg;
      break;
    case Kind::T2:
      spec.repetitionTimeMs = Seq::kT2RepetitionMs;
      spec.echoTimeMs = Seq::kT2EchoMs;
      spec.flipAngleDeg = 150;
      break;
    case Kind::Flair:
    case Kind::Flair3d:
      spec.repetitionTimeMs = Seq::kFlairRepetitionMs;
      spec.echoTimeMs = Seq::kFlairEchoMs;
      spec.inversionTimeMs = Seq::kFlairInversionMs;
      spec.flipAngleDeg = kind == Kind::Flair3d ? 120 : 150;
      break;
    default:
      spec.repetitionTimeMs = Seq::kDwiRepetitionMs;
      spec.echoTimeMs = Seq::kDwiEchoMs;
      spec.flipAngleDeg = 90;
      break;
  }
}

/** Today's layout, exactly as the phantom wrote it before vendors existed. */
void Icanscan(dicom::MrSeriesSpec & s, Kind kind, bool iso3d)
{
  switch (kind)
  {
    case Kind::Localizer:
      s.seriesNumber = 1;
      s.seriesDescription = s.protocolName = "localizer";
      s.scanningSequence = "GR";
      s.sequenceVariant = "SP";
      s.sequenceName = "*fl2d1";
      break;
    case Kind::T2:
      s.seriesNumber = 2;
      s.seriesDescription = iso3d ? "T2 SPACE AX 1mm" : "T2 TSE AX";
      s.protocolName = iso3d ? "t2_spc_tra_iso" : "t2_tse_tra";
      s.sequenceName = iso3d ? "*spc2_150" : "*tse2d1_15";
      break;
    case Kind::Flair:
    case Kind::Flair3d:
      s.seriesNumber = 3;
      s.seriesDescription = kind == Kind::Flair3d ? "FLAIR SPACE SAG 1mm" : (iso3d ? "FLAIR SPACE AX 1mm" : "FLAIR AX");
      s.protocolName = iso3d || kind == Kind::Flair3d ? "t2_spc_da-fl_tra_iso" : "t2_tirm_tra_dark-fluid";
      s.scanningSequence = "SE\\IR";
      s.sequenceVariant = "SK\\SP\\MP";
      s.sequenceName = iso3d || kind == Kind::Flair3d ? "*spcir_278" : "*tir2d1_16";
      break;
    case Kind::DwiB0:
    case Kind::DwiTrace:
      s.seriesNumber = 4;
      s.seriesDescription = "DWI TRACE AX";
      s.protocolName = "ep2d_diff_trace_tra";
      s.scanningSequence = "EP";
      s.sequenceVariant = "SK\\SP";
      s.imageType = { "ORIGINAL", "PRIMARY", "DIFFUSION", kind == Kind::DwiB0 ? "NONE" : "TRACEW" };
      s.sequenceName = kind == Kind::DwiB0 ? "*ep_b0" : "*ep_b1000t";
      s.bValue = kind == Kind::DwiB0 ? 0.0 : Seq::kBValue;
      break;
    case Kind::Adc:
      s.seriesNumber = 5;
      s.seriesDescription = "DWI TRACE AX_ADC";
      s.protocolName = "ep2d_diff_trace_tra";
      s.scanningSequence = "EP";
      s.sequenceVariant = "SK\\SP";
      s.sequenceName = "*ep_b0_1000";
      s.imageType = { "DERIVED", "PRIMARY", "DIFFUSION", "ADC" };
      break;
  }
}

void Siemens(dicom::MrSeriesSpec & s, Kind kind, const PhantomProtocol & p)
{
  s.manufacturer = "SIEMENS";
  s.manufacturerModelName = "Avanto_fit";
  const std::string mm = Format(p.t2SliceMm) + "mm";
  switch (kind)
  {
    case Kind::Localizer:
      s.seriesNumber = 1;
      s.seriesDescription = s.protocolName = "localizer";
      s.imageType = Split("ORIGINAL\\PRIMARY\\M\\NORM\\DIS2D");
      s.scanningSequence = "GR";
      s.sequenceVariant = "SP\\OSP";
      s.sequenceName = "*fl2d1";
      break;
    case Kind::T2:
      s.seriesNumber = 2;
      s.seriesDescription = s.protocolName = "t2_tse_tra_" + mm;
      s.imageType = Split("ORIGINAL\\PRIMARY\\M\\NORM\\DIS2D");
      s.sequenceVariant = "SK\\SP\\OSP";
      s.sequenceName = "*tse2d1_15";
      break;
    case Kind::Flair:
      s.seriesNumber = 3;
      s.seriesDescription = s.protocolName = "t2_tirm_tra_dark-fluid_" + Format(p.flairSliceMm) + "mm";
      s.imageType = Split("ORIGINAL\\PRIMARY\\M\\NORM\\DIS2D");
      s.scanningSequence = "SE\\IR";
      s.sequenceVariant = "SK\\SP\\MP\\OSP";
      s.sequenceName = "*tir2d1_21";
      break;
    case Kind::Flair3d:
      s.seriesNumber = 3;
      s.seriesDescription = s.protocolName = "t2_space_dark-fluid_sag_p2_iso";
      s.imageType = Split("ORIGINAL\\PRIMARY\\M\\NORM\\ND");
      s.scanningSequence = "SE\\IR";
      s.sequenceVariant = "SK\\SP\\MP\\OSP";
      s.sequenceName = "*spcir3d1_282ns";
      break;
    case Kind::DwiB0:
    case Kind::DwiTrace:
    {
      const bool b0 = kind == Kind::DwiB0;
      s.seriesNumber = 4;
      s.seriesDescription = s.protocolName = "ep2d_diff_3scan_trace_p2";
      s.imageType =
        b0 ? Split("ORIGINAL\\PRIMARY\\DIFFUSION\\NONE\\ND") : Split("DERIVED\\PRIMARY\\DIFFUSION\\TRACEW\\ND");
      s.scanningSequence = "EP";
      s.sequenceVariant = "SK\\SP";
      s.sequenceName = b0 ? "*ep_b0" : "*ep_b1000t";
      s.extraElements = { { 0x0019, 0x0010, "LO", "SIEMENS MR HEADER" },
                          { 0x0019, 0x100c, "IS", b0 ? "0" : Format(Seq::kBValue) } };
      break;
    }
    case Kind::Adc:
      s.seriesNumber = 5;
      s.seriesDescription = "ep2d_diff_3scan_trace_p2_ADC";
      s.protocolName = "ep2d_diff_3scan_trace_p2";
      s.imageType = Split("DERIVED\\PRIMARY\\DIFFUSION\\ADC\\ND");
      s.scanningSequence = "EP";
      s.sequenceVariant = "SK\\SP";
      s.sequenceName = "*ep_b0_1000";
      break;
  }
}

void Ge(dicom::MrSeriesSpec & s, Kind kind, const PhantomProtocol & p)
{
  s.manufacturer = "GE MEDICAL SYSTEMS";
  s.manufacturerModelName = "SIGNA Artist";
  s.imageType = Split("ORIGINAL\\PRIMARY\\OTHER");
  switch (kind)
  {
    case Kind::Localizer:
      s.seriesNumber = 1;
      s.seriesDescription = s.protocolName = "3Plane Loc";
      s.scanningSequence = "GR";
      s.sequenceVariant = "SS\\SK";
      s.sequenceName = "fgre";
      break;
    case Kind::T2:
      s.seriesNumber = 3;
      s.seriesDescription = s.protocolName = "Ax T2 FRFSE";
      s.sequenceVariant = "SK\\OSP";
      s.sequenceName = "frfse-xl";
      break;
    case Kind::Flair:
    case Kind::Flair3d:
      s.seriesNumber = 4;
      s.seriesDescription = s.protocolName = kind == Kind::Flair3d ? "Sag CUBE T2 FLAIR" : "Ax T2 FLAIR";
      s.scanningSequence = "SE\\IR";
      s.sequenceVariant = "SK\\MP\\OSP";
      s.sequenceName = kind == Kind::Flair3d ? "Cube" : "fse-ir";
      break;
    case Kind::DwiB0:
    case Kind::DwiTrace:
    {
      const bool b0 = kind == Kind::DwiB0;
      s.seriesNumber = 5;
      s.seriesDescription = s.protocolName = "Ax DWI 1000b";
      s.scanningSequence = "EP\\SE";
      s.sequenceVariant = "NONE";
      s.sequenceName = "epi2";
      // GE before DICOM diffusion tags: b in (0043,1039) "b\8\0\0", the trace's gradient 0 in (0019,10BB-BD).
      s.extraElements = { { 0x0019, 0x0010, "LO", "GEMS_ACQU_01" },
                          { 0x0019, 0x10bb, "DS", "0.000000" },
                          { 0x0019, 0x10bc, "DS", "0.000000" },
                          { 0x0019, 0x10bd, "DS", "0.000000" },
                          { 0x0043, 0x0010, "LO", "GEMS_PARM_01" },
                          { 0x0043, 0x1039, "IS", (b0 ? std::string("0") : Format(Seq::kBValue)) + "\\8\\0\\0" } };
      break;
    }
    case Kind::Adc:
      s.seriesNumber = 500;
      s.seriesDescription = "ADC (10^-6 mm^2/s)";
      s.protocolName = "Ax DWI 1000b";
      s.imageType = Split("DERIVED\\PRIMARY\\ADC");
      s.scanningSequence = "EP\\SE";
      s.sequenceVariant = "NONE";
      s.sequenceName = "epi2";
      break;
  }
  (void)p;
}

void Philips(dicom::MrSeriesSpec & s, Kind kind, const PhantomProtocol & p)
{
  s.manufacturer = "Philips Medical Systems";
  s.manufacturerModelName = "Ingenia";
  s.sequenceName = "";
  switch (kind)
  {
    case Kind::Localizer:
      s.seriesNumber = 101;
      s.seriesDescription = s.protocolName = "Survey";
      s.imageType = Split("ORIGINAL\\PRIMARY\\M_FFE\\M\\FFE");
      s.scanningSequence = "GR";
      s.sequenceVariant = "SP";
      break;
    case Kind::T2:
      s.seriesNumber = 201;
      s.seriesDescription = s.protocolName = "T2W_TSE_tra";
      s.imageType = Split("ORIGINAL\\PRIMARY\\M_SE\\M\\SE");
      s.sequenceVariant = "SK";
      break;
    case Kind::Flair:
    case Kind::Flair3d:
      s.seriesNumber = 301;
      s.seriesDescription = s.protocolName = kind == Kind::Flair3d ? "3D_Brain_VIEW_FLAIR_SHC" : "T2W_FLAIR_tra";
      s.imageType = Split("ORIGINAL\\PRIMARY\\M_IR\\M\\IR");
      s.scanningSequence = "IR";
      s.sequenceVariant = "SK";
      break;
    case Kind::DwiB0:
    case Kind::DwiTrace:
    {
      const bool b0 = kind == Kind::DwiB0;
      s.seriesNumber = 401;
      s.seriesDescription = s.protocolName = "DWI_tra";
      s.imageType = Split("ORIGINAL\\PRIMARY\\M_SE\\M\\SE");
      s.scanningSequence = "SE";
      s.sequenceVariant = "SK";
      s.bValue = b0 ? 0.0 : Seq::kBValue;
      s.gradient = std::array<double, 3>{ 0.0, 0.0, 0.0 };
      s.extraElements = { { 0x2001, 0x0010, "LO", "Philips Imaging DD 001" },
                          { 0x2001, 0x1003, "FL", b0 ? "0" : Format(Seq::kBValue) },
                          { 0x2001, 0x1004, "CS", "I" } };
      break;
    }
    case Kind::Adc:
      s.seriesNumber = 402;
      s.seriesDescription = s.protocolName = "DWI_tra_ADC";
      s.imageType = Split("DERIVED\\PRIMARY\\ADC\\ADC");
      s.scanningSequence = "SE";
      s.sequenceVariant = "SK";
      break;
  }
  (void)p;
}

} // namespace

std::string ToString(PhantomVendor vendor)
{
  switch (vendor)
  {
    case PhantomVendor::Siemens:
      return "siemens";
    case PhantomVendor::Ge:
      return "ge";
    case PhantomVendor::Philips:
      return "philips";
    case PhantomVendor::Icanscan:
      break;
  }
  return "icanscan";
}

PhantomVendor ParsePhantomVendor(const std::string & text)
{
  for (const auto v : { PhantomVendor::Icanscan, PhantomVendor::Siemens, PhantomVendor::Ge, PhantomVendor::Philips })
    if (text == ToString(v))
      return v;
  throw UsageError("phantom vendor '" + text + "': expected icanscan, siemens, ge or philips");
}

PhantomProtocol DrawProtocol(unsigned seed,
                             const std::string & caseName,
                             bool vary,
                             std::optional<PhantomVendor> forced)
{
  PhantomProtocol protocol;
  if (!vary)
  {
    protocol.vendor = forced.value_or(PhantomVendor::Icanscan);
    return protocol;
  }
  unsigned caseHash = 2166136261u; // FNV-1a: the same case name gives the same stream on every platform
  for (const char c : caseName)
    caseHash = (caseHash ^ static_cast<unsigned char>(c)) * 16777619u;
  std::seed_seq streamSeed{ seed, 7u, caseHash };
  std::mt19937 rng(streamSeed);
  auto pick = [&rng](unsigned n) { return std::uniform_int_distribution<unsigned>(0, n - 1)(rng); };
  const PhantomVendor vendors[3] = { PhantomVendor::Siemens, PhantomVendor::Ge, PhantomVendor::Philips };
  const PhantomVendor drawn = vendors[pick(3)];
  protocol.vendor = forced.value_or(drawn);
  const double thickness[2] = { 5.0, 6.0 }, gaps[3] = { 0.0, 0.5, 1.0 };
  protocol.t2SliceMm = thickness[pick(2)];
  protocol.t2GapMm = gaps[pick(3)];
  protocol.flairSliceMm = thickness[pick(2)];
  protocol.flairGapMm = gaps[pick(3)];
  protocol.dwiGapMm = pick(2) ? 1.0 : 0.0;
  protocol.flair3dSagittal = pick(3) == 0;
  protocol.localizer = true;
  return protocol;
}

dicom::MrSeriesSpec VendorSeriesSpec(const PhantomProtocol & protocol, PhantomSeriesKind kind, bool iso3d)
{
  dicom::MrSeriesSpec spec;
  spec.mrAcquisitionType = iso3d || kind == Kind::Flair3d ? "3D" : "2D";
  SetTimings(spec, kind);
  switch (protocol.vendor)
  {
    case PhantomVendor::Siemens:
      Siemens(spec, kind, protocol);
      break;
    case PhantomVendor::Ge:
      Ge(spec, kind, protocol);
      break;
    case PhantomVendor::Philips:
      Philips(spec, kind, protocol);
      break;
    case PhantomVendor::Icanscan:
      Icanscan(spec, kind, iso3d);
      SetTimings(spec, kind);
      spec.mrAcquisitionType = iso3d || kind == Kind::Flair3d ? "3D" : "2D";
      break;
  }
  return spec;
}

std::string SeriesFolderName(const PhantomProtocol & protocol, PhantomSeriesKind kind, const dicom::MrSeriesSpec & spec)
{
  if (protocol.vendor == PhantomVendor::Icanscan) // the names scripts and tests of earlier phantoms know
    switch (kind)
    {
      case Kind::T2:
        return "2_T2_AX";
      case Kind::Flair:
        return "3_FLAIR_AX";
      case Kind::DwiB0:
      case Kind::DwiTrace:
        return "4_DWI_TRACE_AX";
      case Kind::Adc:
        return "5_ADC";
      default:
        break;
    }
  std::string name = std::to_string(spec.seriesNumber) + "_";
  for (const char c : spec.seriesDescription)
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

} // namespace icanscan::synthetic
