#include "pipeline/geometry/StructureLabels.h"

#include <sstream>

namespace icanscan::pipeline
{

std::string StructureTableTsv()
{
  std::ostringstream out;
  for (const auto & s : AllStructures())
    out << static_cast<int>(s.structure) << "\t" << s.key << "\n";
  return out.str();
}

std::string StructureColourTable(bool itkSnap)
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
      out << "  " << v << "  " << int(s.rgb[0]) << " " << int(s.rgb[1]) << " " << int(s.rgb[2]) << "  1  1  1  \""
          << s.key << "\"\n";
    else
      out << v << " " << s.key << " " << int(s.rgb[0]) << " " << int(s.rgb[1]) << " " << int(s.rgb[2]) << " 255\n";
  }
  return out.str();
}

} // namespace icanscan::pipeline
