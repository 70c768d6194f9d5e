#include "pipeline/geometry/StructureLabels.h"

#include <sstream>

namespace icanscan::pipeline
{

const std::array<StructureInfo, kStructureCount> &
AllStructures()
{
  static const std::array<StructureInfo, kStructureCount> table{ {
    { Structure::ThalamusLeft, "thalamus_left", "Thalamus left", { 0, 118, 14 } },
    { Structure::ThalamusRight, "thalamus_right", "Thalamus right", { 0, 200, 40 } },
    { Structure::HippocampusLeft, "hippocampus_left", "Hippocampus left", { 220, 216, 20 } },
    { Structure::HippocampusRight, "hippocampus_right", "Hippocampus right", { 255, 240, 90 } },
    { Structure::BasalGangliaLeft, "basal_ganglia_left", "Basal ganglia left", { 122, 186, 220 } },
    { Structure::BasalGangliaRight, "basal_ganglia_right", "Basal ganglia right", { 40, 120, 220 } },
    { Structure::CorpusCallosumGenu, "corpus_callosum_genu", "Corpus callosum genu", { 255, 128, 0 } },
    { Structure::CorpusCallosumBody, "corpus_callosum_body", "Corpus callosum body", { 255, 170, 60 } },
    { Structure::CorpusCallosumSplenium, "corpus_callosum_splenium", "Corpus callosum splenium", { 200, 90, 0 } },
    { Structure::ExternalCapsuleLeft, "external_capsule_left", "External capsule left", { 170, 60, 200 } },
    { Structure::ExternalCapsuleRight, "external_capsule_right", "External capsule right", { 220, 120, 255 } },
    { Structure::WhiteMatterLeft, "white_matter_left", "Cerebral white matter left", { 245, 245, 245 } },
    { Structure::WhiteMatterRight, "white_matter_right", "Cerebral white matter right", { 205, 205, 205 } },
    { Structure::LateralVentricles, "lateral_ventricles", "Lateral ventricles", { 120, 18, 134 } },
  } };
  return table;
}

const StructureInfo &
Info(Structure structure)
{
  return AllStructures().at(static_cast<std::size_t>(structure) - 1);
}

std::string
StructureTableTsv()
{
  std::ostringstream out;
  for (const auto & s : AllStructures())
    out << static_cast<int>(s.structure) << "\t" << s.key << "\n";
  return out.str();
}

std::string
StructureColourTable(bool itkSnap)
{
  std::ostringstream out;
  if (itkSnap)
  {
    out << "# ITK-SnAP Label Description File\n";
    out << "    0     0    0    0        0  0  0    \"Clear Label\"\n";
  }
  else
  {
    out << "# 3D Slicer colour table: value name r g b a\n0 background 0 0 0 0\n";
  }
  for (const auto & s : AllStructures())
  {
    const int v = static_cast<int>(s.structure);
    if (itkSnap)
      out << "  " << v << "  " << int(s.rgb[0]) << " " << int(s.rgb[1]) << " " << int(s.rgb[2]) << "  1  1  1  \"" << s.key
          << "\"\n";
    else
      out << v << " " << s.key << " " << int(s.rgb[0]) << " " << int(s.rgb[1]) << " " << int(s.rgb[2]) << " 255\n";
  }
  return out.str();
}

} // namespace icanscan::pipeline
