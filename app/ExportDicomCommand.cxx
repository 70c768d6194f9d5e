#include "app/Commands.h"

#include "core/Version.h"
#include "pipeline/export/DicomExport.h"

#include <spdlog/spdlog.h>

namespace icanscan::app
{
namespace
{
struct ExportDicomOptions
{
  std::string output;
  std::string study;
  int threads = 0;
};

int ExportDicom(const ExportDicomOptions & o, std::ostream & out)
{
  const auto objects = pipeline::ExportDicom(o.output, o.study, o.threads, kVersion);
  out << "icanscan export-dicom: " << (std::filesystem::path(o.output) / "dicom").string() << "\n";
  for (const auto & object : objects)
    out << "  " << object.file << ": " << object.modality << ", series " << object.seriesNumber << "\n";
  out << "These objects carry the study's patient identifiers (copied from the source DICOM).\n";
  return 0;
}
} // namespace

void AddExportDicomCommand(CLI::App & cli, CommandAction & action)
{
  auto o = std::make_shared<ExportDicomOptions>();
  CLI::App * sub = cli.add_subcommand(
    "export-dicom",
    "Write OUT/dicom/ for a finished run: a DICOM Segmentation (structures and lesions), a TID 1500 measurement "
    "report, the key images (Secondary Capture) and a Key Object Selection, as new series of the source study. They "
    "carry the study's identifiers (copied from STUDY), whatever --keep-identifiers said (docs/dicom-export.md)");
  sub->add_option("OUT", o->output, "Output folder of `icanscan run`")->required();
  sub->add_option("STUDY", o->study, "The DICOM study the run was made from (a NIfTI study is refused)")->required();
  sub->add_option("--threads", o->threads, "Threads for indexing STUDY (0 = all cores)")->check(CLI::NonNegativeNumber);
  sub->callback([o, &action] { action = [o](std::ostream & out, std::ostream &) { return ExportDicom(*o, out); }; });
}

} // namespace icanscan::app
