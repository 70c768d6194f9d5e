#pragma once

#include "synthetic/PhantomAnatomy.h"
#include "synthetic/PhantomGrid.h"

#include <random>
#include <vector>

namespace icanscan::synthetic
{

/** \brief A coil's smooth multiplicative sensitivity: exp of a random quadratic polynomial of the position relative to
 * `centre`, normalised by `halfExtentMm`; `strength` is the standard deviation of each coefficient (0.06 gives about
 * +-15 % over a head). */
struct BiasField
{
  std::array<double, 9> coefficients{}; //!< x, y, z, x², y², z², xy, xz, yz
  Vec3 centre{};
  double halfExtentMm = 100.0;

  double At(const Vec3 & p) const;
  static BiasField Random(const Vec3 & centre, double halfExtentMm, double strength, std::mt19937 & rng);
};

/** \brief Samples the phantom's signal maps on series grids.
 *
 * A series voxel at scanner point q shows the anatomy at q' = motion⁻¹(q) in the reference (T2) scanner frame, i.e.
 * `motion` maps a T2-frame point to where the same anatomy lies during this series (fixed = T2, moving = series).
 * From there: subject point pose⁻¹(q'), then the atlas point warp.Map(...), where the maps are interpolated
 * linearly. Thick slices average `sliceSamples` x `inPlaneSamples`² samples spread evenly over the voxel. */
class PhantomSeriesRenderer
{
public:
  /** `anatomyToScanner`: the head pose of the study (subject mm -> T2 scanner LPS mm). Keeps references. */
  PhantomSeriesRenderer(const PhantomAnatomy & anatomy, const Affine3 & anatomyToScanner);

  /** One image per map, all on `geometry`, voxels averaged over their samples (0 outside the atlas). */
  std::vector<FloatImage::Pointer> Render(const SeriesGeometry & geometry,
                                          const Affine3 & motion,
                                          const std::vector<const FloatImage *> & maps) const;

  /** Nearest-neighbour label at each voxel centre (truth maps). */
  LabelImage::Pointer SampleLabels(const SeriesGeometry & geometry,
                                   const Affine3 & motion,
                                   const LabelImage * labels) const;

  /** Multiplies every voxel by the bias field at its centre. */
  static void ApplyBias(FloatImage * image, const SeriesGeometry & geometry, const BiasField & bias);

  /** Magnitude of the signal plus complex Gaussian noise of std `sigma` (Rician), rounded like stored values. */
  static void AddRicianNoise(FloatImage * image, double sigma, std::mt19937 & rng);

private:
  Affine3 SeriesToSubject(const SeriesGeometry & geometry, const Affine3 & motion) const;

  const PhantomAnatomy & m_Anatomy;
  Affine3 m_ScannerToSubject;
  Affine3 m_AtlasToIndex;
  std::array<unsigned, 3> m_AtlasSize{};
};

} // namespace icanscan::synthetic
