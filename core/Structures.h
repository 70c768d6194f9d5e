#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace icanscan
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

/** \brief All structures in label order (1..14), with their report keys, names and display colours (the label
 * colour tables written to OUT, the report's key images and the viewer all use these). */
inline const std::array<StructureInfo, kStructureCount> & AllStructures()
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

inline const StructureInfo & Info(Structure structure)
{
  return AllStructures().at(static_cast<std::size_t>(structure) - 1);
}

} // namespace icanscan
