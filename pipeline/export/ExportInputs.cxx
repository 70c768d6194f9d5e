#include "pipeline/export/ExportInputs.h"

#include "core/Error.h"
#include "filters/RigidRegistration.h"
#include "pipeline/report/StudyReport.h"

#include "itkImageFileReader.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
namespace fs = std::filesystem;

filters::MaskImage::Pointer ReadMask(const fs::path & file)
{
  try
  {
    auto reader = itk::ImageFileReader<filters::MaskImage>::New();
    reader->SetFileName(file.string());
    reader->Update();
    return reader->GetOutput();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw InputError(file.string() + ": cannot be read: " + e.GetDescription(), ExitCode::CorruptInput);
  }
}

const dicom::VolumeSet * SetById(const dicom::StudyIndex & index, const std::string & id)
{
  for (const auto & set : index.volumeSets)
    if (set.id == id)
      return &set;
  return nullptr;
}

double Dot(const std::array<double, 3> & a, const std::array<double, 3> & b)
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Slice k of `set` nearest to `point` (LPS), or -1 when the point lies more than half a slice outside. */
int NearestSlice(const dicom::VolumeSet & set, const std::array<double, 3> & point)
{
  const std::array<double, 3> normal{ set.direction[2], set.direction[5], set.direction[8] };
  const double along = Dot(point, normal) - Dot(set.origin, normal);
  const long k = std::lround(along / set.spacing[2]);
  return k < 0 || k >= static_cast<long>(set.slices) ? -1 : static_cast<int>(k);
}

dicom::ImageReference Reference(const dicom::FrameHeader & frame)
{
  const auto & file = *frame.file;
  dicom::ImageReference r;
  r.studyInstanceUid = file.studyInstanceUid;
  r.seriesInstanceUid = file.seriesInstanceUid;
  r.sopClassUid = file.sopClassUid;
  r.sopInstanceUid = file.sopInstanceUid;
  r.frameNumber = file.numberOfFrames > 1 ? frame.frameIndex + 1 : 0;
  return r;
}

/** The volume of a diffusion set with the highest b-value (the trace the restriction was seen on). */
unsigned HighestBVolume(const dicom::VolumeSet & set)
{
  unsigned best = 0;
  for (unsigned v = 0; v < set.diffusion.size(); ++v)
    if (set.diffusion[v].bValue > set.diffusion[best].bValue)
      best = v;
  return best;
}

/** The volume set the run used for `role` (report.json series[] with used: true). */
const dicom::VolumeSet * UsedSet(const dicom::StudyIndex & index,
                                 const nlohmann::json & report,
                                 const std::string & role)
{
  for (const auto & s : report.at("series"))
    if (s.value("used", false) && s.value("role", "") == role)
      return SetById(index, s.at("id").get<std::string>());
  return nullptr;
}
} // namespace

nlohmann::json ReadExportReport(const fs::path & out, const std::string & version)
{
  nlohmann::json r;
  const fs::path reportFile = out / "report.json";
  std::ifstream in(reportFile, std::ios::binary);
  if (!in)
    throw UsageError(out.string() + ": not an icanscan run folder (no readable report.json); give the OUT folder of "
                                    "`icanscan run`");
  try
  {
    r = nlohmann::json::parse(in);
  }
  catch (const nlohmann::json::exception & e)
  {
    throw InputError(reportFile.string() + ": not valid JSON: " + e.what(), ExitCode::CorruptInput);
  }
  const int schema =
    r.contains("schema_version") && r["schema_version"].is_number_integer() ? r["schema_version"].get<int>() : -1;
  const std::string made = r.contains("icanscan_version") && r["icanscan_version"].is_string()
                             ? r["icanscan_version"].get<std::string>()
                             : "(unknown)";
  if (schema != kReportSchemaVersion || made != version)
    throw InputError(reportFile.string() + ": written by icanscan " + made + " with report schema_version " +
                       (schema < 0 ? std::string("(missing)") : std::to_string(schema)) + "; this icanscan " + version +
                       " exports only its own outputs (schema_version " + std::to_string(kReportSchemaVersion) +
                       "): run `icanscan run` again with this version",
                     ExitCode::CorruptInput);
  for (const char * key :
       { "study", "reference", "series", "structures", "findings", "lesions", "oedema", "icans", "registration" })
    if (!r.contains(key))
      throw InputError(reportFile.string() + ": has no '" + key + "'", ExitCode::CorruptInput);
  return r;
}

RunForExport ReadRunForExport(const fs::path & out, const std::string & version)
{
  RunForExport run;
  run.out = out;
  run.report = ReadExportReport(out, version);
  run.labels = ReadMask(out / "volumes" / "labels.nii.gz");
  if (fs::exists(out / "volumes" / "lesion_t2flair.nii.gz"))
    run.t2flair = ReadMask(out / "volumes" / "lesion_t2flair.nii.gz");
  if (fs::exists(out / "volumes" / "lesion_dwi.nii.gz"))
    run.restricted = ReadMask(out / "volumes" / "lesion_dwi.nii.gz");
  for (const auto & mask : { run.t2flair, run.restricted })
    if (mask && mask->GetLargestPossibleRegion() != run.labels->GetLargestPossibleRegion())
      throw InputError(out.string() + ": a lesion mask and labels.nii.gz differ in size", ExitCode::CorruptInput);
  return run;
}

const dicom::VolumeSet & FindReferenceSet(const dicom::StudyIndex & index, const RunForExport & run)
{
  const auto & ref = run.report.at("reference");
  const std::string id = ref.at("series_id").get<std::string>();
  const std::string where = index.root.string();
  const dicom::VolumeSet * set = SetById(index, id);
  if (!set)
    throw InputError(where + ": has no series " + id + ", the reference of " + run.out.string() +
                       ": give the study the run was made from",
                     ExitCode::NoUsableDicom);
  const auto & h = set->Header();
  if (Sha256Hex(h.studyInstanceUid) != run.report.at("study").at("study_uid_hash").get<std::string>())
    throw InputError(where + ": series " + id + " belongs to another study than " + run.out.string() +
                       " (the SHA-256 of its StudyInstanceUID differs from study.study_uid_hash)",
                     ExitCode::NoUsableDicom);
  if (h.seriesNumber != ref.at("series_number").get<int>() ||
      dicom::ToString(set->role) != ref.at("role").get<std::string>())
    throw InputError(where + ": series " + id + " is series number " + std::to_string(h.seriesNumber) + " with role " +
                       dicom::ToString(set->role) + "; " + run.out.string() + " was made with series number " +
                       std::to_string(ref.at("series_number").get<int>()) + " as " + ref.at("role").get<std::string>(),
                     ExitCode::NoUsableDicom);
  if (set->verdict == dicom::Verdict::Rejected || set->frames.size() < set->slices)
    throw InputError(where + ": series " + id + " is rejected by the DICOM checks", ExitCode::NoUsableDicom);

  const auto * labels = run.labels.GetPointer();
  const auto size = labels->GetLargestPossibleRegion().GetSize();
  bool same = size[0] == set->columns && size[1] == set->rows && size[2] == set->slices;
  for (unsigned d = 0; d < 3 && same; ++d)
  {
    same = std::abs(labels->GetSpacing()[d] - set->spacing[d]) < 1e-3 &&
           std::abs(labels->GetOrigin()[d] - set->origin[d]) < 1e-2;
    for (unsigned c = 0; c < 3; ++c)
      same = same && std::abs(labels->GetDirection()[d][c] - set->direction[d * 3 + c]) < 1e-4;
  }
  if (!same)
    throw InputError(run.out.string() + ": volumes/labels.nii.gz is not on the grid of series " + id + " of " + where,
                     ExitCode::NoUsableDicom);
  return *set;
}

dicom::SourceSeries ToSourceSeries(const dicom::VolumeSet & set, unsigned volume)
{
  dicom::SourceSeries s;
  s.headerFile = set.Header().path;
  s.rows = set.rows;
  s.columns = set.columns;
  const auto & first = set.frames.at(static_cast<std::size_t>(volume) * set.slices);
  if (first.orientation)
    s.orientation = *first.orientation;
  if (first.pixelSpacing)
    s.pixelSpacing = *first.pixelSpacing;
  s.sliceThickness = first.sliceThickness;
  s.sliceSpacing = set.spacing[2];
  for (unsigned k = 0; k < set.slices; ++k)
  {
    const auto & frame = set.frames.at(static_cast<std::size_t>(volume) * set.slices + k);
    s.slices.push_back(Reference(frame));
    s.positions.push_back(frame.position.value_or(std::array<double, 3>{}));
  }
  return s;
}

std::vector<dicom::ImageReference> FindingImages(const RunForExport & run,
                                                 const dicom::StudyIndex & index,
                                                 const dicom::VolumeSet & reference,
                                                 const nlohmann::json & finding)
{
  std::vector<dicom::ImageReference> images;
  std::array<double, 3> centre{};
  for (unsigned d = 0; d < 3; ++d)
    centre[d] = finding.at("centroid_mm").at(d).get<double>();
  const int k = NearestSlice(reference, centre);
  if (k >= 0)
    images.push_back(Reference(reference.frames.at(static_cast<std::size_t>(k))));

  const bool restriction = finding.at("kind").get<std::string>() == "restricted_diffusion";
  const auto & detection = run.report.contains("detection") ? run.report["detection"] : nlohmann::json();
  const std::string role =
    restriction ? "DWI"
    : detection.contains("hyperintensity_sequence") && detection["hyperintensity_sequence"].is_string()
      ? detection["hyperintensity_sequence"].get<std::string>()
      : std::string();
  const std::string referenceRole = run.report.at("reference").at("role").get<std::string>();
  if (role.empty() || role == referenceRole)
    return images;
  const dicom::VolumeSet * set = UsedSet(index, run.report, role);
  const fs::path transform = run.out / "transforms" / ((restriction ? "DWI_b0" : role) + "_to_reference.tfm");
  if (!set || set->verdict == dicom::Verdict::Rejected || !fs::exists(transform))
    return images;
  const auto rigid = filters::ReadRigidTransform(transform);
  itk::Point<double, 3> p;
  for (unsigned d = 0; d < 3; ++d)
    p[d] = centre[d];
  const auto moved = rigid->TransformPoint(p);
  const int slice = NearestSlice(*set, { moved[0], moved[1], moved[2] });
  const unsigned volume = restriction ? HighestBVolume(*set) : 0;
  const std::size_t frame = static_cast<std::size_t>(volume) * set->slices + static_cast<std::size_t>(slice);
  if (slice >= 0 && frame < set->frames.size())
    images.push_back(Reference(set->frames[frame]));
  return images;
}

} // namespace icanscan::pipeline
