#include "pipeline/input/ConvertStage.h"

#include "core/Error.h"
#include "dicom/VolumeReader.h"
#include "filters/DiffusionTrace.h"
#include "pipeline/report/NiftiWriter.h"
#include "pipeline/report/OutputFiles.h"
#include "pipeline/input/SeriesSidecar.h"

#include <cmath>
#include <sstream>

namespace icanscan::pipeline
{
namespace
{
std::string TsvField(std::string text)
{
  for (auto & c : text)
    if (c == '\t' || c == '\n' || c == '\r')
      c = ' ';
  return text;
}

void WriteDerivedDiffusion(const dicom::VolumeSet & set,
                           const std::vector<dicom::VolumeImage::Pointer> & volumes,
                           const std::filesystem::path & stem,
                           ConvertResult & result)
{
  std::vector<double> bValues;
  std::vector<bool> directional;
  for (const auto & dv : set.diffusion)
  {
    bValues.push_back(dv.bValue);
    directional.push_back(dv.hasGradient);
  }
  const filters::DiffusionSummaries summaries = filters::DeriveDiffusionSummaries(volumes, bValues, directional);
  if (summaries.traces.empty())
  {
    return; // the scanner's own trace (or no directional shell): nothing to derive
  }
  nlohmann::json base = MakeSidecar(set);
  if (summaries.b0)
  {
    const auto file = std::filesystem::path(stem.string() + "_b0.nii.gz");
    WriteNifti({ summaries.b0 }, file);
    nlohmann::json j = base;
    j["IcanscanDerived"] = "mean of " + std::to_string(summaries.b0Count) + " b0 volume(s) (b < 50 s/mm²)";
    j["IcanscanBValue"] = 0;
    WriteTextFileAtomically(stem.string() + "_b0.json", j.dump(2) + "\n");
    result.written.push_back(file);
  }
  for (const auto & trace : summaries.traces)
  {
    const std::string suffix = "_trace_b" + std::to_string(std::lround(trace.bValue));
    const auto file = std::filesystem::path(stem.string() + suffix + ".nii.gz");
    WriteNifti({ trace.image }, file);
    nlohmann::json j = base;
    j["IcanscanDerived"] =
      "trace: geometric mean over " + std::to_string(trace.directions) + " gradient directions at this b";
    j["IcanscanBValue"] = trace.bValue;
    WriteTextFileAtomically(stem.string() + suffix + ".json", j.dump(2) + "\n");
    result.written.push_back(file);
  }
}
} // namespace

ConvertStage::ConvertStage(ConvertParams params)
  : m_Params(std::move(params))
{
}

std::string ConvertStage::OutputStem(const dicom::VolumeSet & set)
{
  std::string id = set.id;
  for (auto & c : id)
    if (c == '.')
      c = '-';
  const auto & h = set.Header();
  const std::string description = !h.seriesDescription.empty() ? h.seriesDescription : h.protocolName;
  return id + "_" + dicom::ToString(set.role) + "_" + SanitizeFileName(description);
}

ConvertResult ConvertStage::Run(const dicom::StudyIndex & index) const
{
  // Written beside DIR and moved in at the end: DIR is locked against a second run meanwhile, and a killed convert
  // leaves nothing half-written.
  StagedOutputFolder staged(m_Params.outputFolder);
  const std::filesystem::path folder = staged.Path();
  ConvertResult result;
  std::ostringstream log;
  log << "kind\titem\treason\n";
  for (const auto & skipped : index.skipped)
    log << (skipped.damaged ? "damaged_file\t" : "skipped_file\t")
        << TsvField(skipped.displayPath.empty() ? skipped.path : skipped.displayPath) << "\t"
        << TsvField(skipped.reason) << "\n";

  for (const auto & set : index.volumeSets)
  {
    if (set.verdict == dicom::Verdict::Rejected)
    {
      std::string reasons;
      for (const auto & m : set.messages)
        reasons += (reasons.empty() ? "" : "; ") + m;
      log << "rejected_series\t" << set.id << " " << TsvField(set.Header().seriesDescription) << "\t"
          << TsvField(reasons) << "\n";
      result.failures.push_back({ set.id, reasons, false });
      continue;
    }
    const std::filesystem::path stem = folder / OutputStem(set);
    try
    {
      const auto volumes = dicom::ReadVolumes(set, m_Params.threads);
      const auto nifti = std::filesystem::path(stem.string() + ".nii.gz");
      WriteNifti(volumes, nifti);
      WriteTextFileAtomically(stem.string() + ".json", MakeSidecar(set).dump(2) + "\n");
      result.written.push_back(nifti);
      result.written.push_back(stem.string() + ".json");
      if (!set.diffusion.empty() && set.role == dicom::SeriesRole::DWI)
      {
        WriteBvalBvec(set, stem);
        result.written.push_back(stem.string() + ".bval");
        result.written.push_back(stem.string() + ".bvec");
        if (m_Params.deriveDiffusion)
          WriteDerivedDiffusion(set, volumes, stem, result);
      }
      ++result.converted;
      for (const auto & m : set.messages)
        log << "warning\t" << set.id << "\t" << TsvField(m) << "\n";
    }
    catch (const OutputError &)
    {
      throw;
    }
    catch (const Error & e)
    {
      log << "failed_series\t" << set.id << " " << TsvField(set.Header().seriesDescription) << "\t"
          << TsvField(e.what()) << "\n";
      result.failures.push_back({ set.id, e.what(), true });
    }
  }
  result.log = folder / "icanscan_convert_log.tsv";
  WriteTextFileAtomically(result.log, log.str());
  result.written.push_back(result.log);
  staged.Commit();
  for (auto & file : result.written)
    file = m_Params.outputFolder / file.lexically_relative(folder);
  result.log = m_Params.outputFolder / result.log.lexically_relative(folder);
  return result;
}

} // namespace icanscan::pipeline
