#include "pipeline/oedema/CsfFraction.h"

#include "core/TextFormat.h"
#include "core/TissueClass.h"

#include <algorithm>
#include <cmath>

namespace icanscan::pipeline
{
namespace
{
double Quantile(std::vector<float> values, double q)
{
  if (values.empty())
    return NAN;
  const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + k, values.end());
  return values[static_cast<std::size_t>(k)];
}
} // namespace

CsfFractionMap CsfFractionFromClasses(const filters::ByteLabelImage * tissue, const filters::ByteLabelImage * within)
{
  CsfFractionMap map;
  const std::size_t n = tissue->GetLargestPossibleRegion().GetNumberOfPixels();
  map.fraction.assign(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i)
    map.fraction[i] =
      within->GetBufferPointer()[i] && tissue->GetBufferPointer()[i] == TissueLabel(TissueClass::Csf) ? 1.0f : 0.0f;
  map.method = "CSF: the CSF tissue class, whole voxels (no intensity to mix)";
  return map;
}

CsfFractionMap MeasureCsfFraction(const filters::FloatImage * image,
                                  bool csfBright,
                                  const filters::ByteLabelImage * tissue,
                                  const filters::ByteLabelImage * within,
                                  const filters::ByteLabelImage * lesions,
                                  const std::string & sequence)
{
  const std::size_t n = tissue->GetLargestPossibleRegion().GetNumberOfPixels();
  const float * v = image->GetBufferPointer();
  std::vector<float> parenchyma, csf;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!within->GetBufferPointer()[i] || !std::isfinite(v[i]))
      continue;
    const auto t = tissue->GetBufferPointer()[i];
    if (t == TissueLabel(TissueClass::Csf))
      csf.push_back(v[i]);
    else if ((t == TissueLabel(TissueClass::GreyMatter) || t == TissueLabel(TissueClass::WhiteMatter)) &&
             !(lesions && lesions->GetBufferPointer()[i]))
      parenchyma.push_back(v[i]);
  }
  CsfLevels levels;
  levels.parenchyma = Quantile(parenchyma, 0.5);
  levels.csf = Quantile(csf, csfBright ? 0.9 : 0.1);
  const double span = levels.csf - levels.parenchyma;
  if (parenchyma.size() < 50 || csf.size() < 50 || !std::isfinite(span) ||
      std::abs(span) < 0.25 * std::abs(levels.parenchyma) || (span > 0) != csfBright)
  {
    auto map = CsfFractionFromClasses(tissue, within);
    map.method = "CSF: the CSF tissue class, whole voxels (" + sequence + " CSF and parenchyma levels not apart)";
    return map;
  }
  CsfFractionMap map;
  map.levels = levels;
  map.fraction.assign(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i)
    if (within->GetBufferPointer()[i] && std::isfinite(v[i]) && !(lesions && lesions->GetBufferPointer()[i]))
      map.fraction[i] = static_cast<float>(std::clamp((v[i] - levels.parenchyma) / span, 0.0, 1.0));
  map.method = "CSF: partial-volume fraction of " + sequence + " between the patient's parenchyma (" +
               FormatFixed(levels.parenchyma, 0) + ") and CSF (" + FormatFixed(levels.csf, 0) + ")";
  return map;
}

} // namespace icanscan::pipeline
