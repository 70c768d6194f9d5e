#include "synthetic/AnatomySource.h"

#include "core/Error.h"
#include "filters/ImageGrid.h"
#include "filters/MaskMorphology.h"

#include "itkImageFileReader.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace icanscan::synthetic
{
namespace
{

namespace fs = std::filesystem;
using pipeline::Structure;

std::string Where(const AnatomyDescriptor & descriptor)
{
  return "anatomy descriptor '" + descriptor.descriptorFile.string() + "'";
}

FloatImage::Pointer ReadFloat(const fs::path & file, const AnatomyDescriptor & descriptor)
{
  auto reader = itk::ImageFileReader<FloatImage>::New();
  reader->SetFileName(file.string());
  try
  {
    reader->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw InputError(Where(descriptor) + ": cannot read image '" + file.string() + "': " + e.GetDescription());
  }
  FloatImage::Pointer image = reader->GetOutput();
  image->DisconnectPipeline();
  return image;
}

/** `image` on the T1 grid: as is when the grids agree, else by nearest neighbour (labels, classes, masks). */
FloatImage::Pointer OnGrid(FloatImage::Pointer image,
                           const FloatImage * grid,
                           const fs::path & file,
                           std::vector<std::string> & notes)
{
  if (filters::SameGrid(image, grid, 1e-3))
    return image;
  auto resample = itk::ResampleImageFilter<FloatImage, FloatImage>::New();
  resample->SetInput(image);
  resample->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<FloatImage, double>::New());
  resample->SetOutputParametersFromImage(grid);
  resample->SetDefaultPixelValue(0.0f);
  resample->Update();
  notes.push_back(file.filename().string() + ": another grid than the T1; resampled onto it (nearest neighbour)");
  return resample->GetOutput();
}

double Percentile(std::vector<float> values, double q)
{
  if (values.empty())
    return 0.0;
  const auto k = static_cast<std::size_t>(q * (values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
  return values[k];
}

bool IsDeepGrey(unsigned char label)
{
  return label >= static_cast<unsigned char>(Structure::ThalamusLeft) &&
         label <= static_cast<unsigned char>(Structure::BasalGangliaRight);
}

/** Fractions from the tissue classes and the T1 (see LoadAnatomySource). `deep` marks deep grey label voxels. */
void MakeFractions(const FloatImage * t1,
                   const LabelImage * brain,
                   const FloatImage * tissue,
                   const std::array<int, 3> & classValues,
                   const std::vector<unsigned char> & deep,
                   const std::string & where,
                   AnatomySource & source)
{
  const std::size_t n = t1->GetBufferedRegion().GetNumberOfPixels();
  const float * t = t1->GetBufferPointer();
  const float * cls = tissue->GetBufferPointer();
  const unsigned char * b = brain->GetBufferPointer();
  std::vector<unsigned char> klass(n, 0); // 0 none, 1 CSF, 2 GM, 3 WM
  std::array<std::vector<float>, 4> values;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!b[i])
      continue;
    const long v = std::lround(cls[i]);
    for (unsigned k = 0; k < 3; ++k)
      if (v == classValues[k])
        klass[i] = static_cast<unsigned char>(k + 1);
    values[klass[i]].push_back(t[i]);
  }
  const double csfLevel = Percentile(values[1], 0.05);
  const double gmLevel = Percentile(values[2], 0.5);
  const double wmLevel = Percentile(values[3], 0.5);
  if (!(csfLevel < gmLevel && gmLevel < wmLevel))
  {
    std::ostringstream message;
    message << where << ": the T1 levels of the tissue classes are not ordered CSF < GM < WM (" << csfLevel << ", "
            << gmLevel << ", " << wmLevel << "): check the [tissue] values";
    throw InputError(message.str());
  }
  std::ostringstream note;
  note << "T1 levels: CSF " << csfLevel << " (5th percentile of its class), GM " << gmLevel << ", WM " << wmLevel
       << " (class medians); brain voxels by class: none " << values[0].size() << ", CSF " << values[1].size()
       << ", GM " << values[2].size() << ", WM " << values[3].size();
  source.notes.push_back(note.str());

  for (auto * f : { &source.csf, &source.gm, &source.wm })
  {
    *f = FloatImage::New();
    (*f)->CopyInformation(t1);
    (*f)->SetRegions(t1->GetLargestPossibleRegion());
    (*f)->Allocate(true);
  }
  float * csf = source.csf->GetBufferPointer();
  float * gm = source.gm->GetBufferPointer();
  float * wm = source.wm->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!b[i])
      continue;
    double c = 0.0, g = 0.0, w = 0.0;
    if (t[i] <= gmLevel)
    {
      g = std::clamp((t[i] - csfLevel) / (gmLevel - csfLevel), 0.0, 1.0);
      c = 1.0 - g;
    }
    else
    {
      w = std::clamp((t[i] - gmLevel) / (wmLevel - gmLevel), 0.0, 1.0);
      g = 1.0 - w;
    }
    if (!deep[i])
    {
      // The class is the dominant compartment; the intensity says how much of the neighbouring one the voxel holds.
      switch (klass[i])
      {
        case 1:
          c = std::max(c, 0.5);
          g = 1.0 - c;
          w = 0.0;
          break;
        case 2:
          if (c > 0.5)
            c = 0.5;
          if (w > 0.5)
            w = 0.5;
          g = 1.0 - c - w;
          break;
        case 3:
          w = std::max(w, 0.5);
          g = 1.0 - w;
          c = 0.0;
          break;
        default:
          break;
      }
    }
    csf[i] = static_cast<float>(c);
    gm[i] = static_cast<float>(g);
    wm[i] = static_cast<float>(w);
  }
}

/** Map of label value -> structure for one label image. */
std::map<long, Structure> ValueMap(const AnatomyLabelImage & image)
{
  std::map<long, Structure> map;
  for (const auto & info : pipeline::AllStructures())
    for (const int v : image.values[static_cast<std::size_t>(info.structure)])
      map[v] = info.structure;
  return map;
}

/** The program's precedence: a later structure in this list overwrites an earlier one. */
int Rank(Structure s)
{
  switch (s)
  {
    case Structure::WhiteMatterLeft:
    case Structure::WhiteMatterRight:
      return 1;
    case Structure::LateralVentricles:
      return 2;
    case Structure::ExternalCapsuleLeft:
    case Structure::ExternalCapsuleRight:
      return 3;
    case Structure::CorpusCallosumGenu:
    case Structure::CorpusCallosumBody:
    case Structure::CorpusCallosumSplenium:
      return 4;
    default:
      return 5; // deep grey
  }
}

/** Whether a voxel with these fractions may carry the structure. */
bool TissueFits(Structure s, float c, float g, float w)
{
  switch (Rank(s))
  {
    case 1:
    case 4:
      return w >= 0.5f;
    case 2:
      return c >= 0.5f;
    case 3:
      return c < 0.5f;
    default:
      return c < 0.5f;
  }
}

void CheckSides(AnatomySource & source, const AnatomyDescriptor & descriptor)
{
  const std::array<std::pair<Structure, Structure>, 5> pairs{
    { { Structure::ThalamusLeft, Structure::ThalamusRight },
      { Structure::HippocampusLeft, Structure::HippocampusRight },
      { Structure::BasalGangliaLeft, Structure::BasalGangliaRight },
      { Structure::ExternalCapsuleLeft, Structure::ExternalCapsuleRight },
      { Structure::WhiteMatterLeft, Structure::WhiteMatterRight } }
  };
  auto fileOf = [&](Structure s)
  {
    for (const auto & image : descriptor.labels)
      if (!image.values[static_cast<std::size_t>(s)].empty())
        return image.file.string();
    return std::string();
  };
  for (const auto & info : pipeline::AllStructures())
    if (filters::CountNonZero(filters::SelectValues(source.labels, { static_cast<unsigned char>(info.structure) })) ==
        0)
      throw InputError(Where(descriptor) + ": structure '" + info.key + "' has no voxel in '" + fileOf(info.structure) +
                       "' (after its tissue condition): check its label values");
  for (const auto & [left, right] : pairs)
  {
    const double xl = filters::Centroid(filters::SelectValues(source.labels, { static_cast<unsigned char>(left) }))[0];
    const double xr = filters::Centroid(filters::SelectValues(source.labels, { static_cast<unsigned char>(right) }))[0];
    if (!(xl > xr && xl > 0.0 && xr < 0.0))
    {
      std::ostringstream message;
      message << Where(descriptor) << ": '" << pipeline::Info(left).key << "' lies at LPS x = " << xl << " mm and '"
              << pipeline::Info(right).key << "' at x = " << xr << " mm in '" << fileOf(left)
              << "': left must be at x > 0 (the subject's left) and right at x < 0; are the values swapped (a "
                 "mirrored lookup table)?";
      throw InputError(message.str());
    }
    std::ostringstream note;
    note << pipeline::Info(left).key << " / " << pipeline::Info(right).key << ": centroids at LPS x = " << xl << " / "
         << xr << " mm (sides checked)";
    source.notes.push_back(note.str());
  }
}

} // namespace

AnatomySource LoadAnatomySource(const AnatomyDescriptor & descriptor)
{
  AnatomySource source;
  source.name = descriptor.name;
  source.descriptorFile = descriptor.descriptorFile.string();
  const auto t1 = ReadFloat(descriptor.t1, descriptor);
  const auto n = t1->GetBufferedRegion().GetNumberOfPixels();
  const auto mask = OnGrid(ReadFloat(descriptor.brainMask, descriptor), t1, descriptor.brainMask, source.notes);
  const auto tissue = OnGrid(ReadFloat(descriptor.tissue, descriptor), t1, descriptor.tissue, source.notes);

  source.brainMask = filters::NewMaskLike(t1);
  unsigned char * brain = source.brainMask->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    brain[i] = mask->GetBufferPointer()[i] > 0.5f ? 1 : 0;
  if (filters::CountNonZero(source.brainMask) == 0)
    throw InputError(Where(descriptor) + ": the brain mask '" + descriptor.brainMask.string() + "' is empty");
  {
    // Some masks leave the ventricles out (MNI152NLin6's does): enclosed background is brain (its T1 of 0 makes it
    // CSF below).
    auto outside = filters::NewMaskLike(t1);
    for (std::size_t i = 0; i < n; ++i)
      outside->GetBufferPointer()[i] = brain[i] ? 0 : 1;
    const auto components = filters::ConnectedComponents(outside, false);
    std::vector<bool> touchesBorder(components.sizes.size() + 1, false);
    const auto size = t1->GetLargestPossibleRegion().GetSize();
    const unsigned * c = components.labels->GetBufferPointer();
    std::size_t i = 0;
    for (unsigned z = 0; z < size[2]; ++z)
      for (unsigned y = 0; y < size[1]; ++y)
        for (unsigned x = 0; x < size[0]; ++x, ++i)
          if (c[i] && (x == 0 || y == 0 || z == 0 || x + 1 == size[0] || y + 1 == size[1] || z + 1 == size[2]))
            touchesBorder[c[i]] = true;
    std::size_t filled = 0;
    for (i = 0; i < n; ++i)
      if (c[i] && !touchesBorder[c[i]])
      {
        brain[i] = 1;
        ++filled;
      }
    if (filled)
      source.notes.push_back("brain mask: " + std::to_string(filled) +
                             " enclosed background voxels (e.g. ventricles left out of the mask) filled");
  }

  std::vector<FloatImage::Pointer> labelImages;
  for (const auto & image : descriptor.labels)
    labelImages.push_back(OnGrid(ReadFloat(image.file, descriptor), t1, image.file, source.notes));

  // Deep grey first (its fractions come from the intensity alone), then the fractions, then every structure.
  std::vector<unsigned char> deep(n, 0);
  for (std::size_t l = 0; l < descriptor.labels.size(); ++l)
  {
    const auto map = ValueMap(descriptor.labels[l]);
    const float * v = labelImages[l]->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i)
    {
      const auto it = v[i] > 0.5f ? map.find(std::lround(v[i])) : map.end();
      if (it != map.end() && IsDeepGrey(static_cast<unsigned char>(it->second)))
        deep[i] = 1;
    }
  }
  MakeFractions(t1, source.brainMask, tissue, descriptor.tissueValues, deep, Where(descriptor), source);

  source.labels = filters::NewMaskLike(t1);
  source.brainstem = filters::NewMaskLike(t1);
  unsigned char * out = source.labels->GetBufferPointer();
  std::vector<int> rank(n, 0);
  const float * c = source.csf->GetBufferPointer();
  const float * g = source.gm->GetBufferPointer();
  const float * w = source.wm->GetBufferPointer();
  bool anyBrainstem = false;
  for (std::size_t l = 0; l < descriptor.labels.size(); ++l)
  {
    const auto & image = descriptor.labels[l];
    const auto map = ValueMap(image);
    std::array<bool, 65536> stem{};
    for (const int v : image.brainstem)
      stem[static_cast<std::size_t>(v)] = true;
    anyBrainstem = anyBrainstem || !image.brainstem.empty();
    for (const auto & [value, structure] : map)
      source.fromJhu[static_cast<std::size_t>(structure)] = image.jhu;
    const float * v = labelImages[l]->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i)
    {
      if (!brain[i] || !(v[i] > 0.5f))
        continue;
      const long value = std::lround(v[i]);
      if (value < 65536 && stem[static_cast<std::size_t>(value)])
        source.brainstem->GetBufferPointer()[i] = 1;
      const auto it = map.find(value);
      if (it == map.end() || !TissueFits(it->second, c[i], g[i], w[i]) || Rank(it->second) <= rank[i])
        continue;
      out[i] = static_cast<unsigned char>(it->second);
      rank[i] = Rank(it->second);
    }
  }
  if (!anyBrainstem)
    source.brainstem = nullptr;
  CheckSides(source, descriptor);
  std::ostringstream note;
  note << descriptor.name << ": brain mask "
       << filters::CountNonZero(source.brainMask) * t1->GetSpacing()[0] * t1->GetSpacing()[1] * t1->GetSpacing()[2] /
            1000.0
       << " ml; skull and scalp synthesised";
  source.notes.push_back(note.str());
  return source;
}

} // namespace icanscan::synthetic
