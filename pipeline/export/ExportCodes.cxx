#include "pipeline/export/ExportCodes.h"

#include "core/DisplayColours.h"

namespace icanscan::pipeline
{
namespace codes
{
namespace
{
dicom::CodedConcept Sct(const char * value, const char * meaning)
{
  return { value, "SCT", meaning };
}
} // namespace

// Code values and meanings as PS3.16 lists them (context groups in the comments of ExportCodes.h).
dicom::CodedConcept AnatomicalStructure()
{
  return Sct("123037004", "Anatomical Structure");
}
dicom::CodedConcept MorphologicallyAbnormal()
{
  return Sct("49755003", "Morphologically Abnormal Structure");
}
dicom::CodedConcept Lesion()
{
  return Sct("52988006", "Lesion");
}
dicom::CodedConcept Brain()
{
  return Sct("12738006", "Brain");
}
dicom::CodedConcept Left()
{
  return Sct("7771000", "Left");
}
dicom::CodedConcept Right()
{
  return Sct("24028007", "Right");
}
dicom::CodedConcept Bilateral()
{
  return Sct("51440002", "Bilateral");
}
dicom::CodedConcept Volume()
{
  return Sct("118565006", "Volume");
}
dicom::CodedConcept ApparentDiffusionCoefficient()
{
  return { "113041", "DCM", "Apparent Diffusion Coefficient" };
}
dicom::CodedConcept Mean()
{
  return Sct("373098007", "Mean");
}
dicom::CodedConcept CubicCentimetre()
{
  return { "cm3", "UCUM", "cubic centimeter" };
}
dicom::CodedConcept SquareMicrometrePerSecond()
{
  return { "um2/s", "UCUM", "um2/s" };
}
dicom::CodedConcept Ratio()
{
  return { "{ratio}", "UCUM", "ratio" };
}
dicom::CodedConcept Present()
{
  return Sct("52101004", "Present");
}
dicom::CodedConcept Absent()
{
  return Sct("272519000", "Absent");
}
dicom::CodedConcept NotEvaluated()
{
  return Sct("373121007", "Not Evaluated");
}
dicom::CodedConcept Comment()
{
  return { "121106", "DCM", "Comment" };
}
dicom::CodedConcept Private(const std::string & value, const std::string & meaning)
{
  return { value, "99ICANSCAN", meaning };
}
} // namespace codes

dicom::CodedConcept StructureTypeCode(const StructureInfo & s)
{
  switch (s.structure)
  {
    case Structure::ThalamusLeft:
    case Structure::ThalamusRight:
      return { "42695009", "SCT", "Thalamus" };
    case Structure::HippocampusLeft:
    case Structure::HippocampusRight:
      return { "5366008", "SCT", "Hippocampus" };
    case Structure::BasalGangliaLeft:
    case Structure::BasalGangliaRight:
      // PS3.16 codes caudate, putamen and globus pallidus separately; the label holds all three.
      return codes::Private("BASAL_GANGLIA", "Basal ganglia (caudate, putamen, globus pallidus)");
    case Structure::CorpusCallosumGenu:
      return { "70215001", "SCT", "genu of corpus callosum" };
    case Structure::CorpusCallosumBody:
      // PS3.16 has codes for the genu and the splenium only.
      return codes::Private("CC_BODY", "body of corpus callosum");
    case Structure::CorpusCallosumSplenium:
      return { "23347006", "SCT", "splenium of corpus callosum" };
    case Structure::ExternalCapsuleLeft:
    case Structure::ExternalCapsuleRight:
      return { "10517005", "SCT", "external capsule" };
    case Structure::WhiteMatterLeft:
    case Structure::WhiteMatterRight:
      return { "68523003", "SCT", "Cerebral White Matter" };
    case Structure::LateralVentricles:
      return { "66720007", "SCT", "Lateral ventricle" };
    case Structure::Background:
      break;
  }
  return codes::Private("UNKNOWN", "unknown structure");
}

std::optional<dicom::CodedConcept> StructureLaterality(const StructureInfo & s)
{
  const std::string key = s.key;
  if (key == "lateral_ventricles")
    return codes::Bilateral();
  if (key.size() > 5 && key.compare(key.size() - 5, 5, "_left") == 0)
    return codes::Left();
  if (key.size() > 6 && key.compare(key.size() - 6, 6, "_right") == 0)
    return codes::Right();
  return std::nullopt;
}

dicom::SegmentDefinition StructureSegment(const StructureInfo & s)
{
  dicom::SegmentDefinition d;
  d.label = s.name;
  d.description =
    std::string("icanscan structure label ") + std::to_string(static_cast<int>(s.structure)) + " (" + s.key + ")";
  d.trackingId = s.key;
  d.category = codes::AnatomicalStructure();
  d.type = StructureTypeCode(s);
  d.typeModifier = StructureLaterality(s);
  d.rgb = s.rgb;
  d.volume = 0;
  d.value = static_cast<std::uint8_t>(s.structure);
  return d;
}

dicom::SegmentDefinition LesionSegment(LesionClass lesion)
{
  dicom::SegmentDefinition d;
  const bool t2 = lesion == LesionClass::T2FlairHyperintensity;
  d.label = t2 ? "T2/FLAIR hyperintensity" : "Restricted diffusion";
  d.description = t2 ? "hyperintense on FLAIR (or T2) against the patient's normal tissue of the same class"
                     : "bright on the DWI trace and low ADC against the patient's normal tissue of the same class";
  d.trackingId = t2 ? "lesion_t2flair" : "lesion_dwi";
  d.category = codes::MorphologicallyAbnormal();
  d.type = codes::Lesion();
  d.anatomicRegion = codes::Brain();
  d.rgb = t2 ? kT2FlairLesionStyle.rgb : kRestrictedLesionStyle.rgb; // as the report's key images and the viewer
  d.value = 1;
  return d;
}

} // namespace icanscan::pipeline
