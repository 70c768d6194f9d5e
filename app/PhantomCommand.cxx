#include "app/Commands.h"

#include "pipeline/geometry/AtlasLoader.h"
#include "pipeline/report/OutputFiles.h"
#include "synthetic/AnatomyDescriptor.h"
#include "synthetic/AnatomySource.h"
#include "synthetic/PhantomCase.h"
#include "synthetic/PhantomStudyWriter.h"

#include <cstdlib>

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
    std::string anatomy = "colin27";
    std::string anatomyRoot;
    std::string variability = "default";
    std::string vendor = "default";
  };
  auto options = std::make_shared<Options>();
  CLI::App * sub = cli.add_subcommand(
    "phantom",
    "Write a synthetic ICANS study (DICOM T2, FLAIR, DWI b0/b1000, ADC, and a localizer with a drawn protocol) with "
    "its truth: labels, lesion masks, true motion transforms, expected findings and oedema-marker truth "
    "(truth/truth.json; docs/phantom.md)");
  sub->add_option("CASE", options->caseName, "Case: " + synthetic::PhantomCaseNames())->required();
  sub->add_option("-o,--output", options->output, "Folder to write DIR/dicom/ and DIR/truth/ into")->required();
  sub->add_option("--seed", options->seed, "Anatomy, pose, motion and noise seed (one seed: one subject in every case)")
    ->capture_default_str();
  sub->add_option("--geometry", options->geometry, "clinical (2D, 5-6 mm slices) or 3d (1 mm isotropic)")
    ->check(CLI::IsMember({ "clinical", "3d" }))
    ->capture_default_str();
  sub
    ->add_option("--anatomy", options->anatomy,
                 "colin27 (the program's own atlas: an upper bound) or an anatomy descriptor FILE.toml, e.g. "
                 "synthetic/anatomies/mni152nlin6.toml")
    ->capture_default_str();
  sub->add_option("--anatomy-root", options->anatomyRoot,
                  "Folder the descriptor's image paths are relative to (default: its own 'root', or the environment "
                  "variable ICANSCAN_ANATOMY_ROOT)");
  sub
    ->add_option("--variability", options->variability,
                 "on: draw age, head size, ventricles, sulci, thalami, lesion side and the protocol from the seed; "
                 "off: the template as it is (default: on with a descriptor, off with colin27)")
    ->check(CLI::IsMember({ "default", "on", "off" }));
  sub
    ->add_option("--vendor", options->vendor,
                 "DICOM layout: icanscan, siemens, ge or philips (default: drawn with variability, else icanscan)")
    ->check(CLI::IsMember({ "default", "icanscan", "siemens", "ge", "philips" }));
  sub->add_option("--atlas", options->atlas, "Folder of the Colin27/AAL/JHU templates (Debian package mricron-data)")
    ->capture_default_str();
  sub->callback(
    [options, &action]
    {
      action = [options](std::ostream & out, std::ostream &)
      {
        synthetic::PhantomParams params;
        params.caseName = options->caseName;
        params.seed = options->seed;
        params.geometry = synthetic::ParsePhantomGeometry(options->geometry);
        if (options->variability != "default")
          params.variability = options->variability == "on";
        if (options->vendor != "default")
          params.vendor = synthetic::ParsePhantomVendor(options->vendor);
        synthetic::FindPhantomCase(params.caseName); // a usage error before any image is read
        std::optional<synthetic::AnatomyDescriptor> descriptor;
        if (options->anatomy != "colin27")
        {
          std::optional<std::filesystem::path> root;
          if (!options->anatomyRoot.empty())
            root = std::filesystem::u8path(options->anatomyRoot);
          else if (const char * env = std::getenv("ICANSCAN_ANATOMY_ROOT"); env && *env)
            root = std::filesystem::u8path(env);
          descriptor = synthetic::ReadAnatomyDescriptor(std::filesystem::u8path(options->anatomy), root);
        }
        pipeline::EnsureWritableFolder(options->output);
        synthetic::AnatomySource source;
        if (descriptor)
          source = synthetic::LoadAnatomySource(*descriptor);
        else
        {
          pipeline::AtlasParams atlasParams;
          atlasParams.folder = options->atlas;
          source = synthetic::ColinAnatomySource(pipeline::LoadAtlas(atlasParams));
        }
        const auto studies = synthetic::PhantomStudyWriter(source).Write(params, options->output);
        for (const auto & study : studies)
        {
          out << "phantom " << study.caseName << (study.session.empty() ? "" : " (" + study.session + ")")
              << " written to " << study.folder.string() << " (" << study.series.size() << " series, "
              << synthetic::ToString(study.protocol.vendor) << " layout)\n";
        }
        return 0;
      };
    });
}

} // namespace icanscan::app
