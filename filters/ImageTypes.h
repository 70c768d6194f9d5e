#pragma once

#include "itkImage.h"

namespace icanscan::filters
{

/** Intensity images: every series is converted to float on read. */
using FloatImage = itk::Image<float, 3>;

/** Binary masks: 0 outside, any non-zero value inside. */
using MaskImage = itk::Image<unsigned char, 3>;

/** Structure and tissue-class label maps (core/Structures.h, core/TissueClass.h): byte labels, 0 is background. The
 * same type as MaskImage. */
using ByteLabelImage = itk::Image<unsigned char, 3>;

/** Label maps with more than 255 labels: integer labels, 0 is background. */
using LabelImage = itk::Image<unsigned short, 3>;

/** \brief Volume of one voxel of `image` in millilitres (spacing in mm). */
inline double VoxelVolumeMl(const itk::ImageBase<3> * image)
{
  const auto & s = image->GetSpacing();
  return s[0] * s[1] * s[2] / 1000.0;
}

/** The same types under the names AtlasRegistration.h uses; redeclaring an alias to the same type is allowed. */
using RegistrationImage = FloatImage;
using RegistrationMask = MaskImage;

} // namespace icanscan::filters
