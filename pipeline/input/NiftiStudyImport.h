#pragma once

#include "dicom/StudyIndex.h"
#include "pipeline/input/NiftiSidecarReader.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace icanscan
{
class FileLock;
class RemoveOnSignal;
} // namespace icanscan

namespace icanscan::pipeline
{

/** \brief One NIfTI file of a study and the series it became. */
struct ImportedNiftiSeries
{
  std::filesystem::path file; //!< the NIfTI file, as found
  std::string name;           //!< file name without .nii / .nii.gz (what `--role NAME=ROLE` may name)
  int seriesNumber = 0;
  bool hasSidecar = false;
  unsigned volumes = 0;
  std::vector<std::string> notes; //!< what the import changed or assumed (flipped slice order, NaN set to 0, ...)
  /** what the user must check: the sidecar deviates from BIDS (times in ms instead of s), naming the file */
  std::vector<std::string> warnings;
  std::optional<FileNameRole> nameRole; //!< the role the file name's BIDS suffix states (_dwi, _adc, _FLAIR, ...)
};

/** \brief A folder of NIfTI files (with BIDS/dcm2niix JSON sidecars and .bval/.bvec) made into a DICOM study.
 *
 * Every NIfTI file becomes one MR series in a temporary folder, so that the same classifier, geometry checks and
 * readers as for scanner DICOM apply. What the sidecar says is written into the headers: SeriesNumber,
 * SeriesDescription, ProtocolName, ImageType, ScanningSequence, SequenceVariant, MRAcquisitionType,
 * RepetitionTime/EchoTime/InversionTime (seconds in the sidecar as BIDS says; read as ms, with a warning, where only
 * ms are plausible), FlipAngle, MagneticFieldStrength, Manufacturer. Without a sidecar only the file name describes
 * the series (e.g. sub-01_FLAIR, ADC), and the classifier says that the description alone decided; a BIDS suffix is
 * kept as role evidence (nameRole, applied by OpenStudy). A .bval next to the file, else the sidecar's
 * DiffusionBValue, gives each volume its b-value, a
 * .bvec its gradient (FSL convention: image axes, x flipped when the voxel-to-world determinant is positive),
 * turned into patient coordinates. Values are kept to within 1/65535 of the file's range (16-bit storage).
 * Geometry is kept exactly; a left-handed voxel order (dcm2niix's usual output) is stored with the row order
 * reversed, the DICOM order it came from (same voxels in space). Each file is checked before ITK reads it
 * (CheckNiftiFile: complete data, finite positive voxel size, a finite orientation); a file that fails is skipped as
 * damaged. The temporary folder is removed when this object is destroyed or the process is stopped by a signal, and
 * one left by a killed process is removed by the next import. */
class ImportedNiftiStudy
{
public:
  /** Converts every .nii / .nii.gz file under `folder` (any depth). A file that cannot be used (unreadable,
   * not 3D/4D scalar, bad sidecar, b-values not matching the volumes) is listed in Skipped() with the reason; the
   * others are imported. Throws OutputError when the temporary folder cannot be written. */
  explicit ImportedNiftiStudy(const std::filesystem::path & folder);
  ~ImportedNiftiStudy();
  ImportedNiftiStudy(const ImportedNiftiStudy &) = delete;
  ImportedNiftiStudy & operator=(const ImportedNiftiStudy &) = delete;

  /** The DICOM folder to index (valid for this object's lifetime). */
  const std::filesystem::path & DicomFolder() const { return m_DicomFolder; }
  const std::vector<ImportedNiftiSeries> & Series() const { return m_Series; }
  const std::vector<dicom::SkippedFile> & Skipped() const { return m_Skipped; }

  /** The series number given to the file `key` names: its name with or without extension, or its path relative to
   * the study folder. */
  std::optional<int> SeriesNumberFor(const std::string & key) const;

private:
  std::filesystem::path m_Folder;
  std::filesystem::path m_DicomFolder;
  std::vector<ImportedNiftiSeries> m_Series;
  std::vector<dicom::SkippedFile> m_Skipped;
  std::unique_ptr<FileLock> m_Lock;
  std::unique_ptr<RemoveOnSignal> m_Cleanup;
};

/** True when `path` is a folder holding at least one .nii or .nii.gz file (any depth) and no DICOM is needed to
 * read it. */
bool HoldsNiftiFiles(const std::filesystem::path & path);

} // namespace icanscan::pipeline
