#pragma once

#include <filesystem>

namespace icanscan::synthetic
{

/** \brief Writes a small synthetic head study (one StudyInstanceUID, five MR series) for demos and tests.
 *
 * The head is a set of ellipsoids (scalp, skull, CSF, cortex, white matter, two lateral ventricles, two thalami)
 * rendered with partial volume on a 96x96x24 grid of 2.4x2.4x5 mm, tilted 5 degrees about the left-right axis and
 * centred on the head. Signals follow the spin echo, inversion recovery and spoiled gradient echo equations with
 * 1.5 T tissue T1/T2/PD, rounded to integers like scanner output, with Rician noise drawn from std::mt19937(seed).
 *
 * Series (one subfolder each, file names mildly shuffled so their order is not the slice order):
 * - 1 "1_T2_TSE_AX":   T2 spin echo, TR 4000, TE 100.
 * - 2 "2_FLAIR_AX":    FLAIR (SE\IR, SK\SP\MP), TR 9000, TE 120, TI 2500: CSF nulled.
 * - 3 "3 DWI trace":   EPI diffusion, two volumes at the same positions in one series: b=0 (ImageType ...\NONE,
 *                      AcquisitionNumber 1) and b=1000 trace (...\TRACEW, AcquisitionNumber 2), InstanceNumbers
 *                      continuing; file names without extension.
 * - 4 "4_ADC":         DERIVED\PRIMARY\DIFFUSION\ADC in 1e-6 mm²/s (WM 700, thalamus 750, cortex 800, CSF 3000).
 * - 5 "5_localizer":   3-plane localizer (GR, TR 8, TE 4): one axial, one coronal and one sagittal slice sharing
 *                      one SeriesInstanceUID.
 *
 * Without noise, the DWI volumes and the ADC map obey S_b = S_0 * exp(-b * ADC) in every voxel inside the head.
 * The folder is created if needed; the files of an earlier run (any seed: the shuffle only permutes the same names)
 * are overwritten. Throws OutputError naming the file when something cannot be written. */
void WriteDemoStudy(const std::filesystem::path & folder, unsigned seed = 1);

} // namespace icanscan::synthetic
