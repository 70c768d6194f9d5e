#pragma once

#include "itkImage.h"

#include <string>

namespace icanscan::pipeline
{

/** \brief Settings of CheckTissueAgainstAnatomy. */
struct TissueAnatomyParams
{
  /** The intensity white-matter class must hold at least this fraction of the voxels the atlas calls white matter;
   * below it the classes do not describe the anatomy. 0.5: the class must hold the majority. [0, 1]. */
  double minWhiteMatterAgreement = 0.5;
  /** When the atlas names the tissue, white matter only this deep inside the atlas's white matter; nearer its border
   * the intensity class stays (registration error at the cortex is 1-2 mm: on the MNI152NLin6 phantoms of diffuse
   * white-matter hyperintensity, seeds 2, 4 and 5, lesion Dice 0.759 / 0.590 / 0.749 without the margin, 0.762 /
   * 0.608 / 0.753 with 2 mm). [0, 10]. */
  double whiteMatterMarginMm = 2.0;
};

/** \brief What CheckTissueAgainstAnatomy measured and did. */
struct TissueAnatomyCheck
{
  double whiteMatterAgreement = 0; //!< fraction of the atlas's white-matter voxels in the white-matter class
  bool anatomyUsed = false;        //!< grey and white matter were taken from the atlas
  std::string note;                //!< one sentence for the methods and the log
};

/** \brief Checks the subject's intensity tissue classes (`tissue`: 1 CSF, 2 GM, 3 WM, 0 outside) against the atlas's
 * tissue carried onto the same grid (`atlasTissue`, same values), inside `brain`.
 *
 * Intensity classes name tissue by brightness. When most of the white matter is hyperintense (diffuse white-matter
 * disease on T2 or FLAIR), the lesion takes the grey-matter class and the "white-matter" class holds what is left:
 * every tissue pool is then judged against the wrong tissue (measured on the MNI152NLin6 phantoms, seeds 4-6: 16 and
 * 21 % of the atlas's white matter in the white-matter class in two diffuse white-matter studies, 78-97 % in the other
 * 40 studies, normal, atrophic, leukoencephalopathy, infarcts and swelling among them; 75 % in the real
 * multiple-sclerosis case). Below `minWhiteMatterAgreement`, every voxel that the intensity classes call
 * grey or white matter (not CSF, which stays by intensity) and the atlas calls grey matter, or white matter at least
 * `whiteMatterMarginMm` deep, takes the atlas's class; `tissue` is changed in place. Both images must share `brain`'s
 * grid (InputError otherwise). */
TissueAnatomyCheck CheckTissueAgainstAnatomy(itk::Image<unsigned char, 3> * tissue,
                                             const itk::Image<unsigned char, 3> * atlasTissue,
                                             const itk::Image<unsigned char, 3> * brain,
                                             const TissueAnatomyParams & params = {});

} // namespace icanscan::pipeline
