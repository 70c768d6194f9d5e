#pragma once

#include "filters/BiasCorrection.h"
#include "filters/ImageTypes.h"
#include "filters/RobustStatistics.h"
#include "pipeline/Settings.h"
#include "pipeline/geometry/StructureLabels.h"

#include "itkImage.h"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Tissue classes whose normal-appearing voxels are the reference for their own voxels. */
enum class TissuePool
{
  DeepGrey = 0,     //!< thalami and basal ganglia
  CorticalGrey = 1, //!< hippocampi and unlabelled grey matter
  WhiteMatter = 2,  //!< white matter, corpus callosum, external capsules and unlabelled white matter
};
constexpr std::size_t kTissuePoolCount = 3;
const char * ToString(TissuePool pool);

/** \brief Parameters of LesionDetectionStage; every threshold is relative to the patient's own tissue. The
 * configurable numbers (section [detection]) are declared, with defaults, ranges, units and meaning, in
 * LesionDetectionSettings(); the constructor sets their defaults. */
struct LesionDetectionParams
{
  LesionDetectionParams();

  filters::NormalAppearingParams normal; //!< how normal-appearing tissue statistics are trimmed
  double hyperSeedZ;                     //!< hyper_seed_z
  double hyperGrowZ;                     //!< hyper_grow_z
  double t2ConfirmZ;                     //!< t2_confirm_z
  double dwiSeedZ;                       //!< dwi_seed_z
  double dwiGrowZ;                       //!< dwi_grow_z
  double adcRatioMax;                    //!< adc_ratio_max
  double adcZMax;                        //!< adc_z_max
  double shineThroughAdcRatio;           //!< shine_through_adc_ratio
  double fluidAdcUm2s;                   //!< fluid_adc_um2s
  double minLesionMl;                    //!< min_lesion_ml
  double minRestrictedNativeVoxels;      //!< min_restricted_native_voxels
  double edgeFraction;                   //!< edge_fraction
  double wmDeepGreyRatioMax;             //!< wm_deep_grey_ratio_max
  double normalWmDeepGreyRatio;          //!< normal_wm_deep_grey_ratio
  double deepGreyWmRatioMax;             //!< deep_grey_wm_ratio_max
  double normalDeepGreyWmRatio;          //!< normal_deep_grey_wm_ratio
  double cortexWmAdcRatioMax;            //!< cortex_wm_adc_ratio_max
  double deepGreyCortexRimMm;            //!< deep_grey_cortex_rim_mm
  std::size_t maxPoolSamples = 400000;   //!< pools are subsampled evenly to at most this many voxels; [1000, 1e8]
  /** T2 and FLAIR are bias-corrected (N4 within the brain mask) before their z-scores: a coil's smooth shading would
   * otherwise make one region's normal tissue "hyperintense" against the pool. Three fitting levels (mesh 200, 100,
   * 50 mm): the field stays smoother than lesions. */
  bool correctBias = true;
  filters::BiasCorrectionParams bias = DetectionBiasParams();

  static filters::BiasCorrectionParams DetectionBiasParams()
  {
    filters::BiasCorrectionParams p;
    p.iterationsPerLevel = { 25, 25, 25 };
    p.shrinkSpacingMm = 8.0; // the field is fitted on a coarse copy: seconds, not a minute
    p.maxShrinkFactor = 8;
    p.convergenceThreshold = 1e-4;
    return p;
  }
};

/** \brief The [detection] settings: key, member, default, range, unit and meaning of each. */
const SettingSection<LesionDetectionParams> & LesionDetectionSettings();

void ValidateLesionDetectionParams(const LesionDetectionParams & params);

/** \brief Inputs of LesionDetectionStage: everything on the reference grid. A missing or rejected series is null. */
struct LesionDetectionInput
{
  using Image = filters::FloatImage;
  using Mask = filters::MaskImage;
  const Image * t2 = nullptr;
  const Image * flair = nullptr;
  const Image * dwiB0 = nullptr;
  const Image * dwiHigh = nullptr; //!< the b-weighted trace (b = dwiB)
  double dwiB = 1000;              //!< s/mm²
  double dwiVoxelMl = 0;           //!< one voxel of the DWI trace as acquired (ml); 0 = unknown
  const Image * adc = nullptr;     //!< scanner ADC, any common unit (detected); computed from b0 + trace when null
  const Mask * labels = nullptr;   //!< pipeline::Structure values
  /** Optional: the atlas labels before refinement on tissue classes. A lesion can change a voxel's tissue class (a
   * white-matter lesion looks grey on T2), which removes it from the refined white matter; its pool then comes from
   * here, not from its changed tissue class. */
  const Mask * propagatedLabels = nullptr;
  const Mask * tissue = nullptr; //!< 0 outside, 1 CSF, 2 GM, 3 WM
  const Mask * brainMask = nullptr;
};

/** \brief Normal-appearing tissue statistics of one pool on one sequence, and how they were obtained. */
struct PoolReference
{
  filters::RobustStatistics stats;
  bool substituted = false; //!< the whole pool looked abnormal: normal level derived from another pool
  std::string note;
};

/** \brief What LesionDetectionStage found, on the reference grid. */
struct LesionDetectionResult
{
  using Image = filters::FloatImage;
  using Mask = filters::MaskImage;
  Mask::Pointer t2flair; //!< 0/1 T2/FLAIR hyperintensity; null when neither T2 nor FLAIR was usable
  /** The hyperintensity before the edge trim (edgeFraction), partial-volume rim included: what the oedema markers
   * were validated on (swelling against the atlas, lesion side), so the flag does not move with the lesion edge. */
  Mask::Pointer t2flairExtent;
  Mask::Pointer restricted;   //!< 0/1 restricted diffusion; null when diffusion was not assessable
  Mask::Pointer shineThrough; //!< 0/1 b1000-bright voxels with normal or high ADC; null like `restricted`
  Image::Pointer adcUm2s;     //!< ADC in µm²/s on the reference grid (scanner or computed); null without diffusion
  std::string hyperintensitySequence; //!< "FLAIR", "T2" or empty
  std::string adcSource;              //!< "scanner ADC (unit ...)", "computed ln(S0/Sb)/b" or empty
  /** sequence ("FLAIR", "T2", "DWI", "ADC") -> pool -> normal-appearing reference */
  std::map<std::string, std::array<PoolReference, kTissuePoolCount>> references;
  std::vector<std::string> notes;
};

/** \brief Detects T2/FLAIR hyperintensity and restricted diffusion voxel-wise, against the patient's own
 * normal-appearing tissue of the same class (TissuePool), with hysteresis thresholds and removal of tiny components.
 *
 * Hyperintensity: robust z on FLAIR (T2 when there is no FLAIR; fluid excluded by ADC or tissue class); with both,
 * T2 must agree. Restriction: b1000 bright AND ADC low against the class (absolute ratio and z); b1000-bright voxels
 * with normal or high ADC are T2 shine-through, kept apart. */
class LesionDetectionStage
{
public:
  explicit LesionDetectionStage(LesionDetectionParams params);
  LesionDetectionResult Run(const LesionDetectionInput & input) const;

private:
  LesionDetectionParams m_Params;
};

/** \brief The pool a voxel's normal reference comes from, by its structure label and tissue class; nullopt for
 * fluid, ventricles and background. */
std::optional<TissuePool> PoolOf(unsigned char label, unsigned char tissue);

} // namespace icanscan::pipeline
