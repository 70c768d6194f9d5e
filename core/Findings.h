#pragma once

#include <optional>
#include <string>

namespace icanscan
{

/** \brief What a finding or a lesion is: the two detectors' outputs. */
enum class FindingKind
{
  T2FlairHyperintensity, //!< "t2flair_hyperintensity"
  RestrictedDiffusion,   //!< "restricted_diffusion"
};

/** \brief The side of a finding; a midline structure (callosum) is "midline", both sides merged are "bilateral". */
enum class Laterality
{
  Left,
  Right,
  Bilateral,
  Midline,
};

/** \brief The name used in report.json, findings.csv and the viewer. */
inline const char * ToString(FindingKind kind)
{
  return kind == FindingKind::T2FlairHyperintensity ? "t2flair_hyperintensity" : "restricted_diffusion";
}

/** \brief The kind as a reader says it: "T2/FLAIR hyperintensity", "restricted diffusion". */
inline const char * DisplayName(FindingKind kind)
{
  return kind == FindingKind::T2FlairHyperintensity ? "T2/FLAIR hyperintensity" : "restricted diffusion";
}

/** \brief Parses a report.json kind; std::nullopt when unknown. */
inline std::optional<FindingKind> ParseFindingKind(const std::string & name)
{
  for (const auto kind : { FindingKind::T2FlairHyperintensity, FindingKind::RestrictedDiffusion })
    if (name == ToString(kind))
      return kind;
  return std::nullopt;
}

inline const char * ToString(Laterality side)
{
  switch (side)
  {
    case Laterality::Left:
      return "left";
    case Laterality::Right:
      return "right";
    case Laterality::Bilateral:
      return "bilateral";
    case Laterality::Midline:
      break;
  }
  return "midline";
}

/** \brief Parses a report.json laterality; std::nullopt when unknown. */
inline std::optional<Laterality> ParseLaterality(const std::string & name)
{
  for (const auto side : { Laterality::Left, Laterality::Right, Laterality::Bilateral, Laterality::Midline })
    if (name == ToString(side))
      return side;
  return std::nullopt;
}

} // namespace icanscan
