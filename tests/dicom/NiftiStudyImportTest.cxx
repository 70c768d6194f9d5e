// A folder of NIfTI files (dcm2niix/BIDS style) read as a study: real dcm2niix output against the DICOM it came
// from, and synthetic files for orientation, sidecars, diffusion and bad input.

#include "DicomFixtures.h"
#include "NiftiCompare.h"

#include "dicom/StudyIndex.h"
#include "dicom/VolumeReader.h"
#include "pipeline/input/NiftiStudyImport.h"

#include <gtest/gtest.h>

#include "itkImageFileWriter.h"
#include "itkImageRegionIteratorWithIndex.h"

#include <cmath>
#include <fstream>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;
using Image3 = itk::Image<float, 3>;
using Image4 = itk::Image<float, 4>;

/** A 3D volume whose voxel value encodes its index, with the given LPS direction (possibly left-handed). */
Image3::Pointer IndexCodedVolume(const Image3::DirectionType & direction)
{
  auto image = Image3::New();
  image->SetRegions(Image3::SizeType{ { 12, 10, 6 } });
  image->SetSpacing(Image3::SpacingType(std::array<double, 3>{ 1.5, 1.2, 5.0 }.data()));
  Image3::PointType origin;
  origin[0] = -20.0;
  origin[1] = 15.0;
  origin[2] = 7.5;
  image->SetOrigin(origin);
  image->SetDirection(direction);
  image->Allocate();
  for (itk::ImageRegionIteratorWithIndex<Image3> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto i = it.GetIndex();
    it.Set(static_cast<float>(1 + i[0] + 20 * i[1] + 400 * i[2]));
  }
  return image;
}

template<typename TImage>
void WriteNiftiFile(const TImage * image, const fs::path & file)
{
  auto writer = itk::ImageFileWriter<TImage>::New();
  writer->SetInput(image);
  writer->SetFileName(file.string());
  writer->Update();
}

void WriteText(const fs::path & file, const std::string & text)
{
  std::ofstream(file) << text;
}

const dicom::VolumeSet & OnlySet(const dicom::StudyIndex & index)
{
  EXPECT_EQ(index.volumeSets.size(), 1u);
  return index.volumeSets.front();
}

class NiftiStudyImport : public ::testing::Test
{
protected:
  void SetUp() override { m_Folder = MakeTempDir("nifti study"); }
  void TearDown() override { RemoveTempDir(m_Folder); }
  fs::path m_Folder;
};

TEST_F(NiftiStudyImport, LeftHandedVolumeKeepsEveryVoxelInPlace)
{
  Image3::DirectionType direction; // axial, rows flipped: left-handed in LPS (as dcm2niix often stores)
  direction.SetIdentity();
  direction(1, 1) = -1.0;
  const auto original = IndexCodedVolume(direction);
  WriteNiftiFile(original.GetPointer(), m_Folder / "sub-01_FLAIR.nii.gz");

  const pipeline::ImportedNiftiStudy import(m_Folder);
  ASSERT_EQ(import.Series().size(), 1u);
  EXPECT_FALSE(import.Series()[0].notes.empty()); // the flip and the missing sidecar are said
  const auto index = dicom::BuildStudyIndex(import.DicomFolder());
  const auto & set = OnlySet(index);
  EXPECT_EQ(set.role, dicom::SeriesRole::FLAIR);
  EXPECT_NE(set.roleReasons.front().find("description"), std::string::npos) << set.roleReasons.front();
  const auto imported = dicom::ReadVolumes(set).front();
  std::size_t checked = 0;
  for (itk::ImageRegionIteratorWithIndex<Image3> it(original, original->GetLargestPossibleRegion()); !it.IsAtEnd();
       ++it)
  {
    Image3::PointType p;
    original->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    Image3::IndexType j;
    ASSERT_TRUE(imported->TransformPhysicalPointToIndex(p, j));
    ASSERT_NEAR(imported->GetPixel(j), it.Get(), 0.1) << "voxel " << it.GetIndex();
    ++checked;
  }
  EXPECT_EQ(checked, 12u * 10u * 6u);
}

TEST_F(NiftiStudyImport, SidecarTagsDecideTheRoleAndSeriesNumbersStayUnique)
{
  Image3::DirectionType identity;
  identity.SetIdentity();
  const auto image = IndexCodedVolume(identity);
  WriteNiftiFile(image.GetPointer(), m_Folder / "a.nii");
  WriteText(m_Folder / "a.json", R"({"SeriesNumber": 7, "SeriesDescription": "ax 5mm", "ScanningSequence": "SE_IR",
    "InversionTime": 2.5, "RepetitionTime": 9.0, "EchoTime": 0.1})");
  WriteNiftiFile(image.GetPointer(), m_Folder / "b.nii");
  WriteText(m_Folder / "b.json", R"({"SeriesNumber": 7, "SeriesDescription": "map",
    "ImageType": ["DERIVED", "PRIMARY", "DIFFUSION", "ADC"]})");

  const pipeline::ImportedNiftiStudy import(m_Folder);
  ASSERT_EQ(import.Series().size(), 2u);
  EXPECT_EQ(import.SeriesNumberFor("a"), 7);
  ASSERT_TRUE(import.SeriesNumberFor("b.nii"));
  EXPECT_NE(*import.SeriesNumberFor("b.nii"), 7);
  EXPECT_FALSE(import.SeriesNumberFor("c"));
  const auto index = dicom::BuildStudyIndex(import.DicomFolder());
  ASSERT_EQ(index.volumeSets.size(), 2u);
  for (const auto & set : index.volumeSets)
  {
    const bool isA = set.Header().seriesNumber == 7;
    EXPECT_EQ(set.role, isA ? dicom::SeriesRole::FLAIR : dicom::SeriesRole::ADC) << set.roleReasons.front();
    if (isA)
    {
      EXPECT_EQ(set.Header().seriesDescription, "ax 5mm");
    }
  }
}

TEST_F(NiftiStudyImport, DiffusionSeriesGetsBValuesAndPatientGradients)
{
  Image3::DirectionType identity; // LPS identity: det > 0, so FSL flips x
  identity.SetIdentity();
  const auto b0 = IndexCodedVolume(identity);
  auto dwi = Image4::New();
  dwi->SetRegions(Image4::SizeType{ { 12, 10, 6, 3 } });
  Image4::SpacingType spacing;
  spacing.Fill(1.0);
  for (unsigned d = 0; d < 3; ++d)
    spacing[d] = b0->GetSpacing()[d];
  dwi->SetSpacing(spacing);
  dwi->Allocate();
  dwi->FillBuffer(100.0f);
  WriteNiftiFile(dwi.GetPointer(), m_Folder / "dwi.nii.gz");
  WriteText(m_Folder / "dwi.bval", "0 1000 1000\n");
  WriteText(m_Folder / "dwi.bvec", "0 1 0\n0 0 0\n0 0 1\n");

  const pipeline::ImportedNiftiStudy import(m_Folder);
  const auto index = dicom::BuildStudyIndex(import.DicomFolder());
  const auto & set = OnlySet(index);
  EXPECT_EQ(set.role, dicom::SeriesRole::DWI);
  ASSERT_EQ(set.diffusion.size(), 3u);
  EXPECT_EQ(set.diffusion[0].bValue, 0.0);
  EXPECT_FALSE(set.diffusion[0].hasGradient);
  ASSERT_TRUE(set.diffusion[1].hasGradient);
  EXPECT_NEAR(set.diffusion[1].gradient[0], -1.0, 1e-6); // image x, flipped by the FSL convention
  EXPECT_NEAR(set.diffusion[2].gradient[2], 1.0, 1e-6);
}

TEST_F(NiftiStudyImport, UnusableFilesAreSkippedWithTheirReason)
{
  Image3::DirectionType identity;
  identity.SetIdentity();
  const auto image = IndexCodedVolume(identity);
  WriteNiftiFile(image.GetPointer(), m_Folder / "badjson.nii");
  WriteText(m_Folder / "badjson.json", "{ not json");
  WriteNiftiFile(image.GetPointer(), m_Folder / "badbval.nii");
  WriteText(m_Folder / "badbval.bval", "0 1000\n");
  WriteText(m_Folder / "garbage.nii.gz", "this is not a NIfTI file");
  auto flat = itk::Image<float, 2>::New();
  flat->SetRegions(itk::Image<float, 2>::SizeType{ { 8, 8 } });
  flat->Allocate();
  flat->FillBuffer(1.0f);
  WriteNiftiFile(flat.GetPointer(), m_Folder / "slice2d.nii");

  const pipeline::ImportedNiftiStudy import(m_Folder);
  EXPECT_TRUE(import.Series().empty());
  ASSERT_EQ(import.Skipped().size(), 4u);
  const auto reasonFor = [&](const std::string & name)
  {
    for (const auto & s : import.Skipped())
      if (fs::path(s.path).filename() == name)
        return s.reason;
    return std::string("(not skipped)");
  };
  EXPECT_NE(reasonFor("badjson.nii").find("JSON"), std::string::npos);
  EXPECT_NE(reasonFor("badbval.nii").find("2 b-values for 1 volumes"), std::string::npos);
  EXPECT_NE(reasonFor("garbage.nii.gz"), "(not skipped)");
  EXPECT_NE(reasonFor("slice2d.nii").find("2D"), std::string::npos);
  EXPECT_TRUE(pipeline::HoldsNiftiFiles(m_Folder));
  EXPECT_FALSE(pipeline::HoldsNiftiFiles(m_Folder / "badjson.json"));
}

TEST(NiftiStudyImportReal, Dcm2niixOutputMatchesTheDicomItCameFrom)
{
  const fs::path root = TestDataRoot();
  if (root.empty())
    GTEST_SKIP() << "real test data not found (set ICANSCAN_TESTDATA)";
  const fs::path set = root / "dicom" / "dcm_qa_ge";
  const pipeline::ImportedNiftiStudy import(set / "Ref");
  ASSERT_EQ(import.Series().size(), 1u);
  const auto fromNifti = dicom::BuildStudyIndex(import.DicomFolder());
  const auto fromDicom = dicom::BuildStudyIndex(set / "In");
  const auto & n = OnlySet(fromNifti);
  const auto & d = OnlySet(fromDicom);
  EXPECT_EQ(n.role, dicom::SeriesRole::DWI);
  EXPECT_EQ(n.Header().seriesDescription, d.Header().seriesDescription);
  ASSERT_EQ(n.volumes, d.volumes);
  ASSERT_EQ(n.slices, d.slices);
  for (int k = 0; k < 3; ++k)
  {
    EXPECT_NEAR(n.origin[k], d.origin[k], 0.01) << "origin " << k;
    EXPECT_NEAR(n.spacing[k], d.spacing[k], 0.001) << "spacing " << k;
  }
  for (int k = 0; k < 9; ++k)
    EXPECT_NEAR(n.direction[k], d.direction[k], 1e-4) << "direction " << k;
  ASSERT_EQ(n.diffusion.size(), d.diffusion.size());
  for (std::size_t v = 0; v < d.diffusion.size(); ++v)
  {
    EXPECT_EQ(n.diffusion[v].bValue, d.diffusion[v].bValue);
    EXPECT_EQ(n.diffusion[v].hasGradient, d.diffusion[v].hasGradient);
    for (int k = 0; k < 3; ++k)
      EXPECT_NEAR(n.diffusion[v].gradient[k], d.diffusion[v].gradient[k], 1e-3) << "volume " << v << " axis " << k;
  }
  const auto nv = dicom::ReadVolumes(n);
  const auto dv = dicom::ReadVolumes(d);
  for (std::size_t v = 0; v < dv.size(); ++v)
  {
    EXPECT_EQ(CompareGrids(nv[v], dv[v], 0.01), "");
    EXPECT_LE(MaxAbsDifference(nv[v], dv[v]), 0.5 + 1e-4 * MaxAbs(dv[v])) << "volume " << v;
  }
}

} // namespace
} // namespace icanscan::test
