#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::batch
{

/** \brief One image of a BIDS session that icanscan reads, with the role it plays in `icanscan run`. */
struct BidsImage
{
  std::filesystem::path file;                    //!< the .nii or .nii.gz file
  std::string role;                              //!< "T2", "FLAIR", "DWI" or "ADC" (`run --role`)
  std::vector<std::filesystem::path> companions; //!< its .json sidecar, .bval and .bvec when present
};

/** \brief One session of a BIDS participant (or the participant itself when the dataset has no sessions). */
struct BidsSession
{
  std::string subject;           //!< label without "sub-"
  std::string session;           //!< label without "ses-"; empty when the dataset has no session level
  std::filesystem::path folder;  //!< sub-<label>[/ses-<label>]
  std::vector<BidsImage> images; //!< T2w, FLAIR, dwi and scanner ADC/trace images found

  /** "sub-01_ses-1" or "sub-01": the batch id and the prefix of its derivative files. */
  std::string Id() const;
  /** Why the session cannot be analysed (no T2w or FLAIR), empty when it can. */
  std::string Incomplete() const;
  /** The images of one role. */
  std::vector<const BidsImage *> Images(const std::string & role) const;
};

/** \brief A BIDS raw dataset as icanscan reads it. */
struct BidsDataset
{
  std::filesystem::path root;
  std::string name;    //!< dataset_description.json Name (empty when absent)
  std::string doi;     //!< DatasetDOI (empty when absent)
  std::string version; //!< DatasetVersion (empty when absent)
  std::vector<BidsSession> sessions;
};

/** \brief Finds, in every sub-<label> folder (and its ses-<label> folders), the anat/ images with suffix T2w or FLAIR
 * and the dwi/ images with suffix dwi (.nii/.nii.gz with their .json, .bval, .bvec), and the scanner's ADC and trace
 * maps: in dwi/, a file whose suffix is ADC or TRACEW/trace, or whose acq/rec/desc entity says so (e.g.
 * `sub-01_acq-ADC_dwi`). Only the participants in `participants` and sessions in `sessions` when these are not empty
 * (labels with or without the sub-/ses- prefix). Throws UsageError when `root` is not a folder, holds no sub-* folder,
 * or a requested label matches nothing. */
BidsDataset ScanBidsDataset(const std::filesystem::path & root,
                            const std::vector<std::string> & participants,
                            const std::vector<std::string> & sessions);

} // namespace icanscan::batch
