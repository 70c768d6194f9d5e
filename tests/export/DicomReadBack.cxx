#include "tests/export/DicomReadBack.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmfg/fgplanpo.h"
#include "dcmtk/dcmfg/fgseg.h"
#include "dcmtk/dcmseg/segdoc.h"
#include "dcmtk/dcmseg/segment.h"
#include "dcmtk/dcmseg/segutils.h"
#include "dcmtk/dcmsr/dsrdoc.h"

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace icanscan::test
{
namespace
{
std::string Code(CodeSequenceMacro & code)
{
  OFString value, scheme, meaning;
  code.getCodeValue(value);
  code.getCodingSchemeDesignator(scheme);
  code.getCodeMeaning(meaning);
  return std::string(value.c_str()) + "^" + scheme.c_str() + "^" + meaning.c_str();
}

std::unique_ptr<DSRDocument> ReadSr(const std::filesystem::path & file)
{
  DcmFileFormat format;
  if (format.loadFile(file.c_str()).bad())
    throw std::runtime_error("cannot read " + file.string());
  auto document = std::make_unique<DSRDocument>();
  const OFCondition status = document->read(*format.getDataset());
  if (status.bad())
    throw std::runtime_error("not a readable SR: " + file.string() + ": " + status.text());
  return document;
}
} // namespace

std::map<int, ReadSegment> ReadSegmentation(const std::filesystem::path & file, const filters::MaskImage * grid)
{
  DcmSegmentation * loaded = nullptr;
  const OFCondition status = DcmSegmentation::loadFile(file.c_str(), loaded);
  if (status.bad() || !loaded)
    throw std::runtime_error("DcmSegmentation::loadFile(" + file.string() + "): " + status.text());
  std::unique_ptr<DcmSegmentation> seg(loaded);
  std::map<int, ReadSegment> segments;
  for (std::size_t n = 1; n <= seg->getNumberOfSegments(); ++n)
  {
    DcmSegment * s = seg->getSegment(n);
    if (!s)
      throw std::runtime_error("segment " + std::to_string(n) + " missing");
    ReadSegment r;
    OFString label, tracking;
    s->getSegmentLabel(label);
    s->getTrackingID(tracking);
    r.label = label.c_str();
    r.trackingId = tracking.c_str();
    r.typeCode = Code(s->getSegmentedPropertyTypeCode());
    r.categoryCode = Code(s->getSegmentedPropertyCategoryCode());
    if (!s->getSegmentedPropertyTypeModifierCode().empty())
      r.modifierCode = Code(*s->getSegmentedPropertyTypeModifierCode().front());
    r.mask = filters::MaskImage::New();
    r.mask->CopyInformation(grid);
    r.mask->SetRegions(grid->GetLargestPossibleRegion());
    r.mask->Allocate(true);
    segments[static_cast<int>(n)] = r;
  }

  Uint16 rows = 0, columns = 0;
  {
    DcmFileFormat header;
    header.loadFileUntilTag(file.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect, DCM_PixelData);
    header.getDataset()->findAndGetUint16(DCM_Rows, rows);
    header.getDataset()->findAndGetUint16(DCM_Columns, columns);
  }
  const auto size = grid->GetLargestPossibleRegion().GetSize();
  if (columns != size[0] || rows != size[1])
    throw std::runtime_error("segmentation frames are " + std::to_string(columns) + "x" + std::to_string(rows) +
                             ", the grid " + std::to_string(size[0]) + "x" + std::to_string(size[1]));
  for (std::size_t f = 0; f < seg->getNumberOfFrames(); ++f)
  {
    auto * segmentation = dynamic_cast<FGSegmentation *>(
      seg->getFunctionalGroups().get(static_cast<Uint32>(f), DcmFGTypes::EFG_SEGMENTATION));
    auto * position = dynamic_cast<FGPlanePosPatient *>(
      seg->getFunctionalGroups().get(static_cast<Uint32>(f), DcmFGTypes::EFG_PLANEPOSPATIENT));
    Uint16 number = 0;
    Float64 x = 0, y = 0, z = 0;
    if (!segmentation || !position || segmentation->getReferencedSegmentNumber(number).bad() ||
        position->getImagePositionPatient(x, y, z).bad() || !segments.count(number))
      throw std::runtime_error("frame " + std::to_string(f + 1) + " has no segment number or position");
    itk::Point<double, 3> p;
    p[0] = x;
    p[1] = y;
    p[2] = z;
    itk::ContinuousIndex<double, 3> index;
    grid->TransformPhysicalPointToContinuousIndex(p, index);
    const long k = std::lround(index[2]);
    if (std::abs(index[0]) > 1e-3 || std::abs(index[1]) > 1e-3 || std::abs(index[2] - k) > 1e-3 || k < 0 ||
        k >= static_cast<long>(size[2]))
      throw std::runtime_error("frame " + std::to_string(f + 1) + " lies off the grid (index " +
                               std::to_string(index[0]) + ", " + std::to_string(index[1]) + ", " +
                               std::to_string(index[2]) + ")");
    std::unique_ptr<DcmIODTypes::Frame> unpacked(DcmSegUtils::unpackBinaryFrame(seg->getFrame(f), rows, columns));
    if (!unpacked)
      throw std::runtime_error("frame " + std::to_string(f + 1) + " cannot be unpacked");
    auto & r = segments[number];
    ++r.frames;
    unsigned char * out = r.mask->GetBufferPointer() + static_cast<std::size_t>(k) * rows * columns;
    for (std::size_t i = 0; i < static_cast<std::size_t>(rows) * columns; ++i)
      out[i] = out[i] || unpacked->pixData[i];
  }
  return segments;
}

std::map<std::string, std::map<std::string, std::string>> ReadSrMeasurements(const std::filesystem::path & file)
{
  auto document = ReadSr(file);
  std::map<std::string, std::map<std::string, std::string>> values;
  auto & tree = document->getTree();
  std::string group;
  if (tree.gotoRoot() == 0)
    return values;
  do
  {
    const auto & item = tree.getCurrentContentItem();
    const std::string concept = item.getConceptName().getCodeMeaning().c_str();
    if (item.getValueType() == DSRTypes::VT_Text && concept == "Tracking Identifier")
      group = item.getStringValue().c_str();
    else if (item.getValueType() == DSRTypes::VT_Num)
      values[group][concept] = item.getNumericValue().getNumericValue().c_str();
  } while (tree.iterate());
  return values;
}

std::vector<std::string> ReadSrTexts(const std::filesystem::path & file)
{
  auto document = ReadSr(file);
  std::vector<std::string> lines;
  auto & tree = document->getTree();
  if (tree.gotoRoot() == 0)
    return lines;
  do
  {
    const auto & item = tree.getCurrentContentItem();
    const std::string concept = item.getConceptName().getCodeMeaning().c_str();
    if (item.getValueType() == DSRTypes::VT_Text)
      lines.push_back(concept + ": " + item.getStringValue().c_str());
    else if (item.getValueType() == DSRTypes::VT_Code)
      lines.push_back(concept + ": " + item.getCodeValue().getCodeMeaning().c_str());
  } while (tree.iterate());
  return lines;
}

std::vector<std::string> ReadSrImageReferences(const std::filesystem::path & file)
{
  auto document = ReadSr(file);
  std::vector<std::string> uids;
  auto & tree = document->getTree();
  if (tree.gotoRoot() == 0)
    return uids;
  do
  {
    const auto & item = tree.getCurrentContentItem();
    if (item.getValueType() == DSRTypes::VT_Image)
      uids.push_back(item.getImageReference().getSOPInstanceUID().c_str());
  } while (tree.iterate());
  return uids;
}

std::string HeaderString(const std::filesystem::path & file, unsigned short group, unsigned short element)
{
  DcmFileFormat format;
  OFString value;
  if (format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect).good())
    format.getDataset()->findAndGetOFStringArray(DcmTagKey(group, element), value);
  return value.c_str();
}

bool HaveDciodvfy()
{
  return std::system("command -v dciodvfy >/dev/null 2>&1") == 0;
}

std::vector<std::string> DciodvfyErrors(const std::filesystem::path & file)
{
  if (!HaveDciodvfy())
    return { "dciodvfy is not installed (Debian package dicom3tools)" };
  const std::string command = "dciodvfy '" + file.string() + "' 2>&1";
  std::vector<std::string> errors;
  FILE * pipe = popen(command.c_str(), "r");
  if (!pipe)
    return { "cannot run dciodvfy" };
  char line[4096];
  while (std::fgets(line, sizeof(line), pipe))
    if (std::string(line).rfind("Error", 0) == 0)
      errors.push_back(line);
  pclose(pipe);
  return errors;
}

} // namespace icanscan::test
