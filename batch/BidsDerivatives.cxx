#include "batch/BidsDerivatives.h"

#include "batch/BidsNaming.h"
#include "batch/ReportDigest.h"
#include "core/Error.h"
#include "pipeline/geometry/StructureLabels.h"
#include "pipeline/report/OutputFiles.h"

#include <cstdio>
#include <sstream>

namespace icanscan::batch
{
namespace fs = std::filesystem;

namespace
{
constexpr const char * kBidsVersion = "1.8.0";

std::string FileUrl(const fs::path & folder)
{
  return "file://" + fs::absolute(folder).lexically_normal().string();
}

std::string RawUri(const BidsDataset & dataset, const fs::path & file)
{
  return "bids:raw:" + file.lexically_relative(dataset.root).generic_string();
}

void CopyAtomically(const fs::path & from, const fs::path & to)
{
  const fs::path temporary = pipeline::TemporarySibling(to);
  std::error_code ec;
  fs::copy_file(from, temporary, fs::copy_options::overwrite_existing, ec);
  if (ec)
  {
    fs::remove(temporary, ec);
    throw OutputError(to.string() + ": cannot copy " + from.string() + ": " + ec.message());
  }
  pipeline::CommitFile(temporary, to);
}

std::string DsegTsv()
{
  std::string text = "index\tname\tcolor\n";
  for (const auto & s : pipeline::AllStructures())
  {
    char colour[8];
    std::snprintf(colour, sizeof(colour), "#%02x%02x%02x", s.rgb[0], s.rgb[1], s.rgb[2]);
    text += std::to_string(static_cast<int>(s.structure)) + "\t" + s.key + "\t" + colour + "\n";
  }
  return text;
}
} // namespace

const std::vector<std::string> & BidsDerivativeSuffixes()
{
  static const std::vector<std::string> suffixes{ "dseg", "mask", "report" };
  return suffixes;
}

const std::vector<std::string> & BidsDerivativeExtensions()
{
  static const std::vector<std::string> extensions{ ".nii.gz", ".json", ".tsv", ".html" };
  return extensions;
}

StudyEntry PrepareSessionStudy(const BidsSession & session, const fs::path & linkFolder)
{
  std::error_code ec;
  fs::remove_all(linkFolder, ec);
  pipeline::EnsureWritableFolder(linkFolder);
  StudyEntry study;
  study.id = session.Id();
  study.study = linkFolder;
  for (const auto & image : session.images)
  {
    std::vector<fs::path> files{ image.file };
    files.insert(files.end(), image.companions.begin(), image.companions.end());
    for (const auto & f : files)
    {
      fs::create_symlink(fs::absolute(f), linkFolder / f.filename(), ec);
      if (ec)
        throw OutputError((linkFolder / f.filename()).string() + ": cannot link " + f.string() + ": " + ec.message());
    }
    std::string stem = image.file.filename().string();
    stem = stem.substr(0, stem.find(".nii"));
    study.roles.push_back(stem + "=" + image.role);
  }
  return study;
}

nlohmann::json DerivativeDescription(const BidsDataset & dataset, const std::string & version)
{
  nlohmann::json source = { { "URL", FileUrl(dataset.root) } };
  if (!dataset.doi.empty())
    source["DOI"] = dataset.doi;
  if (!dataset.version.empty())
    source["Version"] = dataset.version;
  return {
    { "Name", "icanscan ICANS imaging" + (dataset.name.empty() ? std::string() : ": " + dataset.name) },
    { "BIDSVersion", kBidsVersion },
    { "DatasetType", "derivative" },
    { "GeneratedBy",
      { { { "Name", "icanscan" },
          { "Version", version },
          { "Description", "ICANS structure segmentation, T2/FLAIR hyperintensity and restricted diffusion masks, "
                           "cerebral-oedema flag and ASTCT oedema-domain grade (icanscan run per session)" } } } },
    { "SourceDatasets", { source } },
    { "DatasetLinks", { { "raw", FileUrl(dataset.root) } } },
  };
}

void WriteDerivativeDataset(const fs::path & out, const BidsDataset & dataset, const std::string & version)
{
  pipeline::EnsureWritableFolder(out);
  pipeline::WriteTextFileAtomically(out / "dataset_description.json",
                                    DerivativeDescription(dataset, version).dump(2) + "\n");
  pipeline::WriteTextFileAtomically(out / ".bidsignore", "runs/\n");
}

std::vector<fs::path> WriteSessionDerivatives(const fs::path & out,
                                              const BidsDataset & dataset,
                                              const BidsSession & session,
                                              const fs::path & runOut)
{
  const ReportDigest report = ReadReportDigest(runOut / "report.json");
  const std::string referenceRole = report.referenceRole == "FLAIR" ? "FLAIR" : "T2";
  std::vector<std::string> references;
  for (const auto * image : session.Images(referenceRole))
    references.push_back(RawUri(dataset, image->file));
  nlohmann::json sources = nlohmann::json::array();
  for (const auto & image : session.images)
    sources.push_back(RawUri(dataset, image.file));

  const fs::path sessionFolder = out / session.folder.lexically_relative(dataset.root);
  const fs::path anat = sessionFolder / "anat";
  pipeline::EnsureWritableFolder(anat);
  BidsName name;
  name.subject = session.subject;
  name.session = session.session;
  name.entities = { { "space", referenceRole == "FLAIR" ? "FLAIR" : "T2w" } };
  std::vector<fs::path> written;
  auto sidecar = [&](const BidsName & n, nlohmann::json meta)
  {
    meta["Sources"] = sources;
    meta["SpatialReference"] = references.size() == 1 ? nlohmann::json(references.front()) : nlohmann::json(references);
    BidsName json = n;
    json.extension = ".json";
    pipeline::WriteTextFileAtomically(anat / json.FileName(), meta.dump(2) + "\n");
    written.push_back(anat / json.FileName());
  };
  auto image = [&](const BidsName & n, const fs::path & from)
  {
    CopyAtomically(from, anat / n.FileName());
    written.push_back(anat / n.FileName());
  };

  BidsName dseg = name;
  dseg.suffix = "dseg";
  dseg.extension = ".nii.gz";
  image(dseg, runOut / "volumes" / "labels.nii.gz");
  sidecar(dseg, { { "Description", "ICANS structures (labels in the _dseg.tsv): atlas registration, refined on the "
                                   "subject's tissue classes; on the grid of the reference series" },
                  { "Manual", false } });
  BidsName table = dseg;
  table.extension = ".tsv";
  pipeline::WriteTextFileAtomically(anat / table.FileName(), DsegTsv());
  written.push_back(anat / table.FileName());

  struct Mask
  {
    const char * label;
    const char * file;
    const char * description;
  };
  for (const Mask & m : { Mask{ "T2FLAIRlesion", "lesion_t2flair.nii.gz",
                                "T2/FLAIR hyperintensity against the patient's own normal-appearing tissue" },
                          Mask{ "restricted", "lesion_dwi.nii.gz",
                                "Restricted diffusion (DWI bright and ADC low; T2 shine-through excluded), resampled "
                                "to the reference grid" } })
  {
    std::error_code ec;
    if (!fs::is_regular_file(runOut / "volumes" / m.file, ec))
      continue; // not assessable: no mask rather than an empty one
    BidsName mask = name;
    mask.entities.emplace_back("label", m.label);
    mask.suffix = "mask";
    mask.extension = ".nii.gz";
    image(mask, runOut / "volumes" / m.file);
    sidecar(mask, { { "Type", "Lesion" }, { "Description", m.description } });
  }

  BidsName reportName;
  reportName.subject = session.subject;
  reportName.session = session.session;
  reportName.suffix = "report";
  for (const char * ext : { ".json", ".html" })
  {
    reportName.extension = ext;
    CopyAtomically(runOut / ("report" + std::string(ext)), sessionFolder / reportName.FileName());
    written.push_back(sessionFolder / reportName.FileName());
  }
  return written;
}

std::string GroupTsv(const std::vector<BidsSession> & sessions, const std::vector<SummaryRow> & rows)
{
  std::istringstream summary(SummaryTsv(rows));
  std::string line, text;
  std::getline(summary, line);
  text = "participant_id\tsession_id" + line.substr(line.find('\t')) + "\n";
  for (const auto & row : rows)
  {
    if (!std::getline(summary, line))
      break;
    std::string participant = "n/a", session = "n/a";
    for (const auto & s : sessions)
      if (s.Id() == row.record.id)
      {
        participant = "sub-" + s.subject;
        session = s.session.empty() ? "n/a" : "ses-" + s.session;
      }
    text += participant + "\t" + session + line.substr(line.find('\t')) + "\n";
  }
  return text;
}

} // namespace icanscan::batch
