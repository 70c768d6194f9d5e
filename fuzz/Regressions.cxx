#include "fuzz/Regressions.h"

#include "fuzz/DicomBytes.h"

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

namespace icanscan::fuzz
{
namespace
{
std::string Pixels(std::size_t bytes)
{
  std::string p(bytes, '\0');
  for (std::size_t i = 0; i < bytes; ++i)
    p[i] = static_cast<char>((i * 37) & 0xFF);
  return p;
}

std::string NativeImage(const DicomBytes & header, std::size_t pixelBytes = 512)
{
  return DicomBytes(header)
    .Long(0x7FE0, 0x0010, "OW", static_cast<std::uint32_t>(pixelBytes), Pixels(pixelBytes))
    .Bytes();
}

std::string Le32(std::uint32_t v)
{
  std::string out(4, '\0');
  std::memcpy(out.data(), &v, 4);
  return out;
}

/** `raw` compressed by zlib with `windowBits` (negative: raw deflate; 15 + 16: gzip). */
std::string Compress(const std::string & raw, int windowBits)
{
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(raw.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef *>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

/** Raw deflate (RFC 1951), as the Deflated Explicit VR Little Endian transfer syntax stores the dataset. */
std::string Deflate(const std::string & raw)
{
  return Compress(raw, -MAX_WBITS);
}

std::vector<RegressionInput> DicomHeader()
{
  std::vector<RegressionInput> inputs;
  const DicomBytes image = DicomBytes().SmallImage();
  inputs.push_back({ "valid_small_image", NativeImage(image) });
  inputs.push_back(
    { "nested_sequences_10000", NativeImage(DicomBytes(image).Raw(DicomBytes::NestedSequences(10000))) });
  {
    // Deflated: the nesting is only visible after inflating.
    const std::string dataset = DicomBytes("1.2.840.10008.1.2.1").SmallImage().Bytes().substr(128 + 4);
    DicomBytes deflated("1.2.840.10008.1.2.1.99");
    const std::string meta = deflated.Bytes();
    const std::string body =
      std::string(dataset.substr(dataset.find(std::string("\x08\x00\x08\x00", 4)))) + DicomBytes::NestedSequences(5000);
    inputs.push_back({ "deflated_nested_sequences_5000", meta + Deflate(body) });
  }
  {
    DicomBytes mosaic("1.2.840.10008.1.2.1");
    mosaic.Text(0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\M\\ND\\MOSAIC")
      .Text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.4")
      .Text(0x0008, 0x0018, "UI", "2.25.9")
      .Text(0x0008, 0x0070, "LO", "SIEMENS")
      .Text(0x0019, 0x0010, "LO", "SIEMENS MR HEADER")
      .U16(0x0019, 0x100A, 100)
      .Text(0x0020, 0x000D, "UI", "2.25.2")
      .Text(0x0020, 0x000E, "UI", "2.25.3")
      .Text(0x0020, 0x0032, "DS", "0\\0\\0")
      .Text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
      .U16(0x0028, 0x0002, 1)
      .U16(0x0028, 0x0010, 8)
      .U16(0x0028, 0x0011, 8)
      .Text(0x0028, 0x0030, "DS", "1\\1")
      .U16(0x0028, 0x0100, 16)
      .U16(0x0028, 0x0101, 16);
    inputs.push_back({ "mosaic_8x8_with_100_tiles", NativeImage(mosaic, 128) });
  }
  inputs.push_back({ "nan_pixel_spacing", NativeImage(DicomBytes().SmallImage("nan\\nan")) });
  inputs.push_back({ "negative_pixel_spacing", NativeImage(DicomBytes().SmallImage("-0.9\\0.9")) });
  inputs.push_back({ "inf_position", NativeImage(DicomBytes().SmallImage("1\\1", "inf\\-inf\\1e400")) });
  inputs.push_back({ "huge_rows_columns", NativeImage(DicomBytes().SmallImage("1\\1", "0\\0\\0", 65535, 65535)) });
  inputs.push_back({ "pixel_data_length_past_the_end",
                     DicomBytes(image).Long(0x7FE0, 0x0010, "OW", 0xFFFFFFF0u, Pixels(512)).Bytes() });
  {
    std::string truncated = NativeImage(image);
    truncated.resize(truncated.size() - 300);
    inputs.push_back({ "truncated_pixel_data", truncated });
  }
  {
    DicomBytes enhanced = DicomBytes().SmallImage();
    // NumberOfFrames (0028,0008) belongs before Rows; DCMTK sorts, the walk does not care.
    enhanced.Text(0x0028, 0x0008, "IS", "1000000")
      .Long(0x5200, 0x9229, "SQ", 0xFFFFFFFFu, std::string("\xFE\xFF\x00\xE0\0\0\0\0\xFE\xFF\xDD\xE0\0\0\0\0", 16));
    inputs.push_back({ "enhanced_declaring_1e6_frames", NativeImage(enhanced) });
  }
  {
    DicomBytes latin1 = DicomBytes().SmallImage();
    latin1.Text(0x0010, 0x0010, "PN", "M\xFCller^J\xF6rg");
    inputs.push_back({ "latin1_without_character_set", NativeImage(latin1) });
  }
  {
    DicomBytes badVr = DicomBytes().SmallImage();
    std::string bytes = NativeImage(badVr);
    const auto rows = bytes.find(std::string("\x28\x00\x10\x00US", 6));
    bytes[rows + 4] = 'Z';
    bytes[rows + 5] = 'Z';
    inputs.push_back({ "rows_with_bad_vr", bytes });
  }
  return inputs;
}

std::vector<RegressionInput> PixelDecode()
{
  std::vector<RegressionInput> inputs;
  const DicomBytes image = DicomBytes("1.2.840.10008.1.2.5").SmallImage();
  {
    // RLE: the header claims 15 segments whose offsets point past the fragment.
    std::string frame = Le32(15);
    for (int s = 0; s < 15; ++s)
      frame += Le32(64 + 1000 * static_cast<std::uint32_t>(s));
    frame += std::string(16, '\x7F');
    const std::string fragments = std::string("\xFE\xFF\x00\xE0\0\0\0\0", 8) + std::string("\xFE\xFF\x00\xE0", 4) +
                                  Le32(static_cast<std::uint32_t>(frame.size())) + frame +
                                  std::string("\xFE\xFF\xDD\xE0\0\0\0\0", 8);
    inputs.push_back(
      { "rle_segments_past_the_end", DicomBytes(image).Long(0x7FE0, 0x0010, "OB", 0xFFFFFFFFu, fragments).Bytes() });
  }
  {
    // JPEG-LS: a start-of-image marker then noise, in the transfer syntax DCMTK's decoder crashed on.
    const DicomBytes jls = DicomBytes("1.2.840.10008.1.2.4.80").SmallImage();
    std::string stream = "\xFF\xD8\xFF\xF7";
    stream += std::string("\x00\x0B\x10\x00\x10\x00\x10\x01\x01\x11\x00", 11);
    stream += Pixels(40);
    const std::string fragments = std::string("\xFE\xFF\x00\xE0\0\0\0\0", 8) + std::string("\xFE\xFF\x00\xE0", 4) +
                                  Le32(static_cast<std::uint32_t>(stream.size())) + stream +
                                  std::string("\xFE\xFF\xDD\xE0\0\0\0\0", 8);
    inputs.push_back({ "jpeg_ls_noise", DicomBytes(jls).Long(0x7FE0, 0x0010, "OB", 0xFFFFFFFFu, fragments).Bytes() });
  }
  inputs.push_back({ "native_short_pixels", NativeImage(DicomBytes().SmallImage(), 100) });
  return inputs;
}

std::vector<RegressionInput> SiemensCsa()
{
  std::vector<RegressionInput> inputs;
  const auto header = [](std::uint32_t tags) { return std::string("SV10\4\3\2\1", 8) + Le32(tags) + Le32(77); };
  std::string tag(64, '\0');
  std::memcpy(tag.data(), "NumberOfImagesInMosaic", 22);
  tag += Le32(1) + "IS\0\0" + Le32(6) + Le32(1) + Le32(77);
  inputs.push_back({ "item_length_past_the_end", header(1) + tag + Le32(0) + Le32(0x7FFFFFF0u) + Le32(0) + Le32(0) });
  inputs.push_back({ "negative_item_count", header(1) + tag.substr(0, 76) + Le32(0xFFFFFFFFu) + Le32(77) });
  inputs.push_back({ "huge_tag_count", header(0x7FFFFFFFu) });
  inputs.push_back({ "only_magic", "SV10" });
  return inputs;
}

/** A NIfTI-1 single file: 348-byte header, 4 extension bytes, then 16 x 16 x 6 int16 voxels (or `voxelBytes`). */
std::string Nifti(const std::function<void(std::string &)> & edit = {}, std::size_t voxelBytes = 16 * 16 * 6 * 2)
{
  std::string h(352, '\0');
  const auto put16 = [&h](std::size_t at, std::int16_t v) { std::memcpy(h.data() + at, &v, 2); };
  const auto putF = [&h](std::size_t at, float v) { std::memcpy(h.data() + at, &v, 4); };
  const std::int32_t sizeofHdr = 348;
  std::memcpy(h.data(), &sizeofHdr, 4);
  const std::int16_t dims[8] = { 3, 16, 16, 6, 1, 1, 1, 1 };
  for (int i = 0; i < 8; ++i)
    put16(40 + 2 * i, dims[i]);
  put16(70, 4);  // int16
  put16(72, 16); // bitpix
  const float pixdim[8] = { 1, 1, 1, 4, 0, 0, 0, 0 };
  for (int i = 0; i < 8; ++i)
    putF(76 + 4 * i, pixdim[i]);
  putF(108, 352);
  putF(112, 1);
  put16(252, 1);
  put16(254, 1);
  const float srow[12] = { -1, 0, 0, 8, 0, -1, 0, 8, 0, 0, 4, -12 };
  for (int i = 0; i < 12; ++i)
    putF(280 + 4 * i, srow[i]);
  std::memcpy(h.data() + 344, "n+1", 4);
  if (edit)
    edit(h);
  return h + Pixels(voxelBytes);
}

std::string Gzip(const std::string & raw)
{
  return Compress(raw, 15 + 16);
}

std::vector<RegressionInput> NiftiImport()
{
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto setF = [](std::size_t at, float v)
  { return [at, v](std::string & h) { std::memcpy(h.data() + at, &v, 4); }; };
  const auto set16 = [](std::size_t at, std::int16_t v)
  { return [at, v](std::string & h) { std::memcpy(h.data() + at, &v, 2); }; };
  std::vector<RegressionInput> inputs;
  inputs.push_back({ "valid", Nifti() });
  inputs.push_back(
    { "valid_gz_with_sidecar", Gzip(Nifti()) + "\n#SIDECAR\n{\"SeriesNumber\": 3, \"EchoTime\": 0.09}" });
  {
    const std::string gz = Gzip(Nifti());
    inputs.push_back({ "gz_cut_in_half", gz.substr(0, gz.size() / 2) });
  }
  inputs.push_back({ "nii_cut_short", Nifti({}, 1000) });
  inputs.push_back({ "pixdim_zero", Nifti(setF(80, 0.0f)) });
  inputs.push_back({ "pixdim_nan", Nifti(setF(88, nan)) });
  inputs.push_back({ "sform_nan", Nifti(setF(280, nan)) });
  inputs.push_back({ "no_orientation", Nifti(
                                         [&](std::string & h)
                                         {
                                           set16(252, 0)(h);
                                           set16(254, 0)(h);
                                         }) });
  inputs.push_back({ "dims_30000_cubed_in_a_small_file", Nifti(
                                                           [&](std::string & h)
                                                           {
                                                             set16(42, 30000)(h);
                                                             set16(44, 30000)(h);
                                                             set16(46, 30000)(h);
                                                           }) });
  inputs.push_back({ "sidecar_nested_100000_deep", Nifti() + "\n#SIDECAR\n{\"x\": " + std::string(100000, '[') });
  inputs.push_back({ "sidecar_huge_numbers", Nifti() + "\n#SIDECAR\n{\"SeriesNumber\": 1e300, \"EchoTime\": -1e308}" });
  inputs.push_back({ "bval_not_numbers", Nifti() + "\n#SIDECAR\n{}\n#BVAL\nnan inf 1e400" });
  return inputs;
}

std::vector<RegressionInput> ConfigToml()
{
  return {
    { "nan_value", "[detection]\nhyper_seed_z = nan\n" },
    { "inf_value", "[oedema]\ncistern_ratio_max = inf\n" },
    { "number_too_large", "[detection]\nhyper_seed_z = 1e400\n" },
    { "duplicate_key", "[detection]\nhyper_seed_z = 4\nhyper_seed_z = 5\n" },
    { "deep_arrays", "[detection]\nhyper_seed_z = " + std::string(10000, '[') },
    { "unknown_section", "[nothing]\nx = 1\n" },
    { "string_for_number", "[detection]\nhyper_seed_z = \"4\"\n" },
  };
}

std::vector<RegressionInput> ClinicalJson()
{
  return {
    { "valid", R"({"ice_score": 8, "consciousness": "awakens_to_voice", "seizure": "none", "motor": "none"})" },
    { "duplicate_key", R"({"ice_score": 10, "ice_score": 2})" },
    { "number_overflow", R"({"ice_score": 1e400})" },
    { "unknown_key_nested_100000_deep", "{\"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}" },
    { "latin1_string", "{\"consciousness\": \"\xE9veill\xE9\"}" },
    { "not_an_object", "[1, 2, 3]" },
    { "ice_as_string", R"({"ice_score": "10"})" },
  };
}
} // namespace

std::vector<std::string> HarnessNames()
{
  return { "dicom_header", "pixel_decode", "siemens_csa", "nifti_import", "config_toml", "clinical_json" };
}

std::vector<RegressionInput> RegressionInputs(const std::string & harness)
{
  if (harness == "dicom_header")
    return DicomHeader();
  if (harness == "pixel_decode")
  {
    auto inputs = PixelDecode();
    const auto headers = DicomHeader();
    inputs.insert(inputs.end(), headers.begin(), headers.end());
    return inputs;
  }
  if (harness == "siemens_csa")
    return SiemensCsa();
  if (harness == "nifti_import")
    return NiftiImport();
  if (harness == "config_toml")
    return ConfigToml();
  if (harness == "clinical_json")
    return ClinicalJson();
  return {};
}

} // namespace icanscan::fuzz
