#include "pipeline/export/MeasurementContent.h"

#include "pipeline/export/ExportCodes.h"

namespace icanscan::pipeline
{
namespace
{
using dicom::CodedConcept;
using Json = nlohmann::json;

std::optional<double> Number(const Json & object, const char * key)
{
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

dicom::NumericMeasurement Measure(const CodedConcept & concept,
                                  std::optional<double> value,
                                  const CodedConcept & unit,
                                  std::optional<CodedConcept> derivation = std::nullopt)
{
  dicom::NumericMeasurement m;
  m.concept = concept;
  m.value = value;
  m.unit = unit;
  m.derivation = derivation;
  return m;
}

CodedConcept Involvement(const Json & structure, const char * key)
{
  const auto it = structure.find(key);
  if (it == structure.end() || !it->is_boolean())
    return codes::NotEvaluated();
  return it->get<bool>() ? codes::Present() : codes::Absent();
}

dicom::QualitativeEvaluation Text(const CodedConcept & concept, const std::string & text)
{
  return { concept, std::nullopt, text };
}

dicom::QualitativeEvaluation Coded(const CodedConcept & concept, const CodedConcept & value)
{
  return { concept, value, {} };
}

CodedConcept Grade(const Json & value)
{
  if (!value.is_number_integer())
    return codes::NotEvaluated();
  const int g = value.get<int>();
  return codes::Private("GRADE_" + std::to_string(g), "Grade " + std::to_string(g));
}

void AddStructureGroups(dicom::MeasurementReportContent & content, const Json & report)
{
  const CodedConcept hyperintense = codes::Private("HYPERINT_VOL", "Volume of T2/FLAIR hyperintensity");
  const CodedConcept restricted = codes::Private("RESTRICT_VOL", "Volume of restricted diffusion");
  const CodedConcept adcRatio = codes::Private("ADC_RATIO", "ADC ratio to normal tissue of the same class");
  for (std::size_t i = 0; i < AllStructures().size(); ++i)
  {
    const auto & info = AllStructures()[i];
    const Json & s = report.at("structures").at(info.key);
    const bool ventricles = info.structure == Structure::LateralVentricles;
    dicom::MeasurementGroup g;
    g.trackingId = info.key;
    g.segment = i;
    g.finding = StructureTypeCode(info);
    g.findingSite = StructureTypeCode(info);
    g.laterality = StructureLaterality(info);
    g.measurements.push_back(Measure(codes::Volume(), Number(s, "volume_ml"), codes::CubicCentimetre()));
    if (!ventricles)
    {
      g.measurements.push_back(Measure(hyperintense, Number(s, "hyperintense_ml"), codes::CubicCentimetre()));
      g.measurements.push_back(Measure(restricted, Number(s, "restricted_ml"), codes::CubicCentimetre()));
    }
    g.measurements.push_back(Measure(codes::ApparentDiffusionCoefficient(), Number(s, "adc_mean_um2s"),
                                     codes::SquareMicrometrePerSecond(), codes::Mean()));
    if (!ventricles)
    {
      g.measurements.push_back(Measure(adcRatio, Number(s, "adc_ratio"), codes::Ratio()));
      g.evaluations.push_back(
        Coded(codes::Private("T2FLAIR_INVOLVED", "T2/FLAIR involvement"), Involvement(s, "t2flair_involved")));
      g.evaluations.push_back(
        Coded(codes::Private("DWI_RESTRICTED", "Restricted diffusion"), Involvement(s, "diffusion_restricted")));
    }
    content.groups.push_back(std::move(g));
  }
}

void AddLesionGroup(dicom::MeasurementReportContent & content,
                    const Json & report,
                    std::size_t segment,
                    const std::string & kind,
                    const std::string & trackingId)
{
  double total = 0;
  for (const auto & lesion : report.at("lesions"))
    if (lesion.value("kind", "") == kind)
      total += lesion.at("volume_ml").get<double>();
  dicom::MeasurementGroup g;
  g.trackingId = trackingId;
  g.segment = segment;
  g.finding = codes::Lesion();
  g.findingSite = codes::Brain();
  g.measurements.push_back(Measure(codes::Volume(), total, codes::CubicCentimetre()));
  content.groups.push_back(std::move(g));
}

void AddOedemaAndGrade(dicom::MeasurementReportContent & content, const Json & report)
{
  const Json & oedema = report.at("oedema");
  const std::string flag = oedema.value("flag", "not_assessable");
  const CodedConcept value = flag == "none"      ? codes::Absent()
                             : flag == "focal"   ? CodedConcept{ "87017008", "SCT", "Focal" }
                             : flag == "diffuse" ? CodedConcept{ "19648000", "SCT", "Diffuse" }
                                                 : codes::NotEvaluated();
  content.evaluations.push_back(Coded({ "79654002", "SCT", "Edema" }, value));
  const CodedConcept reason = codes::Private("OEDEMA_REASON", "Reason for the oedema flag");
  for (const auto & r : oedema.value("reasons", Json::array()))
    content.evaluations.push_back(Text(reason, r.value("text", "")));
  const CodedConcept note = codes::Private("OEDEMA_NOTE", "Note on the oedema assessment");
  for (const auto & n : oedema.value("notes", Json::array()))
    if (n.is_string())
      content.evaluations.push_back(Text(note, n.get<std::string>()));

  const Json & icans = report.at("icans");
  content.evaluations.push_back(
    Coded(codes::Private("ICANS_OED_GRADE", "ASTCT ICANS grade, cerebral oedema domain (imaging)"),
          Grade(icans.value("oedema_domain_grade", Json()))));
  if (icans.contains("grade") && icans["grade"].is_number_integer())
    content.evaluations.push_back(
      Coded(codes::Private("ICANS_GRADE", "ASTCT ICANS grade (with clinical input)"), Grade(icans["grade"])));
  const CodedConcept gradeReason = codes::Private("ICANS_REASON", "Reason for the ICANS grade");
  for (const auto & r : icans.value("reasons", Json::array()))
    if (r.is_string())
      content.evaluations.push_back(Text(gradeReason, r.get<std::string>()));
}

void AddRegistrationQc(dicom::MeasurementReportContent & content, const Json & report)
{
  for (const auto & r : report.at("registration"))
  {
    const std::string moving = r.value("moving", "");
    if (moving == "atlas") // no automatic QC yet: its status is always "ok"
      continue;
    const std::string status = r.value("status", "");
    const CodedConcept verdict =
      status == "ok"        ? CodedConcept{ "111237", "DCM", "Usable - Meets the quality control standard" }
      : status == "suspect" ? CodedConcept{ "111236", "DCM", "Usable - Does not meet the quality control standard" }
                            : CodedConcept{ "111235", "DCM", "Unusable - Quality renders image unusable" };
    content.evaluations.push_back(
      Coded(codes::Private(("REGQC_" + moving).substr(0, 16), "Registration QC of " + moving + " to the reference"),
            verdict));
    for (const auto & m : r.value("messages", Json::array()))
      if (m.is_string())
        content.evaluations.push_back(
          Text(codes::Private("REGQC_NOTE", "Registration QC note"), moving + ": " + m.get<std::string>()));
  }
}
} // namespace

std::string ReviewNotice(const std::string & version)
{
  return "Results generated automatically by icanscan " + version +
         " (research software); not verified by a physician. They support clinical review and never replace it: "
         "review every finding against the images before use.";
}

dicom::MeasurementReportContent MeasurementContent(const Json & report,
                                                   const ExportSegmentIndex & segments,
                                                   const std::string & version)
{
  dicom::MeasurementReportContent content;
  content.deviceName = "icanscan";
  AddStructureGroups(content, report);
  if (segments.t2flair)
    AddLesionGroup(content, report, *segments.t2flair, "t2flair_hyperintensity", "lesion_t2flair");
  if (segments.restricted)
    AddLesionGroup(content, report, *segments.restricted, "restricted_diffusion", "lesion_dwi");
  AddOedemaAndGrade(content, report);
  AddRegistrationQc(content, report);
  const CodedConcept warning = codes::Private("WARNING", "Warning");
  for (const auto & w : report.value("warnings", Json::array()))
    if (w.is_string())
      content.evaluations.push_back(Text(warning, w.get<std::string>()));
  content.evaluations.push_back(Text(codes::Comment(), ReviewNotice(version)));
  return content;
}

} // namespace icanscan::pipeline
