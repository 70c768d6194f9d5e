#include "pipeline/geometry/TissueAnatomyCheck.h"

#include "core/Error.h"
#include "core/TextFormat.h"
#include "core/TissueClass.h"
#include "filters/MaskMorphology.h"

namespace icanscan::pipeline
{

TissueAnatomyCheck CheckTissueAgainstAnatomy(itk::Image<unsigned char, 3> * tissue,
                                             const itk::Image<unsigned char, 3> * atlasTissue,
                                             const itk::Image<unsigned char, 3> * brain,
                                             const TissueAnatomyParams & params)
{
  if (!tissue || !atlasTissue || !brain)
    throw InputError("tissue check: the tissue classes, the atlas tissue and the brain mask are all needed");
  const auto size = brain->GetLargestPossibleRegion().GetSize();
  if (tissue->GetLargestPossibleRegion().GetSize() != size || atlasTissue->GetLargestPossibleRegion().GetSize() != size)
    throw InputError("tissue check: the tissue classes, the atlas tissue and the brain mask are not on one grid");
  const unsigned char gm = TissueLabel(TissueClass::GreyMatter), wm = TissueLabel(TissueClass::WhiteMatter);
  const std::size_t n = brain->GetLargestPossibleRegion().GetNumberOfPixels();
  unsigned char * t = tissue->GetBufferPointer();
  const unsigned char * a = atlasTissue->GetBufferPointer();
  const unsigned char * b = brain->GetBufferPointer();
  std::size_t atlasWm = 0, agree = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (b[i] && a[i] == wm)
    {
      ++atlasWm;
      agree += t[i] == wm;
    }
  TissueAnatomyCheck check;
  check.whiteMatterAgreement = atlasWm ? static_cast<double>(agree) / static_cast<double>(atlasWm) : 0.0;
  const std::string held = "the intensity white-matter class holds " +
                           FormatFixed(100.0 * check.whiteMatterAgreement, 0) + " % of the atlas's white matter";
  check.anatomyUsed = atlasWm > 0 && check.whiteMatterAgreement < params.minWhiteMatterAgreement;
  if (!check.anatomyUsed)
  {
    check.note = "tissue classes by intensity (" + held + ")";
    return check;
  }
  // White matter only where the atlas has it at least whiteMatterMarginMm deep: near its border the registration's
  // error would take cortex, brighter than white matter on T2 and FLAIR, into the white-matter class.
  const auto atlasWhite = filters::SelectValues(atlasTissue, { wm });
  const auto deepWhite =
    params.whiteMatterMarginMm > 0 ? filters::ErodeMm(atlasWhite, params.whiteMatterMarginMm) : atlasWhite;
  const unsigned char * deep = deepWhite->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    if (b[i] && (t[i] == gm || t[i] == wm) && (a[i] == gm || a[i] == wm))
      t[i] = a[i] == gm ? gm : (deep[i] ? wm : t[i]);
  check.note = "grey and white matter taken from the atlas, CSF by intensity: " + held + " (below " +
               FormatFixed(100.0 * params.minWhiteMatterAgreement, 0) +
               " %: most of the white matter is abnormal, so brightness no longer names the tissue)";
  return check;
}

} // namespace icanscan::pipeline
