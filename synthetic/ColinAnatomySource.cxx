#include "synthetic/AnatomySource.h"

#include "filters/MaskMorphology.h"

#include <algorithm>

namespace icanscan::synthetic
{
namespace
{

FloatImage::Pointer NewFloatLike(const itk::ImageBase<3> * grid)
{
  auto image = FloatImage::New();
  image->CopyInformation(grid);
  image->SetRegions(grid->GetLargestPossibleRegion());
  image->Allocate(true);
  return image;
}

/** Brain fractions from ch2bet's intensity: linear mixtures between neighbouring class means. */
void MakeFractions(const pipeline::Atlas & atlas, AnatomySource & source)
{
  source.csf = NewFloatLike(atlas.t1);
  source.gm = NewFloatLike(atlas.t1);
  source.wm = NewFloatLike(atlas.t1);
  const auto & mean = atlas.tissueMeans;
  const float * t = atlas.t1Brain->GetBufferPointer();
  const unsigned char * brain = atlas.brainMask->GetBufferPointer();
  float * csf = source.csf->GetBufferPointer();
  float * gm = source.gm->GetBufferPointer();
  float * wm = source.wm->GetBufferPointer();
  for (std::size_t i = 0; i < atlas.t1->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    if (!brain[i])
      continue;
    if (t[i] <= mean[1])
    {
      gm[i] = static_cast<float>(std::clamp((t[i] - mean[0]) / (mean[1] - mean[0]), 0.0, 1.0));
      csf[i] = 1.0f - gm[i];
    }
    else
    {
      wm[i] = static_cast<float>(std::clamp((t[i] - mean[1]) / (mean[2] - mean[1]), 0.0, 1.0));
      gm[i] = 1.0f - wm[i];
    }
  }
}

/** Head tissues outside the brain from ch2's T1 intensity (relative to the brain's CSF and WM means). */
LabelImage::Pointer MakeHead(const pipeline::Atlas & atlas)
{
  auto head = filters::NewMaskLike(atlas.t1);
  const auto nearBrain = filters::DistanceMm(atlas.brainMask, atlas.brainMask->GetLargestPossibleRegion());
  const float * t = atlas.t1->GetBufferPointer();
  const float * d = nearBrain->GetBufferPointer();
  const unsigned char * brain = atlas.brainMask->GetBufferPointer();
  unsigned char * h = head->GetBufferPointer();
  const double dark = 0.5 * (atlas.tissueMeans[0] + atlas.tissueMeans[1]) - 25.0; // about 45 on Colin27
  const double bright = atlas.tissueMeans[2] + 5.0;
  const double air = 0.15 * atlas.tissueMeans[0];
  for (std::size_t i = 0; i < atlas.t1->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    HeadTissue tissue = HeadTissue::Brain;
    if (!brain[i])
    {
      if (t[i] < air)
        tissue = HeadTissue::Air;
      else if (t[i] < dark)
        tissue = d[i] <= 4.0 ? HeadTissue::ExternalCsf : HeadTissue::Bone;
      else if (t[i] >= bright)
        tissue = HeadTissue::Fat;
      else
        tissue = HeadTissue::Muscle;
    }
    h[i] = static_cast<unsigned char>(tissue);
  }
  return head;
}

} // namespace

AnatomySource ColinAnatomySource(const pipeline::Atlas & atlas)
{
  AnatomySource source;
  source.name = "colin27";
  MakeFractions(atlas, source);
  source.head = MakeHead(atlas);
  source.labels = atlas.labels;
  source.brainMask = atlas.brainMask;
  for (const auto s : { pipeline::Structure::CorpusCallosumGenu, pipeline::Structure::CorpusCallosumBody,
                        pipeline::Structure::CorpusCallosumSplenium, pipeline::Structure::ExternalCapsuleLeft,
                        pipeline::Structure::ExternalCapsuleRight })
    source.fromJhu[static_cast<std::size_t>(s)] = true;
  source.notes.push_back("colin27: the program's own atlas (AAL, JHU, its own tissue classes): every structure is "
                         "the atlas's, so findings measure an upper bound");
  return source;
}

} // namespace icanscan::synthetic
