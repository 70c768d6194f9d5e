#pragma once

#include "batch/BatchSummary.h"
#include "batch/BidsDataset.h"
#include "batch/StudyList.h"

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::batch
{

/** \brief The suffixes and extensions of the files icanscan writes under sub-* of a BIDS derivative dataset. */
const std::vector<std::string> & BidsDerivativeSuffixes();
const std::vector<std::string> & BidsDerivativeExtensions();

/** \brief Lays out the session's images as one study for `icanscan run`: a folder holding a link to each image and its
 * .json/.bval/.bvec (replaced when it exists), and a role override per image from its BIDS suffix. */
StudyEntry PrepareSessionStudy(const BidsSession & session, const std::filesystem::path & linkFolder);

/** \brief dataset_description.json of the derivatives: Name, BIDSVersion, DatasetType "derivative", GeneratedBy
 * [{Name "icanscan", Version, Description}], SourceDatasets [{URL (file://), DOI and Version when the source has them}]
 * and DatasetLinks {"raw": the same URL} for the bids:raw: URIs of the sidecars. */
nlohmann::json DerivativeDescription(const BidsDataset & dataset, const std::string & version);

/** \brief Writes OUT/dataset_description.json and OUT/.bidsignore (the work folder `runs/`). */
void WriteDerivativeDataset(const std::filesystem::path & out,
                            const BidsDataset & dataset,
                            const std::string & version);

/** \brief Writes the derivatives of one analysed session from its `icanscan run` OUT (`runOut`) into
 * OUT/sub-<label>[/ses-<label>]: in anat/, `<prefix>_space-<ref>_dseg.nii.gz` + .json + `_dseg.tsv` (index, name,
 * color), `<prefix>_space-<ref>_label-T2FLAIRlesion_mask.nii.gz` and `_label-restricted_mask.nii.gz` + .json (each
 * only when its sequence was assessable); beside anat/, `<prefix>_report.json` and `<prefix>_report.html`. `<ref>` is
 * T2w, or FLAIR when the reference is a FLAIR. Returns the files written. Throws OutputError naming a file it cannot
 * write, InputError when runOut has no readable report.json. */
std::vector<std::filesystem::path> WriteSessionDerivatives(const std::filesystem::path & out,
                                                           const BidsDataset & dataset,
                                                           const BidsSession & session,
                                                           const std::filesystem::path & runOut);

/** \brief The group-level table (OUT/group_icanscan.tsv): the batch summary with `participant_id` and `session_id`
 * (n/a without sessions) in place of the id. */
std::string GroupTsv(const std::vector<BidsSession> & sessions, const std::vector<SummaryRow> & rows);

} // namespace icanscan::batch
