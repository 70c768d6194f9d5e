#pragma once

#include "filters/ImageTypes.h"

#include "itkVersorRigid3DTransform.h"

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::filters
{

using RigidTransform = itk::VersorRigid3DTransform<double>;

/** \brief How the rigid transform starts. */
enum class RigidInitialization
{
  /** Identity: series of one study share the scanner frame, so the DICOM geometry is the best start. The centre of
   * rotation is put at the centroid of the fixed mask (or the fixed image centre), which only conditions the
   * optimisation. The default. */
  Header,
  /** itk::CenteredTransformInitializer, geometry: aligns the field-of-view centres. For series whose frames do not
   * agree (another session, a phantom scanned twice); wrong for series with different fields of view. */
  Geometry,
  /** itk::CenteredTransformInitializer, moments: aligns the intensity centroids (of the masked images when masks are
   * given); for large offsets between the same anatomy. */
  Moments,
};

/** \brief Parameters of RegisterRigid. Lengths in mm; per-level vectors run coarse to fine and must be the same
 * length (1-6 levels). */
struct RigidRegistrationParams
{
  /** Both images are resampled (with anti-aliasing) to a working grid of max(own spacing, this) per axis: 0.45 mm
   * in-plane becomes 1.5 mm, 5 mm slices stay 5 mm, and series of different resolution meet on comparable grids.
   * [0.5, 4] mm. */
  double workingSpacingMm = 1.5;
  RigidInitialization initialization = RigidInitialization::Header;
  unsigned histogramBins = 32;    //!< Mattes mutual information bins; [8, 256]
  double samplingFraction = 0.25; //!< share of working-grid voxels randomly sampled per level; (0, 1]
  /** Metric sampling seed, >= 0: the same inputs give the same result (bit for bit with one thread; with several,
   * ITK's threaded metric sums differ in the last bits, ~1e-9 mm). */
  int randomSeed = 121;
  /** Shrink factor per level relative to the working grid's finest axis. An axis is shrunk only while its spacing
   * stays at most that of the shrunk finest axis (factor_d = max(1, floor(f * min spacing / spacing_d))): with
   * 1.5 mm in-plane and 5 mm slices, levels 4/2/1 give 6/3/1.5 mm in-plane and leave the slices alone. Each in
   * [1, 16]. */
  std::vector<unsigned> shrinkFactors{ 4, 2, 1 };
  /** Gaussian smoothing sigma per level, mm (physical, so the 5 mm axis is hardly smoothed); each in [0, 10]. */
  std::vector<double> smoothingSigmasMm{ 2.0, 1.0, 0.0 };
  std::vector<unsigned> iterations{ 200, 100, 50 }; //!< maximum optimizer iterations per level; each in [1, 10000]
  /** Regular-step gradient descent: largest voxel displacement of one step at the start of each level (the
   * learning rate is re-estimated from the parameter scales at every iteration so a step always moves the image by
   * this times the current relaxation, whatever mix of rotation and translation it holds). (0, 20] mm. */
  double maximumStepMm = 2.0;
  /** The step shrinks by relaxationFactor when the gradient turns back; [0.1, 0.9]. */
  double relaxationFactor = 0.5;
  /** A level ends when the physical step falls below this; (0, 1] mm. */
  double minimumStepMm = 0.01;
};

/** \brief Result of RegisterRigid. */
struct RigidRegistrationResult
{
  RigidTransform::Pointer transform; //!< maps a fixed point to the moving point (ITK convention)
  RigidTransform::Pointer initial;   //!< the starting transform, for QC
  double initialMetric = 0;          //!< dense Mattes MI on the working grids at the start (lower is better)
  double finalMetric = 0;            //!< the same at the result
  std::vector<unsigned> iterationsPerLevel;
  std::vector<double> metricPerLevel; //!< last sampled metric value of each level
  std::vector<std::string> stopConditions;
  double seconds = 0; //!< wall time including resampling to the working grids
};

/** \brief Checks every parameter; throws ConfigError naming the first bad one, its value and the valid range. */
void ValidateRigidRegistrationParams(const RigidRegistrationParams & params);

/** \brief Rigid registration of a moving series (FLAIR, DWI b0, ADC) to the fixed reference (T2) of the same study:
 * Mattes mutual information, versor rigid transform, multi-resolution with anisotropy-aware shrinking, regular-step
 * gradient descent, random metric sampling with a fixed seed (reproducible). `fixedMask` (brain; optional but
 * recommended) restricts the metric to the brain so neck and scalp motion cannot pull the fit; `movingMask` is
 * optional. Masks must be on their image's grid. Throws ConfigError for bad parameters, InputError for unusable
 * images (null, mask grid mismatch, registration failure). */
RigidRegistrationResult RegisterRigid(const FloatImage * fixed,
                                      const FloatImage * moving,
                                      const MaskImage * fixedMask,
                                      const MaskImage * movingMask,
                                      const RigidRegistrationParams & params = {});

/** \brief Writes an ITK transform file (.tfm or .txt, ITK's text format; read by ITK, ANTs, 3D Slicer). Throws
 * OutputError naming the file when it cannot be written. */
void WriteTransform(const itk::TransformBaseTemplate<double> * transform, const std::filesystem::path & path);

/** \brief Reads a rigid transform written by WriteTransform (VersorRigid3DTransform, or Euler3DTransform converted
 * exactly). Throws InputError naming the file when it is missing, unreadable, holds no transform, several, or a
 * transform that is not rigid. */
RigidTransform::Pointer ReadRigidTransform(const std::filesystem::path & path);

} // namespace icanscan::filters
