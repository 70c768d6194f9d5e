#pragma once

#include "dicom/MrSeriesWriter.h"

#include <optional>
#include <string>
#include <vector>

namespace icanscan::synthetic
{

/** \brief Whose DICOM layout a study imitates. */
enum class PhantomVendor
{
  Icanscan, //!< today's generic layout: DWI b0 + b1000 ORIGINAL\PRIMARY\DIFFUSION\TRACEW, (0018,9087); ADC series
  Siemens,  //!< trace-only DWI: b0 ORIGINAL\...\NONE\ND + b1000 DERIVED\...\TRACEW\ND, b in (0019,100C); ADC series
  Ge,       //!< DWI ORIGINAL\PRIMARY\OTHER, b only in (0043,1039); ADC its own DERIVED series (10^-6 mm²/s)
  Philips,  //!< DWI ORIGINAL\PRIMARY\M_SE\M\SE, b in (2001,1003) and (0018,9087), isotropic (2001,1004) 'I'; ADC series
};

std::string ToString(PhantomVendor vendor);
/** "icanscan", "siemens", "ge" or "philips"; throws UsageError naming the value otherwise. */
PhantomVendor ParsePhantomVendor(const std::string & text);

/** \brief The acquisition protocol of one study (clinical geometry): vendor, slices, planes. */
struct PhantomProtocol
{
  PhantomVendor vendor = PhantomVendor::Icanscan;
  double t2SliceMm = 5.0, t2GapMm = 0.0;       //!< 2D axial T2: thickness and gap
  double flairSliceMm = 5.0, flairGapMm = 0.0; //!< 2D axial FLAIR (when not 3D)
  double dwiSliceMm = 5.0, dwiGapMm = 0.0;
  bool flair3dSagittal = false; //!< FLAIR as a 3D sagittal 1 mm acquisition instead of 2D axial
  bool localizer = false;       //!< a 3-plane localizer series (3 slices per plane)
};

/** \brief Today's protocol (`vendor`, 5 mm contiguous slices, axial FLAIR, no localizer) when `vary` is false;
 * else drawn from the seed and the case name: vendor uniform over Siemens, GE, Philips (unless `forced`),
 * T2 and FLAIR 5 or 6 mm with a gap of 0, 0.5 or 1 mm, DWI 5 mm with a gap of 0 or 1 mm, a 3D sagittal FLAIR in one
 * study of three, a localizer always. */
PhantomProtocol DrawProtocol(unsigned seed,
                             const std::string & caseName,
                             bool vary,
                             std::optional<PhantomVendor> forced = std::nullopt);

/** \brief The series a study writes, one per role (+ the localizer), as its vendor labels them. */
enum class PhantomSeriesKind
{
  Localizer,
  T2,
  Flair,
  Flair3d,
  DwiB0,
  DwiTrace,
  Adc,
};

/** \brief Header fields of a series of `kind` in the vendor's layout: description, protocol, image type, sequence,
 * series number, manufacturer and private tags (b-values for the DWI parts). The caller sets study UID, patient
 * fields, timings it does not find here and the geometry. */
dicom::MrSeriesSpec VendorSeriesSpec(const PhantomProtocol & protocol, PhantomSeriesKind kind, bool iso3d);

/** \brief The folder name of a series: number and description, file-system safe (today's names for the icanscan
 * layout: 2_T2_AX, 3_FLAIR_AX, 4_DWI_TRACE_AX, 5_ADC). */
std::string SeriesFolderName(const PhantomProtocol & protocol,
                             PhantomSeriesKind kind,
                             const dicom::MrSeriesSpec & spec);

} // namespace icanscan::synthetic
