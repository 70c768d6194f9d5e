#pragma once

#include "core/OedemaFlag.h"
#include "pipeline/geometry/AtlasLoader.h"
#include "pipeline/oedema/SeptumMidline.h"
#include "pipeline/geometry/StructureLabels.h"

#include "itkCompositeTransform.h"
#include "itkImage.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Thresholds of the cerebral-oedema flag. Defaults and why: docs/oedema.md. */
struct OedemaParams
{
  /** A T2/FLAIR-involved structure pair (or one side) at least this much larger than the atlas expects, scaled to the
   * head by the affine registration: local swelling, focal oedema. Normal adults vary about +/-10 % around the
   * atlas. [0, 200] */
  double swellingPct = 12.0;
  /** Midline shifted at least this (mm) away from a mainly one-sided lesion: mass effect, focal oedema. Measured at
   * the septum pellucidum against the skull midline (about +/-0.5 mm on normal phantoms), else from the registration
   * at the corpus callosum body (about +/-2 mm, and it smooths a local push away); a shift without a one-sided lesion
   * counts only from largeMidlineShiftMm. (0, 50] */
  double midlineShiftMm = 2.0;
  double largeMidlineShiftMm = 5.0;        //!< (0, 50]
  double ventricleAsymmetryMax = 0.7;      //!< smaller / larger lateral ventricle at most this with an ipsilateral
                                           //!< hyperintense lesion: a compressed ventricle, focal oedema; (0, 1]
  double ventricleRatioMax = 0.7;          //!< ventricles / expected at most this ... ; (0, 1]
  double sulcalRatioMax = 0.6;             //!< ... AND sulcal CSF / expected at most this: diffuse oedema; (0, 1]
  double baselineVentricleChangePct = -25; //!< with a baseline: ventricles shrank by this much ... ; [-100, 0)
  double baselineSulcalChangePct = -25;    //!< ... and sulcal CSF too: diffuse oedema; [-100, 0)
  double minIpsilateralLesionMl = 2.0;     //!< lesion volume on the compressed side for the asymmetry cue; [0, 1000]
  double csfAdcUm2s = 1900;     //!< CSF: ADC above this (half-way between tissue and free water); [1000, 3500]
  double ventricleRegionMm = 4; //!< ventricular CSF: within this of the atlas ventricles; [0, 20]
  /** Measured / atlas CSF on normal studies, for the ventricles and the sulci: the subject is measured at clinical
   * resolution (partial volume), the atlas at 1 mm; set on normal phantoms (docs/oedema.md). (0, 10] */
  double ventricleCalibration = 0.9;
  double sulcalCalibration = 0.8;
  SeptumMidlineParams septum; //!< how the septum is found (fixed; not in the config file)
};

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
  using Mask = itk::Image<unsigned char, 3>;
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
