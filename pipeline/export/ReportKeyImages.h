#pragma once

#include "dicom/export/ExportTypes.h"

#include <filesystem>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief The key images of a finished run, as RGB pixels with their titles and screen orientation.
 *
 * The one place that knows where OUT's key images come from: today they are decoded from report.html (the PNG data
 * URIs of its key-image figures, the pictures the reader saw, in their order, title from the figure's alt text,
 * orientation from its caption: axial radiological gives PatientOrientation "L\P"). When the report's key images
 * come from one renderer of the pipeline, only this function changes. Returns an empty list when the report holds no
 * key image (rendering failed: report.html says "image not available"). Throws InputError naming report.html when it
 * cannot be read or an image cannot be decoded. */
std::vector<dicom::RgbFrame> ReadReportKeyImages(const std::filesystem::path & reportHtml);

/** \brief Standard base64 (RFC 4648) decoding; throws InputError on a character outside the alphabet. */
std::string Base64Decode(const std::string & text);

} // namespace icanscan::pipeline
