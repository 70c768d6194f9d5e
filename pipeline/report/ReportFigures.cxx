#include "pipeline/report/ReportFigures.h"

#include "core/DisplayColours.h"
#include "filters/MaskMorphology.h"
#include "pipeline/report/KeyImage.h"

#include <cmath>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
const filters::FloatImage * Find(const StudyAnalysis & a, const std::string & role)
{
  const auto it = a.geometry.inReference.find(role);
  return it != a.geometry.inReference.end() ? it->second.GetPointer() : nullptr;
}

const filters::FloatImage * Trace(const StudyAnalysis & a)
{
  const filters::FloatImage * best = nullptr;
  double bestB = 0;
  for (const auto & [role, image] : a.geometry.inReference)
    if (role.rfind("DWI_b", 0) == 0 && role != "DWI_b0" && std::atof(role.c_str() + 5) > bestB)
    {
      bestB = std::atof(role.c_str() + 5);
      best = image;
    }
  return best;
}

std::string Pretty(std::string s)
{
  for (auto & c : s)
    if (c == '_')
      c = ' ';
  return s;
}

KeyImageFigure Render(const StudyAnalysis & a,
                      const filters::FloatImage * base,
                      const std::string & baseName,
                      const itk::Point<double, 3> & centre,
                      const std::vector<unsigned char> & outlineLabels,
                      const std::string & title)
{
  std::vector<KeyImageOverlay> overlays;
  for (const unsigned char label : outlineLabels)
    overlays.push_back({ a.geometry.segmentation.labels, kFindingStructureOutlineRgb, 1.0, true, label });
  std::string caption = baseName + "; ";
  auto addLesion = [&](const filters::MaskImage * mask, const LesionOverlayStyle & style)
  {
    overlays.push_back({ mask, style.rgb, style.fillOpacity, false, 0 });
    overlays.push_back({ mask, style.rgb, 1.0, true, 0 });
  };
  if (a.detection.t2flair)
  {
    addLesion(a.detection.t2flair, kT2FlairLesionStyle);
    caption += "red: T2/FLAIR hyperintensity; ";
  }
  if (a.detection.restricted)
  {
    addLesion(a.detection.restricted, kRestrictedLesionStyle);
    caption += "blue: restricted diffusion; ";
  }
  caption += "yellow outline: structure. Patient left on screen right.";
  KeyImageParams params;
  params.plane = KeyImagePlane::Axial;
  params.centre = centre;
  KeyImageFigure figure;
  figure.title = title;
  figure.caption = caption;
  figure.png = EncodePng(RenderKeyImage(base, overlays, params));
  return figure;
}
} // namespace

std::vector<KeyImageFigure> MakeReportFigures(const StudyAnalysis & a, std::size_t maxFigures)
{
  std::vector<KeyImageFigure> figures;
  const auto & hyperRole = a.detection.hyperintensitySequence;
  for (const auto & f : a.findings.findings)
  {
    if (figures.size() >= maxFigures)
      break;
    const bool restriction = f.kind == "restricted_diffusion";
    const filters::FloatImage * base = restriction ? Trace(a) : Find(a, hyperRole.empty() ? "T2" : hyperRole);
    if (!base)
      continue;
    std::vector<unsigned char> labels;
    for (const auto & info : AllStructures())
      if (StructureBase(info.key) == f.structure)
        labels.push_back(static_cast<unsigned char>(info.structure));
    itk::Point<double, 3> centre;
    for (unsigned d = 0; d < 3; ++d)
      centre[d] = f.centroidMm[d];
    std::ostringstream title;
    title << "Finding " << f.id << ": " << Pretty(f.kind) << ", " << Pretty(f.structure) << " (" << f.laterality
          << "), " << std::fixed;
    title.precision(1);
    title << f.volumeMl << " ml";
    figures.push_back(Render(a, base, restriction ? "DWI trace" : hyperRole, centre, labels, title.str()));
  }
  if (figures.empty())
  {
    const auto * labels = a.geometry.segmentation.labels.GetPointer();
    const auto * base = Find(a, a.geometry.referenceRole);
    // Through the thalami: where ICANS shows first.
    double sum[3] = { 0, 0, 0 };
    std::size_t count = 0;
    for (std::size_t i = 0; i < labels->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    {
      const auto v = static_cast<Structure>(labels->GetBufferPointer()[i]);
      if (v != Structure::ThalamusLeft && v != Structure::ThalamusRight)
        continue;
      const auto p = filters::PointOfOffset(labels, i);
      for (unsigned d = 0; d < 3; ++d)
        sum[d] += p[d];
      ++count;
    }
    itk::Point<double, 3> centre;
    for (unsigned d = 0; d < 3; ++d)
      centre[d] = count ? sum[d] / static_cast<double>(count) : 0.0;
    if (base)
      figures.push_back(Render(
        a, base, a.geometry.referenceRole, centre,
        { static_cast<unsigned char>(Structure::ThalamusLeft), static_cast<unsigned char>(Structure::ThalamusRight) },
        "No finding: axial " + a.geometry.referenceRole + " through the thalami"));
  }
  return figures;
}

} // namespace icanscan::pipeline
