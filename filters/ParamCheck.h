#pragma once

#include "core/Error.h"
#include "core/TextFormat.h"

#include "itkImageBase.h"

#include <cmath>
#include <sstream>
#include <string>

/** Internal helpers shared by the filters' parameter and input checks; not part of the public API. */
namespace icanscan::filters::detail
{

/** Throws ConfigError "<component> parameter <name> = <value>: expected <expected>". */
[[noreturn]] inline void BadParam(const std::string & component,
                                  const std::string & name,
                                  const std::string & value,
                                  const std::string & expected)
{
  throw ConfigError(component + " parameter " + name + " = " + value + ": expected " + expected);
}

/** Throws ConfigError unless lo <= value <= hi (NaN fails). */
template<typename T>
void CheckRange(const std::string & component, const std::string & name, T value, T lo, T hi)
{
  if (!(value >= lo && value <= hi))
    BadParam(component, name, ToText(value), "a value in [" + ToText(lo) + ", " + ToText(hi) + "]");
}

/** Throws ConfigError unless lo < value <= hi (NaN fails). */
template<typename T>
void CheckRangeOpenLow(const std::string & component, const std::string & name, T value, T lo, T hi)
{
  if (!(value > lo && value <= hi))
    BadParam(component, name, ToText(value), "a value in (" + ToText(lo) + ", " + ToText(hi) + "]");
}

/** Throws InputError naming `what` when the image is null. */
inline void RequireImage(const itk::ImageBase<3> * image, const std::string & what)
{
  if (image == nullptr)
    throw InputError(what + " is missing (null image)");
}

/** Throws InputError unless `b` has the grid of `a`: size, origin, spacing and direction (to 1e-4 of a voxel). */
inline void RequireSameGrid(const itk::ImageBase<3> * a, const itk::ImageBase<3> * b, const std::string & what)
{
  const auto sa = a->GetLargestPossibleRegion().GetSize();
  const auto sb = b->GetLargestPossibleRegion().GetSize();
  bool same = sa == sb;
  for (unsigned d = 0; d < 3 && same; ++d)
  {
    const double tolerance = 1e-4 * a->GetSpacing()[d];
    same = std::abs(a->GetSpacing()[d] - b->GetSpacing()[d]) <= tolerance &&
           std::abs(a->GetOrigin()[d] - b->GetOrigin()[d]) <= tolerance;
    for (unsigned c = 0; c < 3 && same; ++c)
      same = std::abs(a->GetDirection()(d, c) - b->GetDirection()(d, c)) <= 1e-6;
  }
  if (!same)
  {
    throw InputError(what + " is not on the image grid: size " + ToText(sb) + " spacing " + ToText(b->GetSpacing()) +
                     " origin " + ToText(b->GetOrigin()) + ", expected size " + ToText(sa) + " spacing " +
                     ToText(a->GetSpacing()) + " origin " + ToText(a->GetOrigin()));
  }
}

} // namespace icanscan::filters::detail
