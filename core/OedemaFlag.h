#pragma once

#include <optional>
#include <string>

namespace icanscan
{

/** \brief Cerebral oedema as neuroimaging shows it: what the oedema stage decides and what the ASTCT grade's
 * raised-ICP / cerebral-oedema domain takes from imaging (focal: grade 3, diffuse: grade 4). */
enum class OedemaFlag
{
  None,          //!< "none": no oedema on neuroimaging
  Focal,         //!< "focal": focal/local oedema on neuroimaging
  Diffuse,       //!< "diffuse": diffuse cerebral oedema on neuroimaging
  NotAssessable, //!< "not_assessable": no usable imaging, or the signs it needs could not be measured
};

/** \brief Every flag, in order of severity with not_assessable last. */
constexpr OedemaFlag kAllOedemaFlags[] = { OedemaFlag::None, OedemaFlag::Focal, OedemaFlag::Diffuse,
                                           OedemaFlag::NotAssessable };

/** \brief "none", "focal", "diffuse" or "not_assessable" (report.json, clinical input, `grade --oedema`). */
inline std::string ToString(OedemaFlag flag)
{
  switch (flag)
  {
    case OedemaFlag::None:
      return "none";
    case OedemaFlag::Focal:
      return "focal";
    case OedemaFlag::Diffuse:
      return "diffuse";
    case OedemaFlag::NotAssessable:
      break;
  }
  return "not_assessable";
}

/** \brief Inverse of ToString; nullopt for any other name. */
inline std::optional<OedemaFlag> ParseOedemaFlag(const std::string & name)
{
  for (const auto flag : kAllOedemaFlags)
    if (ToString(flag) == name)
      return flag;
  return std::nullopt;
}

} // namespace icanscan
