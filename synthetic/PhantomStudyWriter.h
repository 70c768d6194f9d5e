#pragma once

#include "pipeline/geometry/AtlasLoader.h"
#include "synthetic/PhantomCase.h"
#include "synthetic/PhantomSeriesRenderer.h"

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::synthetic
{

/** \brief Series geometry of a phantom study. */
enum class PhantomGeometry
{
  Clinical, //!< axial 2D stacks, 5 mm slices: T2 0.45 mm, FLAIR 0.9 mm, DWI and ADC 1.8 mm in plane
  Iso3d,    //!< every series 1 mm isotropic
};

std::string ToString(PhantomGeometry geometry);
/** "clinical" or "3d"; throws UsageError naming the value otherwise. */
PhantomGeometry ParsePhantomGeometry(const std::string & text);

/** \brief What to generate. */
struct PhantomParams
{
  std::string caseName = "normal"; //!< one of PhantomCaseNames()
  unsigned seed = 1;               //!< anatomy, pose, motion, bias and noise; one seed gives one anatomy in every case
  PhantomGeometry geometry = PhantomGeometry::Clinical;
  /** In-plane matrices times this, pixels divided by it (same field of view); (0, 1]. Below 1 only to keep tests
   * fast: 0.5 renders T2 at 256² / 0.9 mm instead of 512² / 0.45 mm. */
  double matrixScale = 1.0;
  /** Largest displacement of the random warp over the brain (mm); 0: drawn from the seed in [3, 6]. */
  double warpMaximumMm = 0.0;
};

/** \brief One written series. */
struct PhantomSeries
{
  std::string role; //!< T2, FLAIR, DWI, ADC (dicom::ToString(SeriesRole))
  int seriesNumber = 0;
  std::string description;
  std::filesystem::path folder; //!< the series' DICOM folder
  SeriesGeometry geometry;
  Affine3 motion; //!< T2 frame -> this series' frame (fixed = T2, moving = series); identity for T2
  std::filesystem::path transformFile;
};

/** \brief One written study (a longitudinal case writes two). */
struct PhantomStudy
{
  std::string session; //!< "" or e.g. "baseline", "followup"
  std::string caseName;
  std::filesystem::path folder; //!< holds dicom/ and truth/
  std::vector<PhantomSeries> series;
  double seconds = 0.0;
};

/** \brief Writes synthetic ICANS studies: DICOM series plus the truth they were made from.
 *
 * Per study, into `folder`: dicom/<number>_<description>/ (file names shuffled) for T2, FLAIR, DWI (b0 + b1000 trace
 * in one series) and the scanner-style ADC map (µm²/s, at the DWI geometry); truth/labels.nii.gz (pipeline::Structure
 * values), truth/lesion_t2flair.nii.gz and truth/lesion_dwi.nii.gz (0/1) on the T2 series' grid (nearest neighbour at
 * the voxel centres, after pose, warp and swelling); truth/<role>_true_transform.tfm per series; truth/truth.json
 * (case, seed, geometry, series, conventions, expected findings, oedema and ASTCT oedema-domain grade, swelling per
 * structure, deformation statistics). A longitudinal case writes one such study per session into <folder>/<session>/,
 * all of one anatomy (same seed), each with its own head pose and motion.
 *
 * The anatomy is the atlas (pipeline::LoadAtlas) through a random smooth warp and a random head pose (3-10 degrees,
 * 2-10 mm); each series but T2 has its own rigid motion (1-3 degrees, 1-3 mm) relative to the T2 head position. Thick
 * slices average samples across the slice thickness. Each magnitude series gets a smooth bias field and Rician noise.
 * Throws UsageError for an unknown case or bad parameter, OutputError when a file cannot be written. */
class PhantomStudyWriter
{
public:
  explicit PhantomStudyWriter(const pipeline::Atlas & atlas);

  std::vector<PhantomStudy> Write(const PhantomParams & params, const std::filesystem::path & folder) const;

private:
  PhantomStudy WriteStudy(const PhantomParams & params,
                          const PhantomCase & phantomCase,
                          unsigned session,
                          const std::string & sessionName,
                          const std::filesystem::path & folder) const;

  const pipeline::Atlas & m_Atlas;
};

} // namespace icanscan::synthetic
