#include "dicom/DiffusionTags.h"

#include "dicom/DcmtkAttributes.h"

#include "dcmtk/dcmdata/dcdeftag.h"

#include <cmath>
#include <cstdlib>

namespace icanscan::dicom
{
namespace
{
using detail::GetNumber;
using detail::GetNumbers;

const DcmTagKey kSiemensBValue(0x0019, 0x100c);
const DcmTagKey kSiemensGradient(0x0019, 0x100e);
const DcmTagKey kGeBValue(0x0043, 0x1039);
const DcmTagKey kGeGradientX(0x0019, 0x10bb);
const DcmTagKey kGeGradientY(0x0019, 0x10bc);
const DcmTagKey kGeGradientZ(0x0019, 0x10bd);
const DcmTagKey kPhilipsBValue(0x2001, 0x1003);
const DcmTagKey kPhilipsGradientRL(0x2005, 0x10b0);
const DcmTagKey kPhilipsGradientAP(0x2005, 0x10b1);
const DcmTagKey kPhilipsGradientFH(0x2005, 0x10b2);
const DcmTagKey kUihBValue(0x0065, 0x1009);
const DcmTagKey kUihGradient(0x0065, 0x1037);

bool ManufacturerIs(const FileHeader & file, const char * name)
{
  std::string upper = file.manufacturer;
  for (auto & c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper.find(name) != std::string::npos;
}

/** Keeps unit vectors; a zero vector (b0 or isotropic image) means "no direction". */
std::optional<std::array<double, 3>> Normalised(const std::array<double, 3> & v)
{
  const double norm = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (!(norm > 1e-6) || !std::isfinite(norm))
  {
    return std::nullopt;
  }
  return std::array<double, 3>{ v[0] / norm, v[1] / norm, v[2] / norm };
}

std::optional<std::array<double, 3>> ReadVector3(DcmItem & item,
                                                 const DcmTagKey & x,
                                                 const DcmTagKey & y,
                                                 const DcmTagKey & z,
                                                 unsigned binarySize)
{
  const auto vx = GetNumbers(item, x, binarySize);
  const auto vy = GetNumbers(item, y, binarySize);
  const auto vz = GetNumbers(item, z, binarySize);
  if (vx.empty() || vy.empty() || vz.empty())
  {
    return std::nullopt;
  }
  return Normalised({ vx[0], vy[0], vz[0] });
}

/** Canon writes the direction as text in ImageComments, e.g. "b=1000(0.445,0.000,0.895)" (dcm2niix issues 388 and
 * 422); nullopt when the comment does not have that form or the vector is zero (b0, isotropic image). */
std::optional<std::array<double, 3>> CanonCommentGradient(const std::string & comment)
{
  const auto open = comment.find('(');
  const auto close = comment.find(')', open == std::string::npos ? 0 : open);
  if (comment.rfind("b=", 0) != 0 || open == std::string::npos || close == std::string::npos)
    return std::nullopt;
  std::array<double, 3> v{};
  const char * p = comment.c_str() + open + 1;
  for (int a = 0; a < 3; ++a)
  {
    char * end = nullptr;
    v[a] = std::strtod(p, &end);
    if (end == p || (a < 2 && *end != ','))
      return std::nullopt;
    p = end + (a < 2 ? 1 : 0);
  }
  return Normalised(v);
}

/** GE stores the gradient in the image frame with both in-plane axes reversed: -row, -column, +slice normal (checked
 * against dcm2niix on the dcm_qa_ge set); rotate it into LPS. */
std::optional<std::array<double, 3>> GeImageFrameToPatient(const std::array<double, 3> & g, const FrameHeader & frame)
{
  if (!frame.orientation)
  {
    return std::nullopt;
  }
  const auto & o = *frame.orientation;
  const std::array<double, 3> n{ o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3] };
  std::array<double, 3> v{};
  for (int a = 0; a < 3; ++a)
  {
    v[a] = -g[0] * o[a] - g[1] * o[3 + a] + g[2] * n[a];
  }
  return Normalised(v);
}
} // namespace

void ReadStandardDiffusion(DcmItem & item, FrameHeader & frame)
{
  if (auto b = GetNumber(item, DCM_DiffusionBValue))
  {
    frame.bValue = *b;
    frame.diffusionSource = "(0018,9087)";
  }
  DcmItem * directionItem = detail::FirstSequenceItem(item, DCM_DiffusionGradientDirectionSequence);
  DcmItem & source = directionItem != nullptr ? *directionItem : item;
  if (auto g = detail::GetVector<3>(source, DCM_DiffusionGradientOrientation))
  {
    frame.gradient = Normalised(*g);
  }
}

void ReadDiffusion(DcmItem & dataset, const FileHeader & file, FrameHeader & frame)
{
  ReadStandardDiffusion(dataset, frame);
  if (frame.bValue && (frame.gradient || *frame.bValue < 1.0))
  {
    return;
  }
  if (ManufacturerIs(file, "SIEMENS"))
  {
    if (auto b = GetNumber(dataset, kSiemensBValue))
    {
      frame.bValue = *b;
      frame.diffusionSource = "Siemens (0019,100C)";
    }
    if (auto g = detail::GetVector<3>(dataset, kSiemensGradient))
    {
      frame.gradient = Normalised(*g);
    }
    else if (auto raw = GetNumbers(dataset, kSiemensGradient, 8); raw.size() == 3)
    {
      frame.gradient = Normalised({ raw[0], raw[1], raw[2] });
    }
  }
  else if (ManufacturerIs(file, "GE"))
  {
    if (!frame.bValue)
    {
      if (auto b = GetNumber(dataset, kGeBValue))
      {
        // GE may add 1e9 (or multiples) to flag the b-value; the b-value is the remainder.
        frame.bValue = std::fmod(*b, 1.0e9);
        frame.diffusionSource = "GE (0043,1039)";
      }
    }
    if (auto g = ReadVector3(dataset, kGeGradientX, kGeGradientY, kGeGradientZ, 0))
    {
      frame.gradient = GeImageFrameToPatient(*g, frame);
    }
  }
  else if (ManufacturerIs(file, "UIH"))
  {
    if (!frame.bValue)
    {
      if (auto b = GetNumbers(dataset, kUihBValue, 8); !b.empty())
      {
        frame.bValue = b[0];
        frame.diffusionSource = "UIH (0065,1009)";
      }
    }
    if (auto g = GetNumbers(dataset, kUihGradient, 8); g.size() == 3)
      frame.gradient = Normalised({ g[0], g[1], g[2] }); // patient LPS, as (0018,9089) (checked against dcm2niix)
  }
  else if (ManufacturerIs(file, "CANON") || ManufacturerIs(file, "TOSHIBA"))
  {
    // b from (0018,9087) above; newer software leaves out (0018,9089) and states the direction only in a comment. Its
    // frame is unverified (no public Canon set here): the pipeline relies on it only to tell directional images
    // from the isotropic one.
    if (frame.bValue && !frame.gradient)
      frame.gradient = CanonCommentGradient(detail::GetString(dataset, DCM_ImageComments));
  }
  else if (ManufacturerIs(file, "PHILIPS"))
  {
    if (!frame.bValue)
    {
      if (auto b = GetNumbers(dataset, kPhilipsBValue, 4); !b.empty())
      {
        frame.bValue = b[0];
        frame.diffusionSource = "Philips (2001,1003)";
      }
    }
    if (auto g = ReadVector3(dataset, kPhilipsGradientRL, kPhilipsGradientAP, kPhilipsGradientFH, 4))
    {
      frame.gradient = g; // Philips' RL/AP/FH components are LPS-signed like the standard tag
    }
  }
}

} // namespace icanscan::dicom
