#pragma once

#include "core/Error.h"
#include "core/TextFormat.h"
#include "filters/ImageGrid.h"

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

/** Throws InputError unless `b` has the grid of `a` (SameGrid). */
inline void RequireSameGrid(const itk::ImageBase<3> * a, const itk::ImageBase<3> * b, const std::string & what)
{
  if (!SameGrid(a, b))
  {
    throw InputError(what + " is not on the image grid: size " + ToText(b->GetLargestPossibleRegion().GetSize()) +
                     " spacing " + ToText(b->GetSpacing()) + " origin " + ToText(b->GetOrigin()) + ", expected size " +
                     ToText(a->GetLargestPossibleRegion().GetSize()) + " spacing " + ToText(a->GetSpacing()) +
                     " origin " + ToText(a->GetOrigin()));
  }
}

} // namespace icanscan::filters::detail
