#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::batch
{

/** \brief One structure of a report: volume and involvement (nullopt = null or absent). */
struct StructureDigest
{
  std::string key; //!< e.g. "thalamus_left"
  std::optional<double> volumeMl;
  std::optional<bool> t2flairInvolved;
  std::optional<bool> diffusionRestricted;
};

/** \brief The QC verdict of one registration ("ok", "suspect", "failed"). */
struct RegistrationDigest
{
  std::string moving; //!< "FLAIR", "DWI_b0", "ADC", "atlas", "baseline"
  std::string status;
};

/** \brief What a batch summary shows of one report.json. Every field is optional: a report of another schema version
 * gives what it has, and `problems` lists what could not be read. */
struct ReportDigest
{
  std::optional<int> schemaVersion;
  std::string referenceRole;     //!< "T2" or "FLAIR"; empty when absent
  std::string referenceSeriesId; //!< "2", "7.2"; empty when absent
  std::string oedemaFlag;        //!< "none", "focal", "diffuse", "not_assessable"; empty when absent
  std::optional<int> oedemaDomainGrade;
  std::optional<int> icansGrade;
  std::optional<std::size_t> findings;
  std::vector<StructureDigest> structures;       //!< in the report's order
  std::vector<RegistrationDigest> registrations; //!< rigid ones, the atlas, then the baseline when present
  std::size_t rejectedSeries = 0;                //!< series whose DICOM check said "rejected"
  std::vector<std::string> warnings;
  std::vector<std::string> problems; //!< fields missing or of an unexpected type

  /** The worst registration verdict ("failed" > "suspect" > "ok"); empty without registrations. */
  std::string WorstRegistration() const;
  /** The verdict of the registration of `moving`; empty when there is none. */
  std::string RegistrationStatus(const std::string & moving) const;
};

/** \brief Reads the fields of a report.json (docs/report-schema.md) defensively: nothing throws for a missing or
 * retyped field; it is left empty and named in `problems`. This is the one place the batch reads report.json. */
ReportDigest DigestReport(const nlohmann::json & report);

/** \brief DigestReport of the file; throws InputError naming the file when it cannot be read or is not JSON. */
ReportDigest ReadReportDigest(const std::filesystem::path & file);

} // namespace icanscan::batch
