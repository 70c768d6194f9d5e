#include "dicom/export/MeasurementReportWriter.h"

#include "core/Error.h"
#include "dicom/export/DerivedObject.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmsr/cmr/tid1500.h"
#include "dcmtk/dcmsr/codes/dcm.h"
#include "dcmtk/dcmsr/dsrdoc.h"

#include <set>

namespace icanscan::dicom
{
namespace
{
using detail::Check;

/** icanscan as an observer device (TID 1004): one fixed UID for the software, whatever its version. */
constexpr const char * kDeviceObserverUid = "2.25.103503804515761317441641146093759661630";

DSRCodedEntryValue Coded(const CodedConcept & c)
{
  return DSRCodedEntryValue(c.value.c_str(), c.scheme.c_str(), c.meaning.c_str());
}

void FillGroup(CMR_TID1411_in_TID1500 & group,
               const MeasurementGroup & g,
               const WrittenSegmentation & segmentation,
               const std::string & sourceSeriesUid)
{
  const std::string what = "measurement report: group '" + g.trackingId + "'";
  Check(group.setTrackingIdentifier(g.trackingId.c_str()), what + " tracking identifier");
  Check(group.setTrackingUniqueIdentifier(segmentation.trackingUids[g.segment].c_str()), what + " tracking UID");
  DSRImageReferenceValue segment(segmentation.sopClassUid.c_str(), segmentation.sopInstanceUid.c_str());
  segment.getSegmentList().addItem(segmentation.segmentNumbers[g.segment]);
  Check(group.setReferencedSegment(segment), what + " referenced segment");
  Check(group.setSourceSeriesForSegmentation(sourceSeriesUid.c_str()), what + " source series");
  Check(group.setFinding(Coded(g.finding), OFFalse), what + " finding");
  Check(group.addFindingSite(Coded(g.findingSite),
                             g.laterality ? CID244e_Laterality(Coded(*g.laterality)) : CID244e_Laterality(),
                             DSRCodedEntryValue(), OFFalse),
        what + " finding site");
  for (const auto & m : g.measurements)
  {
    const std::string item = what + " measurement '" + m.concept.meaning + "'";
    const CMR_TID1411_in_TID1500::MeasurementValue value =
      m.value ? CMR_TID1411_in_TID1500::MeasurementValue(detail::FormatDecimalString(*m.value).c_str(),
                                                         CMR_CID7181(Coded(m.unit)), OFFalse)
              : CMR_TID1411_in_TID1500::MeasurementValue(CMR_CID42::MeasurementNotAttempted);
    Check(group.addMeasurement(CMR_CID7469(Coded(m.concept)), value, OFTrue, OFFalse), item);
    if (m.derivation)
      Check(group.getMeasurement().setDerivation(CMR_CID7464(Coded(*m.derivation)), OFFalse), item + " derivation");
  }
  for (const auto & e : g.evaluations)
  {
    const std::string item = what + " evaluation '" + e.concept.meaning + "'";
    if (e.code)
      Check(group.addQualitativeEvaluation(Coded(e.concept), Coded(*e.code), OFFalse), item);
    else
      Check(group.addQualitativeEvaluation(Coded(e.concept), e.text.c_str(), OFFalse), item);
  }
}

void AddImageLibrary(TID1500_MeasurementReport & report, const SourceSeries & source)
{
  if (!report.getImageLibrary().hasImageLibrary())
    Check(report.getImageLibrary().createNewImageLibrary(), "measurement report: image library");
  Check(report.getImageLibrary().addImageGroup(), "measurement report: image library group");
  std::set<std::string> seen;
  for (const auto & image : source.slices)
  {
    if (!seen.insert(image.sopInstanceUid).second)
      continue;
    DcmDataset entry;
    Check(entry.putAndInsertString(DCM_SOPClassUID, image.sopClassUid.c_str()), "image library SOPClassUID");
    Check(entry.putAndInsertString(DCM_SOPInstanceUID, image.sopInstanceUid.c_str()), "image library SOPInstanceUID");
    Check(entry.putAndInsertString(DCM_Modality, "MR"), "image library Modality");
    Check(report.getImageLibrary().addImageEntry(entry, TID1600_ImageLibrary::withoutDescriptors),
          "measurement report: image library entry " + image.sopInstanceUid);
  }
}
} // namespace

WrittenObject WriteMeasurementReport(const SourceSeries & source,
                                     const WrittenSegmentation & segmentation,
                                     const MeasurementReportContent & content,
                                     const DerivedSeries & series,
                                     const std::filesystem::path & file)
{
  if (source.slices.empty())
    throw InputError("measurement report: the source series has no images");
  for (const auto & g : content.groups)
    if (g.segment >= segmentation.segmentNumbers.size() || g.segment >= segmentation.trackingUids.size())
      throw InputError("measurement report: group '" + g.trackingId + "' names segment " + std::to_string(g.segment) +
                       " of " + std::to_string(segmentation.segmentNumbers.size()));
  const auto header = detail::LoadSourceHeader(source.headerFile);

  TID1500_MeasurementReport report(CMR_CID7021::ImagingMeasurementReport);
  Check(report.setLanguage(CID5000_Languages::English), "measurement report: language");
  Check(report.getObservationContext().addDeviceObserver(kDeviceObserverUid, content.deviceName.c_str(),
                                                         detail::kManufacturer, detail::kManufacturer),
        "measurement report: observer device");
  Check(report.addProcedureReported(DSRCodedEntryValue("363679005", "SCT", "Imaging procedure"), OFFalse),
        "measurement report: procedure reported");
  AddImageLibrary(report, source);
  const std::string sourceSeriesUid = source.slices.front().seriesInstanceUid;
  for (const auto & g : content.groups)
  {
    Check(report.addVolumetricROIMeasurements(), "measurement report: new measurement group");
    FillGroup(report.getVolumetricROIMeasurements(), g, segmentation, sourceSeriesUid);
  }
  for (const auto & e : content.evaluations)
  {
    const std::string what = "measurement report: qualitative evaluation '" + e.concept.meaning + "'";
    if (e.code)
      Check(report.addQualitativeEvaluation(Coded(e.concept), Coded(*e.code), OFFalse), what);
    else
      Check(report.addQualitativeEvaluation(Coded(e.concept), e.text.c_str(), OFFalse), what);
  }
  if (!report.isValid())
    throw OutputError("measurement report: the TID 1500 content is incomplete (DCMTK's template check failed)");

  DSRDocument document;
  Check(document.setTreeFromRootTemplate(report, OFTrue), "measurement report: document tree");
  Check(document.setPreliminaryFlag(DSRTypes::PF_Preliminary), "measurement report: PreliminaryFlag");
  Check(document.completeDocument(), "measurement report: CompletionFlag");
  auto & schemes = document.getCodingSchemeIdentification();
  Check(schemes.addItem(detail::kPrivateScheme), "measurement report: coding scheme");
  Check(schemes.setCodingSchemeName("icanscan local codes"), "measurement report: coding scheme name");
  Check(schemes.setCodingSchemeResponsibleOrganization("icanscan project"), "measurement report: coding scheme owner");
  auto & evidence = document.getCurrentRequestedProcedureEvidence();
  for (const auto & image : source.slices)
    Check(evidence.addItem(image.studyInstanceUid.c_str(), image.seriesInstanceUid.c_str(), image.sopClassUid.c_str(),
                           image.sopInstanceUid.c_str()),
          "measurement report: evidence " + image.sopInstanceUid);
  Check(evidence.addItem(segmentation.studyInstanceUid.c_str(), segmentation.seriesInstanceUid.c_str(),
                         segmentation.sopClassUid.c_str(), segmentation.sopInstanceUid.c_str()),
        "measurement report: evidence (segmentation)");

  DcmDataset dataset;
  Check(document.write(dataset), "measurement report: build the dataset");
  WrittenObject written;
  written.sopClassUid = UID_EnhancedSRStorage;
  written.sopInstanceUid = detail::NewUid();
  written.seriesInstanceUid = detail::NewUid();
  detail::CopyStudyContext(*header->getDataset(), dataset);
  detail::SetDerivedSeries(dataset, series);
  Check(dataset.putAndInsertString(DCM_SOPInstanceUID, written.sopInstanceUid.c_str()), "SOPInstanceUID");
  Check(dataset.putAndInsertString(DCM_SeriesInstanceUID, written.seriesInstanceUid.c_str()), "SeriesInstanceUID");
  OFString sopClass, studyUid;
  dataset.findAndGetOFString(DCM_SOPClassUID, sopClass);
  dataset.findAndGetOFString(DCM_StudyInstanceUID, studyUid);
  written.sopClassUid = sopClass.c_str();
  written.studyInstanceUid = studyUid.c_str();
  detail::SaveDataset(dataset, file);
  return written;
}

} // namespace icanscan::dicom
