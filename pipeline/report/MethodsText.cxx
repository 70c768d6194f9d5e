#include "pipeline/report/MethodsText.h"

#include "core/TextFormat.h"

namespace icanscan::pipeline
{
namespace
{
std::string Mm(double value)
{
  return FormatNumber(value) + " mm";
}

std::string RegistrationMethods(const StudyAnalysis & a)
{
  return "Series were found and classified from their DICOM headers (DCMTK). The reference series is " +
         a.geometry.referenceRole +
         "; every other series was registered to it rigidly (versor rigid, Mattes mutual information, "
         "multi-resolution, brain-masked; ITK) and checked automatically (metric gain, mask overlap, edge agreement, "
         "plausibility). A series that failed that check is left out of detection.";
}

std::string AtlasMethods(const AtlasSegmentationParams & s)
{
  const auto & r = s.registration;
  std::string text =
    "Structures were segmented by registering the Colin27 atlas (AAL and JHU labels) to the reference: ";
  if (s.headPass)
    text += "an affine pass on the whole head, then ";
  text += "an affine and a B-spline of " + Mm(r.bsplineInitialGridSpacingMm) + " (control-point spacing; L-BFGS)";
  if (!r.fineLevels.empty())
  {
    std::vector<std::string> spacings;
    for (const auto & level : r.fineLevels)
      spacings.push_back(FormatNumber(level.gridSpacingMm));
    text += ", then B-splines of " + Join(spacings) + " mm by stochastic gradient descent";
    if (r.fineOutliers)
      text += " with the subject's intensity outliers for the atlas intensity (robust z > " +
              FormatNumber(r.outliers.zMax) + ", such as lesions) left out of their cost";
  }
  text += "; Mattes mutual information, inside the brain mask dilated by " + Mm(s.maskDilationMm) +
          ". The atlas labels were carried to the reference through that transform";
  text += s.refineOnSubject
            ? "; white matter, corpus callosum and lateral ventricles were refined on the subject's own tissue "
              "classes (3-class k-means; grey and white matter named by the atlas's tissue instead when the "
              "white-matter class held less than " +
                FormatNumber(100.0 * s.tissue.minWhiteMatterAgreement) + " % of the atlas's white matter)."
            : ".";
  return text;
}

std::string DetectionMethods(const StudyAnalysis & a, const LesionDetectionParams & d, const InvolvementParams & inv)
{
  std::string text = d.correctBias ? "T2 and FLAIR were bias-corrected (N4) first. " : "";
  text += "T2/FLAIR hyperintensity: robust z-scores on " +
          (a.detection.hyperintensitySequence.empty() ? std::string("T2/FLAIR") : a.detection.hyperintensitySequence) +
          " against the patient's own normal-appearing tissue of the same class (deep grey, cortical grey, white "
          "matter; median and MAD after trimming outliers), seeds at z >= " +
          FormatFixed(d.hyperSeedZ, 1) + " grown to z >= " + FormatFixed(d.hyperGrowZ, 1) +
          "; with both FLAIR and T2 the T2 must reach z >= " + FormatFixed(d.t2ConfirmZ, 1) +
          (d.deepGreyCortexRimMm < 0
             ? std::string()
             : "; a lesion seeded mostly in deep grey within " + FormatNumber(d.deepGreyCortexRimMm) +
                 " mm plus half the slice spacing of cortex must reach z >= " + FormatFixed(d.hyperSeedZ, 1) +
                 " against cortex too") +
          ". Restricted diffusion: DWI trace bright (seeds at z >= " + FormatFixed(d.dwiSeedZ, 1) +
          ", grown to z >= " + FormatFixed(d.dwiGrowZ, 1) + ") AND ADC low (at most " + FormatNumber(d.adcRatioMax) +
          " x the normal median ADC of the same class" +
          (d.adcZMax < 0 ? " and robust z <= " + FormatNumber(d.adcZMax) : std::string()) +
          ", the cortical reference at most " + FormatNumber(d.cortexWmAdcRatioMax) +
          " x white matter, and grey matter no structure label names against the lower of cortex and deep grey; " +
          (a.detection.adcSource.empty() ? std::string("no diffusion") : a.detection.adcSource) +
          "); DWI-bright voxels with an ADC of at least " + FormatNumber(d.shineThroughAdcRatio) +
          " x normal are T2 shine-through, not restriction. Lesions are 26-connected components of at least " +
          FormatNumber(d.minLesionMl) + " ml. A structure is involved when its lesion volume reaches the larger of " +
          FormatNumber(inv.minMl) + " ml and " + FormatNumber(100.0 * inv.minFraction) +
          " % of its volume (that share capped at " + FormatNumber(inv.fractionCapMl) + " ml).";
  return text;
}

std::string OedemaMethods(const StudyAnalysis & a, const OedemaParams & o)
{
  const std::string & method = a.oedema.markers.midlineMethod;
  const std::string midline =
    method == "septum" ? "the septum pellucidum against the skull midline"
    : method == "registration"
      ? "the deformable registration's displacement at the corpus callosum body (septum not seen)"
      : "the septum pellucidum, else the deformable registration (not measured here)";
  return "Oedema markers: CSF as a partial-volume fraction (" + a.oedema.markers.csfMethod +
         ") in the lateral ventricles, the sulci and the basal cisterns (a box around the midbrain placed on the atlas "
         "thalami), each against the atlas (Colin27, a young adult) measured the same way and scaled to this head. "
         "Diffuse oedema needs effaced cisterns (at most " +
         FormatNumber(o.cisternRatioMax) + " of the expectation) together with small ventricles (at most " +
         FormatNumber(o.ventricleRatioMax) + ") or effaced sulci (at most " + FormatNumber(o.sulcalRatioMax) +
         "); with a baseline, two CSF spaces shrinking since baseline decide instead. Focal oedema: a hyperintense "
         "structure swollen against its uninvolved counterpart (from " +
         FormatNumber(o.contralateralSwellingPct) +
         " %) or, when both sides are involved, against its atlas volume "
         "scaled by the registration's local volume change (from " +
         FormatNumber(o.swellingPct) + " %), a midline shift from " + midline + " away from a one-sided lesion (from " +
         Mm(o.midlineShiftMm) + ", or " + Mm(o.largeMidlineShiftMm) +
         " alone), or the lateral ventricle compressed on the lesion side. A septum pulled towards the lesion, a "
         "larger ventricle or wider CSF on the lesion side are volume loss (ex vacuo) and silence the mass-effect "
         "signs. Signal change alone is not oedema. Grading follows ASTCT (Lee et al. 2019); imaging alone gives only "
         "the oedema domain.";
}
} // namespace

std::vector<std::string> MethodsText(const StudyAnalysis & a, const RunParams & p)
{
  return { RegistrationMethods(a), AtlasMethods(p.geometry.segmentation),
           DetectionMethods(a, p.detection, p.involvement), OedemaMethods(a, p.oedema),
           "icanscan supports clinical review; it does not replace it." };
}

} // namespace icanscan::pipeline
