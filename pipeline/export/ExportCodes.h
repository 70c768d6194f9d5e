#pragma once

#include "dicom/export/ExportTypes.h"
#include "pipeline/geometry/StructureLabels.h"

#include <string>

namespace icanscan::pipeline
{

/** \brief The two lesion classes icanscan segments (volumes/lesion_t2flair.nii.gz, volumes/lesion_dwi.nii.gz). */
enum class LesionClass
{
  T2FlairHyperintensity,
  RestrictedDiffusion,
};

/** \brief The codes icanscan writes into DICOM SEG and SR objects, in one place (docs/dicom-export.md lists them with
 * their PS3.16 context groups). Standard codes are SNOMED CT ("SCT"), DICOM ("DCM") and UCUM; concepts PS3.16 has no
 * code for use icanscan's private scheme "99ICANSCAN". */
namespace codes
{
dicom::CodedConcept AnatomicalStructure();          //!< SCT 123037004, CID 7150
dicom::CodedConcept MorphologicallyAbnormal();      //!< SCT 49755003, CID 7150
dicom::CodedConcept Lesion();                       //!< SCT 52988006
dicom::CodedConcept Brain();                        //!< SCT 12738006
dicom::CodedConcept Left();                         //!< SCT 7771000, CID 244
dicom::CodedConcept Right();                        //!< SCT 24028007, CID 244
dicom::CodedConcept Bilateral();                    //!< SCT 51440002, CID 244
dicom::CodedConcept Volume();                       //!< SCT 118565006, CID 7469
dicom::CodedConcept ApparentDiffusionCoefficient(); //!< DCM 113041, CID 7469
dicom::CodedConcept Mean();                         //!< SCT 373098007, CID 7464
dicom::CodedConcept CubicCentimetre();              //!< UCUM cm3 (= ml), CID 7181
dicom::CodedConcept SquareMicrometrePerSecond();    //!< UCUM um2/s, CID 7181
dicom::CodedConcept Ratio();                        //!< UCUM {ratio}, CID 7181
dicom::CodedConcept Present();                      //!< SCT 52101004, CID 240
dicom::CodedConcept Absent();                       //!< SCT 272519000, CID 240
dicom::CodedConcept NotEvaluated();                 //!< SCT 373121007, CID 3703
dicom::CodedConcept Comment();                      //!< DCM 121106
/** A concept of icanscan's private scheme. */
dicom::CodedConcept Private(const std::string & value, const std::string & meaning);
} // namespace codes

/** \brief The segment of a structure label: category Anatomical Structure, the structure's type code with its
 * laterality as type modifier, the label table's colour, tracking ID = the structure key. */
dicom::SegmentDefinition StructureSegment(const StructureInfo & structure);

/** \brief The segment of a lesion class: category Morphologically Abnormal Structure, type Lesion, anatomic region
 * Brain; red (T2/FLAIR) or blue (restricted diffusion) as in report.html and the viewer. */
dicom::SegmentDefinition LesionSegment(LesionClass lesion);

/** \brief The property type code of a structure and its laterality (empty for midline structures; Bilateral for the
 * lateral ventricles, one label for both sides). */
dicom::CodedConcept StructureTypeCode(const StructureInfo & structure);
std::optional<dicom::CodedConcept> StructureLaterality(const StructureInfo & structure);

} // namespace icanscan::pipeline
