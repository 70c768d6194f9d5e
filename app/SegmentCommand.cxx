#include "app/Commands.h"
#include "pipeline/input/StudyInput.h"

#include "core/Error.h"
#include "core/RuntimeLimits.h"
#include "pipeline/report/OutputFiles.h"
#include "pipeline/geometry/StructureLabels.h"
#include "pipeline/geometry/StudyGeometryStage.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cmath>

namespace icanscan::app
{
namespace
{
nlohmann::json Finite(double v)
{
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json Summary(const pipeline::StudyGeometry & geometry)
{
  nlohmann::json j;
  j["reference"] = { { "role", geometry.referenceRole }, { "series_id", geometry.reference->id } };
  j["registration"] = nlohmann::json::array();
  for (const auto & r : geometry.registrations)
  {
    j["registration"].push_back({ { "moving", r.role },
                                  { "fixed", r.fixedRole },
                                  { "status", filters::ToString(r.qc.verdict) },
                                  { "reasons", r.qc.reasons },
                                  { "mutual_information", Finite(r.qc.mutualInformation) },
                                  { "edge_correlation", Finite(r.qc.edgeCorrelation) },
                                  { "rotation_deg", Finite(r.qc.rotationDeg) },
                                  { "translation_mm", Finite(r.qc.translationMm) },
                                  { "seconds", r.seconds } });
  }
  const auto * labels = geometry.segmentation.labels.GetPointer();
  const auto spacing = labels->GetSpacing();
  const double voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000.0;
  std::vector<std::size_t> counts(pipeline::kStructureCount + 1, 0);
  for (std::size_t i = 0; i < labels->GetLargestPossibleRegion().GetNumberOfPixels(); ++i)
    if (labels->GetBufferPointer()[i] <= pipeline::kStructureCount)
      ++counts[labels->GetBufferPointer()[i]];
  for (const auto & s : pipeline::AllStructures())
    j["structures"][s.key]["volume_ml"] = counts[static_cast<std::size_t>(s.structure)] * voxelMl;
  j["segmentation"] = { { "seconds", geometry.segmentation.seconds },
                        { "registration_seconds", geometry.segmentation.registrationSeconds },
                        { "notes", geometry.segmentation.notes } };
  return j;
}
} // namespace

void AddSegmentCommand(CLI::App & cli, CommandAction & action)
{
  struct Options
  {
    std::string study;
    std::string output;
    int threads = 0;
    std::vector<std::string> roles;
    std::string studyUid;
  };
  auto options = std::make_shared<Options>();
  CLI::App * sub = cli.add_subcommand(
    "segment", "Register every series to the reference (T2, else FLAIR) with QC and segment the ICANS structures by "
               "atlas registration; writes volumes/, transforms/ and segmentation.json");
  sub->add_option("STUDY", options->study, "DICOM folder (any depth)")->required();
  sub->add_option("-o,--output", options->output, "Output folder (written atomically)")->required();
  sub->add_option("--threads", options->threads, "Threads (0 = all cores)")->check(CLI::Range(0, kMaxThreads));
  sub->add_option("--study", options->studyUid, "StudyInstanceUID of the study to use when STUDY holds several");
  sub->add_option("--role", options->roles, "Override a role: ID=ROLE");
  sub->callback(
    [options, &action]
    {
      action = [options](std::ostream & out, std::ostream &)
      {
        pipeline::CheckOutputOutsideInputs(options->output, { options->study });
        pipeline::StagedOutputFolder staged(options->output); // OUT checked and locked before any work
        const dicom::StudyIndex index =
          pipeline::IndexStudyOrThrow(options->study, options->threads, options->roles, options->studyUid);
        spdlog::info("loading the atlas");
        const pipeline::Atlas atlas = pipeline::LoadAtlas();
        spdlog::info("registering series and atlas");
        pipeline::StudyGeometryParams params;
        params.threads = options->threads;
        const pipeline::StudyGeometry geometry = pipeline::StudyGeometryStage(params).Run(index, atlas);
        pipeline::WriteStudyGeometry(geometry, staged.Path());
        const nlohmann::json summary = Summary(geometry);
        pipeline::WriteTextFileAtomically(staged.Path() / "segmentation.json", summary.dump(2) + "\n");
        staged.Commit();
        out << summary.dump(2) << "\n";
        bool anyFailed = false;
        for (const auto & r : geometry.registrations)
          anyFailed = anyFailed || r.qc.verdict == filters::QcVerdict::Failed;
        return static_cast<int>(anyFailed || index.CountDamaged() > 0 ? ExitCode::PartialSuccess : ExitCode::Ok);
      };
    });
}

} // namespace icanscan::app
