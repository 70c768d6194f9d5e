#pragma once

// Synthetic DWI studies in each vendor's DICOM layout, with the tags and values the real sets in
// ../shared/testdata/dicom carry (private b-value and direction tags, ImageType strings, mosaics, enhanced frames).

#include "tests/dicom/DicomFixtures.h"

#include <filesystem>

namespace icanscan::test
{

/** The diffusion every layout encodes: b0 = S0, trace at b = S0 exp(-b ADC) with ADC uniform; directional volumes
 * have diffusivities 0.75, 1 and 1.25 x ADC, so their geometric mean is the trace and their arithmetic mean is not. */
struct LayoutTruth
{
  static constexpr double kAdcUm2s = 800.0; //!< µm²/s (1e-6 mm²/s)
  static constexpr double kBValue = 1000.0; //!< s/mm² (UIH: 928.29, its real value)
  static constexpr unsigned kColumns = 24;
  static constexpr unsigned kRows = 20;
  static constexpr unsigned kSlices = 6;
};

/** Siemens trace-only acquisition ("ep2d_diff ... trace"), one DWI series 4: b0 ORIGINAL\PRIMARY\DIFFUSION\NONE\ND and
 * b1000 DERIVED\PRIMARY\DIFFUSION\TRACEW\ND, b in (0019,100C) only; ADC (…\ADC\ND) and EXP (…\EXP\ND) maps in series
 * 4 too (`mapsInSameSeries`), else as series 5 and 6. */
void WriteSiemensTraceOnly(const std::filesystem::path & folder, bool mapsInSameSeries);

/** Siemens XA30 (interoperability export): raw series 11001 with b0 and one direction at b=2500
 * (…\DIFFUSION\NONE\MB\ND\MFSPLIT), and the scanner's own series: 12001 ADC, 13001 TRACEW (b=2500), 17001
 * TENSOR_B0, as in dcm_qa_xa30i_dwi. One direction is no trace: the trace is 13001's. */
void WriteSiemensSeparateTrace(const std::filesystem::path & folder);

/** Siemens directional DWI as mosaics (…\DIFFUSION\NONE\ND\MOSAIC, (0019,100A), CSA NumberOfImagesInMosaic and
 * SliceNormalVector): series 7 holds b0 + 3 directions in (0019,100C/100E), one mosaic file per volume; the ADC is
 * series 9 (classic slices). No scanner trace: it must be computed from the directions. */
void WriteSiemensDirectionalMosaic(const std::filesystem::path & folder);

/** GE: series 5 holds the b0 and the combined (trace) image, ImageType ORIGINAL\PRIMARY\OTHER, b only in
 * (0043,1039) ("1000\8\0\0"), gradient (0019,10BB-BD) zero for the combined image; series 6 is the ADC map
 * DERIVED\SECONDARY\PROCESSED described "ADC (10^-6 mm2/s)", carrying the DWI's b-value tag. */
void WriteGe(const std::filesystem::path & folder);

/** Philips classic: series 8 ORIGINAL\PRIMARY\M_SE\M\SE holds b0, 3 directions and, at its end, the isotropic image
 * ((2001,1004) 'I', zero direction), b in (0018,9087) and (2001,1003), directions in (0018,9089) and (2005,10B0-B2);
 * ADC as series 9 (ORIGINAL\PRIMARY\ADC_UNSPECIFIED\ADC\UNSPECIFIED). */
void WritePhilips(const std::filesystem::path & folder);

/** UIH: series 9, each volume one mosaic (ORIGINAL\PRIMARY\M\VFRAME) of 3 x 2 tiles, no ImagePositionPatient but
 * (0065,1050) slices and (0065,1051) per-slice positions; b in (0065,1009) (b0 at 1.25, directions at 928.29),
 * direction in (0065,1037). No ADC series. */
void WriteUih(const std::filesystem::path & folder);

/** Canon: series 10 (Manufacturer CANON_MEC) with b in (0018,9087) and the direction only in ImageComments
 * ("b=1000(0.000,0.707,0.707)"); ADC as series 11. */
void WriteCanon(const std::filesystem::path & folder);

/** Enhanced MR (one multi-frame file): series 12 with b0 frames (FrameType ORIGINAL\PRIMARY\DIFFUSION\NONE) and
 * trace frames (DERIVED\PRIMARY\DIFFUSION\TRACEW, DiffusionDirectionality ISOTROPIC) in MRDiffusionSequence;
 * series 13 an enhanced ADC map. */
void WriteEnhancedDiffusion(const std::filesystem::path & folder);

/** Deletes a (private) tag from a file. */
void RemoveTag(const std::string & path, unsigned group, unsigned element);

/** The b0 the layouts encode (S0), on the layouts' grid. */
FixtureImage::Pointer LayoutS0();

} // namespace icanscan::test
