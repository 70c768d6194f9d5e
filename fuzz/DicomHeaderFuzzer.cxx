// DICOM header reader and series assembly: one file's bytes through the structure check, the header reader, the
// series splitter, the stack geometry and the classifier. Library code never throws for bad input here: any
// exception, crash or sanitizer report is a finding; so is a text that is not valid UTF-8.
#include "fuzz/FuzzSupport.h"

#include "dicom/HeaderReader.h"
#include "dicom/PixelDecoder.h"
#include "dicom/SeriesClassifier.h"
#include "dicom/SeriesSplitter.h"
#include "dicom/StackGeometry.h"
#include "dicom/StructureCheck.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t * data, std::size_t size)
{
  using namespace icanscan;
  static const auto file = fuzz::ScratchFolder() / "header.dcm";
  dicom::PixelDecoder::RegisterCodecs();
  dicom::CheckDicomStructure(data, size);
  fuzz::WriteInput(file, data, size);
  dicom::HeaderReadResult result = dicom::ReadFrameHeaders(file.string(), "header.dcm");
  fuzz::RequireUtf8(result.skipReason, "skip reason");
  if (result.frames.empty())
    return 0;
  const auto & h = *result.frames.front().file;
  for (const auto * text : { &h.seriesDescription, &h.protocolName, &h.manufacturer, &h.sequenceName,
                             &h.scanningSequence, &h.patientName, &h.textProblem })
    fuzz::RequireUtf8(*text, "a header text");
  auto sets = dicom::SplitIntoVolumeSets(std::move(result.frames));
  for (auto & set : sets)
  {
    dicom::ResolveStackGeometry(set);
    dicom::ClassifySeries(set);
    for (const auto & m : set.messages)
      fuzz::RequireUtf8(m, "a set message");
    fuzz::RequireUtf8(set.splitReason, "a split reason");
  }
  return 0;
}
