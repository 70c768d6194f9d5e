#pragma once

#include "itkImage.h"

namespace icanscan::filters
{

/** Intensity images: every series is converted to float on read. */
using FloatImage = itk::Image<float, 3>;

/** Binary masks: 0 outside, any non-zero value inside. */
using MaskImage = itk::Image<unsigned char, 3>;

/** Label maps (atlas structures, tissue classes): integer labels, 0 is background. */
using LabelImage = itk::Image<unsigned short, 3>;

/** The same types under the names AtlasRegistration.h uses; redeclaring an alias to the same type is allowed. */
using RegistrationImage = FloatImage;
using RegistrationMask = MaskImage;

} // namespace icanscan::filters
