#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace icanscan::batch
{

/** \brief A BIDS file name taken apart: `sub-<label>[_ses-<label>][_<key>-<value>...]_<suffix><extension>`. */
struct BidsName
{
  std::string subject;                                       //!< label without "sub-"
  std::string session;                                       //!< label without "ses-"; empty when none
  std::vector<std::pair<std::string, std::string>> entities; //!< after sub and ses, in file-name order
  std::string suffix;                                        //!< e.g. "T2w", "dseg", "mask"
  std::string extension;                                     //!< e.g. ".nii.gz", ".json", ".tsv"

  /** The file name: sub, ses, then the entities in the order the BIDS specification fixes (BidsEntityOrder). */
  std::string FileName() const;
  /** "sub-01_ses-1" or "sub-01": the prefix every file of the session starts with. */
  std::string Prefix() const;
};

/** \brief The BIDS entities in the order the specification requires in file names (schema rules/entities). */
const std::vector<std::string> & BidsEntityOrder();

/** \brief True when `label` is a valid BIDS label (letters and digits only, not empty). */
bool IsBidsLabel(const std::string & label);

/** \brief Takes a file name apart; nullopt when it does not start with sub-<label>, has a part that is not
 * key-value, or has no suffix. The extension is everything from the first '.'. */
std::optional<BidsName> ParseBidsName(const std::string & fileName);

/** \brief Why `fileName` is not a valid derivative name of icanscan, or empty when it is: it must parse, every entity
 * must be known and in the specification's order with a valid label, the suffix must be one of `suffixes` and the
 * extension one of `extensions`. */
std::string CheckBidsName(const std::string & fileName,
                          const std::vector<std::string> & suffixes,
                          const std::vector<std::string> & extensions);

} // namespace icanscan::batch
