#include "pipeline/export/DicomExport.h"

#include "core/Error.h"
#include "dicom/export/KeyImageWriter.h"
#include "dicom/export/MeasurementReportWriter.h"
#include "dicom/export/SegmentationWriter.h"
#include "pipeline/export/ExportCodes.h"
#include "pipeline/export/ExportInputs.h"
#include "pipeline/export/MeasurementContent.h"
#include "pipeline/export/ReportKeyImages.h"
#include "pipeline/report/OutputFiles.h"
#include "pipeline/report/StudyReport.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
namespace fs = std::filesystem;

/** A folder inside OUT that is removed unless it was moved into place. */
class StagingFolder
{
public:
  explicit StagingFolder(const fs::path & out)
    : m_Path(out / (".dicom-partial-" + std::to_string(::getpid())))
  {
    std::error_code ec;
    fs::remove_all(m_Path, ec);
    EnsureWritableFolder(m_Path);
  }
  ~StagingFolder()
  {
    std::error_code ec;
    if (!m_Done)
      fs::remove_all(m_Path, ec);
  }
  StagingFolder(const StagingFolder &) = delete;
  StagingFolder & operator=(const StagingFolder &) = delete;
  const fs::path & Path() const { return m_Path; }
  /** Replaces `destination` (a whole folder) by the staged one. */
  void Commit(const fs::path & destination)
  {
    std::error_code ec;
    const fs::path old = destination.parent_path() / (".dicom-old-" + std::to_string(::getpid()));
    fs::remove_all(old, ec);
    if (fs::exists(destination))
    {
      fs::rename(destination, old, ec);
      if (ec)
        throw OutputError("cannot replace " + destination.string() + ": " + ec.message());
    }
    fs::rename(m_Path, destination, ec);
    if (ec)
      throw OutputError("cannot move " + m_Path.string() + " to " + destination.string() + ": " + ec.message());
    m_Done = true;
    fs::remove_all(old, ec);
  }

private:
  fs::path m_Path;
  bool m_Done = false;
};

dicom::LabelVolume Voxels(const filters::MaskImage * image, bool binary)
{
  dicom::LabelVolume volume;
  const std::size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  volume.voxels.assign(image->GetBufferPointer(), image->GetBufferPointer() + n);
  if (binary)
    for (auto & v : volume.voxels)
      v = v ? 1 : 0;
  return volume;
}

dicom::SegmentationContent Segments(const RunForExport & run, ExportSegmentIndex & index)
{
  dicom::SegmentationContent content;
  content.algorithmName = "icanscan";
  content.volumes.push_back(Voxels(run.labels, false));
  for (const auto & info : AllStructures())
    content.segments.push_back(StructureSegment(info));
  const std::pair<const filters::MaskImage *, LesionClass> lesions[] = {
    { run.t2flair.GetPointer(), LesionClass::T2FlairHyperintensity },
    { run.restricted.GetPointer(), LesionClass::RestrictedDiffusion },
  };
  for (const auto & [mask, kind] : lesions)
  {
    if (!mask)
      continue;
    auto segment = LesionSegment(kind);
    segment.volume = content.volumes.size();
    content.volumes.push_back(Voxels(mask, true));
    (kind == LesionClass::T2FlairHyperintensity ? index.t2flair : index.restricted) = content.segments.size();
    content.segments.push_back(segment);
  }
  return content;
}

std::string FindingLine(const nlohmann::json & f)
{
  std::ostringstream line;
  std::string kind = f.value("kind", ""), structure = f.value("structure", "");
  std::replace(kind.begin(), kind.end(), '_', ' ');
  std::replace(structure.begin(), structure.end(), '_', ' ');
  line << "Finding " << f.value("id", 0) << ": " << kind << ", " << structure << " (" << f.value("laterality", "")
       << "), " << std::fixed << std::setprecision(1) << f.value("volume_ml", 0.0) << " ml";
  return line.str();
}

ExportedObject Listed(const std::string & file,
                      const std::string & modality,
                      int seriesNumber,
                      const dicom::WrittenObject & written)
{
  return { file, modality, seriesNumber, written.sopClassUid, written.sopInstanceUid, written.seriesInstanceUid };
}

/** SHA-256 of OUT/report.json as it is now: the manifest records the report it was exported from. */
std::string ReportDigest(const fs::path & out)
{
  std::ifstream in(out / "report.json", std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return Sha256Hex(bytes.str());
}

void WriteManifest(const fs::path & folder,
                   const std::vector<ExportedObject> & objects,
                   const RunForExport & run,
                   const std::string & version)
{
  nlohmann::json manifest;
  manifest["icanscan_version"] = version;
  manifest["study_uid_hash"] = run.report.at("study").at("study_uid_hash");
  manifest["reference"] = run.report.at("reference");
  manifest["report_sha256"] = ReportDigest(run.out);
  manifest["objects"] = nlohmann::json::array();
  for (const auto & o : objects)
    manifest["objects"].push_back({ { "file", o.file },
                                    { "modality", o.modality },
                                    { "series_number", o.seriesNumber },
                                    { "sop_class_uid", o.sopClassUid },
                                    { "sop_instance_uid", o.sopInstanceUid },
                                    { "series_instance_uid", o.seriesInstanceUid } });
  WriteTextFileAtomically(folder / "manifest.json", manifest.dump(2) + "\n");
}
} // namespace

void RequireDicomSource(const StudyInput & input, const std::string & study)
{
  if (input.nifti)
    throw InputError(study + ": is a NIfTI study; DICOM export (--dicom-out, export-dicom) needs the DICOM study the "
                             "results should join: its SEG and SR reference the source images and carry the study's "
                             "identifiers",
                     ExitCode::NoUsableDicom);
}

namespace
{
/** The export itself; ExportDicom turns a malformed report entry into InputError. */
std::vector<ExportedObject> ExportRun(const fs::path & out,
                                      const dicom::StudyIndex & index,
                                      const std::string & version)
{
  const RunForExport run = ReadRunForExport(out, version);
  const dicom::VolumeSet & reference = FindReferenceSet(index, run);
  const dicom::SourceSeries source = ToSourceSeries(reference);
  int seriesNumber = 9000;
  for (const auto & set : index.volumeSets)
    seriesNumber = std::max(seriesNumber, set.Header().seriesNumber);
  const auto series = [&](const std::string & what) {
    return dicom::DerivedSeries{ ++seriesNumber, "icanscan " + what + " (automatic; needs review)", version };
  };

  StagingFolder staging(out);
  std::vector<ExportedObject> objects;
  ExportSegmentIndex segmentIndex;
  const auto segmentation =
    dicom::WriteSegmentation(source, Segments(run, segmentIndex), series("segmentation"), staging.Path() / "seg.dcm");
  objects.push_back(Listed("seg.dcm", "SEG", seriesNumber, segmentation));
  const auto report =
    dicom::WriteMeasurementReport(source, segmentation, MeasurementContent(run.report, segmentIndex, version),
                                  series("measurement report"), staging.Path() / "sr.dcm");
  objects.push_back(Listed("sr.dcm", "SR", seriesNumber, report));

  dicom::KeyObjectContent selection;
  selection.description = "icanscan key images and the source slices of each finding.";
  const auto frames = ReadReportKeyImages(out / "report.html");
  if (!frames.empty())
  {
    const auto keyImages =
      dicom::WriteKeyImages(source, frames, series("key images"), staging.Path() / "keyimages.dcm");
    objects.push_back(Listed("keyimages.dcm", "OT", seriesNumber, keyImages));
    selection.images.push_back(
      { keyImages.studyInstanceUid, keyImages.seriesInstanceUid, keyImages.sopClassUid, keyImages.sopInstanceUid, 0 });
  }
  else
    spdlog::warn("{}: report.html holds no key image; keyimages.dcm not written", out.string());
  for (const auto & finding : run.report.at("findings"))
  {
    selection.description += "\n" + FindingLine(finding);
    for (const auto & image : FindingImages(run, index, reference, finding))
      if (std::none_of(selection.images.begin(), selection.images.end(),
                       [&](const dicom::ImageReference & i)
                       { return i.sopInstanceUid == image.sopInstanceUid && i.frameNumber == image.frameNumber; }))
        selection.images.push_back(image);
  }
  selection.description += "\n" + ReviewNotice(version);
  if (!selection.images.empty())
  {
    const auto kos =
      dicom::WriteKeyObjectSelection(source, selection, series("key objects"), staging.Path() / "kos.dcm");
    objects.push_back(Listed("kos.dcm", "KO", seriesNumber, kos));
  }
  WriteManifest(staging.Path(), objects, run, version);
  staging.Commit(out / "dicom");
  return objects;
}
} // namespace

std::vector<ExportedObject> ExportDicom(const fs::path & out,
                                        const dicom::StudyIndex & index,
                                        const std::string & version)
{
  try
  {
    return ExportRun(out, index, version);
  }
  catch (const nlohmann::json::exception & e)
  {
    throw InputError((out / "report.json").string() + ": an entry the export needs is malformed: " + e.what(),
                     ExitCode::CorruptInput);
  }
}

std::vector<ExportedObject> ExportDicom(const fs::path & out,
                                        const std::string & study,
                                        int threads,
                                        const std::string & version)
{
  // A wrong OUT must not cost indexing the study.
  ReadExportReport(out, version);
  const StudyInput input = OpenStudy(study, threads, {});
  RequireDicomSource(input, study);
  auto objects = ExportDicom(out, input.index, version);
  spdlog::info("DICOM export: {} objects in {} (they carry the study's patient identifiers)", objects.size(),
               (out / "dicom").string());
  return objects;
}

std::vector<ExportedObject> ReadExportManifest(const fs::path & out)
{
  const fs::path file = out / "dicom" / "manifest.json";
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw InputError(out.string() + ": has no DICOM export (no dicom/manifest.json): run `icanscan export-dicom " +
                       out.string() + " STUDY` or `icanscan run ... --dicom-out` first",
                     ExitCode::NoUsableDicom);
  std::vector<ExportedObject> objects;
  try
  {
    const auto manifest = nlohmann::json::parse(in);
    if (manifest.value("report_sha256", "") != ReportDigest(out))
      throw InputError(out.string() +
                         ": dicom/ was exported from an earlier report.json (the run was made again "
                         "since): run `icanscan export-dicom " +
                         out.string() + " STUDY` again before sending",
                       ExitCode::NoUsableDicom);
    for (const auto & o : manifest.at("objects"))
      objects.push_back({ o.at("file").get<std::string>(), o.at("modality").get<std::string>(),
                          o.at("series_number").get<int>(), o.at("sop_class_uid").get<std::string>(),
                          o.at("sop_instance_uid").get<std::string>(),
                          o.at("series_instance_uid").get<std::string>() });
  }
  catch (const nlohmann::json::exception & e)
  {
    throw InputError(file.string() + ": damaged manifest: " + e.what(), ExitCode::CorruptInput);
  }
  for (const auto & o : objects)
    if (o.file.find('/') != std::string::npos || !fs::is_regular_file(out / "dicom" / o.file))
      throw InputError(file.string() + ": lists '" + o.file + "', which is not in " + (out / "dicom").string(),
                       ExitCode::CorruptInput);
  return objects;
}

} // namespace icanscan::pipeline
