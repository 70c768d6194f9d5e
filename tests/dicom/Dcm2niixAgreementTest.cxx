// Every real DICOM set of ../shared/testdata: each series dcm2niix converts must be one of our volume sets, with the
// same number of volumes and the same b-values. dcm2niix is run here on In/ (several sets have no complete Ref).

#include "NiftiCompare.h"

#include "dicom/StudyIndex.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "itkImageIOFactory.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;

/** One NIfTI file dcm2niix wrote. */
struct Dcm2niixSeries
{
  fs::path nifti;
  int seriesNumber = 0;
  unsigned volumes = 1;
  std::vector<double> bValues; //!< from its .bval; empty without one
  bool asRecorded = false;     //!< the "_ADC" file: a diffusion series as recorded, isotropic image included
};

std::vector<Dcm2niixSeries> ReadDcm2niixFolder(const fs::path & folder)
{
  std::vector<Dcm2niixSeries> all;
  for (const auto & entry : fs::directory_iterator(folder))
  {
    if (entry.path().extension() != ".nii")
      continue;
    Dcm2niixSeries s;
    s.nifti = entry.path();
    std::string stem = entry.path().stem().string();
    s.asRecorded = stem.size() > 4 && stem.substr(stem.size() - 4) == "_ADC";
    const fs::path base = folder / (s.asRecorded ? stem.substr(0, stem.size() - 4) : stem);
    std::ifstream json(base.string() + ".json");
    s.seriesNumber = nlohmann::json::parse(json, nullptr, false).value("SeriesNumber", 0);
    auto io = itk::ImageIOFactory::CreateImageIO(s.nifti.c_str(), itk::ImageIOFactory::IOFileModeEnum::ReadMode);
    io->SetFileName(s.nifti.string());
    io->ReadImageInformation();
    s.volumes = io->GetNumberOfDimensions() > 3 ? static_cast<unsigned>(io->GetDimensions(3)) : 1u;
    std::ifstream bval(base.string() + ".bval");
    for (double b = 0; !s.asRecorded && bval >> b;)
      s.bValues.push_back(b);
    all.push_back(s);
  }
  return all;
}

/** Our b-values without the scanner's isotropic images (b > 50 and no direction), which dcm2niix leaves out of a
 * directional series' .bval (it keeps them in the "_ADC" file). A series of isotropic images only keeps them. */
std::vector<double> DirectionalBValues(const dicom::VolumeSet & set)
{
  std::vector<double> kept;
  bool anyDirectional = false;
  for (const auto & d : set.diffusion)
    anyDirectional = anyDirectional || d.hasGradient;
  for (const auto & d : set.diffusion)
    if (!anyDirectional || d.hasGradient || d.bValue < 50)
      kept.push_back(d.bValue);
  return kept;
}

bool SameBValues(const std::vector<double> & ours, const std::vector<double> & theirs)
{
  if (ours.size() != theirs.size())
    return false;
  for (std::size_t i = 0; i < ours.size(); ++i)
    if (std::abs(ours[i] - theirs[i]) > std::max(0.01, 5e-5 * theirs[i])) // dcm2niix prints 6 digits
      return false;
  return true;
}

std::string Text(const std::vector<double> & values)
{
  std::ostringstream out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out << (i ? " " : "") << values[i];
  return out.str();
}

/** Whether one of our sets of the series is what dcm2niix wrote; `how` says which and how it compares. */
bool Agrees(const dicom::StudyIndex & index, const Dcm2niixSeries & theirs, std::string & how)
{
  for (const auto & set : index.volumeSets)
  {
    if (set.Header().seriesNumber != theirs.seriesNumber || set.verdict == dicom::Verdict::Rejected)
      continue;
    const std::vector<double> ours = theirs.asRecorded ? set.BValues() : DirectionalBValues(set);
    const unsigned volumes = theirs.bValues.empty() ? set.volumes : static_cast<unsigned>(ours.size());
    how = "set " + set.id + ": " + std::to_string(set.volumes) + " volumes, b " + Text(set.BValues());
    if (volumes == theirs.volumes && (theirs.bValues.empty() || SameBValues(ours, theirs.bValues)))
      return true;
  }
  return false;
}

TEST(Dcm2niixAgreement, EveryRealSetHasTheSameVolumesAndBValues)
{
  const fs::path root = TestDataRoot();
  if (root.empty())
    GTEST_SKIP() << "real test data absent (set ICANSCAN_TESTDATA or -DICANSCAN_TESTDATA=...): skipped";
  if (std::system("command -v dcm2niix > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "dcm2niix not installed: skipped";
  std::size_t compared = 0, sets = 0;
  for (const auto & entry : fs::directory_iterator(root / "dicom"))
  {
    if (!fs::is_directory(entry.path() / "In"))
      continue;
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    const fs::path out = fs::temp_directory_path() / ("icanscan-dcm2niix-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(out);
    fs::create_directories(out);
    const std::string command =
      "dcm2niix -b y -z n -f %p_%s -o '" + out.string() + "' '" + (entry.path() / "In").string() + "' > /dev/null 2>&1";
    std::system(command.c_str()); // exits non-zero when it skips a file it cannot decode (JPEG-LS in dcm_qa_ts)
    const auto index = dicom::BuildStudyIndex(entry.path() / "In");
    ++sets;
    const auto theirs = ReadDcm2niixFolder(out);
    EXPECT_FALSE(theirs.empty()) << command;
    for (const auto & series : theirs)
    {
      std::string how = "no set of series " + std::to_string(series.seriesNumber);
      EXPECT_TRUE(Agrees(index, series, how)) << series.nifti.filename() << ": dcm2niix " << series.volumes
                                              << " volumes, b " << Text(series.bValues) << "; ours " << how;
      std::cout << "[ dcm2niix ] " << name << " " << series.nifti.filename().string() << ": " << series.volumes
                << " volumes" << (series.bValues.empty() ? "" : ", b " + Text(series.bValues)) << " | ours " << how
                << "\n";
      ++compared;
    }
    fs::remove_all(out);
  }
  EXPECT_GE(sets, 7u) << "the seven dcm_qa sets of the test data";
  EXPECT_GE(compared, 19u) << "dcm2niix (v1.0.20220720) converts 19 series of them";
}

} // namespace
} // namespace icanscan::test
