#include "SyntheticHead.h"

#include "filters/Resample.h"

#include "core/Error.h"

#include "itkAffineTransform.h"
#include "itkBSplineTransform.h"
#include "itkBSplineTransformInitializer.h"
#include "itkCompositeTransform.h"
#include "itkImageRegionIteratorWithIndex.h"
#include "itkTranslationTransform.h"
#include "itkVersorRigid3DTransform.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace icanscan::filters
{
namespace
{

test::HeadGrid SmallGrid()
{
  test::HeadGrid grid;
  grid.spacing = { 2.0, 2.0, 5.0 };
  grid.size = { 90, 105, 32 };
  return grid;
}

double MaxAbsDifference(const FloatImage * a, const FloatImage * b)
{
  double worst = 0;
  for (std::size_t i = 0; i < a->GetBufferedRegion().GetNumberOfPixels(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(a->GetBufferPointer()[i]) - b->GetBufferPointer()[i]));
  return worst;
}

TEST(ResampleTest, IdentityReproducesTheImageForEveryInterpolator)
{
  const auto image = test::MakeHead(SmallGrid(), test::kT2);
  for (auto mode : { InterpolationMode::Nearest, InterpolationMode::Linear, InterpolationMode::BSpline,
                     InterpolationMode::WindowedSinc })
  {
    ResampleParams params;
    params.interpolation = mode;
    const auto out = ResampleImage(image, image, nullptr, params);
    ASSERT_EQ(out->GetLargestPossibleRegion().GetSize(), image->GetLargestPossibleRegion().GetSize());
    EXPECT_EQ(out->GetSpacing(), image->GetSpacing());
    EXPECT_EQ(out->GetOrigin(), image->GetOrigin());
    // B-spline and sinc interpolate: at the voxel centres they return the samples.
    EXPECT_LT(MaxAbsDifference(out, image), 1e-4) << static_cast<int>(mode);
  }
}

TEST(ResampleTest, OneVoxelTranslationShiftsTheImage)
{
  const auto image = test::MakeHead(SmallGrid(), test::kT2);
  auto shift = itk::TranslationTransform<double, 3>::New();
  itk::Vector<double, 3> offset;
  offset[0] = 2.0; // one voxel along x
  offset[1] = 0;
  offset[2] = 0;
  shift->Translate(offset);
  const auto out = ResampleImage(image, image, shift);
  FloatImage::IndexType index{ { 40, 50, 16 } };
  FloatImage::IndexType next{ { 41, 50, 16 } };
  EXPECT_NEAR(out->GetPixel(index), image->GetPixel(next), 1e-5);
  FloatImage::IndexType last{ { 89, 50, 16 } };
  EXPECT_EQ(out->GetPixel(last), 0.0f); // maps outside: default value
}

TEST(ResampleTest, LabelsKeepTheirValuesUnderRotation)
{
  const auto grid = SmallGrid();
  const auto reference = test::MakeGridImage(grid);
  auto labels = LabelImage::New();
  labels->CopyInformation(reference);
  labels->SetRegions(reference->GetLargestPossibleRegion());
  labels->Allocate(true);
  for (std::size_t i = 0; i < labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
    labels->GetBufferPointer()[i] = static_cast<LabelImage::PixelType>((i / 7) % 3 == 0 ? 0 : (i % 2 ? 3 : 1000));
  auto rotation = itk::VersorRigid3DTransform<double>::New();
  itk::Versor<double> versor;
  itk::Vector<double, 3> axis;
  axis[0] = 0.2;
  axis[1] = 0.3;
  axis[2] = 1.0;
  versor.Set(axis, 0.3);
  rotation->SetRotation(versor);
  test::HeadGrid fine = grid;
  fine.spacing = { 1.3, 1.3, 3.0 };
  fine.size = { 120, 140, 50 };
  const auto out = ResampleLabels(labels, test::MakeGridImage(fine), rotation);
  std::set<LabelImage::PixelType> values(out->GetBufferPointer(),
                                         out->GetBufferPointer() + out->GetBufferedRegion().GetNumberOfPixels());
  EXPECT_EQ(values, (std::set<LabelImage::PixelType>{ 0, 3, 1000 }));
}

TEST(ResampleTest, SeveralMasksInOnePassMatchOneByOne)
{
  const auto grid = SmallGrid();
  const auto reference = test::MakeGridImage(grid);
  std::vector<MaskImage::Pointer> masks;
  for (int k = 0; k < 3; ++k)
  {
    auto m = MaskImage::New();
    m->CopyInformation(reference);
    m->SetRegions(reference->GetLargestPossibleRegion());
    m->Allocate(true);
    for (std::size_t i = 0; i < m->GetBufferedRegion().GetNumberOfPixels(); ++i)
      m->GetBufferPointer()[i] = static_cast<unsigned char>((i * (k + 3) / 11) % (k + 2));
    masks.push_back(m);
  }
  auto rotation = itk::VersorRigid3DTransform<double>::New();
  itk::Versor<double> versor;
  itk::Vector<double, 3> axis;
  axis[0] = 0.1;
  axis[1] = -0.4;
  axis[2] = 1.0;
  versor.Set(axis, 0.25);
  rotation->SetRotation(versor);
  itk::Vector<double, 3> shift;
  shift[0] = 3.3;
  shift[1] = -7.1;
  shift[2] = 2.2;
  rotation->SetTranslation(shift);
  test::HeadGrid fine = grid;
  fine.spacing = { 1.3, 1.1, 3.0 };
  fine.size = { 120, 140, 50 };
  const auto target = test::MakeGridImage(fine);
  const auto together = ResampleMasks({ masks[0], masks[1], masks[2] }, target, rotation);
  ASSERT_EQ(together.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k)
  {
    const auto alone = ResampleMask(masks[k], target, rotation);
    std::size_t differing = 0, set = 0;
    for (std::size_t i = 0; i < alone->GetBufferedRegion().GetNumberOfPixels(); ++i)
    {
      differing += alone->GetBufferPointer()[i] != together[k]->GetBufferPointer()[i];
      set += alone->GetBufferPointer()[i] != 0;
    }
    EXPECT_EQ(differing, 0u) << "mask " << k;
    EXPECT_GT(set, 10000u);
  }
  // A mask on another grid is still resampled (one by one).
  const auto other = ResampleMasks({ masks[0], ResampleMask(masks[1], target, nullptr) }, reference, nullptr);
  ASSERT_EQ(other.size(), 2u);
  EXPECT_EQ(other[0]->GetBufferPointer()[1234], masks[0]->GetBufferPointer()[1234]);
}

TEST(ResampleTest, TransformLatticeMatchesExactResamplingThroughABSpline)
{
  // Atlas-like masks (a head's tissue classes) carried through affine + 10 mm B-spline onto a 0.45 x 0.45 x 5 mm grid.
  test::HeadGrid atlasGrid;
  atlasGrid.spacing = { 1.0, 1.0, 1.0 };
  atlasGrid.size = { 180, 210, 150 };
  atlasGrid.subSamples = { 1, 1, 1 };
  const auto head = test::MakeHead(atlasGrid, test::kT2, nullptr, 0.0);
  auto tissue = MaskImage::New();
  tissue->CopyInformation(head);
  tissue->SetRegions(head->GetLargestPossibleRegion());
  tissue->Allocate();
  for (std::size_t i = 0; i < head->GetBufferedRegion().GetNumberOfPixels(); ++i)
    tissue->GetBufferPointer()[i] = static_cast<unsigned char>(std::lround(head->GetBufferPointer()[i] * 10));

  test::HeadGrid clinical;
  clinical.spacing = { 0.45, 0.45, 5.0 };
  clinical.size = { 400, 460, 28 };
  const auto target = test::MakeGridImage(clinical);
  auto bspline = itk::BSplineTransform<double, 3, 3>::New();
  auto initializer = itk::BSplineTransformInitializer<itk::BSplineTransform<double, 3, 3>, FloatImage>::New();
  itk::BSplineTransform<double, 3, 3>::MeshSizeType mesh;
  mesh.Fill(18); // about 10 mm between control points
  initializer->SetTransform(bspline);
  initializer->SetImage(target);
  initializer->SetTransformDomainMeshSize(mesh);
  initializer->InitializeTransform();
  itk::BSplineTransform<double, 3, 3>::ParametersType parameters(bspline->GetNumberOfParameters());
  for (std::size_t i = 0; i < parameters.size(); ++i)
    parameters[i] = 3.0 * std::sin(0.37 * static_cast<double>(i)); // up to 3 mm per control point
  bspline->SetParameters(parameters);
  auto affine = itk::AffineTransform<double, 3>::New();
  affine->Scale(1.05);
  affine->Rotate3D(itk::Vector<double, 3>(1.0), 0.1);
  auto composite = itk::CompositeTransform<double, 3>::New();
  composite->AddTransform(affine);
  composite->AddTransform(bspline);

  const auto exact = ResampleMasks({ tissue }, target, composite);
  const auto lattice = ResampleMasks({ tissue }, target, composite, 2.0);
  std::size_t differing = 0, set = 0;
  for (std::size_t i = 0; i < exact[0]->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    differing += exact[0]->GetBufferPointer()[i] != lattice[0]->GetBufferPointer()[i];
    set += exact[0]->GetBufferPointer()[i] != 0;
  }
  EXPECT_GT(set, 1000000u);
  // A rougher warp than registrations give (neighbouring control points up to 6 mm apart): still < 0.3 % of voxels.
  EXPECT_LT(static_cast<double>(differing), 3e-3 * static_cast<double>(set)) << differing << " of " << set;
  // An affine alone is linear: the lattice is exact up to rounding.
  const auto affineExact = ResampleMasks({ tissue }, target, affine);
  const auto affineLattice = ResampleMasks({ tissue }, target, affine, 5.0);
  std::size_t affineDiffering = 0;
  for (std::size_t i = 0; i < affineExact[0]->GetBufferedRegion().GetNumberOfPixels(); ++i)
    affineDiffering += affineExact[0]->GetBufferPointer()[i] != affineLattice[0]->GetBufferPointer()[i];
  EXPECT_LT(affineDiffering, 10u);
  EXPECT_THROW(ResampleMasks({ tissue }, target, affine, -1.0), ConfigError);
}

TEST(ResampleTest, ResliceToIsotropicKeepsTheFieldOfView)
{
  test::HeadGrid grid;
  grid.spacing = { 0.45, 0.45, 5.0 };
  grid.size = { 40, 50, 6 };
  grid.offsetMm = { 3, -7, 11 };
  const auto image = test::MakeHead(grid, test::kT2);
  const auto iso = ResliceToIsotropic(image, 1.0);
  EXPECT_EQ(iso->GetSpacing()[0], 1.0);
  EXPECT_EQ(iso->GetSpacing()[2], 1.0);
  EXPECT_EQ(iso->GetLargestPossibleRegion().GetSize()[0], 18u); // round(40 * 0.45)
  EXPECT_EQ(iso->GetLargestPossibleRegion().GetSize()[2], 30u); // 6 * 5
  auto centre = [](const FloatImage * im)
  {
    itk::ContinuousIndex<double, 3> c;
    for (unsigned d = 0; d < 3; ++d)
      c[d] = (im->GetLargestPossibleRegion().GetSize()[d] - 1) / 2.0;
    itk::Point<double, 3> p;
    im->TransformContinuousIndexToPhysicalPoint(c, p);
    return p;
  };
  EXPECT_LT(centre(iso).EuclideanDistanceTo(centre(image)), 1e-9);

  const auto working = MakeWorkingGrid(image, 1.5);
  EXPECT_DOUBLE_EQ(working->GetSpacing()[0], 1.5);
  EXPECT_DOUBLE_EQ(working->GetSpacing()[2], 5.0); // the thick axis is never upsampled
}

TEST(ResampleTest, AntiAliasingSuppressesAliasingWhenDownsampling)
{
  test::HeadGrid grid;
  grid.spacing = { 0.5, 0.5, 5.0 };
  grid.size = { 200, 40, 4 };
  auto stripes = test::MakeGridImage(grid);
  itk::ImageRegionIteratorWithIndex<FloatImage> it(stripes, stripes->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it)
    it.Set(it.GetIndex()[0] % 3 == 0 ? 1.0f : 0.0f); // 1.5 mm period: beyond what a 2 mm grid can show
  itk::Vector<double, 3> spacing;
  spacing[0] = 2.0;
  spacing[1] = 2.0;
  spacing[2] = 5.0;
  auto variance = [](const FloatImage * im)
  {
    double s = 0, ss = 0;
    const std::size_t n = im->GetBufferedRegion().GetNumberOfPixels();
    for (std::size_t i = 0; i < n; ++i)
    {
      s += im->GetBufferPointer()[i];
      ss += im->GetBufferPointer()[i] * im->GetBufferPointer()[i];
    }
    return ss / n - (s / n) * (s / n);
  };
  ResampleParams plain;
  plain.antiAlias = false;
  const double aliased = variance(ResliceToSpacing(stripes, spacing, plain));
  const double filtered = variance(ResliceToSpacing(stripes, spacing));
  EXPECT_GT(aliased, 0.05);
  EXPECT_LT(filtered, 0.1 * aliased);
}

TEST(ResampleTest, ClampingRemovesBSplineOvershoot)
{
  test::HeadGrid grid;
  grid.spacing = { 1, 1, 1 };
  grid.size = { 20, 8, 8 };
  auto step = test::MakeGridImage(grid);
  itk::ImageRegionIteratorWithIndex<FloatImage> it(step, step->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it)
    it.Set(it.GetIndex()[0] < 10 ? 0.0f : 1.0f);
  auto shift = itk::TranslationTransform<double, 3>::New();
  itk::Vector<double, 3> offset;
  offset.Fill(0);
  offset[0] = 0.5;
  shift->Translate(offset);
  ResampleParams params;
  params.interpolation = InterpolationMode::BSpline;
  params.clampToInputRange = false;
  auto max = [](const FloatImage * im)
  {
    return *std::max_element(im->GetBufferPointer(),
                             im->GetBufferPointer() + im->GetBufferedRegion().GetNumberOfPixels());
  };
  EXPECT_GT(max(ResampleImage(step, step, shift, params)), 1.01f);
  params.clampToInputRange = true;
  EXPECT_LE(max(ResampleImage(step, step, shift, params)), 1.0f);
}

TEST(ResampleTest, RejectsBadParametersAndMissingImages)
{
  const auto image = test::MakeHead(SmallGrid(), test::kT2);
  auto expectReject = [&](auto change)
  {
    ResampleParams params;
    change(params);
    EXPECT_THROW(ValidateResampleParams(params), ConfigError);
    EXPECT_THROW(ResampleImage(image, image, nullptr, params), ConfigError);
  };
  expectReject([](auto & p) { p.bsplineOrder = 0; });
  expectReject([](auto & p) { p.bsplineOrder = 6; });
  expectReject([](auto & p) { p.sincRadius = 1; });
  expectReject([](auto & p) { p.sincRadius = 6; });
  expectReject([](auto & p) { p.defaultValue = std::nan(""); });
  EXPECT_THROW(ResliceToIsotropic(image, 0.0), ConfigError);
  EXPECT_THROW(ResliceToIsotropic(image, 60.0), ConfigError);
  EXPECT_THROW(MakeWorkingGrid(image, -1.0), ConfigError);
  itk::Vector<double, 3> bad;
  bad.Fill(1.0);
  bad[2] = 0.0;
  EXPECT_THROW(ResliceToSpacing(image, bad), ConfigError);
  EXPECT_THROW(ResampleImage(nullptr, image), InputError);
  EXPECT_THROW(ResampleImage(image, nullptr), InputError);
  EXPECT_THROW(ResampleLabels(nullptr, image), InputError);
  EXPECT_THROW(ResampleMask(nullptr, image), InputError);
}

} // namespace
} // namespace icanscan::filters
