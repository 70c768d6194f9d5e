#pragma once

#include "pipeline/geometry/AtlasLoader.h"
#include "synthetic/AnatomySource.h"
#include "synthetic/PhantomCase.h"
#include "synthetic/PhantomProtocol.h"
#include "synthetic/PhantomSeriesRenderer.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::synthetic
{

/** \brief Series geometry of a phantom study. */
enum class PhantomGeometry
{
  Clinical, //!< axial 2D stacks, 5-6 mm slices: T2 0.45 mm, FLAIR 0.9 mm, DWI and ADC 1.8 mm in plane
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
  /** Anatomical variability and a drawn protocol (DrawAnatomy, DrawProtocol); empty: on for an anatomy descriptor,
   * off for the program's own atlas (today's studies). */
  std::optional<bool> variability;
  /** The vendor layout; empty: drawn with variability, the icanscan layout without. */
  std::optional<PhantomVendor> vendor;
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
  std::string layout; //!< how its images are stored (vendor tags, image types), for the record
};

/** \brief One written study (a longitudinal case writes two). */
struct PhantomStudy
{
  std::string session; //!< "" or e.g. "baseline", "followup"
  std::string caseName;
  std::filesystem::path folder; //!< holds dicom/ and truth/
  std::vector<PhantomSeries> series;
  PhantomProtocol protocol;
  std::vector<std::string> otherSeries; //!< written but not analysed (the localizer), "number description"
  double seconds = 0.0;
};

/** \brief Writes synthetic ICANS studies: DICOM series plus the truth they were made from.
 *
 * Per study, into `folder`: dicom/<number>_<description>/ (file names shuffled) for T2, FLAIR, DWI (b0 + b1000 trace
 * in one series) and the scanner-style ADC map (µm²/s, at the DWI geometry), in the vendor's layout, and a localizer
 * when the protocol has one; truth/labels.nii.gz (pipeline::Structure values), truth/lesion_t2flair.nii.gz,
 * truth/lesion_dwi.nii.gz, truth/cisterns.nii.gz (CSF-dominant voxels of the basal cisterns) and, for a chronic
 * infarct, truth/infarct_core.nii.gz (0/1) on the T2 series' grid (nearest neighbour at the voxel centres, after
 * pose, scale, warp and pathology); truth/<role>_true_transform.tfm per series; truth/truth.json (PhantomTruthJson).
 * A longitudinal case writes one such study per session into <folder>/<session>/, all of one anatomy (same seed),
 * each with its own head pose and motion.
 *
 * The anatomy is the source (BuildPhantomAnatomy) through a random smooth warp, a head-size scale and a random head
 * pose (3-10 degrees, 2-10 mm); each series but T2 has its own rigid motion (1-3 degrees, 1-3 mm) relative to the
 * T2 head position. Thick slices average samples across the slice thickness. Each magnitude series gets a smooth
 * bias field and Rician noise. Throws UsageError for an unknown case or bad parameter, OutputError when a file
 * cannot be written. */
class PhantomStudyWriter
{
public:
  explicit PhantomStudyWriter(AnatomySource source);
  /** The program's atlas as the anatomy (ColinAnatomySource). */
  explicit PhantomStudyWriter(const pipeline::Atlas & atlas);

  std::vector<PhantomStudy> Write(const PhantomParams & params, const std::filesystem::path & folder) const;

private:
  PhantomStudy WriteStudy(const PhantomParams & params,
                          const PhantomCase & topCase,
                          const PhantomCase & phantomCase,
                          unsigned session,
                          const PhantomSession & sessionInfo,
                          const std::filesystem::path & folder) const;

  AnatomySource m_Source;
};

} // namespace icanscan::synthetic
