#include "app/Commands.h"

#include "core/Error.h"
#include "pipeline/StudyPipeline.h"

namespace icanscan::app
{

void AddSegmentCommand(CLI::App & cli, CommandAction & action)
{
  struct Options
  {
    std::string study;
    std::string output;
    int threads = 0;
    std::vector<std::string> roles;
  };
  auto options = std::make_shared<Options>();
  CLI::App * sub = cli.add_subcommand(
    "segment", "Register every series to the reference (T2, else FLAIR) with QC and segment the ICANS structures by "
               "atlas registration; writes volumes/, transforms/ and segmentation.json");
  sub->add_option("STUDY", options->study, "DICOM folder (any depth) or folder of NIfTI files with JSON sidecars")
    ->required();
  sub->add_option("-o,--output", options->output, "Output folder (written atomically)")->required();
  sub->add_option("--threads", options->threads, "Threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  sub->add_option("--role", options->roles, "Override a role: ID=ROLE");
  sub->callback(
    [options, &action]
    {
      action = [options](std::ostream & out, std::ostream &)
      {
        pipeline::SegmentationRequest request;
        request.study = { options->study, options->roles };
        request.output = options->output;
        request.threads = options->threads;
        const auto result = pipeline::SegmentStudy(request, ProgressLogger());
        out << result.summary.dump(2) << "\n";
        return static_cast<int>(result.partial ? ExitCode::PartialSuccess : ExitCode::Ok);
      };
    });
}

} // namespace icanscan::app
