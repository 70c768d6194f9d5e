#include "app/Commands.h"
#include "pipeline/input/StudyInput.h"

#include "core/Error.h"
#include "core/FolderLock.h"
#include "core/RemoveOnSignal.h"
#include "dicom/VolumeReader.h"
#include "pipeline/report/NiftiWriter.h"
#include "pipeline/report/OutputFiles.h"
#include "viewer/InteractiveViewer.h"
#include "viewer/Snapshot.h"
#include "viewer/ViewerScene.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <unistd.h>

namespace icanscan::app
{
namespace
{
/** A temporary folder removed when the viewer is done. */
class TemporaryFolder
{
public:
  TemporaryFolder()
    : m_Path(std::filesystem::temp_directory_path() / ("icanscan-view-" + std::to_string(::getpid())))
    , m_Cleanup(m_Path)
  {
    RemoveStaleFolders(m_Path.parent_path(), "icanscan-view-", 0.0); // left by viewers that were killed
    std::filesystem::remove_all(m_Path);
    pipeline::EnsureWritableFolder(m_Path / "volumes");
  }
  ~TemporaryFolder()
  {
    std::error_code ec;
    std::filesystem::remove_all(m_Path, ec);
  }
  TemporaryFolder(const TemporaryFolder &) = delete;
  TemporaryFolder & operator=(const TemporaryFolder &) = delete;
  const std::filesystem::path & Path() const { return m_Path; }

private:
  std::filesystem::path m_Path;
  RemoveOnSignal m_Cleanup;
};

/** A DICOM study instead of an OUT folder: its T2, FLAIR, DWI (b0 and highest b) and ADC series as they were
 * acquired (no registration, no findings), written where ViewerScene reads them. */
void StageStudy(const std::string & study, const std::filesystem::path & folder)
{
  const dicom::StudyIndex index = pipeline::IndexStudyOrThrow(study, 0, {});
  std::size_t written = 0;
  for (const auto role :
       { dicom::SeriesRole::T2, dicom::SeriesRole::FLAIR, dicom::SeriesRole::DWI, dicom::SeriesRole::ADC })
  {
    const dicom::VolumeSet * chosen = nullptr;
    for (const auto & set : index.volumeSets)
      if (set.role == role && set.verdict != dicom::Verdict::Rejected && set.slices >= 3 &&
          (!chosen || set.frames.size() > chosen->frames.size()))
        chosen = &set;
    if (!chosen)
      continue;
    const auto volumes = dicom::ReadVolumes(*chosen);
    const auto name = dicom::ToString(role);
    if (role != dicom::SeriesRole::DWI)
    {
      pipeline::WriteNifti({ volumes.front() }, folder / "volumes" / (name + ".nii.gz"));
      ++written;
      continue;
    }
    const auto b = chosen->BValues();
    std::size_t low = 0, high = 0;
    for (std::size_t v = 0; v < volumes.size() && v < b.size(); ++v)
    {
      low = b[v] < b[low] ? v : low;
      high = b[v] > b[high] ? v : high;
    }
    pipeline::WriteNifti({ volumes[low] }, folder / "volumes" / "DWI_b0.nii.gz");
    pipeline::WriteNifti({ volumes[high] }, folder / "volumes" / "DWI_b1000.nii.gz");
    written += 2;
  }
  if (written == 0)
    throw InputError(study + ": no usable T2, FLAIR, DWI or ADC series to show", ExitCode::NoUsableDicom);
  pipeline::WriteTextFileAtomically(folder / "report.json", "{}\n");
  spdlog::info("{}: a DICOM study, shown as acquired (not registered; run `icanscan run` for findings)", study);
}
} // namespace

void AddViewCommand(CLI::App & cli, CommandAction & action)
{
  struct Options
  {
    std::string output;
    std::string snapshot;
    std::string plane = "axial";
    int slice = -1;
    int finding = 0;
    bool autoPosition = false;
    std::string base;
    bool neurological = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App * sub = cli.add_subcommand(
    "view", "View an `icanscan run` output folder: axial, coronal and sagittal slices with the structure labels, the "
            "lesions (T2/FLAIR red, DWI blue) and the report's oedema flag and findings; or render one slice to PNG");
  sub
    ->add_option("OUT", options->output,
                 "Output folder of `icanscan run`, or a DICOM study folder (series as acquired)")
    ->required();
  sub->add_option("--snapshot", options->snapshot, "Render offscreen to this PNG file instead of opening a window");
  sub->add_option("--plane", options->plane, "Plane of the snapshot")
    ->check(CLI::IsMember({ "axial", "coronal", "sagittal" }, CLI::ignore_case));
  auto * slice = sub
                   ->add_option("--slice", options->slice,
                                "Slice index along the plane normal (0 = most inferior, anterior or right)")
                   ->check(CLI::NonNegativeNumber);
  auto * finding = sub->add_option("--finding", options->finding, "Centre on finding K (1-based, report order)")
                     ->check(CLI::PositiveNumber);
  auto * autoFlag =
    sub->add_flag("--auto", options->autoPosition, "Centre on the first finding, else the middle (the default)");
  slice->excludes(finding)->excludes(autoFlag);
  finding->excludes(autoFlag);
  sub->add_option("--base", options->base, "Base series: T2, FLAIR, DWI, DWI_b0, DWI_b1000 or ADC");
  sub->add_flag("--neurological", options->neurological,
                "Patient left on screen left (default: radiological, patient left on screen right)");
  sub->callback(
    [options, &action]
    {
      action = [options](std::ostream & out, std::ostream &)
      {
        std::optional<TemporaryFolder> staged;
        std::filesystem::path folder = options->output;
        std::error_code ec;
        if (!std::filesystem::exists(folder / "report.json", ec) && !std::filesystem::exists(folder / "volumes", ec) &&
            std::filesystem::is_directory(folder, ec))
        {
          staged.emplace();
          StageStudy(options->output, staged->Path());
          folder = staged->Path();
        }
        const viewer::ViewerScene scene = viewer::ViewerScene::Load(folder);
        for (const auto & note : scene.Notes())
          spdlog::warn("{}", note);
        const viewer::Plane plane = viewer::ParsePlane(options->plane);
        if (!options->snapshot.empty())
        {
          viewer::SnapshotParams params;
          params.plane = plane;
          params.radiological = !options->neurological;
          params.baseRole = options->base;
          if (options->slice >= 0)
          {
            params.position = viewer::SnapshotPosition::Slice;
            params.slice = options->slice;
          }
          else if (options->finding > 0)
          {
            params.position = viewer::SnapshotPosition::Finding;
            params.finding = options->finding;
          }
          viewer::Snapshot snapshot(scene, params);
          snapshot.WritePng(options->snapshot);
          out << options->snapshot << "\n";
          return static_cast<int>(ExitCode::Ok);
        }
        viewer::ViewState state = scene.MakeState();
        state.SetRadiological(!options->neurological);
        if (options->finding > 0)
          state.GoToFinding(options->finding - 1);
        else if (options->slice >= 0)
        {
          const int axis = viewer::AxesOf(plane, true).normalAxis;
          if (options->slice >= scene.SliceCount(axis))
            throw UsageError("--slice " + std::to_string(options->slice) + ": the " + options->plane + " plane has " +
                             std::to_string(scene.SliceCount(axis)) + " slices");
          auto c = state.Crosshair();
          c[static_cast<std::size_t>(axis)] = scene.SliceCoordinate(axis, options->slice);
          state.SetCrosshair(c);
        }
        else if (!state.Findings().empty())
          state.GoToFinding(0);
        if (!options->base.empty())
          state.SetBaseRole(options->base);
        viewer::InteractiveViewer window(scene, state);
        window.Start();
        return static_cast<int>(ExitCode::Ok);
      };
    });
}

} // namespace icanscan::app
