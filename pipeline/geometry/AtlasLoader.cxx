#include "pipeline/geometry/AtlasLoader.h"

#include "core/Error.h"
#include "filters/MaskMorphology.h"
#include "filters/TissueClassifier.h"
#include "pipeline/geometry/AtlasStructures.h"

#include "itkImageFileReader.h"
#include "itkMetaDataObject.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{

using ImageType = Atlas::ImageType;
using LabelImageType = Atlas::LabelImageType;
namespace fs = std::filesystem;

std::string MissingAtlasMessage(const fs::path & file, const std::string & reason)
{
  return "atlas file '" + file.string() + "' " + reason +
         " (install the Debian package mricron-data, or point the atlas folder to a copy of its templates)";
}

/** The sform of a NIfTI header as ITK metadata ("srow_x" = "a b c d"), converted to LPS; false when absent. */
bool SformFromDictionary(const itk::MetaDataDictionary & dictionary, double matrix[3][4])
{
  std::string code;
  if (!itk::ExposeMetaData<std::string>(dictionary, "sform_code", code) || code == "0")
    return false;
  const char * rows[3] = { "srow_x", "srow_y", "srow_z" };
  for (int r = 0; r < 3; ++r)
  {
    std::string text;
    if (!itk::ExposeMetaData<std::string>(dictionary, rows[r], text))
      return false;
    std::istringstream in(text);
    for (int c = 0; c < 4; ++c)
      if (!(in >> matrix[r][c]))
        return false;
  }
  for (int c = 0; c < 4; ++c) // RAS -> LPS
  {
    matrix[0][c] = -matrix[0][c];
    matrix[1][c] = -matrix[1][c];
  }
  return true;
}

/** Replaces the image geometry by the header's sform when ITK took a qform that disagrees with it (FSL, which wrote
 * these files, and MRIcron use the sform). Returns true when it did. */
template<typename TImage>
bool PreferSform(TImage * image)
{
  double m[3][4];
  if (!SformFromDictionary(image->GetMetaDataDictionary(), m))
    return false;
  typename TImage::SpacingType spacing;
  typename TImage::DirectionType direction;
  typename TImage::PointType origin;
  for (int c = 0; c < 3; ++c)
  {
    spacing[c] = std::sqrt(m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]);
    if (!(spacing[c] > 0.0))
      return false;
    for (int r = 0; r < 3; ++r)
      direction[r][c] = m[r][c] / spacing[c];
  }
  for (int r = 0; r < 3; ++r)
    origin[r] = m[r][3];
  bool differs = false;
  for (int r = 0; r < 3; ++r)
  {
    differs |=
      std::abs(origin[r] - image->GetOrigin()[r]) > 1e-3 || std::abs(spacing[r] - image->GetSpacing()[r]) > 1e-4;
    for (int c = 0; c < 3; ++c)
      differs |= std::abs(direction[r][c] - image->GetDirection()[r][c]) > 1e-4;
  }
  if (!differs)
    return false;
  image->SetSpacing(spacing);
  image->SetDirection(direction);
  image->SetOrigin(origin);
  return true;
}

template<typename TImage>
typename TImage::Pointer ReadAtlasFile(const fs::path & folder,
                                       const std::string & name,
                                       std::vector<std::string> & notes)
{
  const fs::path file = folder / name;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw ConfigError(MissingAtlasMessage(file, "not found"));
  auto reader = itk::ImageFileReader<TImage>::New();
  reader->SetFileName(file.string());
  try
  {
    reader->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw ConfigError(MissingAtlasMessage(file, std::string("cannot be read: ") + e.GetDescription()));
  }
  typename TImage::Pointer image = reader->GetOutput();
  image->DisconnectPipeline();
  if (PreferSform(image.GetPointer()))
    notes.push_back(name + ": qform and sform disagree; the sform (FSL's, MRIcron's choice) is used");
  return image;
}

LabelImageType::Pointer ResampleNearest(const LabelImageType * labels, const itk::ImageBase<3> * grid)
{
  auto resample = itk::ResampleImageFilter<LabelImageType, LabelImageType>::New();
  resample->SetInput(labels);
  resample->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<LabelImageType, double>::New());
  resample->SetOutputParametersFromImage(grid);
  resample->SetDefaultPixelValue(0);
  resample->Update();
  return resample->GetOutput();
}

/** Reverses the voxel order along index axis `axis`, keeping the geometry. */
void FlipVoxels(LabelImageType * image, unsigned axis)
{
  const auto size = image->GetBufferedRegion().GetSize();
  std::array<std::size_t, 3> stride{ 1, size[0], size[0] * size[1] };
  unsigned char * p = image->GetBufferPointer();
  for (std::size_t k = 0; k < size[2]; ++k)
    for (std::size_t j = 0; j < size[1]; ++j)
      for (std::size_t i = 0; i < size[0]; ++i)
      {
        std::array<std::size_t, 3> a{ i, j, k };
        if (a[axis] >= (size[axis] + 1) / 2)
          continue;
        std::array<std::size_t, 3> b = a;
        b[axis] = size[axis] - 1 - a[axis];
        std::swap(p[a[0] + a[1] * stride[1] + a[2] * stride[2]], p[b[0] + b[1] * stride[1] + b[2] * stride[2]]);
      }
}

/** The index axis whose direction is closest to world axis `world`. */
unsigned IndexAxisAlong(const itk::ImageBase<3> * image, unsigned world)
{
  unsigned best = 0;
  for (unsigned c = 1; c < 3; ++c)
    if (std::abs(image->GetDirection()[world][c]) > std::abs(image->GetDirection()[world][best]))
      best = c;
  return best;
}

double CentroidAlong(const LabelImageType * labels, const std::vector<unsigned char> & values, unsigned world)
{
  return filters::Centroid(filters::SelectValues(labels, values))[world];
}

/** Checks JHU's orientation on its own anatomy and flips mirrored voxel axes: the right external capsule (33) must lie
 * right of the left one (34, smaller LPS x), the genu (3) anterior to the splenium (5, smaller LPS y), the callosal
 * body (4) above the middle cerebellar peduncle (1, larger LPS z). Returns which world axes were flipped. */
std::array<bool, 3> FixJhuOrientation(LabelImageType * jhu, std::vector<std::string> & notes)
{
  struct Check
  {
    std::vector<unsigned char> lower, higher; //!< the first must have the smaller LPS coordinate
    const char * what;
  };
  const std::array<Check, 3> checks{
    { { { 33 }, { 34 }, "the right external capsule (33) lies left of the left one (34)" },
      { { 3 }, { 5 }, "the genu (3) lies posterior to the splenium (5)" },
      { { 1 }, { 4 }, "the callosal body (4) lies below the cerebellar peduncle (1)" } }
  };
  std::array<bool, 3> flipped{};
  for (unsigned world = 0; world < 3; ++world)
  {
    const auto & check = checks[world];
    if (CentroidAlong(jhu, check.lower, world) < CentroidAlong(jhu, check.higher, world))
      continue;
    const unsigned axis = IndexAxisAlong(jhu, world);
    FlipVoxels(jhu, axis);
    flipped[world] = true;
    notes.push_back(std::string("JHU-WhiteMatter-labels-1mm: ") + check.what +
                    " in the header's frame: the voxels are mirrored (FSL's LAS order under an RAS header); flipped "
                    "along voxel axis " +
                    std::to_string(axis));
    if (CentroidAlong(jhu, check.lower, world) >= CentroidAlong(jhu, check.higher, world))
      throw ConfigError("atlas: JHU white-matter labels: cannot establish their orientation (" +
                        std::string(check.what) + " either way)");
  }
  return flipped;
}

/** The JHU callosum must overlay Colin27's AAL anatomy: the callosal body above the thalami and near them in x and y.
 */
void CheckOverlay(const LabelImageType * jhu, const LabelImageType * aal)
{
  const auto body = filters::Centroid(filters::SelectValues(jhu, { 4 }));
  const auto thalami = filters::Centroid(filters::SelectValues(aal, { 77, 78 }));
  const bool fits = std::abs(body[0] - thalami[0]) < 8.0 && std::abs(body[1] - thalami[1]) < 30.0 &&
                    body[2] - thalami[2] > 5.0 && body[2] - thalami[2] < 45.0;
  if (!fits)
  {
    std::ostringstream message;
    message << "atlas: the JHU callosal body (LPS " << body[0] << ", " << body[1] << ", " << body[2]
            << " mm) does not lie above the AAL thalami (LPS " << thalami[0] << ", " << thalami[1] << ", " << thalami[2]
            << " mm): the atlases do not overlay";
    throw ConfigError(message.str());
  }
}

} // namespace

Atlas LoadAtlas(const AtlasParams & params)
{
  Atlas atlas;
  atlas.t1 = ReadAtlasFile<ImageType>(params.folder, "ch2.nii.gz", atlas.notes);
  atlas.t1Brain = ReadAtlasFile<ImageType>(params.folder, "ch2bet.nii.gz", atlas.notes);
  auto aal = ReadAtlasFile<LabelImageType>(params.folder, "aal.nii.gz", atlas.notes);
  auto jhu = ReadAtlasFile<LabelImageType>(params.folder, "JHU-WhiteMatter-labels-1mm.nii.gz", atlas.notes);
  if (atlas.t1->GetLargestPossibleRegion() != atlas.t1Brain->GetLargestPossibleRegion())
    throw ConfigError("atlas: ch2.nii.gz and ch2bet.nii.gz have different grids");
  atlas.t1Brain->CopyInformation(atlas.t1);

  const auto flipped = FixJhuOrientation(jhu, atlas.notes);
  atlas.jhuLeftRightFlipped = flipped[0];
  aal = ResampleNearest(aal, atlas.t1);
  jhu = ResampleNearest(jhu, atlas.t1);
  CheckOverlay(jhu, aal);

  atlas.brainMask = filters::NewMaskLike(atlas.t1);
  {
    const float * b = atlas.t1Brain->GetBufferPointer();
    unsigned char * m = atlas.brainMask->GetBufferPointer();
    for (std::size_t i = 0; i < atlas.t1Brain->GetBufferedRegion().GetNumberOfPixels(); ++i)
      m[i] = b[i] > 0.0f ? 1 : 0;
  }
  const auto classes = filters::ClassifyTissue(atlas.t1Brain, atlas.brainMask);
  atlas.tissue = classes.labels;
  for (unsigned k = 0; k < 3; ++k)
    atlas.tissueMeans[k] = classes.means[k];

  AtlasStructureSources sources;
  sources.tissue = atlas.tissue;
  sources.brainMask = atlas.brainMask;
  sources.aal = aal;
  sources.jhu = jhu;
  sources.t1Brain = atlas.t1Brain;
  sources.csfMean = atlas.tissueMeans[0];
  auto structures = BuildAtlasStructures(sources);
  atlas.labels = structures.labels;
  atlas.cerebellum = structures.cerebellum;
  atlas.notes.insert(atlas.notes.end(), structures.notes.begin(), structures.notes.end());
  for (const auto & note : atlas.notes)
    spdlog::debug("atlas: {}", note);
  return atlas;
}

} // namespace icanscan::pipeline
