#pragma once

#include "filters/ImageTypes.h"
#include "itkImage.h"

#include <array>
#include <functional>
#include <vector>

namespace icanscan::filters
{

/** \brief An empty (zero) mask on the grid of `reference`. */
MaskImage::Pointer NewMaskLike(const itk::ImageBase<3> * reference);

/** \brief A copy of `mask` (same grid and values) that can be changed without touching the original. */
MaskImage::Pointer CopyMask(const MaskImage * mask);

/** \brief Voxels whose value is one of `values` become 1, all others 0. */
MaskImage::Pointer SelectValues(const MaskImage * labels, const std::vector<unsigned char> & values);

/** \brief Binary dilation by a sphere of `radiusMm` (Euclidean distance in physical units, so anisotropic voxels are
 * handled), computed with a Maurer distance map on the mask's bounding box plus the radius. Non-zero input voxels
 * count as foreground; the output is 0/1. radiusMm <= 0 returns a 0/1 copy. */
MaskImage::Pointer DilateMm(const MaskImage * mask, double radiusMm);

/** \brief Binary erosion by a sphere of `radiusMm`: the foreground voxels farther than radiusMm from the background.
 * Voxels outside the image count as background. */
MaskImage::Pointer ErodeMm(const MaskImage * mask, double radiusMm);

/** \brief Distance (mm) from every voxel of `region` to the nearest non-zero voxel of `mask` (0 on them), as an
 * image whose buffer is `region` of the mask's grid. Voxels beyond `region` are not seen: grow the region by the
 * largest distance of interest. */
itk::Image<float, 3>::Pointer DistanceMm(const MaskImage * mask, const MaskImage::RegionType & region);

/** \brief Depth (mm) of every non-zero voxel of `mask` in `region`: its distance to the nearest zero voxel (or to the
 * image border); 0 outside the mask. Same layout as DistanceMm. */
itk::Image<float, 3>::Pointer DepthMm(const MaskImage * mask, const MaskImage::RegionType & region);

/** \brief The bounding box of the non-zero voxels grown by `marginMm` and clipped to the image; empty without
 * foreground. */
MaskImage::RegionType ForegroundRegion(const MaskImage * mask, double marginMm);

/** \brief Connected components of the foreground (face connectivity when `fullyConnected` is false, else 26
 * neighbours), labelled 1..N by decreasing size; 0 = background. Returns the component image (unsigned int) and the
 * sizes in voxels (sizes[0] belongs to component 1). */
struct Components
{
  itk::Image<unsigned int, 3>::Pointer labels;
  std::vector<std::size_t> sizes;
};
Components ConnectedComponents(const MaskImage * mask, bool fullyConnected);

/** \brief The components of `mask` that contain at least one voxel of `seeds` (0/1 output). */
MaskImage::Pointer ComponentsTouching(const MaskImage * mask, const MaskImage * seeds, bool fullyConnected);

/** \brief The `count` largest components of `mask` (0/1 output). */
MaskImage::Pointer LargestComponents(const MaskImage * mask, unsigned count, bool fullyConnected);

/** \brief Physical (LPS) centroid of the non-zero voxels; throws InputError when there are none. */
std::array<double, 3> Centroid(const MaskImage * mask);

/** \brief Physical (LPS) point of the voxel at `offset` in the buffer (x fastest) of an image's largest region. */
itk::Point<double, 3> PointOfOffset(const itk::ImageBase<3> * image, std::size_t offset);

/** \brief Number of non-zero voxels. */
std::size_t CountNonZero(const MaskImage * mask);

/** \brief Sets each voxel of `mask` to 0 where `keep(worldPoint)` is false (worldPoint in LPS mm). */
void KeepWhere(MaskImage * mask, const std::function<bool(const std::array<double, 3> &)> & keep);

} // namespace icanscan::filters
