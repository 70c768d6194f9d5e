#include "tests/hostile/MalformedNifti.h"

#include "tests/hostile/MalformedDicom.h"

#include "itkImage.h"
#include "itkImageFileWriter.h"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <stdexcept>

namespace icanscan::test
{
namespace
{
bool Gzipped(const std::filesystem::path & file)
{
  const std::string name = file.filename().string();
  return name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0;
}
} // namespace

void WriteSmallNifti(const std::filesystem::path & file, const std::string & sidecarJson)
{
  using Image = itk::Image<short, 3>;
  auto image = Image::New();
  Image::SizeType size{ { 16, 16, 6 } };
  image->SetRegions(size);
  const double spacing[3] = { 1.0, 1.0, 4.0 };
  image->SetSpacing(spacing);
  const double origin[3] = { -8.0, -8.0, -12.0 };
  image->SetOrigin(origin);
  image->Allocate();
  short * p = image->GetBufferPointer();
  for (std::size_t i = 0; i < image->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    p[i] = static_cast<short>(100 + (i * 7) % 300);
  auto writer = itk::ImageFileWriter<Image>::New();
  writer->SetFileName(file.string());
  writer->SetInput(image);
  writer->Update();
  if (!sidecarJson.empty())
  {
    std::string stem = file.string();
    stem = stem.substr(0, stem.size() - (Gzipped(file) ? 7 : 4));
    std::ofstream(stem + ".json") << sidecarJson;
  }
}

std::vector<std::uint8_t> ReadNiftiBytes(const std::filesystem::path & file)
{
  gzFile in = gzopen(file.c_str(), "rb");
  if (in == nullptr)
    throw std::runtime_error("corpus: cannot open " + file.string());
  std::vector<std::uint8_t> bytes;
  std::uint8_t buffer[65536];
  int n = 0;
  while ((n = gzread(in, buffer, sizeof(buffer))) > 0)
    bytes.insert(bytes.end(), buffer, buffer + n);
  gzclose(in);
  return bytes;
}

void WriteNiftiBytes(const std::filesystem::path & file, const std::vector<std::uint8_t> & bytes)
{
  if (!Gzipped(file))
  {
    WriteBytes(file, bytes);
    return;
  }
  gzFile out = gzopen(file.c_str(), "wb");
  if (out == nullptr ||
      gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size())) != static_cast<int>(bytes.size()))
    throw std::runtime_error("corpus: cannot write " + file.string());
  gzclose(out);
}

void SetNiftiFloat(const std::filesystem::path & file, std::size_t offset, float value)
{
  auto bytes = ReadNiftiBytes(file);
  std::memcpy(bytes.data() + offset, &value, sizeof(value));
  WriteNiftiBytes(file, bytes);
}

void SetNiftiShort(const std::filesystem::path & file, std::size_t offset, std::int16_t value)
{
  auto bytes = ReadNiftiBytes(file);
  std::memcpy(bytes.data() + offset, &value, sizeof(value));
  WriteNiftiBytes(file, bytes);
}

void TruncateFileTo(const std::filesystem::path & file, double fraction)
{
  const auto size = std::filesystem::file_size(file);
  std::filesystem::resize_file(file, static_cast<std::uintmax_t>(static_cast<double>(size) * fraction));
}

} // namespace icanscan::test
