#pragma once

#include "pipeline/detection/LesionDetection.h"
#include "pipeline/geometry/StructureLabels.h"

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief When a structure counts as involved: lesion ml in it >= max(min_ml, min(min_fraction x structure ml,
 * fraction_cap_ml)). The numbers (section [involvement]) are declared in InvolvementSettings(). */
struct InvolvementParams
{
  InvolvementParams();

  double minMl;         //!< min_ml
  double minFraction;   //!< min_fraction
  double fractionCapMl; //!< fraction_cap_ml
  double attributionMm; //!< attribution_mm
  double spillCoverage; //!< spill_coverage
};

/** \brief The [involvement] settings: key, member, default, range, unit and meaning of each. */
const SettingSection<InvolvementParams> & InvolvementSettings();

void ValidateInvolvementParams(const InvolvementParams & params);

/** \brief Measures of one structure; optional fields are null when the sequence was missing or rejected. */
struct StructureMeasures
{
  double volumeMl = 0;
  std::optional<bool> t2flairInvolved;
  std::optional<bool> diffusionRestricted;
  std::optional<double> hyperintenseMl;
  std::optional<double> restrictedMl;
  std::optional<double> shineThroughMl;
  std::optional<double> adcMeanUm2s;
  std::optional<double> adcRatio; //!< mean ADC / normal-appearing ADC of the structure's tissue class
  std::optional<double> zMedian;  //!< median robust z of the structure on the hyperintensity sequence
};

/** \brief One finding: an involved structure (both sides merged into "bilateral"), or a lesion outside them. */
struct Finding
{
  int id = 0;
  std::string kind;       //!< "t2flair_hyperintensity" | "restricted_diffusion"
  std::string structure;  //!< "thalamus", "corpus_callosum_splenium", ..., or "other"
  std::string laterality; //!< "left" | "right" | "bilateral" | "midline"
  double volumeMl = 0;
  std::array<double, 3> centroidMm{}; //!< LPS, reference space
};

/** \brief One connected lesion (26-connected on the reference grid). */
struct Lesion
{
  std::string kind;
  double volumeMl = 0;
  std::array<double, 3> centroidMm{};
  std::string mainStructure; //!< structure key with the largest share, or "other"
};

struct StudyFindings
{
  std::map<std::string, StructureMeasures> structures; //!< by structure key
  std::vector<Finding> findings;
  std::vector<Lesion> lesions;
};

/** \brief Per-structure measures, involvement and findings from the detection masks and the structure labels. A lesion
 * voxel outside the refined labels takes its propagated atlas label (`propagatedLabels`, optional), else the label of a
 * structure within params.attributionMm. */
StudyFindings SummariseFindings(const LesionDetectionResult & detection,
                                const itk::Image<unsigned char, 3> * labels,
                                const itk::Image<unsigned char, 3> * propagatedLabels,
                                const itk::Image<float, 3> * hyperintensityImage,
                                const InvolvementParams & params);

nlohmann::json ToJson(const StructureMeasures & measures);
nlohmann::json ToJson(const Finding & finding);
nlohmann::json ToJson(const Lesion & lesion);

/** \brief The structure key without its side ("thalamus_left" -> "thalamus"). */
std::string StructureBase(const std::string & key);

} // namespace icanscan::pipeline
