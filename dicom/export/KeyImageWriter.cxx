#include "dicom/export/KeyImageWriter.h"

#include "core/Error.h"
#include "dicom/export/DerivedObject.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmdata/dcvrat.h"
#include "dcmtk/dcmsr/codes/dcm.h"
#include "dcmtk/dcmsr/dsrdoc.h"

#include <algorithm>
#include <set>

namespace icanscan::dicom
{
namespace
{
using detail::Check;

void CheckFrames(const std::vector<RgbFrame> & frames)
{
  if (frames.empty())
    throw InputError("key images: no image to write");
  for (std::size_t k = 0; k < frames.size(); ++k)
  {
    const auto & f = frames[k];
    if (f.columns == 0 || f.rows == 0 || f.columns > 65535 || f.rows > 65535 ||
        f.rgb.size() != static_cast<std::size_t>(f.columns) * f.rows * 3)
      throw InputError("key images: image " + std::to_string(k + 1) + " ('" + f.title + "') is " +
                       std::to_string(f.columns) + "x" + std::to_string(f.rows) + " with " +
                       std::to_string(f.rgb.size()) + " bytes; expected 3 bytes per pixel, 1 to 65535 per side");
  }
}

/** All frames on one canvas size, each centred on black. */
std::vector<Uint8> PixelData(const std::vector<RgbFrame> & frames, unsigned columns, unsigned rows)
{
  const std::size_t frameBytes = static_cast<std::size_t>(columns) * rows * 3;
  std::vector<Uint8> pixels(frameBytes * frames.size(), 0);
  for (std::size_t k = 0; k < frames.size(); ++k)
  {
    const auto & f = frames[k];
    const unsigned x0 = (columns - f.columns) / 2, y0 = (rows - f.rows) / 2;
    for (unsigned y = 0; y < f.rows; ++y)
      std::copy_n(f.rgb.data() + static_cast<std::size_t>(y) * f.columns * 3, f.columns * 3,
                  pixels.data() + k * frameBytes + (static_cast<std::size_t>(y + y0) * columns + x0) * 3);
  }
  return pixels;
}

void Put(DcmItem & item, const DcmTagKey & tag, const std::string & value)
{
  Check(item.putAndInsertString(tag, value.c_str()), "key images: " + std::string(DcmTag(tag).getTagName()));
}

WrittenObject Finish(DcmDataset & dataset,
                     DcmItem & sourceDataset,
                     const DerivedSeries & series,
                     WrittenObject written,
                     const std::filesystem::path & file)
{
  detail::CopyStudyContext(sourceDataset, dataset);
  detail::SetDerivedSeries(dataset, series);
  Put(dataset, DCM_SOPInstanceUID, written.sopInstanceUid);
  Put(dataset, DCM_SeriesInstanceUID, written.seriesInstanceUid);
  OFString studyUid;
  dataset.findAndGetOFString(DCM_StudyInstanceUID, studyUid);
  written.studyInstanceUid = studyUid.c_str();
  detail::SaveDataset(dataset, file);
  return written;
}
} // namespace

WrittenObject WriteKeyImages(const SourceSeries & source,
                             const std::vector<RgbFrame> & frames,
                             const DerivedSeries & series,
                             const std::filesystem::path & file)
{
  CheckFrames(frames);
  const auto header = detail::LoadSourceHeader(source.headerFile);
  unsigned columns = 0, rows = 0;
  std::string orientation = frames.front().patientOrientation, comments, pages;
  for (std::size_t k = 0; k < frames.size(); ++k)
  {
    columns = std::max(columns, frames[k].columns);
    rows = std::max(rows, frames[k].rows);
    if (frames[k].patientOrientation != orientation)
      orientation.clear();
    comments += (k ? "\n" : "") + std::to_string(k + 1) + ": " + frames[k].title;
    pages += (k ? "\\" : "") + std::to_string(k + 1);
  }

  WrittenObject written;
  written.sopClassUid = UID_MultiframeTrueColorSecondaryCaptureImageStorage;
  written.sopInstanceUid = detail::NewUid();
  written.seriesInstanceUid = detail::NewUid();
  written.frames = static_cast<unsigned>(frames.size());
  const auto [date, time] = detail::NowDateTime();

  DcmDataset ds;
  Put(ds, DCM_SOPClassUID, written.sopClassUid);
  Put(ds, DCM_Modality, "OT");
  Put(ds, DCM_ConversionType, "WSD");
  Put(ds, DCM_BodyPartExamined, "HEAD"); // unpaired: no Laterality
  Put(ds, DCM_ImageType, "DERIVED\\SECONDARY");
  Put(ds, DCM_ContentDate, date);
  Put(ds, DCM_ContentTime, time);
  Put(ds, DCM_PatientOrientation, orientation);
  Put(ds, DCM_ImageComments, comments);
  Put(ds, DCM_BurnedInAnnotation, "NO");
  Put(ds, DCM_RecognizableVisualFeatures, "NO");
  Put(ds, DCM_LossyImageCompression, "00");
  Put(ds, DCM_DerivationDescription, "Key images of the icanscan review report (automatic; needs review)");
  Check(ds.putAndInsertUint16(DCM_SamplesPerPixel, 3), "key images: SamplesPerPixel");
  Put(ds, DCM_PhotometricInterpretation, "RGB");
  Check(ds.putAndInsertUint16(DCM_PlanarConfiguration, 0), "key images: PlanarConfiguration");
  Check(ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows)), "key images: Rows");
  Check(ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(columns)), "key images: Columns");
  Check(ds.putAndInsertUint16(DCM_BitsAllocated, 8), "key images: BitsAllocated");
  Check(ds.putAndInsertUint16(DCM_BitsStored, 8), "key images: BitsStored");
  Check(ds.putAndInsertUint16(DCM_HighBit, 7), "key images: HighBit");
  Check(ds.putAndInsertUint16(DCM_PixelRepresentation, 0), "key images: PixelRepresentation");
  Put(ds, DCM_NumberOfFrames, std::to_string(frames.size()));
  if (frames.size() > 1) // the frame increment pointer and its vector only when there are several frames
  {
    auto * pointer = new DcmAttributeTag(DCM_FrameIncrementPointer);
    Check(pointer->putTagVal(DCM_PageNumberVector), "key images: FrameIncrementPointer");
    Check(ds.insert(pointer, OFTrue), "key images: FrameIncrementPointer");
    Put(ds, DCM_PageNumberVector, pages);
  }
  const std::vector<Uint8> pixels = PixelData(frames, columns, rows);
  Check(ds.putAndInsertUint8Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size())),
        "key images: PixelData");
  return Finish(ds, *header->getDataset(), series, written, file);
}

WrittenObject WriteKeyObjectSelection(const SourceSeries & source,
                                      const KeyObjectContent & content,
                                      const DerivedSeries & series,
                                      const std::filesystem::path & file)
{
  if (content.images.empty())
    throw InputError("key object selection: no image to point at");
  const auto header = detail::LoadSourceHeader(source.headerFile);

  DSRDocument document(DSRTypes::DT_KeyObjectSelectionDocument);
  auto & tree = document.getTree();
  const auto added = [](std::size_t node, const std::string & what)
  {
    if (node == 0)
      throw OutputError("key object selection: DCMTK refused the content item '" + what + "'");
  };
  added(tree.addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container), "root");
  Check(tree.getCurrentContentItem().setConceptName(CODE_DCM_OfInterest), "key object selection: title");
  Check(tree.getCurrentContentItem().setTemplateIdentification("2010", "DCMR"), "key object selection: template");
  added(tree.addContentItem(DSRTypes::RT_contains, DSRTypes::VT_Text, DSRTypes::AM_belowCurrent), "description");
  Check(tree.getCurrentContentItem().setConceptName(CODE_DCM_KeyObjectDescription),
        "key object selection: description");
  Check(tree.getCurrentContentItem().setStringValue(content.description.c_str(), OFFalse),
        "key object selection: description text");
  auto & evidence = document.getCurrentRequestedProcedureEvidence();
  std::set<std::string> listed;
  for (const auto & image : content.images)
  {
    added(tree.addContentItem(DSRTypes::RT_contains, DSRTypes::VT_Image, DSRTypes::AM_afterCurrent), "image");
    DSRImageReferenceValue reference(image.sopClassUid.c_str(), image.sopInstanceUid.c_str());
    if (image.frameNumber > 0)
      reference.getFrameList().addItem(static_cast<Sint32>(image.frameNumber));
    Check(tree.getCurrentContentItem().setImageReference(reference, OFFalse),
          "key object selection: image " + image.sopInstanceUid);
    if (listed.insert(image.sopInstanceUid).second)
      Check(evidence.addItem(image.studyInstanceUid.c_str(), image.seriesInstanceUid.c_str(), image.sopClassUid.c_str(),
                             image.sopInstanceUid.c_str()),
            "key object selection: evidence " + image.sopInstanceUid);
  }

  DcmDataset dataset;
  Check(document.write(dataset), "key object selection: build the dataset");
  WrittenObject written;
  written.sopClassUid = UID_KeyObjectSelectionDocumentStorage;
  written.sopInstanceUid = detail::NewUid();
  written.seriesInstanceUid = detail::NewUid();
  return Finish(dataset, *header->getDataset(), series, written, file);
}

} // namespace icanscan::dicom
