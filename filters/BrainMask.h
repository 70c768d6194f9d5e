#pragma once

#include "filters/ImageTypes.h"

#include <cstddef>

namespace icanscan::filters
{

/** \brief Parameters of RefineBrainMask. Lengths are in mm and act in physical space, so 5 mm slices and 0.45 mm
 * in-plane voxels get the same physical morphology (a 2 mm radius does not reach the next 5 mm slice). */
struct BrainMaskParams
{
  /** The refined mask never leaves the rough mask dilated by this: an atlas-propagated mask can be this far off.
   * [0, 30] mm. */
  double searchMarginMm = 5.0;
  /** Reference intensity = median of the image inside the rough mask eroded by this, so the statistics come from
   * tissue the rough mask is sure about (no boundary partial volume, no skull). [0, 20] mm. */
  double statisticsErosionMm = 4.0;
  /** Voxels darker than this fraction of the reference intensity are not brain (background, bone, air; on FLAIR
   * and T1 also the CSF around the brain, so there the mask is the brain surface, on T2 the intracranial volume).
   * A median is insensitive to lesions covering less than half of the brain. (0, 1). */
  double lowerThresholdFraction = 0.5;
  /** Voxels brighter than this multiple of the reference are not brain (fat, vessels on contrast images); 0 turns
   * the upper threshold off, which suits T2 and FLAIR where CSF is the brightest tissue. 0 or (1, 100]. */
  double upperThresholdFactor = 0.0;
  /** Opening radius: cuts bridges from brain to scalp. On 5 mm slices the skull runs oblique to the slices near
   * the vertex and the base, and partial volume there joins CSF to scalp over several mm; 4 mm cuts bridges up to
   * 8 mm wide (tested on synthetic 1.2 x 1.2 x 5 mm heads) and only rounds the smooth brain envelope. The erosion
   * acts within the slice plane on thick slices (the next slice is farther than the radius). [0, 10] mm. */
  double openingRadiusMm = 4.0;
  /** Closing radius: reconnects sulci and vessels cut by the threshold. [0, 10] mm. */
  double closingRadiusMm = 3.0;
  bool fillHoles = true;            //!< fill enclosed holes (ventricles on FLAIR, dark lesions): 3D and per slice
  bool keepLargestComponent = true; //!< drop islands (eyes, scalp fragments) that survived the threshold
};

/** \brief Result of RefineBrainMask. */
struct BrainMaskResult
{
  MaskImage::Pointer mask;       //!< 1 inside the brain, 0 outside; on the image grid
  double referenceIntensity = 0; //!< median inside the eroded rough mask
  double lowerThreshold = 0;     //!< intensities used, in image units
  double upperThreshold = 0;     //!< +inf when the upper threshold is off
  std::size_t voxels = 0;        //!< voxels in the refined mask
  double volumeMl = 0;           //!< refined mask volume, millilitres
};

/** \brief Checks every parameter; throws ConfigError naming the first bad one, its value and the valid range. */
void ValidateBrainMaskParams(const BrainMaskParams & params);

/** \brief Refines a rough brain mask (e.g. propagated from an atlas) on the subject image: threshold relative to
 * the robust brain intensity, opening, largest connected component (face connectivity), closing, hole filling,
 * all inside the rough mask dilated by searchMarginMm. Morphology is Euclidean in mm (MaskMorphology.h). `roughMask`
 * must be on the image grid (InputError otherwise); an empty rough mask or an empty result throws InputError. */
BrainMaskResult RefineBrainMask(const FloatImage * image,
                                const MaskImage * roughMask,
                                const BrainMaskParams & params = {});

} // namespace icanscan::filters
