#include "dicom/export/SegmentationWriter.h"

#include "core/Error.h"
#include "dicom/export/DerivedObject.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmfg/fgderimg.h"
#include "dcmtk/dcmfg/fgfracon.h"
#include "dcmtk/dcmfg/fgpixmsr.h"
#include "dcmtk/dcmfg/fgplanor.h"
#include "dcmtk/dcmfg/fgplanpo.h"
#include "dcmtk/dcmseg/segdoc.h"
#include "dcmtk/dcmseg/segment.h"
#include "dcmtk/dcmsr/codes/dcm.h"

#include <algorithm>
#include <memory>

namespace icanscan::dicom
{
namespace
{
using detail::Check;
using detail::FormatDecimalString;

CodeSequenceMacro Code(const CodedConcept & c)
{
  return CodeSequenceMacro(c.value.c_str(), c.scheme.c_str(), c.meaning.c_str());
}

void Validate(const SourceSeries & source, const SegmentationContent & content)
{
  const std::size_t voxels = static_cast<std::size_t>(source.rows) * source.columns * source.slices.size();
  if (source.rows == 0 || source.columns == 0 || source.slices.empty() ||
      source.positions.size() != source.slices.size())
    throw InputError("segmentation: the source series has no usable grid (" + std::to_string(source.columns) + "x" +
                     std::to_string(source.rows) + ", " + std::to_string(source.slices.size()) + " slices, " +
                     std::to_string(source.positions.size()) + " positions)");
  if (source.rows > 65535 || source.columns > 65535)
    throw InputError("segmentation: slices larger than 65535 pixels cannot be written");
  for (std::size_t v = 0; v < content.volumes.size(); ++v)
    if (content.volumes[v].voxels.size() != voxels)
      throw InputError("segmentation: label volume " + std::to_string(v) + " has " +
                       std::to_string(content.volumes[v].voxels.size()) + " voxels, the source grid " +
                       std::to_string(voxels));
  if (content.segments.empty() || content.segments.size() > 65535)
    throw InputError("segmentation: " + std::to_string(content.segments.size()) +
                     " segments given, expected 1 to 65535");
  for (const auto & s : content.segments)
  {
    if (s.volume >= content.volumes.size() || s.value == 0)
      throw InputError("segmentation: segment '" + s.label + "' names volume " + std::to_string(s.volume) + " value " +
                       std::to_string(s.value) + " (" + std::to_string(content.volumes.size()) +
                       " volumes; value must be > 0)");
    if (s.label.empty() || s.label.size() > 64)
      throw InputError("segmentation: segment label '" + s.label + "' must have 1 to 64 characters");
  }
}

void AddSharedGroups(DcmSegmentation & seg, const SourceSeries & source)
{
  const auto & o = source.orientation;
  std::unique_ptr<FGPlaneOrientationPatient> orientation(FGPlaneOrientationPatient::createMinimal(
    FormatDecimalString(o[0]).c_str(), FormatDecimalString(o[1]).c_str(), FormatDecimalString(o[2]).c_str(),
    FormatDecimalString(o[3]).c_str(), FormatDecimalString(o[4]).c_str(), FormatDecimalString(o[5]).c_str()));
  if (!orientation)
    throw OutputError("segmentation: cannot create the plane orientation functional group");
  Check(seg.addForAllFrames(*orientation), "segmentation: plane orientation");

  FGPixelMeasures measures;
  const std::string spacing =
    FormatDecimalString(source.pixelSpacing[0]) + "\\" + FormatDecimalString(source.pixelSpacing[1]);
  Check(measures.setPixelSpacing(spacing.c_str()), "segmentation: PixelSpacing");
  Check(measures.setSliceThickness(
          FormatDecimalString(source.sliceThickness > 0 ? source.sliceThickness : source.sliceSpacing).c_str()),
        "segmentation: SliceThickness");
  Check(measures.setSpacingBetweenSlices(FormatDecimalString(source.sliceSpacing).c_str()),
        "segmentation: SpacingBetweenSlices");
  Check(seg.addForAllFrames(measures), "segmentation: pixel measures");
}

DcmSegment * MakeSegment(const SegmentDefinition & d,
                         const std::string & algorithmName,
                         const std::string & trackingUid)
{
  DcmSegment * segment = nullptr;
  Check(DcmSegment::create(segment, d.label.c_str(), Code(d.category), Code(d.type), DcmSegTypes::SAT_AUTOMATIC,
                           algorithmName.c_str()),
        "segmentation: segment '" + d.label + "'");
  std::unique_ptr<DcmSegment> owned(segment);
  if (!d.description.empty())
    Check(segment->setSegmentDescription(d.description.c_str()), "segmentation: SegmentDescription");
  if (!d.trackingId.empty())
    Check(segment->setTrackingID(d.trackingId.c_str()), "segmentation: TrackingID");
  Check(segment->setTrackingUID(trackingUid.c_str()), "segmentation: TrackingUID");
  if (d.typeModifier)
    segment->getSegmentedPropertyTypeModifierCode().push_back(new CodeSequenceMacro(Code(*d.typeModifier)));
  if (d.anatomicRegion)
    segment->getGeneralAnatomyCode().getAnatomicRegion() = Code(*d.anatomicRegion);
  const auto lab = detail::DicomLab(d.rgb);
  Check(segment->setRecommendedDisplayCIELabValue(lab[0], lab[1], lab[2]), "segmentation: display colour");
  return owned.release();
}

/** The per-frame derivation group: slice k derived from the source image of slice k. */
void SetDerivation(FGDerivationImage & derivation, const ImageReference & image)
{
  derivation.clearData();
  const DSRBasicCodedEntry segmentation = CODE_DCM_Segmentation_113076;
  DerivationImageItem * item = nullptr;
  Check(derivation.addDerivationImageItem(
          CodeSequenceMacro(segmentation.CodeValue, segmentation.CodingSchemeDesignator, segmentation.CodeMeaning), "",
          item),
        "segmentation: derivation image");
  auto source = std::make_unique<SourceImageItem>();
  const DSRBasicCodedEntry purpose = CODE_DCM_SourceImageForImageProcessingOperation;
  source->getPurposeOfReferenceCode().set(purpose.CodeValue, purpose.CodingSchemeDesignator, purpose.CodeMeaning);
  auto & ref = source->getImageSOPInstanceReference();
  Check(ref.setReferencedSOPClassUID(image.sopClassUid.c_str()), "segmentation: source SOPClassUID");
  Check(ref.setReferencedSOPInstanceUID(image.sopInstanceUid.c_str()), "segmentation: source SOPInstanceUID");
  if (image.frameNumber > 0)
    Check(ref.setReferencedFrameNumber(OFVector<Uint16>(1, static_cast<Uint16>(image.frameNumber))),
          "segmentation: source frame number");
  item->getSourceImageItems().push_back(source.release());
}

void AddSourceReferences(DcmSegmentation & seg, const SourceSeries & source)
{
  auto * series = new IODSeriesAndInstanceReferenceMacro::ReferencedSeriesItem;
  seg.getCommonInstanceReference().getReferencedSeriesItems().push_back(series);
  Check(series->setSeriesInstanceUID(source.slices.front().seriesInstanceUid.c_str()),
        "segmentation: referenced series");
  std::vector<std::string> seen;
  for (const auto & image : source.slices)
  {
    if (std::find(seen.begin(), seen.end(), image.sopInstanceUid) != seen.end())
      continue;
    seen.push_back(image.sopInstanceUid);
    auto * instance = new SOPInstanceReferenceMacro;
    series->getReferencedInstanceItems().push_back(instance);
    Check(instance->setReferencedSOPClassUID(image.sopClassUid.c_str()), "segmentation: referenced SOP class");
    Check(instance->setReferencedSOPInstanceUID(image.sopInstanceUid.c_str()), "segmentation: referenced instance");
  }
}
} // namespace

WrittenSegmentation WriteSegmentation(const SourceSeries & source,
                                      const SegmentationContent & content,
                                      const DerivedSeries & series,
                                      const std::filesystem::path & file)
{
  Validate(source, content);
  const auto header = detail::LoadSourceHeader(source.headerFile);
  DcmDataset & sourceDataset = *header->getDataset();

  const std::string model = detail::kManufacturer;
  IODGeneralEquipmentModule::EquipmentInfo equipment(detail::kManufacturer, model.c_str(),
                                                     ("icanscan-" + series.softwareVersion).c_str(),
                                                     series.softwareVersion.c_str());
  ContentIdentificationMacro identification;
  Check(identification.setInstanceNumber("1"), "segmentation: InstanceNumber");
  Check(identification.setContentLabel("ICANSCAN_SEG"), "segmentation: ContentLabel");
  Check(identification.setContentDescription("Automatic segmentation by icanscan; needs review"),
        "segmentation: ContentDescription");

  DcmSegmentation * created = nullptr;
  Check(DcmSegmentation::createBinarySegmentation(created, static_cast<Uint16>(source.rows),
                                                  static_cast<Uint16>(source.columns), equipment, identification),
        "segmentation: create");
  std::unique_ptr<DcmSegmentation> seg(created);
  Check(seg->importFromSourceImage(sourceDataset),
        "segmentation: patient, study and frame of reference of '" + source.headerFile + "'");

  WrittenSegmentation written;
  written.sopClassUid = UID_SegmentationStorage;
  written.sopInstanceUid = detail::NewUid();
  written.seriesInstanceUid = detail::NewUid();
  Check(seg->getSOPCommon().setSOPInstanceUID(written.sopInstanceUid.c_str()), "segmentation: SOPInstanceUID");
  Check(seg->getSeries().setSeriesInstanceUID(written.seriesInstanceUid.c_str()), "segmentation: SeriesInstanceUID");
  Check(seg->getSegmentationSeriesModule().setSeriesNumber(std::to_string(series.seriesNumber).c_str()),
        "segmentation: SeriesNumber");

  const std::string dimensionUid = detail::NewUid();
  auto & dimensions = seg->getDimensions();
  Check(dimensions.addDimensionIndex(DCM_ReferencedSegmentNumber, dimensionUid.c_str(),
                                     DCM_SegmentIdentificationSequence, "ReferencedSegmentNumber"),
        "segmentation: dimension index (segment)");
  Check(dimensions.addDimensionIndex(DCM_ImagePositionPatient, dimensionUid.c_str(), DCM_PlanePositionSequence,
                                     "ImagePositionPatient"),
        "segmentation: dimension index (position)");
  AddSharedGroups(*seg, source);
  AddSourceReferences(*seg, source);

  const std::size_t frameSize = static_cast<std::size_t>(source.rows) * source.columns;
  std::vector<Uint8> frame(frameSize);
  FGPlanePosPatient position;
  FGFrameContent frameContent;
  FGDerivationImage derivation;
  const OFVector<FGBase *> perFrame{ &position, &frameContent, &derivation };
  std::vector<Uint8> covered(frameSize * source.slices.size(), 0);
  bool overlap = false;
  for (const auto & definition : content.segments)
  {
    const std::string trackingUid = detail::NewUid();
    Uint16 number = 0;
    Check(seg->addSegment(MakeSegment(definition, content.algorithmName, trackingUid), number),
          "segmentation: add segment '" + definition.label + "'");
    written.segmentNumbers.push_back(number);
    written.trackingUids.push_back(trackingUid);

    const auto & voxels = content.volumes[definition.volume].voxels;
    bool any = false;
    for (std::size_t k = 0; k < source.slices.size(); ++k)
    {
      bool sliceHas = false;
      for (std::size_t i = 0; i < frameSize; ++i)
      {
        frame[i] = voxels[k * frameSize + i] == definition.value ? 1 : 0;
        sliceHas = sliceHas || frame[i];
        if (frame[i])
        {
          overlap = overlap || covered[k * frameSize + i];
          covered[k * frameSize + i] = 1;
        }
      }
      const bool lastChance = !any && k + 1 == source.slices.size();
      if (!sliceHas && !lastChance)
        continue;
      const std::size_t slice = sliceHas ? k : 0; // an empty segment: one empty frame on the first slice
      if (!sliceHas)
        std::fill(frame.begin(), frame.end(), 0);
      any = true;
      const auto & p = source.positions[slice];
      Check(position.setImagePositionPatient(FormatDecimalString(p[0]).c_str(), FormatDecimalString(p[1]).c_str(),
                                             FormatDecimalString(p[2]).c_str()),
            "segmentation: ImagePositionPatient");
      Check(frameContent.setDimensionIndexValues(number, 0), "segmentation: dimension index value");
      Check(frameContent.setDimensionIndexValues(static_cast<Uint32>(slice + 1), 1),
            "segmentation: dimension index value");
      SetDerivation(derivation, source.slices[slice]);
      Check(seg->addFrame(frame.data(), number, perFrame),
            "segmentation: frame " + std::to_string(slice + 1) + " of segment '" + definition.label + "'");
    }
  }
  written.frames = static_cast<unsigned>(seg->getNumberOfFrames());

  DcmDataset dataset;
  Check(seg->writeDataset(dataset), "segmentation: build the dataset");
  detail::CopyStudyContext(sourceDataset, dataset);
  detail::SetDerivedSeries(dataset, series);
  Check(dataset.putAndInsertString(DCM_SegmentsOverlap, overlap ? "YES" : "NO"), "segmentation: SegmentsOverlap");
  OFString studyUid;
  dataset.findAndGetOFString(DCM_StudyInstanceUID, studyUid);
  written.studyInstanceUid = studyUid.c_str();
  detail::SaveDataset(dataset, file);
  return written;
}

} // namespace icanscan::dicom
