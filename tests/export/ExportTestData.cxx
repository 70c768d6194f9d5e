#include "tests/export/ExportTestData.h"

#include "itkImageFileReader.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace icanscan::test
{
namespace fs = std::filesystem;

fs::path E2eDir()
{
  const char * dir = std::getenv("ICANSCAN_E2E_DIR");
  return dir ? fs::path(dir) : fs::path();
}

bool UnderCi()
{
  const char * ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

fs::path CaseRun(const std::string & name)
{
  return E2eDir() / name / "run";
}

fs::path CaseStudy(const std::string & name)
{
  return E2eDir() / name / "phantom" / "dicom";
}

fs::path NewTempFolder(const std::string & name)
{
  static int counter = 0;
  const fs::path folder = fs::temp_directory_path() / ("icanscan-export-" + name + "-" + std::to_string(::getpid()) +
                                                       "-" + std::to_string(++counter));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

void RemoveFolder(const fs::path & folder)
{
  std::error_code ec;
  if (!std::getenv("ICANSCAN_KEEP_TEMP"))
    fs::remove_all(folder, ec);
}

fs::path CopyRun(const std::string & name, const fs::path & destination, bool withDicom)
{
  const fs::path source = CaseRun(name);
  fs::create_directories(destination);
  for (const auto & entry : fs::directory_iterator(source))
  {
    const auto leaf = entry.path().filename().string();
    if (leaf == "dicom" && !withDicom)
      continue;
    fs::copy(entry.path(), destination / leaf, fs::copy_options::recursive);
  }
  return destination;
}

nlohmann::json ReadJson(const fs::path & file)
{
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

std::string ReadAll(const fs::path & file)
{
  if (file.extension() == ".gz")
  {
    gzFile in = gzopen(file.c_str(), "rb");
    std::string text;
    char buffer[65536];
    for (int n; in && (n = gzread(in, buffer, sizeof(buffer))) > 0;)
      text.append(buffer, static_cast<std::size_t>(n));
    if (in)
      gzclose(in);
    return text;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

filters::MaskImage::Pointer ReadMask(const fs::path & file)
{
  auto reader = itk::ImageFileReader<filters::MaskImage>::New();
  reader->SetFileName(file.string());
  reader->Update();
  return reader->GetOutput();
}

std::size_t CountDifferent(const filters::MaskImage * a, const filters::MaskImage * b)
{
  const std::size_t n = a->GetLargestPossibleRegion().GetNumberOfPixels();
  if (n != b->GetLargestPossibleRegion().GetNumberOfPixels())
    return n + 1;
  std::size_t differ = 0;
  for (std::size_t i = 0; i < n; ++i)
    differ += a->GetBufferPointer()[i] != b->GetBufferPointer()[i];
  return differ;
}

double Dice(const filters::MaskImage * a, const filters::MaskImage * b)
{
  std::size_t both = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
  {
    const bool x = a->GetBufferPointer()[i] != 0, y = b->GetBufferPointer()[i] != 0;
    both += x && y;
    na += x;
    nb += y;
  }
  return na + nb ? 2.0 * static_cast<double>(both) / static_cast<double>(na + nb) : 1.0;
}

std::vector<fs::path> FilesUnder(const fs::path & folder)
{
  std::vector<fs::path> files;
  for (const auto & entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file())
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace icanscan::test
