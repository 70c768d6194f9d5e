#pragma once

#include "itkImage.h"
#include "itkTransform.h"

#include <cstddef>

namespace icanscan::pipeline
{

/** \brief Settings of the septum-pellucidum midline measure (see MeasureSeptumShift). */
struct SeptumMidlineParams
{
  double minGapMm = 0.8;           //!< narrowest non-ventricle gap taken for the septum (thinner: unresolved)
  double maxGapMm = 7.0;           //!< widest (wider: the ventricles are not side by side on this row)
  double minSideMm = 2.0;          //!< ventricle needed on each side of the gap, along the row
  double maxAxisTiltDeg = 30.0;    //!< image rows must run within this angle of left-right (axial-type grids)
  std::size_t minRowsPerSlice = 8; //!< septum rows needed for a slice to count
  std::size_t minRows = 20;        //!< septum rows needed in all for a measurement
};

/** \brief Where the septum pellucidum lies relative to the ideal midline. */
struct SeptumMidline
{
  double shiftMm = 0.0; //!< towards patient left (+) or right (-), mm; NaN when not measured
  std::size_t rows = 0; //!< rows in which both ventricles and the septum between them were seen
  std::size_t slices = 0;
};

/** \brief Midline shift at the septum pellucidum: the radiological measure of subfalcine mass effect.
 *
 * The ideal midline is the line between the anterior and posterior falx attachments: on every slice, the line through
 * the points where the atlas registration (`subjectToAtlas`, subject point -> atlas point, affine + B-spline) puts the
 * atlas midline (`atlasMidlineX`) in the anterior and posterior fifths of the brain (`brainMask`), far from a deep
 * push that the registration would partly follow. The septum is the non-ventricle gap between the two lateral
 * ventricles (`labels` == `ventricleLabel`, the subject's own CSF) nearest that line on each row, minGapMm..maxGapMm
 * wide with ventricle on both sides. The shift is the median over all such rows of the septum's distance from the
 * line. Measured on the reference grid, whose rows must run left-right (axial or near-axial acquisitions, 2D or 3D);
 * NaN otherwise, or with fewer than minRows rows (ventricles fused, collapsed, or not segmented). */
SeptumMidline MeasureSeptumShift(const itk::Image<unsigned char, 3> * labels,
                                 unsigned char ventricleLabel,
                                 const itk::Image<unsigned char, 3> * brainMask,
                                 const itk::Transform<double, 3, 3> * subjectToAtlas,
                                 double atlasMidlineX,
                                 const SeptumMidlineParams & params = {});

} // namespace icanscan::pipeline
