#pragma once

#include "pipeline/detection/LesionDetection.h"
#include "pipeline/geometry/StructureLabels.h"

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <vector>

/** Test helper: a small labelled brain with T2, FLAIR, DWI and ADC, built in code for lesion detection tests. */
namespace icanscan::pipeline::test
{
using Image = LesionDetectionInput::Image;
using Mask = LesionDetectionInput::Mask;

constexpr unsigned kNx = 60;
constexpr unsigned kNy = 60;
constexpr unsigned kNz = 12;
constexpr unsigned char kCsf = 1;
constexpr unsigned char kGm = 2;
constexpr unsigned char kWm = 3;

/** Buffer offset of voxel (x, y, z) on the 60 x 60 x 12 grid. */
std::size_t Linear(unsigned x, unsigned y, unsigned z);

/** \brief Half-open voxel box [x0, x1) x [y0, y1) x [z0, z1). */
struct Box
{
  unsigned x0, x1, y0, y1, z0, z1;
};

/** Calls `f` with the buffer offset of every voxel of `box`. */
void ForEach(const Box & box, const std::function<void(std::size_t)> & f);

/** An empty image on the 60 x 60 x 12 grid with 1 x 1 x `spacingZ` mm voxels. */
template<typename TImage>
typename TImage::Pointer NewImage(double spacingZ = 3.0)
{
  auto image = TImage::New();
  typename TImage::RegionType region;
  region.SetSize({ kNx, kNy, kNz });
  image->SetRegions(region);
  typename TImage::SpacingType spacing;
  spacing[0] = 1.0;
  spacing[1] = 1.0;
  spacing[2] = spacingZ;
  image->SetSpacing(spacing);
  image->Allocate(true);
  return image;
}

/** \brief Intensity of each appearance class on one sequence. */
struct Levels
{
  float csf, cortex, deep, wm;
};
constexpr Levels kFlair{ 15, 105, 100, 80 };
constexpr Levels kT2{ 250, 115, 105, 80 };
constexpr Levels kDwi{ 25, 100, 100, 90 };
constexpr Levels kAdcUm2s{ 3000, 850, 780, 700 };
constexpr float kNoise = 4.0f;     //!< Gaussian noise of FLAIR, T2 and DWI
constexpr float kAdcNoise = 25.0f; //!< Gaussian noise of the ADC (µm²/s)

/** \brief A 60 x 60 x 12 voxel (1 x 1 x 3 mm) brain: a CSF rim, 5 mm of cortex, white matter split at x = 30 (LPS:
 * x >= 30 is the subject's left), lateral ventricles, corpus callosum body, thalami, basal ganglia and hippocampi. */
class SyntheticBrain
{
public:
  static constexpr Box kThalamusLeft{ 32, 40, 36, 44, 3, 9 };
  static constexpr Box kThalamusRight{ 20, 28, 36, 44, 3, 9 };
  static constexpr Box kBasalGangliaLeft{ 38, 46, 18, 30, 3, 9 };
  static constexpr Box kBasalGangliaRight{ 14, 22, 18, 30, 3, 9 };
  static constexpr Box kHippocampusLeft{ 38, 44, 46, 50, 3, 9 };
  static constexpr Box kHippocampusRight{ 16, 22, 46, 50, 3, 9 };
  static constexpr Box kVentricleLeft{ 31, 36, 18, 34, 3, 9 };
  static constexpr Box kVentricleRight{ 24, 29, 18, 34, 3, 9 };
  static constexpr Box kCallosumBody{ 24, 36, 14, 17, 3, 9 };

  SyntheticBrain();

  void Paint(const Box & box, Structure label, unsigned char tissue);

  /** Only the tissue class changes (e.g. CSF inside a white-matter label). */
  void SetTissue(const Box & box, unsigned char tissue);

  /** The sequence with Gaussian noise of a fixed seed; 0 outside the brain. */
  Image::Pointer Render(const Levels & levels, float noise, unsigned seed) const;

  const Mask * Labels() const { return m_Labels; }
  const Mask * Tissue() const { return m_Tissue; }
  const Mask * Brain() const { return m_Brain; }

  /** Voxels carrying one of `labels`. */
  std::vector<unsigned char> Where(std::initializer_list<Structure> labels) const;

private:
  Mask::Pointer m_Labels = NewImage<Mask>();
  Mask::Pointer m_Tissue = NewImage<Mask>();
  Mask::Pointer m_Brain = NewImage<Mask>();
};

/** \brief The brain and all four contrasts, each with its own noise seed; tests paint lesions on them. */
struct Study
{
  SyntheticBrain brain;
  Image::Pointer flair = brain.Render(kFlair, kNoise, 1);
  Image::Pointer t2 = brain.Render(kT2, kNoise, 2);
  Image::Pointer dwi = brain.Render(kDwi, kNoise, 3);
  Image::Pointer adc = brain.Render(kAdcUm2s, kAdcNoise, 4);

  /** Re-renders every contrast after the anatomy changed. */
  void Rerender();

  LesionDetectionInput Input(bool withFlair = true, bool withT2 = true, bool withDiffusion = true) const;
};

/** Detection parameters without bias correction: the synthetic brains have no shading, so the logic under test sees
 * the rendered levels themselves. */
LesionDetectionParams Unshaded();

LesionDetectionResult Detect(const LesionDetectionInput & in, const LesionDetectionParams & params = Unshaded());

/** 1 inside `box`, 0 elsewhere, as a voxel vector. */
std::vector<unsigned char> BoxMask(const Box & box);

void Scale(Image * image, const Box & box, float factor);
void Scale(Image * image, const std::vector<unsigned char> & where, float factor);

std::size_t Count(const Mask * mask);

/** Voxels of `mask` inside `truth`. */
std::size_t CountIn(const Mask * mask, const std::vector<unsigned char> & truth);

double Dice(const Mask * mask, const std::vector<unsigned char> & truth);

} // namespace icanscan::pipeline::test
