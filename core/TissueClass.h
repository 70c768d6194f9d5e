#pragma once

namespace icanscan
{

/** \brief The label values of a tissue-class image (atlas k-means classes, the subject's classes, phantom truth). */
enum class TissueClass : unsigned char
{
  Outside = 0,
  Csf = 1,
  GreyMatter = 2,
  WhiteMatter = 3,
};

/** \brief The voxel value of `tissue` in a tissue-class image. */
constexpr unsigned char TissueLabel(TissueClass tissue)
{
  return static_cast<unsigned char>(tissue);
}

} // namespace icanscan
