#pragma once

#include "dicom/StudyIndex.h"

#include <map>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Keeps the series of one study. With `studyUid` empty, a folder holding several studies (several
 * StudyInstanceUIDs) or several patients (several PatientIDs) is refused: UsageError listing each study's UID and
 * series, and saying how to choose one (`--study UID`), since mixing them would take one patient's series for
 * another's. With `studyUid` set, the other studies' series are left out (how many is returned); UsageError listing
 * the studies when none has that UID. `source` names the folder in messages. */
std::size_t SelectStudy(dicom::StudyIndex & index, const std::string & studyUid, const std::string & source);

/** \brief Every `--role KEY=ROLE` must name a volume set (its id or SeriesInstanceUID): UsageError naming the entry
 * and listing the ids when one does not, instead of silently ignoring it. `entries` are the options as given. */
void CheckRoleOverridesMatch(const dicom::StudyIndex & index,
                             const std::map<std::string, dicom::SeriesRole> & overrides,
                             const std::vector<std::string> & entries);

/** \brief Logs every damaged file (SkippedFile::damaged) with its reason as a warning: the user sees what was lost. */
void WarnAboutDamagedFiles(const dicom::StudyIndex & index);

/** \brief Throws when the index holds no volume set: InputError(CorruptInput) when image files were found but were
 * damaged (truncated, inconsistent, unreadable), naming the first with its reason; InputError(NoUsableDicom)
 * otherwise. `source` names the folder. */
void ThrowWhenNoImage(const dicom::StudyIndex & index, const std::string & source);

} // namespace icanscan::pipeline
