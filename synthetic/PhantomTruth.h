#pragma once

#include "synthetic/PhantomAnatomy.h"
#include "synthetic/PhantomStudyWriter.h"

#include "itkMatrixOffsetTransformBase.h"

#include <filesystem>
#include <string>

namespace icanscan::synthetic
{

/** \brief Everything truth.json is made from. */
struct PhantomTruthContext
{
  const PhantomParams & params;
  const PhantomCase & phantomCase;
  const PhantomAnatomy & anatomy;
  const PhantomStudy & study;
  const itk::MatrixOffsetTransformBase<double, 3, 3> * pose; //!< subject (atlas mm, before the warp) -> T2 scanner
  double sliceTiltDeg;
};

/** \brief truth.json of one study: case, seed, geometry, series (role, number, description, folder, grid, motion,
 * transform file), the transform convention, expected findings per structure key, oedema flag and ASTCT
 * oedema-domain grade, measured swelling per structure, lesion volumes, deformation statistics and head pose. */
std::string PhantomTruthJson(const PhantomTruthContext & context);

/** \brief Writes an ITK transform file (.tfm, ITK's text format) atomically; throws OutputError naming the file. */
void WriteTransformFile(const itk::TransformBase * transform, const std::filesystem::path & file);

} // namespace icanscan::synthetic
