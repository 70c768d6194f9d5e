#include "app/Commands.h"

#include "pipeline/geometry/AtlasLoader.h"
#include "pipeline/report/OutputFiles.h"
#include "synthetic/PhantomCase.h"
#include "synthetic/PhantomStudyWriter.h"

namespace icanscan::app
{

void AddPhantomCommand(CLI::App & cli, CommandAction & action)
{
  struct Options
  {
    std::string caseName;
    std::string output;
    unsigned seed = 1;
    std::string geometry = "clinical";
    std::string atlas = pipeline::AtlasParams{}.folder.string();
  };
  auto options = std::make_shared<Options>();
  CLI::App * sub = cli.add_subcommand(
    "phantom",
    "Write a synthetic ICANS study (DICOM T2, FLAIR, DWI b0/b1000, ADC) with its truth: labels, lesion masks, "
    "true motion transforms and expected findings (truth/truth.json)");
  sub->add_option("CASE", options->caseName, "Case: " + synthetic::PhantomCaseNames())->required();
  sub->add_option("-o,--output", options->output, "Folder to write DIR/dicom/ and DIR/truth/ into")->required();
  sub->add_option("--seed", options->seed,
                  "Anatomy, pose, motion and noise seed (one seed: one anatomy in every case)");
  sub->add_option("--geometry", options->geometry, "clinical (2D, 5 mm slices) or 3d (1 mm isotropic)")
    ->check(CLI::IsMember({ "clinical", "3d" }));
  sub->add_option("--atlas", options->atlas, "Folder of the Colin27/AAL/JHU templates (Debian package mricron-data)");
  sub->callback(
    [options, &action]
    {
      action = [options](std::ostream & out, std::ostream &)
      {
        synthetic::PhantomParams params;
        params.caseName = options->caseName;
        params.seed = options->seed;
        params.geometry = synthetic::ParsePhantomGeometry(options->geometry);
        synthetic::FindPhantomCase(params.caseName); // a usage error before the atlas is loaded
        pipeline::EnsureWritableFolder(options->output);
        pipeline::AtlasParams atlasParams;
        atlasParams.folder = options->atlas;
        const auto atlas = pipeline::LoadAtlas(atlasParams);
        const auto studies = synthetic::PhantomStudyWriter(atlas).Write(params, options->output);
        for (const auto & study : studies)
        {
          out << "phantom " << study.caseName << (study.session.empty() ? "" : " (" + study.session + ")")
              << " written to " << study.folder.string() << " (" << study.series.size() << " series)\n";
        }
        return 0;
      };
    });
}

} // namespace icanscan::app
