#include "pipeline/export/ReportKeyImages.h"

#include "core/Error.h"
#include "pipeline/report/OutputFiles.h"

#include "itkImageFileReader.h"
#include "itkPNGImageIO.h"
#include "itkRGBPixel.h"

#include <fstream>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
using RgbImage2 = itk::Image<itk::RGBPixel<unsigned char>, 2>;

std::string Between(const std::string & text, const std::string & open, const std::string & close)
{
  const auto begin = text.find(open);
  if (begin == std::string::npos)
    return {};
  const auto end = text.find(close, begin + open.size());
  return end == std::string::npos ? std::string() : text.substr(begin + open.size(), end - begin - open.size());
}

std::string Unescape(std::string s)
{
  const std::pair<const char *, const char *> entities[] = {
    { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" }, { "&amp;", "&" }
  };
  for (const auto & [entity, character] : entities)
    for (auto at = s.find(entity); at != std::string::npos; at = s.find(entity, at + 1))
      s.replace(at, std::string(entity).size(), character);
  return s;
}

/** PatientOrientation (row direction, column direction) of a key image from its caption's plane and convention. */
std::string Orientation(const std::string & caption)
{
  const bool neurological = caption.find("neurological") != std::string::npos;
  if (caption.rfind("axial", 0) == 0)
    return neurological ? "R\\P" : "L\\P";
  if (caption.rfind("coronal", 0) == 0)
    return neurological ? "R\\F" : "L\\F";
  if (caption.rfind("sagittal", 0) == 0)
    return "P\\F";
  return {};
}

dicom::RgbFrame DecodePng(const std::string & png, const std::filesystem::path & reportHtml, std::size_t index)
{
  std::error_code ec;
  const auto file = TemporarySibling(std::filesystem::temp_directory_path(ec) / "icanscan-keyimage-read.png");
  const std::string what = reportHtml.string() + ": key image " + std::to_string(index + 1);
  {
    std::ofstream out(file, std::ios::binary);
    out.write(png.data(), static_cast<std::streamsize>(png.size()));
    if (!out)
      throw OutputError(what + ": cannot write the temporary file " + file.string());
  }
  dicom::RgbFrame frame;
  try
  {
    auto reader = itk::ImageFileReader<RgbImage2>::New();
    reader->SetImageIO(itk::PNGImageIO::New());
    reader->SetFileName(file.string());
    reader->Update();
    const auto * image = reader->GetOutput();
    const auto size = image->GetLargestPossibleRegion().GetSize();
    frame.columns = static_cast<unsigned>(size[0]);
    frame.rows = static_cast<unsigned>(size[1]);
    frame.rgb.resize(static_cast<std::size_t>(frame.columns) * frame.rows * 3);
    const auto * pixels = image->GetBufferPointer();
    for (std::size_t i = 0; i < static_cast<std::size_t>(frame.columns) * frame.rows; ++i)
      for (unsigned c = 0; c < 3; ++c)
        frame.rgb[3 * i + c] = pixels[i][c];
  }
  catch (const itk::ExceptionObject & e)
  {
    std::filesystem::remove(file, ec);
    throw InputError(what + " is not a readable PNG: " + e.GetDescription());
  }
  std::filesystem::remove(file, ec);
  return frame;
}
} // namespace

std::string Base64Decode(const std::string & text)
{
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text)
  {
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '+')
      value = 62;
    else if (c == '/')
      value = 63;
    else if (c == '=')
      break;
    else
      throw InputError(std::string("base64: unexpected character '") + c + "'");
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8)
    {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::vector<dicom::RgbFrame> ReadReportKeyImages(const std::filesystem::path & reportHtml)
{
  std::ifstream in(reportHtml, std::ios::binary);
  if (!in)
    throw InputError(reportHtml.string() + ": cannot be read (the run's review report)", ExitCode::CorruptInput);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string html = buffer.str();

  std::vector<dicom::RgbFrame> frames;
  const std::string open = "<figure class=\"key\">", close = "</figure>";
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + open.size()))
  {
    const auto end = html.find(close, at);
    if (end == std::string::npos)
      throw InputError(reportHtml.string() + ": a key-image figure is not closed", ExitCode::CorruptInput);
    const std::string figure = html.substr(at, end - at);
    const std::string data = Between(figure, "src=\"data:image/png;base64,", "\"");
    if (data.empty())
      continue; // "image not available"
    dicom::RgbFrame frame;
    try
    {
      frame = DecodePng(Base64Decode(data), reportHtml, frames.size());
    }
    catch (const InputError & e)
    {
      throw InputError(reportHtml.string() + ": key image " + std::to_string(frames.size() + 1) + ": " + e.what(),
                       ExitCode::CorruptInput);
    }
    frame.title = Unescape(Between(figure, "<strong>", "</strong>"));
    frame.patientOrientation = Orientation(Between(figure, "<span class=\"muted\">", "</span>"));
    frames.push_back(std::move(frame));
  }
  return frames;
}

} // namespace icanscan::pipeline
