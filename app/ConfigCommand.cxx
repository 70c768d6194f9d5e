#include "app/Commands.h"

#include "pipeline/RunConfig.h"

namespace icanscan::app
{

void AddConfigCommand(CLI::App & cli, CommandAction & action)
{
  auto markdown = std::make_shared<bool>(false);
  CLI::App * sub = cli.add_subcommand(
    "config", "Print the default algorithm settings of `run` as a TOML file to start a --config from (docs/config.md)");
  sub->add_flag("--markdown", *markdown, "Print each section's settings as the Markdown table of docs/config.md");
  sub->callback(
    [markdown, &action]
    {
      action = [markdown](std::ostream & out, std::ostream &)
      {
        if (!*markdown)
          out << pipeline::RunConfigToToml(pipeline::RunParams{});
        else
          for (const auto & section : pipeline::RunConfigSections())
            out << "## [" << section << "]\n\n" << pipeline::RunConfigMarkdownTable(section) << "\n";
        return 0;
      };
    });
}

} // namespace icanscan::app
