#pragma once

#include <array>
#include <cstdint>

namespace icanscan
{

/** \brief How a lesion mask is drawn over a grey image: a translucent fill (the signal under it stays readable) with
 * an opaque edge. The report's key images and the viewer draw with these, so a finding looks the same in both. */
struct LesionOverlayStyle
{
  std::array<std::uint8_t, 3> rgb;
  double fillOpacity;
};

/** \brief T2/FLAIR hyperintensity: red. */
inline constexpr LesionOverlayStyle kT2FlairLesionStyle{ { 255, 0, 0 }, 0.35 };

/** \brief Restricted diffusion: blue, light enough to see on a dark DWI or ADC base. */
inline constexpr LesionOverlayStyle kRestrictedLesionStyle{ { 30, 144, 255 }, 0.35 };

/** \brief Outline of the structure a key image is about (yellow: apart from every structure and lesion colour). */
inline constexpr std::array<std::uint8_t, 3> kFindingStructureOutlineRgb{ 255, 220, 0 };

} // namespace icanscan
