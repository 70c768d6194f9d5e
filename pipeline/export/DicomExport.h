#pragma once

#include "dicom/StudyIndex.h"
#include "pipeline/input/StudyInput.h"

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief One object written to OUT/dicom/. */
struct ExportedObject
{
  std::string file;     //!< name inside OUT/dicom, e.g. "seg.dcm"
  std::string modality; //!< SEG, SR, OT (secondary capture), KO
  int seriesNumber = 0;
  std::string sopClassUid;
  std::string sopInstanceUid;
  std::string seriesInstanceUid;
};

/** \brief Throws InputError(NoUsableDicom) when `input` was read from NIfTI files: a DICOM SEG/SR/KOS must reference
 * the source images and copy the study's identifiers, which only a DICOM study has. Called before any work. */
void RequireDicomSource(const StudyInput & input, const std::string & study);

/** \brief Writes OUT/dicom/ for a finished run: seg.dcm (DICOM Segmentation of the 14 structures and the assessable
 * lesion classes on the reference series), sr.dcm (TID 1500 measurement report), keyimages.dcm (report.html's key
 * images as a multi-frame true colour Secondary Capture; absent when the report has none), kos.dcm (Key Object
 * Selection: the key images and the source slices of each finding) and manifest.json (the objects, their series
 * numbers and UIDs, the SHA-256 of the report.json they come from). New series of the source study (series numbers from
 * max(9000, highest in the study) + 1), new UIDs; Patient and Study attributes copied from the source: OUT/dicom is the
 * one output that carries identifiers, whatever --keep-identifiers says. Written in a temporary folder inside OUT and
 * moved into place at the end, replacing an earlier OUT/dicom as a whole.
 *
 * `index` is STUDY indexed again; its reference series must be the one OUT was made from (see FindReferenceSet).
 * Throws UsageError / InputError as ReadRunForExport and FindReferenceSet do, OutputError when OUT/dicom cannot be
 * written. */
std::vector<ExportedObject> ExportDicom(const std::filesystem::path & out,
                                        const dicom::StudyIndex & index,
                                        const std::string & version);

/** \brief ExportDicom on STUDY given as a path: opens it (refusing a NIfTI study as RequireDicomSource does). */
std::vector<ExportedObject> ExportDicom(const std::filesystem::path & out,
                                        const std::string & study,
                                        int threads,
                                        const std::string & version);

/** \brief The objects listed in OUT/dicom/manifest.json, in sending order. Throws InputError(NoUsableDicom) when OUT
 * has no DICOM export (run `icanscan export-dicom` first) or when the export was made from an earlier report.json
 * (the manifest records its SHA-256: a run made again into OUT leaves a stale dicom/), InputError(CorruptInput) for a
 * damaged manifest. */
std::vector<ExportedObject> ReadExportManifest(const std::filesystem::path & out);

} // namespace icanscan::pipeline
