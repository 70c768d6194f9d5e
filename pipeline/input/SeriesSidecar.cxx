#include "pipeline/input/SeriesSidecar.h"

#include "pipeline/report/OutputFiles.h"

#include <cmath>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
void PutIfSet(nlohmann::json & j, const char * key, const std::string & value)
{
  if (!value.empty())
    j[key] = value;
}

void PutIfPositive(nlohmann::json & j, const char * key, double value, double scale = 1.0)
{
  if (value > 0)
    j[key] = value * scale;
}

std::string FormatNumber(double v)
{
  std::ostringstream out;
  out.precision(6);
  out << (std::abs(v) < 5e-7 ? 0.0 : v);
  return out.str();
}
} // namespace

nlohmann::json MakeSidecar(const dicom::VolumeSet & set)
{
  const dicom::FileHeader & h = set.Header();
  nlohmann::json j;
  PutIfSet(j, "Modality", h.modality);
  PutIfPositive(j, "MagneticFieldStrength", h.fieldStrengthT);
  PutIfSet(j, "Manufacturer", h.manufacturer);
  PutIfSet(j, "ManufacturersModelName", h.manufacturerModel);
  PutIfSet(j, "SoftwareVersions", h.softwareVersions);
  PutIfSet(j, "PatientPosition", h.patientPosition);
  PutIfSet(j, "MRAcquisitionType", h.mrAcquisitionType);
  PutIfSet(j, "SeriesDescription", h.seriesDescription);
  PutIfSet(j, "ProtocolName", h.protocolName);
  PutIfSet(j, "ScanningSequence", h.scanningSequence);
  PutIfSet(j, "SequenceVariant", h.sequenceVariant);
  PutIfSet(j, "ScanOptions", h.scanOptions);
  PutIfSet(j, "SequenceName", h.sequenceName);
  j["ImageType"] = set.frames.front().frameType;
  j["SeriesNumber"] = h.seriesNumber;
  PutIfPositive(j, "SliceThickness", set.frames.front().sliceThickness);
  PutIfPositive(j, "SpacingBetweenSlices", set.frames.front().spacingBetweenSlices);
  PutIfPositive(j, "EchoTime", set.frames.front().echoTimeMs, 1e-3);
  PutIfPositive(j, "RepetitionTime", h.repetitionTimeMs, 1e-3);
  PutIfPositive(j, "InversionTime", h.inversionTimeMs, 1e-3);
  PutIfPositive(j, "FlipAngle", h.flipAngleDeg);
  if (set.frames.front().echoNumber > 0)
    j["EchoNumber"] = set.frames.front().echoNumber;
  std::vector<double> iop(set.frames.front().orientation->begin(), set.frames.front().orientation->end());
  j["ImageOrientationPatientDICOM"] = iop;
  j["ConversionSoftware"] = "icanscan";
  j["IcanscanSeriesId"] = set.id;
  j["IcanscanRole"] = dicom::ToString(set.role);
  j["IcanscanRoleReasons"] = set.roleReasons;
  j["IcanscanRoleOverridden"] = set.roleOverridden;
  j["IcanscanVerdict"] = dicom::ToString(set.verdict);
  j["IcanscanMessages"] = set.messages;
  if (!set.splitReason.empty())
    j["IcanscanSplitReason"] = set.splitReason;
  j["IcanscanSourceFiles"] = set.SourceFiles().size();
  return j;
}

std::array<double, 3> ToFslBvec(const std::array<double, 3> & g, const std::array<double, 9> & d)
{
  std::array<double, 3> v{};
  for (int axis = 0; axis < 3; ++axis)
    v[axis] = g[0] * d[0 * 3 + axis] + g[1] * d[1 * 3 + axis] + g[2] * d[2 * 3 + axis];
  // det of the RAS affine = det(diag(-1,-1,1) * D) = det(D).
  const double det =
    d[0] * (d[4] * d[8] - d[5] * d[7]) - d[1] * (d[3] * d[8] - d[5] * d[6]) + d[2] * (d[3] * d[7] - d[4] * d[6]);
  if (det > 0)
    v[0] = -v[0];
  return v;
}

void WriteBvalBvec(const dicom::VolumeSet & set, const std::filesystem::path & stem)
{
  std::string bval;
  std::string rows[3];
  for (std::size_t v = 0; v < set.diffusion.size(); ++v)
  {
    const auto & dv = set.diffusion[v];
    const auto bvec = dv.hasGradient ? ToFslBvec(dv.gradient, set.direction) : std::array<double, 3>{ 0, 0, 0 };
    bval += (v ? " " : "") + FormatNumber(dv.bValue);
    for (int r = 0; r < 3; ++r)
      rows[r] += (v ? " " : "") + FormatNumber(bvec[r]);
  }
  WriteTextFileAtomically(stem.string() + ".bval", bval + "\n");
  WriteTextFileAtomically(stem.string() + ".bvec", rows[0] + "\n" + rows[1] + "\n" + rows[2] + "\n");
}

} // namespace icanscan::pipeline
