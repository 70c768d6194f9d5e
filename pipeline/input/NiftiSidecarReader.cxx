#include "pipeline/input/NiftiSidecarReader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
std::string Text(const nlohmann::json & j, const char * key, const std::string & fallback = "")
{
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

/** A finite number below 1e9 in magnitude, else `fallback` (hostile sidecars: 1e308 must not become a time). */
double Number(const nlohmann::json & j, const char * key, double fallback)
{
  const auto it = j.find(key);
  const double value = it != j.end() && it->is_number() ? it->get<double>() : fallback;
  return std::isfinite(value) && std::abs(value) < 1e9 ? value : fallback;
}

/** dcm2niix writes multi-valued DICOM strings with backslashes; older versions used underscores ("SE_IR"). */
std::string BackslashList(std::string s)
{
  std::replace(s.begin(), s.end(), '_', '\\');
  return s;
}

std::string Lower(std::string s)
{
  for (auto & c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/** DiffusionBValue as one number or an array of numbers; empty when absent or not numbers. */
std::vector<double> BValues(const nlohmann::json & j)
{
  std::vector<double> values;
  const auto it = j.find("DiffusionBValue");
  if (it == j.end())
    return values;
  if (it->is_number())
    values.push_back(it->get<double>());
  else if (it->is_array())
    for (const auto & v : *it)
      if (v.is_number() && std::isfinite(v.get<double>()))
        values.push_back(v.get<double>());
  return values;
}
} // namespace

bool SidecarTimesAreMilliseconds(double repetitionTime, double echoTime, double inversionTime)
{
  return echoTime > 1.0 || repetitionTime > 100.0 || inversionTime > 10.0;
}

NiftiSidecarReading ReadNiftiSidecar(const std::optional<nlohmann::json> & sidecar,
                                     const std::string & name,
                                     const std::string & sidecarFile)
{
  // Without a sidecar, nothing but the name (so the classifier says the description alone decided instead of
  // guessing from a spin-echo default).
  NiftiSidecarReading reading;
  dicom::MrSeriesSpec & spec = reading.spec;
  spec.patientName = "";
  spec.patientId = "";
  spec.manufacturer = "";
  spec.seriesDescription = name;
  spec.protocolName = name;
  spec.imageType = { "ORIGINAL", "PRIMARY" };
  spec.scanningSequence = "";
  spec.sequenceVariant = "";
  spec.mrAcquisitionType = "";
  spec.repetitionTimeMs = 0;
  spec.echoTimeMs = 0;
  spec.flipAngleDeg = 0;
  spec.fieldStrengthT = 0;
  if (!sidecar)
    return reading;
  const nlohmann::json & j = *sidecar;
  spec.seriesDescription = Text(j, "SeriesDescription", name);
  spec.protocolName = Text(j, "ProtocolName", spec.seriesDescription);
  if (j.contains("ImageType") && j["ImageType"].is_array())
  {
    spec.imageType.clear();
    for (const auto & v : j["ImageType"])
      if (v.is_string())
        spec.imageType.push_back(v.get<std::string>());
  }
  spec.scanningSequence = BackslashList(Text(j, "ScanningSequence"));
  spec.sequenceVariant = BackslashList(Text(j, "SequenceVariant"));
  spec.sequenceName = Text(j, "SequenceName", Text(j, "PulseSequenceName"));
  spec.mrAcquisitionType = Text(j, "MRAcquisitionType");
  const std::array<double, 3> times{ Number(j, "RepetitionTime", 0.0), Number(j, "EchoTime", 0.0),
                                     Number(j, "InversionTime", 0.0) };
  const bool milliseconds = SidecarTimesAreMilliseconds(times[0], times[1], times[2]);
  const double toMs = milliseconds ? 1.0 : 1000.0;
  spec.repetitionTimeMs = toMs * times[0];
  spec.echoTimeMs = toMs * times[1];
  spec.inversionTimeMs = toMs * times[2];
  if (milliseconds)
  {
    std::string values;
    const char * names[] = { "RepetitionTime", "EchoTime", "InversionTime" };
    for (int k = 0; k < 3; ++k)
      if (times[k] > 0)
      {
        std::ostringstream value;
        value << times[k];
        values += (values.empty() ? "" : ", ") + std::string(names[k]) + " " + value.str();
      }
    reading.notes.push_back(sidecarFile + ": " + values +
                            " are not plausible in seconds (what BIDS specifies): read as milliseconds");
  }
  spec.flipAngleDeg = Number(j, "FlipAngle", 0.0);
  spec.fieldStrengthT = Number(j, "MagneticFieldStrength", 0.0);
  spec.manufacturer = Text(j, "Manufacturer");
  spec.sliceThickness = Number(j, "SliceThickness", 0.0);
  reading.bValues = BValues(j);
  return reading;
}

std::optional<FileNameRole> RoleFromFileName(const std::string & name)
{
  const auto underscore = name.find_last_of('_');
  const std::string suffix = underscore == std::string::npos ? name : name.substr(underscore);
  const std::string key = Lower(underscore == std::string::npos ? name : name.substr(underscore + 1));
  static const std::array<std::pair<const char *, dicom::SeriesRole>, 7> kSuffixes{ {
    { "dwi", dicom::SeriesRole::DWI },
    { "trace", dicom::SeriesRole::DWI },
    { "adc", dicom::SeriesRole::ADC },
    { "flair", dicom::SeriesRole::FLAIR },
    { "t2w", dicom::SeriesRole::T2 },
    { "t1w", dicom::SeriesRole::T1 },
    { "tracew", dicom::SeriesRole::DWI },
  } };
  for (const auto & [text, role] : kSuffixes)
    if (key == text)
      return FileNameRole{ role, suffix };
  return std::nullopt;
}

} // namespace icanscan::pipeline
