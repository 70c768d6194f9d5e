#pragma once

#include "synthetic/AnatomySource.h"
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
  const PhantomCase & phantomCase; //!< as realised for this subject (RealiseCase)
  const PhantomAnatomy & anatomy;
  const PhantomStudy & study;
  const itk::MatrixOffsetTransformBase<double, 3, 3> * pose; //!< scaled subject (source mm) -> T2 scanner
  double sliceTiltDeg;
  const AnatomySource & source;
  bool varied; //!< anatomical variability and the protocol were drawn
};

/** \brief truth.json of one study (format "icanscan phantom truth 2", docs/phantom.md): case, seed, geometry, series
 * (role, number, description, folder, grid, motion, transform file, vendor layout), the transform convention, the
 * anatomy (source, drawn variables and what they gave, subject volumes before and after the pathology), expected
 * findings per structure key and where each structure's truth comes from, oedema flag, ASTCT oedema-domain grade
 * and the truth of every oedema marker (swelling per structure, septum shift, ventricles, sulcal CSF, cisterns,
 * volume loss), lesions, deformation statistics and head pose. */
std::string PhantomTruthJson(const PhantomTruthContext & context);

/** \brief Writes an ITK transform file (.tfm, ITK's text format) atomically; throws OutputError naming the file. */
void WriteTransformFile(const itk::TransformBase * transform, const std::filesystem::path & file);

} // namespace icanscan::synthetic
