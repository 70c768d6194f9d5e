#pragma once

#include "core/OedemaFlag.h"
#include "filters/ImageTypes.h"
#include "pipeline/Settings.h"
#include "pipeline/geometry/AtlasLoader.h"
#include "pipeline/geometry/StructureLabels.h"
#include "pipeline/oedema/SeptumMidline.h"

#include "itkCompositeTransform.h"
#include "itkImage.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Thresholds of the cerebral-oedema flag (section [oedema]), declared in OedemaSettings(); why each default:
 * docs/oedema.md. */
struct OedemaParams
{
  OedemaParams();

  double swellingPct;                //!< swelling_pct
  double midlineShiftMm;             //!< midline_shift_mm
  double largeMidlineShiftMm;        //!< large_midline_shift_mm
  double ventricleAsymmetryMax;      //!< ventricle_asymmetry_max
  double ventricleRatioMax;          //!< ventricle_ratio_max
  double sulcalRatioMax;             //!< sulcal_ratio_max
  double baselineVentricleChangePct; //!< baseline_ventricle_change_pct
  double baselineSulcalChangePct;    //!< baseline_sulcal_change_pct
  double minIpsilateralLesionMl;     //!< min_ipsilateral_lesion_ml
  double csfAdcUm2s;                 //!< csf_adc_um2s
  double ventricleRegionMm;          //!< ventricle_region_mm
  double ventricleCalibration;       //!< ventricle_calibration
  double sulcalCalibration;          //!< sulcal_calibration
  SeptumMidlineParams septum;        //!< how the septum is found (fixed; not in the config file)
};

/** \brief The [oedema] settings: key, member, default, range, unit and meaning of each. */
const SettingSection<OedemaParams> & OedemaSettings();

void ValidateOedemaParams(const OedemaParams & params);

/** \brief One reason of the flag: the marker, its value, the threshold it crossed (or did not), and a sentence. */
struct OedemaReason
{
  std::string marker;
  double value = 0;
  double threshold = 0;
  std::string text;
};

/** \brief Measured markers (NaN when not measurable). */
struct OedemaMarkers
{
  double intracranialMl = NAN;
  double ventricleMl = NAN;
  double ventricleExpectedMl = NAN;
  double ventricleRatio = NAN; //!< ventricles / expected for this head
  double ventricleLeftMl = NAN;
  double ventricleRightMl = NAN;
  double ventricleAsymmetry = NAN; //!< smaller / larger side
  double sulcalCsfMl = NAN;
  double sulcalCsfExpectedMl = NAN;
  double sulcalRatio = NAN;
  double midlineShiftMm = NAN;             //!< + towards the subject's left (septum when seen, else registration)
  std::string midlineMethod;               //!< "septum" (septum pellucidum vs skull midline), "registration", or ""
  double midlineShiftRegistrationMm = NAN; //!< the B-spline's displacement at the corpus callosum body
  std::size_t septumRows = 0;              //!< image rows in which the septum was seen
  double greyWhiteContrast = NAN;          //!< (deep grey - white matter) / (deep grey + white matter) on the reference
  std::map<std::string, double> expectedVolumeMl; //!< structure key -> atlas volume scaled to this head
  std::map<std::string, double> swellingPct;      //!< structure key -> measured / expected - 1, in %
};

/** \brief The flag with its markers and reasons. */
struct OedemaAssessment
{
  OedemaFlag flag = OedemaFlag::NotAssessable;
  OedemaMarkers markers;
  std::vector<OedemaReason> reasons;
  std::vector<std::string> notes;
};

/** \brief Inputs of AssessOedema, on the reference grid. */
struct OedemaInput
{
  using Mask = filters::MaskImage;
  const Mask * labels = nullptr;
  const Mask * tissue = nullptr;
  const Mask * brainMask = nullptr;
  const Mask * hyperintense = nullptr;     //!< T2/FLAIR lesions; null: hyperintensity not assessable
  const Mask * propagatedLabels = nullptr; //!< atlas labels before refinement (optional): where ventricles belong
  const itk::Image<float, 3> * adcUm2s = nullptr; //!< optional: CSF by ADC instead of the tissue class
  const itk::CompositeTransform<double, 3> * subjectToAtlas = nullptr; //!< affine (0), then B-spline levels
  const Atlas * atlas = nullptr;
  double greyWhiteContrast = NAN;
  std::map<std::string, bool> involved; //!< structure key -> T2/FLAIR involved
};

/** \brief Markers of the same study measured at baseline, for --baseline. */
struct OedemaBaseline
{
  OedemaMarkers markers;
};

/** \brief Measures the oedema markers and sets the flag:
 * - diffuse: ventricles AND sulcal CSF both compressed against the atlas expectation for this head (or both shrunk
 *   against the baseline);
 * - focal: an involved structure swollen beyond expectation, a midline shift, or a lateral ventricle compressed on the
 *   side of a lesion;
 * - none otherwise; not_assessable without T2/FLAIR or registration. Signal alone is never oedema. */
OedemaAssessment AssessOedema(const OedemaInput & input,
                              const OedemaParams & params,
                              const std::optional<OedemaBaseline> & baseline = std::nullopt);

nlohmann::json ToJson(const OedemaAssessment & assessment);

} // namespace icanscan::pipeline
