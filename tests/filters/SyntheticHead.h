#pragma once

#include "filters/ImageTypes.h"

#include "itkTransform.h"

#include <array>
#include <cstdint>

/** Test and benchmark helper: an analytic head made of ellipsoids, sampled on clinical grids. */
namespace icanscan::filters::test
{

/** \brief Tissue intensities of one contrast; tissues not listed are 0 (air). */
struct HeadContrast
{
  float scalp, skull, csf, grey, white, ventricle, deepGrey, lesion;
};

/** T2-weighted: CSF bright, grey above white. */
constexpr HeadContrast kT2{ 0.55f, 0.04f, 1.0f, 0.55f, 0.40f, 1.0f, 0.50f, 0.80f };
/** FLAIR: CSF dark, grey above white, lesion brightest. */
constexpr HeadContrast kFlair{ 0.65f, 0.04f, 0.10f, 0.60f, 0.45f, 0.08f, 0.55f, 0.95f };

/** \brief A scanner grid: voxel size (mm), size, centred on the head with an identity direction; `offsetMm` moves
 * the field of view (e.g. half a slice so that two series do not sample the same planes). */
struct HeadGrid
{
  std::array<double, 3> spacing{ 1.0, 1.0, 5.0 };
  std::array<unsigned, 3> size{ 180, 210, 32 };
  std::array<double, 3> offsetMm{ 0, 0, 0 };
  /** Samples averaged per voxel and axis: 5 along a 5 mm axis mimics the slice profile of a thick slice. */
  std::array<unsigned, 3> subSamples{ 1, 1, 5 };
};

/** \brief Tissue label at a head-frame point: 0 air, 1 scalp, 2 skull, 3 CSF, 4 grey, 5 white, 6 ventricle,
 * 7 deep grey, 8 lesion. The brain, ventricles and deep grey are placed asymmetrically so that no rotation maps the
 * head onto itself. */
int TissueAt(const std::array<double, 3> & p, bool withLesion = false);

/** \brief True inside the intracranial volume (CSF and brain), the "brain mask" of the tests. */
bool IntracranialAt(const std::array<double, 3> & p);

/** \brief True inside the brain surface (parenchyma and ventricles, not the CSF around the brain): what a brain mask
 * made on FLAIR or T1, where that CSF is as dark as bone, can find. */
bool BrainAt(const std::array<double, 3> & p);

/** \brief The head on a 2 mm isotropic grid, point-sampled (no slice profile): small and fast, for registration
 * tests that need a whole head. */
inline HeadGrid IsotropicHeadGrid()
{
  HeadGrid grid;
  grid.spacing = { 2.0, 2.0, 2.0 };
  grid.size = { 96, 112, 90 };
  grid.subSamples = { 1, 1, 1 };
  return grid;
}

/** \brief An empty image on `grid`. */
FloatImage::Pointer MakeGridImage(const HeadGrid & grid);

/** \brief The head sampled on `grid` in `contrast`. The image shows the head moved so that a registration to an
 * image of the unmoved head must recover `headToImage` (fixed point -> moving point): voxel y shows the head at
 * headToImage^-1(y). null = unmoved. Gaussian noise of `noiseSigma` with `seed` is added (then the magnitude taken,
 * like MR magnitude images). */
FloatImage::Pointer MakeHead(const HeadGrid & grid,
                             const HeadContrast & contrast,
                             const itk::Transform<double, 3, 3> * headToImage = nullptr,
                             double noiseSigma = 0.02,
                             std::uint32_t seed = 1,
                             bool withLesion = false);

/** \brief The intracranial mask on `grid` (voxel centres), moved like MakeHead. */
MaskImage::Pointer MakeIntracranialMask(const HeadGrid & grid,
                                        const itk::Transform<double, 3, 3> * headToImage = nullptr);

/** \brief The BrainAt mask on `grid` (voxel centres). */
MaskImage::Pointer MakeBrainMask(const HeadGrid & grid);

/** \brief Target registration error: mean |recovered(x) - truth(x)| (mm) over the non-zero voxels of `mask`. */
double MeanTargetError(const itk::Transform<double, 3, 3> * recovered,
                       const itk::Transform<double, 3, 3> * truth,
                       const MaskImage * mask);

} // namespace icanscan::filters::test
