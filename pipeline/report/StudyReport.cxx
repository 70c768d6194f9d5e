#include "pipeline/report/StudyReport.h"

#include "core/JsonNumber.h"
#include "core/TextFormat.h"
#include "filters/ImageTypes.h"
#include "filters/RegistrationQc.h"

#include <openssl/evp.h>

#include <cmath>
#include <iomanip>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
nlohmann::json SeriesTable(const dicom::StudyIndex & index, const StudyAnalysis & a)
{
  nlohmann::json series = nlohmann::json::array();
  for (const auto & set : index.volumeSets)
  {
    const auto & h = set.Header();
    bool used = false;
    for (const auto & [role, s] : a.geometry.sets)
      used = used || s == &set;
    nlohmann::json b = nlohmann::json::array();
    for (const double v : set.BValues())
      b.push_back(v);
    std::vector<std::string> messages = set.messages;
    for (const auto & role : a.rejectedRoles)
      if (used && a.geometry.sets.count(role) && a.geometry.sets.at(role) == &set)
        messages.push_back("registration failed QC: left out of detection");
    series.push_back({ { "id", set.id },
                       { "role", dicom::ToString(set.role) },
                       { "role_reasons", set.roleReasons },
                       { "series_number", h.seriesNumber },
                       { "series_description", h.seriesDescription },
                       { "b_values", b },
                       { "size", { set.columns, set.rows, set.slices, set.volumes } },
                       { "spacing_mm", set.spacing },
                       { "used", used },
                       { "qc", { { "status", dicom::ToString(set.verdict) }, { "messages", messages } } } });
  }
  return series;
}

nlohmann::json RegistrationTable(const StudyAnalysis & a)
{
  nlohmann::json out = nlohmann::json::array();
  for (const auto & r : a.geometry.registrations)
    out.push_back({ { "moving", r.role },
                    { "fixed", r.fixedRole },
                    { "status", filters::ToString(r.qc.verdict) },
                    { "messages", r.qc.reasons },
                    { "mutual_information", FiniteOrNull(r.qc.mutualInformation) },
                    { "edge_correlation", FiniteOrNull(r.qc.edgeCorrelation) },
                    { "rotation_deg", FiniteOrNull(r.qc.rotationDeg) },
                    { "translation_mm", FiniteOrNull(r.qc.translationMm) } });
  out.push_back({ { "moving", "atlas" },
                  { "fixed", a.geometry.referenceRole },
                  { "status", "ok" },
                  { "messages", a.geometry.segmentation.notes },
                  { "seconds", a.geometry.segmentation.registrationSeconds } });
  return out;
}

std::vector<std::string> Methods(const StudyAnalysis & a, const RunParams * p)
{
  std::vector<std::string> m;
  m.push_back("Series were found and classified from their DICOM headers (DCMTK). The reference series is " +
              a.geometry.referenceRole +
              "; every other series was registered to it rigidly (versor rigid, Mattes mutual information, "
              "multi-resolution, brain-masked; ITK) and checked automatically (metric gain, mask overlap, edge "
              "agreement, plausibility). A series that failed that check is left out of detection.");
  m.push_back("Structures were segmented by registering the Colin27 atlas (AAL and JHU labels; affine, then B-splines "
              "of 60, 20 and 10 mm, the finer two by stochastic gradient descent with intensity outliers such as "
              "lesions left out of the cost; Mattes mutual information) to the reference and propagating its labels; "
              "white matter, corpus callosum and lateral ventricles were refined on the subject's own tissue classes "
              "(3-class k-means).");
  std::string detection =
    std::string(p && p->detection.correctBias ? "T2 and FLAIR bias-corrected (N4) first. " : "") +
    "T2/FLAIR hyperintensity: robust z-scores on " +
    (a.detection.hyperintensitySequence.empty() ? std::string("T2/FLAIR") : a.detection.hyperintensitySequence) +
    " against the patient's own normal-appearing tissue of the same class (deep grey, cortical "
    "grey, white matter; median and MAD after trimming outliers)";
  if (p)
    detection += ", seeds at z >= " + FormatFixed(p->detection.hyperSeedZ, 1) +
                 " grown to z >= " + FormatFixed(p->detection.hyperGrowZ, 1);
  detection += "; with both FLAIR and T2 the T2 must agree. Restricted diffusion: DWI trace bright AND ADC low "
               "against the same class (" +
               (a.detection.adcSource.empty() ? std::string("no diffusion") : a.detection.adcSource) +
               "); DWI-bright voxels with normal or high ADC are T2 shine-through, not restriction. Lesions are "
               "26-connected components.";
  m.push_back(detection);
  m.push_back("Oedema markers: lateral-ventricle and sulcal CSF volumes against the atlas expectation scaled to this "
              "head, swelling of hyperintense structures against their atlas volume scaled by the registration's local "
              "volume change, midline shift from the deformable registration at the corpus callosum body, and "
              "ventricular asymmetry. Signal change alone is not oedema. Grading follows ASTCT (Lee et al. 2019); "
              "imaging alone gives only the oedema domain.");
  m.push_back("icanscan supports clinical review; it does not replace it.");
  return m;
}
} // namespace

std::string Sha256Hex(const std::string & text)
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  std::ostringstream out;
  for (unsigned i = 0; i < length; ++i)
    out << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(digest[i]);
  return out.str();
}

nlohmann::json BuildReport(const dicom::StudyIndex & index,
                           const StudyAnalysis & a,
                           const IcansGrade & grade,
                           const ReportContext & context)
{
  nlohmann::json r;
  r["schema_version"] = kReportSchemaVersion;
  r["icanscan_version"] = context.version;
  const auto & h = a.geometry.reference->Header();
  r["study"] = { { "study_uid_hash", Sha256Hex(h.studyInstanceUid) } };
  if (context.keepIdentifiers)
  {
    r["study"]["study_instance_uid"] = h.studyInstanceUid;
    r["study"]["study_date"] = h.studyDate;
    r["study"]["patient_name"] = h.patientName;
    r["study"]["patient_id"] = h.patientId;
    r["study"]["patient_birth_date"] = h.patientBirthDate;
  }
  r["reference"] = { { "role", a.geometry.referenceRole },
                     { "series_number", h.seriesNumber },
                     { "series_id", a.geometry.reference->id } };
  r["series"] = SeriesTable(index, a);
  r["registration"] = RegistrationTable(a);
  r["structures"] = nlohmann::json::object();
  for (const auto & info : AllStructures())
  {
    auto j = ToJson(a.findings.structures.at(info.key));
    const auto expected = a.oedema.markers.expectedVolumeMl.find(info.key);
    j["expected_volume_ml"] =
      expected != a.oedema.markers.expectedVolumeMl.end() ? FiniteOrNull(expected->second) : nlohmann::json(nullptr);
    r["structures"][info.key] = j;
  }
  r["findings"] = nlohmann::json::array();
  for (const auto & f : a.findings.findings)
    r["findings"].push_back(ToJson(f));
  r["lesions"] = nlohmann::json::array();
  for (const auto & l : a.findings.lesions)
    r["lesions"].push_back(ToJson(l));
  r["detection"] = { { "hyperintensity_sequence", a.detection.hyperintensitySequence.empty()
                                                    ? nlohmann::json(nullptr)
                                                    : nlohmann::json(a.detection.hyperintensitySequence) },
                     { "adc_source", a.detection.adcSource.empty() ? nlohmann::json(nullptr)
                                                                   : nlohmann::json(a.detection.adcSource) },
                     { "notes", a.detection.notes } };
  for (const auto & [sequence, refs] : a.detection.references)
    for (std::size_t p = 0; p < kTissuePoolCount; ++p)
      r["detection"]["normal_reference"][sequence][ToString(static_cast<TissuePool>(p))] = {
        { "median", refs[p].stats.median }, { "sigma", refs[p].stats.sigma }, { "substituted", refs[p].substituted }
      };
  r["oedema"] = ToJson(a.oedema);
  r["icans"] = ToJson(grade);
  if (context.baseline)
    r["baseline"] = ToJson(*context.baseline);
  std::vector<std::string> warnings = a.warnings;
  warnings.insert(warnings.end(), context.warnings.begin(), context.warnings.end());
  if (!index.skipped.empty())
    warnings.push_back(std::to_string(index.skipped.size()) + " file(s) skipped while indexing (see the index)");
  r["warnings"] = warnings;
  r["methods"] = Methods(a, context.params);
  nlohmann::json timings = nlohmann::json::array();
  for (const auto & t : a.timings)
    timings.push_back({ { "stage", t.stage }, { "seconds", t.seconds } });
  r["timings"] = timings;
  return r;
}

nlohmann::json SegmentationSummary(const StudyGeometry & geometry)
{
  nlohmann::json j;
  j["reference"] = { { "role", geometry.referenceRole }, { "series_id", geometry.reference->id } };
  j["registration"] = nlohmann::json::array();
  for (const auto & r : geometry.registrations)
  {
    j["registration"].push_back({ { "moving", r.role },
                                  { "fixed", r.fixedRole },
                                  { "status", filters::ToString(r.qc.verdict) },
                                  { "reasons", r.qc.reasons },
                                  { "mutual_information", FiniteOrNull(r.qc.mutualInformation) },
                                  { "edge_correlation", FiniteOrNull(r.qc.edgeCorrelation) },
                                  { "rotation_deg", FiniteOrNull(r.qc.rotationDeg) },
                                  { "translation_mm", FiniteOrNull(r.qc.translationMm) },
                                  { "seconds", r.seconds } });
  }
  const auto * labels = geometry.segmentation.labels.GetPointer();
  const double voxelMl = filters::VoxelVolumeMl(labels);
  std::vector<std::size_t> counts(kStructureCount + 1, 0);
  for (std::size_t i = 0; i < labels->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    if (labels->GetBufferPointer()[i] <= kStructureCount)
      ++counts[labels->GetBufferPointer()[i]];
  for (const auto & s : AllStructures())
    j["structures"][s.key]["volume_ml"] = counts[static_cast<std::size_t>(s.structure)] * voxelMl;
  j["segmentation"] = { { "seconds", geometry.segmentation.seconds },
                        { "registration_seconds", geometry.segmentation.registrationSeconds },
                        { "notes", geometry.segmentation.notes } };
  return j;
}

std::string FindingsCsv(const nlohmann::json & report)
{
  static const std::vector<std::string> columns{ "volume_ml",        "expected_volume_ml",
                                                 "t2flair_involved", "diffusion_restricted",
                                                 "hyperintense_ml",  "restricted_ml",
                                                 "shine_through_ml", "adc_mean_um2s",
                                                 "adc_ratio" };
  std::ostringstream out;
  out << "structure";
  for (const auto & c : columns)
    out << "," << c;
  out << "\n";
  for (const auto & info : AllStructures())
  {
    const auto & s = report.at("structures").at(info.key);
    out << info.key;
    for (const auto & c : columns)
    {
      out << ",";
      const auto it = s.find(c);
      if (it == s.end() || it->is_null())
        continue;
      if (it->is_boolean())
        out << (it->get<bool>() ? "true" : "false");
      else
        out << std::setprecision(6) << it->get<double>();
    }
    out << "\n";
  }
  return out.str();
}

} // namespace icanscan::pipeline
