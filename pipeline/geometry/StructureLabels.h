#pragma once

#include "core/Structures.h"

#include <string>

namespace icanscan::pipeline
{

// The structures themselves are a core type (core/Structures.h), shared with the viewer.
using icanscan::AllStructures;
using icanscan::Info;
using icanscan::kStructureCount;
using icanscan::Structure;
using icanscan::StructureInfo;

/** \brief labels.tsv: "value<TAB>key" per line (the OUT contract). */
std::string StructureTableTsv();

/** \brief A colour table both 3D Slicer (.ctbl/.txt) and ITK-SNAP (label description .txt) read. Slicer:
 * "value name r g b a"; ITK-SNAP: "value r g b a vis mesh \"name\"". Returns the Slicer form when `itkSnap` is false.
 */
std::string StructureColourTable(bool itkSnap);

} // namespace icanscan::pipeline
