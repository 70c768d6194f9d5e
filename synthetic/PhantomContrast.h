#pragma once

#include "synthetic/PhantomAnatomy.h"

#include <array>
#include <string>

namespace icanscan::synthetic
{

/** \brief Tissue compartments that have their own MR properties. */
enum class Compartment : std::size_t
{
  Csf,
  Cortex,
  WhiteMatter,
  DeepGrey, //!< grey matter inside thalamus, hippocampus and basal ganglia labels
  Fat,
  Muscle,
  Bone,
  Count
};

/** \brief 1.5 T relaxation times (ms), relative proton density and ADC (µm²/s = 1e-6 mm²/s). */
struct TissueProperties
{
  double pd;
  double t1;
  double t2;
  double adc;
};

/** \brief Properties of every compartment (ADC after Helenius 2002: WM 700, deep grey 750, cortex 850, CSF 3000). */
const std::array<TissueProperties, static_cast<std::size_t>(Compartment::Count)> & PhantomTissues();

/** \brief Sequence timings of the synthetic series (ms), written into their DICOM headers too. */
struct PhantomSequences
{
  static constexpr double kT2RepetitionMs = 4000, kT2EchoMs = 100;
  static constexpr double kFlairRepetitionMs = 9000, kFlairEchoMs = 120, kFlairInversionMs = 2500;
  static constexpr double kDwiRepetitionMs = 5000, kDwiEchoMs = 90;
  static constexpr double kBValue = 1000;          //!< s/mm²
  static constexpr double kWhiteMatterLevel = 500; //!< every magnitude contrast shows normal white matter at this value
  static constexpr double kDwiFatFactor = 0.05;    //!< fat suppression of the EPI diffusion series
  static constexpr double kLocalizerRepetitionMs = 8.6, kLocalizerEchoMs = 4.0, kLocalizerFlipDeg = 20.0;
};

/** \brief Noiseless signal maps on the atlas grid (subject anatomy before the warp), one per contrast. */
struct ContrastMaps
{
  FloatImage::Pointer t2;
  FloatImage::Pointer flair;
  FloatImage::Pointer dwiB0;
  FloatImage::Pointer dwiB1000;  //!< trace at PhantomSequences::kBValue: dwiB0 * exp(-b ADC) per compartment
  FloatImage::Pointer localizer; //!< T1-weighted spoiled gradient echo of the localizer; only when asked
};

/** \brief Tissue -> signal. Each voxel mixes its compartments' signals by the anatomy's partial-volume fractions
 * (brain) or takes its head tissue's; lesions scale the properties of the grey and white matter compartments under
 * them by their LesionSignal factors, weighted by the lesion's blurred weight. T2: spin echo; FLAIR: inversion
 * recovery (CSF nulled); DWI: fat-suppressed spin-echo EPI, b1000 = b0 * exp(-b ADC) per compartment, so partial
 * volumes obey the same law as a scanner's. Every contrast is scaled so normal white matter shows
 * PhantomSequences::kWhiteMatterLevel (the b1000 map keeps the b0 scale). */
ContrastMaps MakeContrastMaps(const PhantomAnatomy & anatomy, const PhantomCase & phantomCase, bool localizer = false);

} // namespace icanscan::synthetic
