#include "pipeline/input/NiftiFileCheck.h"

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
constexpr std::uint64_t kMaxVoxelBytes = std::uint64_t{ 64 } << 30; // a 64 GiB image is no clinical MR series
constexpr std::uint64_t kInflateSlack = std::uint64_t{ 64 } << 20;  // extensions or padding after the voxels

/** The fields of a NIfTI-1 or NIfTI-2 header that say how to read the voxels and where they are. */
struct Header
{
  int version = 0;
  std::int64_t dim[8] = {};
  int datatype = 0;
  int bitpix = 0;
  double pixdim[8] = {};
  double voxOffset = 0;
  double sclSlope = 0;
  double sclInter = 0;
  int qformCode = 0;
  int sformCode = 0;
  double quatern[6] = {}; // b, c, d, offset x, y, z
  double srow[12] = {};
};

class Bytes
{
public:
  Bytes(const unsigned char * data, bool swap)
    : m_Data(data)
    , m_Swap(swap)
  {
  }
  template<typename T>
  T Get(std::size_t offset) const
  {
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, m_Data + offset, sizeof(T));
    if (m_Swap)
      for (std::size_t i = 0; i < sizeof(T) / 2; ++i)
        std::swap(raw[i], raw[sizeof(T) - 1 - i]);
    T value;
    std::memcpy(&value, raw, sizeof(T));
    return value;
  }

private:
  const unsigned char * m_Data;
  bool m_Swap;
};

std::string ParseHeader(const unsigned char * raw, std::size_t size, Header & h)
{
  if (size < 348)
    return "file of " + std::to_string(size) + " bytes is too short for a NIfTI header";
  std::int32_t sizeofHdr;
  std::memcpy(&sizeofHdr, raw, 4);
  const auto swapped = [](std::int32_t v)
  {
    const auto u = static_cast<std::uint32_t>(v);
    return static_cast<std::int32_t>((u >> 24) | ((u >> 8) & 0xFF00u) | ((u << 8) & 0xFF0000u) | (u << 24));
  };
  bool swap = false;
  if (sizeofHdr != 348 && sizeofHdr != 540)
  {
    swap = true;
    sizeofHdr = swapped(sizeofHdr);
  }
  const Bytes b(raw, swap);
  if (sizeofHdr == 348)
  {
    h.version = 1;
    if (std::memcmp(raw + 344, "n+1", 4) != 0)
      return std::memcmp(raw + 344, "ni1", 4) == 0
               ? "header says its voxels are in a separate .img file (two-file NIfTI): not supported"
               : "no NIfTI-1 magic 'n+1' (an ANALYZE 7.5 file or not NIfTI): orientation unknown";
    for (int i = 0; i < 8; ++i)
    {
      h.dim[i] = b.Get<std::int16_t>(40 + 2 * i);
      h.pixdim[i] = b.Get<float>(76 + 4 * i);
    }
    h.datatype = b.Get<std::int16_t>(70);
    h.bitpix = b.Get<std::int16_t>(72);
    h.voxOffset = b.Get<float>(108);
    h.sclSlope = b.Get<float>(112);
    h.sclInter = b.Get<float>(116);
    h.qformCode = b.Get<std::int16_t>(252);
    h.sformCode = b.Get<std::int16_t>(254);
    for (int i = 0; i < 6; ++i)
      h.quatern[i] = b.Get<float>(256 + 4 * i);
    for (int i = 0; i < 12; ++i)
      h.srow[i] = b.Get<float>(280 + 4 * i);
    return {};
  }
  if (sizeofHdr == 540)
  {
    if (size < 540)
      return "file of " + std::to_string(size) + " bytes is too short for a NIfTI-2 header";
    h.version = 2;
    if (std::memcmp(raw + 4, "n+2", 4) != 0)
      return std::memcmp(raw + 4, "ni2", 4) == 0
               ? "header says its voxels are in a separate .img file (two-file NIfTI): not supported"
               : "no NIfTI-2 magic 'n+2'";
    h.datatype = b.Get<std::int16_t>(12);
    h.bitpix = b.Get<std::int16_t>(14);
    for (int i = 0; i < 8; ++i)
    {
      h.dim[i] = b.Get<std::int64_t>(16 + 8 * i);
      h.pixdim[i] = b.Get<double>(104 + 8 * i);
    }
    h.voxOffset = static_cast<double>(b.Get<std::int64_t>(168));
    h.sclSlope = b.Get<double>(176);
    h.sclInter = b.Get<double>(184);
    h.qformCode = b.Get<std::int32_t>(344);
    h.sformCode = b.Get<std::int32_t>(348);
    for (int i = 0; i < 6; ++i)
      h.quatern[i] = b.Get<double>(352 + 8 * i);
    for (int i = 0; i < 12; ++i)
      h.srow[i] = b.Get<double>(400 + 8 * i);
    return {};
  }
  return "not a NIfTI file (header size field " + std::to_string(sizeofHdr) + ", expected 348 or 540)";
}

/** Bytes per voxel of a NIfTI data type; 0 for an unknown one. */
int BytesPerVoxel(int datatype)
{
  switch (datatype)
  {
    case 2:   // uint8
    case 256: // int8
      return 1;
    case 4:   // int16
    case 512: // uint16
      return 2;
    case 128: // RGB24
      return 3;
    case 8:    // int32
    case 16:   // float32
    case 768:  // uint32
    case 2304: // RGBA32
      return 4;
    case 32:   // complex64
    case 64:   // float64
    case 1024: // int64
    case 1280: // uint64
      return 8;
    case 1536: // float128
    case 1792: // complex128
      return 16;
    case 2048: // complex256
      return 32;
    default:
      return 0;
  }
}

std::string Number(double v)
{
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string CheckFields(const Header & h, std::uint64_t & voxelBytes)
{
  if (h.dim[0] < 1 || h.dim[0] > 7)
    return "dim[0] = " + std::to_string(h.dim[0]) + " (expected 1 to 7 dimensions)";
  std::uint64_t voxels = 1;
  for (int i = 1; i <= h.dim[0]; ++i)
  {
    if (h.dim[i] < 1)
      return "dim[" + std::to_string(i) + "] = " + std::to_string(h.dim[i]) + " (a dimension must be at least 1)";
    if (static_cast<std::uint64_t>(h.dim[i]) > kMaxVoxelBytes / voxels)
      return "dimensions declare more than " + std::to_string(kMaxVoxelBytes) + " voxels";
    voxels *= static_cast<std::uint64_t>(h.dim[i]);
  }
  const int bytes = BytesPerVoxel(h.datatype);
  if (bytes == 0)
    return "datatype " + std::to_string(h.datatype) + " is not a NIfTI data type";
  if (h.bitpix != 8 * bytes)
    return "bitpix " + std::to_string(h.bitpix) + " does not match datatype " + std::to_string(h.datatype) + " (" +
           std::to_string(8 * bytes) + " bits)";
  if (voxels > kMaxVoxelBytes / static_cast<std::uint64_t>(bytes))
    return "declared image of " + std::to_string(voxels) + " voxels is implausibly large";
  voxelBytes = voxels * static_cast<std::uint64_t>(bytes);
  for (int i = 1; i <= 3; ++i)
    if (!std::isfinite(h.pixdim[i]) || !(h.pixdim[i] > 0))
      return "pixdim[" + std::to_string(i) + "] = " + Number(h.pixdim[i]) +
             ": the voxel size must be a finite positive number of mm";
  if (!std::isfinite(h.sclSlope) || !std::isfinite(h.sclInter))
    return "scl_slope " + Number(h.sclSlope) + " or scl_inter " + Number(h.sclInter) + " is not finite";
  if (h.qformCode <= 0 && h.sformCode <= 0)
    return "qform_code and sform_code are both 0: the orientation (which side is left) is unknown";
  if (h.qformCode > 0)
    for (double v : h.quatern)
      if (!std::isfinite(v))
        return "qform (quatern_b/c/d, qoffset) holds a non-finite value " + Number(v);
  if (h.sformCode > 0)
  {
    for (double v : h.srow)
      if (!std::isfinite(v))
        return "sform (srow_x/y/z) holds a non-finite value " + Number(v);
    const double * r = h.srow;
    const double det =
      r[0] * (r[5] * r[10] - r[6] * r[9]) - r[1] * (r[4] * r[10] - r[6] * r[8]) + r[2] * (r[4] * r[9] - r[5] * r[8]);
    if (!std::isfinite(det) || std::abs(det) < 1e-12)
      return "sform is singular (its 3 x 3 part has determinant " + Number(det) + ")";
  }
  const double minimumOffset = h.version == 1 ? 348.0 : 540.0;
  if (!std::isfinite(h.voxOffset) || h.voxOffset < minimumOffset || h.voxOffset > 1e12)
    return "vox_offset " + Number(h.voxOffset) + " is not a valid position of the voxel data";
  return {};
}
} // namespace

NiftiFileCheck CheckNiftiFile(const std::filesystem::path & file)
{
  NiftiFileCheck result;
  std::unique_ptr<gzFile_s, int (*)(gzFile)> in(gzopen(file.c_str(), "rb"), &gzclose_r);
  if (!in)
  {
    result.problem = std::string("cannot be opened: ") + std::strerror(errno);
    return result;
  }
  unsigned char raw[540] = {};
  const int got = gzread(in.get(), raw, sizeof(raw));
  if (got < 0)
  {
    int code = 0;
    result.problem = std::string("cannot be read: ") + gzerror(in.get(), &code);
    return result;
  }
  Header header;
  result.problem = ParseHeader(raw, static_cast<std::size_t>(got), header);
  if (result.problem.empty())
    result.problem = CheckFields(header, result.voxelBytes);
  if (!result.problem.empty())
    return result;
  const auto offset = static_cast<std::uint64_t>(header.voxOffset);
  const std::uint64_t needed = offset + result.voxelBytes;
  std::uint64_t total = static_cast<std::uint64_t>(got);
  if (gzdirect(in.get()))
  {
    std::error_code ec;
    total = std::filesystem::file_size(file, ec);
  }
  else
  {
    // Read the whole gzip stream: only its end tells a complete file from one cut short.
    std::unique_ptr<unsigned char[]> buffer(new unsigned char[1 << 20]);
    while (true)
    {
      const int n = gzread(in.get(), buffer.get(), 1 << 20);
      if (n < 0)
      {
        int code = 0;
        const char * message = gzerror(in.get(), &code);
        result.problem = "the gzip stream is damaged or cut short after " + std::to_string(total) +
                         " bytes (zlib: " + (message ? message : "error") + ")";
        return result;
      }
      if (n == 0)
        break;
      total += static_cast<std::uint64_t>(n);
      if (total > needed + kInflateSlack)
        break; // far more than declared: the declared part is there, the rest is not read
    }
    int code = 0;
    gzerror(in.get(), &code);
    if (code != Z_OK && code != Z_STREAM_END)
    {
      result.problem = "the gzip stream ends early after " + std::to_string(total) + " bytes (truncated file)";
      return result;
    }
  }
  result.bytesPresent = total > offset ? total - offset : 0;
  if (total < needed)
    result.problem = "holds " + std::to_string(result.bytesPresent) +
                     " bytes of voxel data where its header declares " + std::to_string(result.voxelBytes) +
                     " (truncated file)";
  return result;
}

} // namespace icanscan::pipeline
