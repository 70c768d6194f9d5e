#include "app/Commands.h"
#include "pipeline/input/StudyInput.h"

#include "core/Error.h"
#include "core/RuntimeLimits.h"
#include "pipeline/report/OutputFiles.h"
#include "pipeline/input/ConvertStage.h"

#include <spdlog/spdlog.h>

namespace icanscan::app
{

void AddConvertCommand(CLI::App & cli, CommandAction & action)
{
  struct Options
  {
    std::string study;
    std::string output;
    int threads = 0;
    bool noDerived = false;
    std::vector<std::string> roles;
    std::string studyUid;
  };
  auto options = std::make_shared<Options>();
  CLI::App * sub = cli.add_subcommand(
    "convert", "Write every accepted volume set as NIfTI (.nii.gz) + JSON sidecar (+ .bval/.bvec), with a log");
  sub->add_option("STUDY", options->study, "DICOM folder (any depth) or file")->required();
  sub->add_option("-o,--output", options->output, "Output folder (created when missing)")->required();
  sub->add_option("--threads", options->threads, "Threads (0 = all cores)")->check(CLI::Range(0, kMaxThreads));
  sub->add_option("--study", options->studyUid, "StudyInstanceUID of the study to convert when STUDY holds several");
  sub->add_flag("--no-derived", options->noDerived, "Do not derive b0 and trace volumes from directional DWI");
  sub->add_option("--role", options->roles, "Override a role: ID=ROLE");
  sub->callback(
    [options, &action]
    {
      action = [options](std::ostream & out, std::ostream &)
      {
        pipeline::CheckOutputOutsideInputs(options->output, { options->study });
        const dicom::StudyIndex index =
          pipeline::IndexStudyOrThrow(options->study, options->threads, options->roles, options->studyUid);
        pipeline::ConvertParams params;
        params.outputFolder = options->output;
        params.threads = options->threads;
        params.deriveDiffusion = !options->noDerived;
        const pipeline::ConvertResult result = pipeline::ConvertStage(params).Run(index);
        for (const auto & file : result.written)
          out << file.string() << "\n";
        bool anyCorrupt = false;
        for (const auto & failure : result.failures)
        {
          spdlog::warn("series {} not converted: {}", failure.seriesId, failure.reason);
          anyCorrupt = anyCorrupt || failure.corruptInput;
        }
        if (result.converted == 0)
        {
          throw InputError(options->study + ": no volume set could be converted (see " + result.log.string() + ")",
                           anyCorrupt ? ExitCode::CorruptInput : ExitCode::NoUsableDicom);
        }
        const bool complete = result.failures.empty() && index.CountDamaged() == 0;
        return static_cast<int>(complete ? ExitCode::Ok : ExitCode::PartialSuccess);
      };
    });
}

} // namespace icanscan::app
