#pragma once

#include "filters/ImageTypes.h"
#include "itkImage.h"

#include <array>
#include <optional>
#include <vector>

namespace icanscan::filters
{

using DiffusionImage = FloatImage;

/** \brief Parameters of DeriveDiffusionSummaries. */
struct DiffusionTraceParams
{
  double b0MaxBValue = 50.0;          //!< volumes with b below this (s/mm²) count as b0; Philips writes 0.001-0.004
  double shellToleranceBValue = 50.0; //!< b-values closer than this belong to the same shell
  unsigned minDirections = 3;         //!< fewer directional volumes on a shell give no trace
};

/** \brief A trace-weighted volume for one b shell. */
struct TraceVolume
{
  double bValue = 0.0; //!< mean b of the shell's volumes, s/mm²
  unsigned directions = 0;
  DiffusionImage::Pointer image;
};

/** \brief The b0 and trace volumes derived from a diffusion series. */
struct DiffusionSummaries
{
  DiffusionImage::Pointer b0; //!< arithmetic mean of the b0 volumes; null when there is none
  unsigned b0Count = 0;
  std::vector<TraceVolume> traces; //!< geometric mean over directions, one per shell with directional images only
};

/** \brief Derives a b0 (mean of b≈0 volumes) and, for each shell whose volumes are all directional (a gradient
 * direction each), the trace image as the geometric mean over directions, as scanners compute TRACEW.
 * `hasGradient[i]` says whether volume i is directional; shells that already hold a scanner trace (no direction)
 * are not derived again. All volumes must share one grid. */
DiffusionSummaries DeriveDiffusionSummaries(const std::vector<DiffusionImage::Pointer> & volumes,
                                            const std::vector<double> & bValues,
                                            const std::vector<bool> & hasGradient,
                                            const DiffusionTraceParams & params = {});

} // namespace icanscan::filters
