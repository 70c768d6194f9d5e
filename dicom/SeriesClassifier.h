#pragma once

#include "dicom/VolumeSet.h"

namespace icanscan::dicom
{

/** \brief Thresholds of the role rules (ms). */
struct SeriesClassifierParams
{
  double flairMinInversionMs = 1500; //!< IR with TI at least this nulls CSF: FLAIR
  double stirMaxInversionMs = 300;   //!< IR with TI at most this nulls fat: STIR (other)
  double t2MinEchoMs = 60;           //!< spin echo with TE >= this and long TR: T2-weighted
  double t2MinRepetitionMs = 2000;
  double t1MaxRepetitionMs = 1000; //!< TR <= this and TE <= t1MaxEchoMs: T1-weighted
  double t1MaxEchoMs = 30;
  double swiMinEchoMs = 15; //!< gradient echo (not EPI) with TE >= this: T2*/SWI
  double dwiMinBValue = 50; //!< any volume at or above this b (s/mm²) makes a DWI series
};

/** \brief Assigns a SeriesRole from the tags that identify a sequence (ImageType, ScanningSequence,
 * SequenceVariant, TR/TE/TI, b-values), with the description only as a hint when the tags do not decide.
 * Sets set.role and set.roleReasons. */
void ClassifySeries(VolumeSet & set, const SeriesClassifierParams & params = {});

} // namespace icanscan::dicom
