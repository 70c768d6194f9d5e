#pragma once

#include "filters/ImageTypes.h"
#include "pipeline/geometry/AtlasLoader.h"
#include "pipeline/oedema/OedemaParams.h"

#include "itkCompositeTransform.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Inputs of MeasureOedemaMarkers, on the reference grid. */
struct OedemaInput
{
  using Mask = filters::ByteLabelImage;
  const Mask * labels = nullptr;
  const Mask * tissue = nullptr;
  const Mask * brainMask = nullptr;
  const Mask * hyperintense = nullptr;           //!< T2/FLAIR lesions; null: hyperintensity not assessable
  const Mask * propagatedLabels = nullptr;       //!< atlas labels before refinement (optional): where ventricles belong
  const filters::FloatImage * adcUm2s = nullptr; //!< optional: CSF fraction from the ADC (else from `csfImage`)
  const filters::FloatImage * csfImage =
    nullptr; //!< optional: T2 (CSF bright) or FLAIR (CSF dark) for the CSF fraction
  bool csfImageBright = true;
  std::string csfImageSequence;                                        //!< "T2" or "FLAIR", for the notes
  const itk::CompositeTransform<double, 3> * subjectToAtlas = nullptr; //!< affine (0), then B-spline levels
  const Atlas * atlas = nullptr;
  double greyWhiteContrast = NAN;
  std::map<std::string, bool> involved; //!< structure key -> T2/FLAIR involved
};

/** \brief Measured markers (NaN when not measurable). Sides: the subject's left and right. */
struct OedemaMarkers
{
  double intracranialMl = NAN;
  double ventricleMl = NAN;
  double ventricleExpectedMl = NAN;
  double ventricleRatio = NAN; //!< ventricles / the atlas's scaled to this head
  double ventricleLeftMl = NAN;
  double ventricleRightMl = NAN;
  double ventricleAsymmetry = NAN; //!< smaller / larger side
  double sulcalCsfMl = NAN;
  double sulcalCsfExpectedMl = NAN;
  double sulcalRatio = NAN;
  double cisternCsfMl = NAN;         //!< CSF in the basal-cistern region
  double cisternCsfExpectedMl = NAN; //!< the atlas's, scaled to this head
  double cisternRatio = NAN;         //!< NaN when the region is not covered enough (min_cistern_coverage)
  double cisternCoverage = NAN;      //!< region volume found in the imaged brain / expected
  double hemisphereCsfLeftMl = NAN;  //!< ventricular + sulcal CSF by side
  double hemisphereCsfRightMl = NAN;
  double lesionLeftMl = NAN; //!< T2/FLAIR hyperintensity by side
  double lesionRightMl = NAN;
  double midlineShiftMm = NAN;             //!< + towards the subject's left (septum when seen, else registration)
  std::string midlineMethod;               //!< "septum" (septum pellucidum vs skull midline), "registration", or ""
  double midlineShiftRegistrationMm = NAN; //!< the B-spline's displacement at the corpus callosum body
  std::size_t septumRows = 0;              //!< image rows in which the septum was seen
  double greyWhiteContrast = NAN;          //!< (deep grey - white matter) / (deep grey + white matter) on the reference
  std::string csfMethod;                   //!< how CSF was measured (one sentence)
  std::map<std::string, double> expectedVolumeMl;         //!< structure key -> atlas volume scaled to this head
  std::map<std::string, double> swellingPct;              //!< involved structure -> measured / expected - 1, in %
  std::map<std::string, double> contralateralSwellingPct; //!< one-sided involvement -> measured / other side - 1, %
  std::map<std::string, double> structureMl;              //!< involved structure -> measured volume (label or extent)
  std::map<std::string, double> baselineChangePct; //!< involved structure -> volume change since baseline (one space)
  /** involved structure -> fraction of it the baseline registration saw (outside the follow-up's lesions) */
  std::map<std::string, double> baselineSeenFraction;
};

/** \brief Measures the oedema markers on the images; decides nothing (see DecideOedema). Requires every input but
 * the optional ones (InputError otherwise). */
OedemaMarkers MeasureOedemaMarkers(const OedemaInput & input, const OedemaParams & params);

} // namespace icanscan::pipeline
