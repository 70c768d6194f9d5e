#include "app/Commands.h"

#include "synthetic/DemoStudy.h"
#include "pipeline/report/OutputFiles.h"

namespace icanscan::app
{

void AddDemoCommand(CLI::App & cli, CommandAction & action)
{
  struct Options
  {
    std::string output;
    unsigned seed = 1;
  };
  auto options = std::make_shared<Options>();
  CLI::App * sub = cli.add_subcommand("demo", "Write a small synthetic DICOM study (T2, FLAIR, DWI b0/b1000, ADC, "
                                              "3-plane localizer) to try the other commands on");
  sub->add_option("DIR", options->output, "Folder to write the study into")->required();
  sub->add_option("--seed", options->seed, "Noise seed");
  sub->callback(
    [options, &action]
    {
      action = [options](std::ostream & out, std::ostream &)
      {
        pipeline::EnsureWritableFolder(options->output);
        synthetic::WriteDemoStudy(options->output, options->seed);
        out << "demo study written to " << options->output << "\n";
        return 0;
      };
    });
}

} // namespace icanscan::app
