#pragma once

#include "synthetic/PhantomAnatomy.h"
#include "synthetic/PhantomContrast.h"
#include "synthetic/PhantomStudyWriter.h"

#include "itkVersorRigid3DTransform.h"

#include <filesystem>
#include <random>
#include <string>

namespace icanscan::synthetic
{

using RigidTransform = itk::VersorRigid3DTransform<double>;

/** \brief A rigid transform about `centre`: rotation by an angle in [minDeg, maxDeg] about a random axis, translation
 * of a length in [minMm, maxMm] in a random direction. */
RigidTransform::Pointer RandomRigid(std::mt19937 & rng,
                                    double minDeg,
                                    double maxDeg,
                                    double minMm,
                                    double maxMm,
                                    const Vec3 & centre);
/** \brief The identity, centred at `centre`. */
RigidTransform::Pointer IdentityRigid(const Vec3 & centre);

/** \brief The series grids of one study (scanner frame of the T2). */
struct PhantomPlan
{
  SeriesGeometry t2, flair, dwi;
  Vec3 centre{};         //!< centre of the axial stacks
  Vec3 brainInScanner{}; //!< the brain centre in the scanner frame (localizer, sagittal FLAIR)
};

/** \brief What the series writers of one study share. */
struct PhantomSeriesOutput
{
  const PhantomParams & params;
  PhantomStudy & study; //!< series are appended here
  const PhantomAnatomy & anatomy;
  const ContrastMaps & maps;
  PhantomSeriesRenderer renderer;
  std::filesystem::path dicomFolder;
  std::filesystem::path truthFolder;
  std::string studyUid;
  unsigned session = 0;
  std::string patientAge;
  std::string patientBirthDate;

  /** The noise stream of series `series` (2 T2, 3 FLAIR, 4 DWI, 1 localizer): the seed's, per session. */
  std::mt19937 NoiseRng(unsigned series) const;
  /** The vendor's header fields of `kind` plus this study's UID and patient fields. */
  dicom::MrSeriesSpec Spec(PhantomSeriesKind kind) const;
};

/** \brief The 3-plane localizer (3 slices per plane, T1-weighted gradient echo), one series; not in the truth. */
void WriteLocalizer(PhantomSeriesOutput & out, const PhantomPlan & plan);
/** \brief The T2 series (the reference and the truth grid). */
void WriteT2(PhantomSeriesOutput & out, const SeriesGeometry & geometry, const RigidTransform * motion);
/** \brief The FLAIR series, 2D axial or 3D sagittal (`kind`). */
void WriteFlair(PhantomSeriesOutput & out,
                const SeriesGeometry & geometry,
                const RigidTransform * motion,
                PhantomSeriesKind kind);
/** \brief The DWI series (b0 + b1000 trace in the vendor's layout) and the scanner ADC series (µm²/s). */
void WriteDiffusion(PhantomSeriesOutput & out,
                    const SeriesGeometry & geometry,
                    const RigidTransform * motion,
                    const Vec3 & centre);

} // namespace icanscan::synthetic
