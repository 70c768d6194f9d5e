#include "app/Commands.h"
#include "pipeline/input/StudyInput.h"

#include "core/Error.h"
#include "core/RuntimeLimits.h"
#include "pipeline/input/StudyIndexJson.h"

namespace icanscan::app
{

void AddIndexCommand(CLI::App & cli, CommandAction & action)
{
  struct Options
  {
    std::string study;
    bool json = false;
    int threads = 0;
    std::vector<std::string> roles;
    std::string studyUid;
  };
  auto options = std::make_shared<Options>();
  CLI::App * sub = cli.add_subcommand("index", "List every series (volume set) of a DICOM study with role, geometry, "
                                               "b-values and verdict");
  sub
    ->add_option("STUDY", options->study,
                 "DICOM folder (any depth) or file, or folder of NIfTI files with JSON sidecars")
    ->required();
  sub->add_flag("--json", options->json, "Print JSON instead of a table");
  sub->add_option("--threads", options->threads, "Threads for header parsing (0 = all cores)")
    ->check(CLI::Range(0, kMaxThreads));
  sub->add_option("--study", options->studyUid, "StudyInstanceUID of the study to list when STUDY holds several");
  sub->add_option("--role", options->roles,
                  "Override a role: ID=ROLE (ID: series id such as 7 or 7.2, or a "
                  "SeriesInstanceUID)");
  sub->callback(
    [options, &action]
    {
      action = [options](std::ostream & out, std::ostream &)
      {
        const pipeline::StudyInput input =
          pipeline::OpenStudy(options->study, options->threads, options->roles, options->studyUid);
        const dicom::StudyIndex & index = input.index;
        if (options->json)
          out << pipeline::StudyIndexToJson(index).dump(2) << "\n";
        else
          out << pipeline::StudyIndexToText(index);
        return static_cast<int>(ExitCode::Ok);
      };
    });
}

} // namespace icanscan::app
