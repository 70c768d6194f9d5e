#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace icanscan::pipeline
{

/** \brief The structures icanscan segments, as label values in every label map it reads or writes.
 *
 * Keys (report.json, findings.csv) and values are a contract other tools read: never renumber. */
enum class Structure : std::uint8_t
{
  Background = 0,
  ThalamusLeft = 1,
  ThalamusRight = 2,
  HippocampusLeft = 3,
  HippocampusRight = 4,
  BasalGangliaLeft = 5,
  BasalGangliaRight = 6,
  CorpusCallosumGenu = 7,
  CorpusCallosumBody = 8,
  CorpusCallosumSplenium = 9,
  ExternalCapsuleLeft = 10,
  ExternalCapsuleRight = 11,
  WhiteMatterLeft = 12,
  WhiteMatterRight = 13,
  LateralVentricles = 14,
};

constexpr std::size_t kStructureCount = 14;

/** \brief Name, report key and display colour of one structure. */
struct StructureInfo
{
  Structure structure;
  const char * key;  //!< e.g. "thalamus_left" (report.json key)
  const char * name; //!< e.g. "Thalamus left"
  std::array<std::uint8_t, 3> rgb;
};

/** \brief All structures in label order (1..14). */
const std::array<StructureInfo, kStructureCount> & AllStructures();

const StructureInfo & Info(Structure structure);

/** \brief labels.tsv: "value<TAB>key" per line (the OUT contract). */
std::string StructureTableTsv();

/** \brief A colour table both 3D Slicer (.ctbl/.txt) and ITK-SNAP (label description .txt) read. Slicer:
 * "value name r g b a"; ITK-SNAP: "value r g b a vis mesh \"name\"". Returns the Slicer form when `itkSnap` is false. */
std::string StructureColourTable(bool itkSnap);

} // namespace icanscan::pipeline
