#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::batch
{

/** \brief One study of a batch: what `icanscan run` is given for it. */
struct StudyEntry
{
  std::string id;                 //!< unique in the batch; the name of its OUT folder under OUT_ROOT
  std::filesystem::path study;    //!< the study (DICOM or NIfTI folder, or one file)
  std::filesystem::path baseline; //!< an earlier study of the same patient (`--baseline`); empty = none
  std::string baselineId;         //!< the id of the batch study that is `baseline`; empty when it is not one
  std::filesystem::path clinical; //!< clinical.json (`--clinical`); empty = none
  std::vector<std::string> roles; //!< role overrides, each "ID=ROLE" as `--role` takes them
};

/** \brief Reads INPUT: a folder with one study per subfolder, or a CSV/TSV manifest (see ReadManifest). `exclude` (e.g.
 * OUT_ROOT) is never taken as a study. Throws UsageError naming the file and line, or the folder, when INPUT cannot be
 * read or holds no study. */
std::vector<StudyEntry> ReadStudyList(const std::filesystem::path & input, const std::filesystem::path & exclude = {});

/** \brief The subfolders of `folder` (sorted by name; hidden ones and `exclude` left out), each one study named after
 * its folder. Throws UsageError when there is none. */
std::vector<StudyEntry> ScanStudyFolder(const std::filesystem::path & folder, const std::filesystem::path & exclude);

/** \brief A manifest file: a header line, then one study per line. Tab-separated for `.tsv` (and when the header holds
 * a tab), comma-separated otherwise (RFC 4180 quoting). Columns, in any order: `id` and `study` (required),
 * `baseline`, `clinical`, `roles` (optional; roles separated by ';' or spaces, each ID=ROLE). A baseline is the id of
 * another line or a path; relative paths are relative to the manifest's folder. Blank lines and lines starting with
 * '#' are skipped. Throws UsageError naming the file and line for an unknown column, a missing value, a duplicate
 * id, an id that cannot name a folder, or a baseline loop. */
std::vector<StudyEntry> ReadManifest(const std::filesystem::path & file);

/** \brief ReadManifest on text already read; `source` names it in errors, `folder` resolves relative paths. */
std::vector<StudyEntry> ParseManifest(const std::string & text,
                                      const std::string & source,
                                      const std::filesystem::path & folder,
                                      char delimiter);

/** \brief Splits delimited text into rows of cells: `delimiter` separates cells; with ',' double quotes enclose cells
 * that hold commas, quotes ("" inside) or line breaks. Throws UsageError naming `source` for an unclosed quote. */
std::vector<std::vector<std::string>> SplitDelimited(const std::string & text,
                                                     char delimiter,
                                                     const std::string & source);

/** \brief Throws UsageError (naming `where`) unless `id` can name a study: not empty, no '/', '\\', control
 * characters or leading '.', and not starting with "batch_" (the batch's own files under OUT_ROOT). */
void ValidateStudyId(const std::string & id, const std::string & where);

/** \brief The studies in an order where every batch baseline comes before its follow-ups (otherwise the given order).
 */
std::vector<StudyEntry> OrderBaselinesFirst(const std::vector<StudyEntry> & studies);

/** \brief The list as JSON (`icanscan batch --list`, OUT_ROOT/batch_records/studies.json) and back. FromJson throws
 * InputError naming `source` when the document is not such a list. */
nlohmann::json StudyListToJson(const std::vector<StudyEntry> & studies);
std::vector<StudyEntry> StudyListFromJson(const nlohmann::json & json, const std::string & source);

} // namespace icanscan::batch
