#include "pipeline/geometry/DiffusionPlan.h"

#include "core/Error.h"
#include "core/TextFormat.h"
#include "dicom/SeriesKey.h"
#include "dicom/VolumeReader.h"
#include "filters/DiffusionTrace.h"
#include "filters/ImageTypes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace icanscan::pipeline
{
namespace
{
using dicom::VolumeSet;

/** The b-values of one shell: the volumes without a direction (scanner trace) and those with one. */
struct Shell
{
  double bValue = 0;
  std::vector<std::size_t> trace;
  std::vector<std::size_t> directional;
};

/** A trace the plan could use, with the b0 and ADC that would go with it. */
struct Candidate
{
  DiffusionVolumes trace;
  std::optional<DiffusionVolumes> b0;
  const VolumeSet * adc = nullptr;

  bool Assessable() const { return b0.has_value() || adc != nullptr; }
};

std::string B(double b)
{
  return FormatFixed(b, b < 10 ? 2 : 0);
}

bool Usable(const VolumeSet & set)
{
  return set.verdict != dicom::Verdict::Rejected && set.slices >= 3;
}

bool SameGrid(const VolumeSet & a, const VolumeSet & b)
{
  if (a.columns != b.columns || a.rows != b.rows || a.slices != b.slices)
    return false;
  for (int d = 0; d < 3; ++d)
    if (std::abs(a.origin[d] - b.origin[d]) > 0.05 || std::abs(a.spacing[d] - b.spacing[d]) > 1e-3)
      return false;
  for (int k = 0; k < 9; ++k)
    if (std::abs(a.direction[k] - b.direction[k]) > 1e-4)
      return false;
  return true;
}

std::vector<std::size_t> B0Volumes(const VolumeSet & set, const DiffusionPlanParams & p)
{
  std::vector<std::size_t> b0;
  for (std::size_t v = 0; v < set.diffusion.size(); ++v)
    if (set.diffusion[v].bValue < p.b0MaxBValue)
      b0.push_back(v);
  return b0;
}

/** Diffusion-weighted shells in order of first appearance. */
std::vector<Shell> Shells(const VolumeSet & set, const DiffusionPlanParams & p)
{
  std::vector<Shell> shells;
  for (std::size_t v = 0; v < set.diffusion.size(); ++v)
  {
    const auto & d = set.diffusion[v];
    if (d.bValue < p.b0MaxBValue)
      continue;
    auto shell = std::find_if(shells.begin(), shells.end(),
                              [&](const Shell & s) { return std::abs(s.bValue - d.bValue) <= p.shellTolerance; });
    if (shell == shells.end())
      shell = shells.insert(shells.end(), Shell{ d.bValue, {}, {} });
    (d.hasGradient ? shell->directional : shell->trace).push_back(v);
  }
  return shells;
}

double MeanB(const VolumeSet & set, const std::vector<std::size_t> & volumes)
{
  double sum = 0;
  for (std::size_t v : volumes)
    sum += set.diffusion[v].bValue;
  return volumes.empty() ? 0 : sum / static_cast<double>(volumes.size());
}

/** The b0 on the trace's grid: its own set's first, then another DWI set's (acquired before derived), most volumes. */
std::optional<DiffusionVolumes> B0For(const VolumeSet & traceSet,
                                      const std::vector<const VolumeSet *> & dwi,
                                      const DiffusionPlanParams & p)
{
  std::optional<DiffusionVolumes> best;
  auto rank = [&](const VolumeSet & s, std::size_t count)
  {
    const bool original = !s.Header().imageType.empty() && s.Header().imageType.front() == "ORIGINAL";
    return std::make_tuple(&s == &traceSet, original, count);
  };
  for (const VolumeSet * s : dwi)
  {
    if (s != &traceSet && !SameGrid(*s, traceSet))
      continue;
    auto volumes = B0Volumes(*s, p);
    if (volumes.empty() || (best && rank(*s, volumes.size()) <= rank(*best->set, best->volumes.size())))
      continue;
    best = DiffusionVolumes{ s, volumes, MeanB(*s, volumes), false };
  }
  return best;
}

/** The ADC on the trace's grid (it then shares the DWI's registration), else the fullest. */
const VolumeSet * AdcFor(const VolumeSet * traceSet, const std::vector<const VolumeSet *> & adcs)
{
  const VolumeSet * best = nullptr;
  auto rank = [&](const VolumeSet * s)
  { return std::make_pair(traceSet && SameGrid(*s, *traceSet), s->frames.size()); };
  for (const VolumeSet * s : adcs)
    if (best == nullptr || rank(s) > rank(best))
      best = s;
  return best;
}

std::string Describe(const DiffusionVolumes & v, const char * what)
{
  std::string text = std::string(what) + ": series " + v.set->id + ", b=" + B(v.bValue);
  if (v.fromDirections)
    return text + ", geometric mean of " + std::to_string(v.volumes.size()) + " directions";
  return text + " (" + std::to_string(v.volumes.size()) + (v.volumes.size() == 1 ? " volume" : " volumes") + ")";
}
} // namespace

DiffusionPlan PlanDiffusion(const dicom::StudyIndex & index, const DiffusionPlanParams & p)
{
  if (!(p.b0MaxBValue >= 0 && p.minTraceBValue > p.b0MaxBValue && p.maxPreferredBValue >= p.minTraceBValue &&
        p.shellTolerance >= 0 && p.minDirections >= 1))
    throw ConfigError("diffusion plan: expected 0 <= b0 limit (" + B(p.b0MaxBValue) + ") < minimum trace b (" +
                      B(p.minTraceBValue) + ") <= preferred maximum b (" + B(p.maxPreferredBValue) +
                      "), a shell tolerance >= 0 and at least 1 direction");
  DiffusionPlan plan;
  std::vector<const VolumeSet *> dwi, adcs;
  std::vector<std::string> passedOver;
  bool anyDwi = false;
  for (const auto & set : index.volumeSets)
  {
    anyDwi = anyDwi || set.role == dicom::SeriesRole::DWI;
    if (set.role != dicom::SeriesRole::DWI && set.role != dicom::SeriesRole::ADC)
      continue;
    if (!Usable(set))
    {
      passedOver.push_back(dicom::ToString(set.role) + " series " + set.id + " is not usable (" +
                           (set.messages.empty() ? std::string("fewer than 3 slices") : set.messages.front()) + ")");
      continue;
    }
    (set.role == dicom::SeriesRole::DWI ? dwi : adcs).push_back(&set);
  }

  std::vector<Candidate> candidates;
  for (const VolumeSet * s : dwi)
  {
    if (s->diffusion.empty())
    {
      passedOver.push_back("DWI series " + s->id + " has no b-values (no diffusion tag, .bval or DiffusionBValue)");
      continue;
    }
    const auto shells = Shells(*s, p);
    if (shells.empty())
      passedOver.push_back("DWI series " + s->id + " holds only b0 volumes");
    for (const auto & shell : shells)
    {
      const std::string where = "DWI series " + s->id + " at b=" + B(shell.bValue);
      if (shell.bValue < p.minTraceBValue)
        passedOver.push_back(where + " is below b=" + B(p.minTraceBValue));
      else if (shell.directional.size() >= p.minDirections)
        candidates.push_back({ { s, shell.directional, MeanB(*s, shell.directional), true }, std::nullopt, nullptr });
      else if (!shell.trace.empty())
        candidates.push_back({ { s, shell.trace, MeanB(*s, shell.trace), false }, std::nullopt, nullptr });
      else
        passedOver.push_back(where + " has " + std::to_string(shell.directional.size()) +
                             " direction(s) and no scanner trace (" + std::to_string(p.minDirections) + " needed)");
    }
  }
  for (auto & c : candidates)
  {
    c.b0 = B0For(*c.trace.set, dwi, p);
    c.adc = AdcFor(c.trace.set, adcs);
  }
  auto rank = [&](const Candidate & c)
  {
    const bool ownB0 = c.b0 && c.b0->set == c.trace.set; // one acquisition: no motion between b0 and trace
    return std::make_tuple(c.Assessable(), c.trace.bValue <= p.maxPreferredBValue, std::lround(c.trace.bValue), ownB0,
                           c.trace.fromDirections, c.trace.volumes.size());
  };
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](const Candidate & a, const Candidate & b) { return rank(a) > rank(b); });

  if (!candidates.empty())
  {
    const Candidate & best = candidates.front();
    plan.trace = best.trace;
    plan.b0 = best.b0;
    plan.adc = best.adc;
    for (std::size_t k = 1; k < candidates.size(); ++k)
      passedOver.push_back(Describe(candidates[k].trace, "another trace") + " not used");
  }
  else
  {
    for (const VolumeSet * s : dwi)
      if (auto b0 = B0Volumes(*s, p); !b0.empty() && (!plan.b0 || b0.size() > plan.b0->volumes.size()))
        plan.b0 = DiffusionVolumes{ s, b0, MeanB(*s, b0), false };
    for (const VolumeSet * s : dwi)
      if (!plan.b0 && !plan.unweighted && s->diffusion.empty())
        plan.unweighted = DiffusionVolumes{ s, { 0 }, 0.0, false };
    plan.adc = AdcFor(plan.b0 ? plan.b0->set : (plan.unweighted ? plan.unweighted->set : nullptr), adcs);
  }

  if (plan.trace)
    plan.notes.push_back(Describe(*plan.trace, "trace"));
  if (plan.b0)
    plan.notes.push_back(Describe(*plan.b0, "b0"));
  if (plan.unweighted)
    plan.notes.push_back("registration only: series " + plan.unweighted->set->id + ", first volume (b unknown)");
  if (plan.adc)
    plan.notes.push_back("ADC: series " + plan.adc->id);
  for (const auto & reason : passedOver)
    plan.notes.push_back("passed over: " + reason);

  if (!anyDwi)
    plan.unassessable = "the study has no DWI series";
  else if (!plan.trace)
    plan.unassessable = "no DWI trace at b >= " + B(p.minTraceBValue) + " (" + Join(passedOver, "; ") + ")";
  else if (!plan.b0 && !plan.adc)
    plan.unassessable = "the DWI trace (series " + plan.trace->set->id + ", b=" + B(plan.trace->bValue) +
                        ") has neither an ADC map nor a b0 on its grid";
  return plan;
}

std::string TraceRole(const DiffusionPlan & plan)
{
  return plan.trace ? dicom::ToString(dicom::DwiKey(static_cast<int>(std::lround(plan.trace->bValue)))) : std::string();
}

std::map<std::string, DiffusionPart> ReadDiffusionParts(const DiffusionPlan & plan, int threads)
{
  using Image = filters::FloatImage;
  std::map<const VolumeSet *, std::vector<Image::Pointer>> read;
  auto volumesOf = [&](const VolumeSet * set) -> const std::vector<Image::Pointer> &
  {
    auto it = read.find(set);
    if (it == read.end())
      it = read.emplace(set, dicom::ReadVolumes(*set, threads)).first;
    return it->second;
  };
  auto mean = [](const std::vector<Image::Pointer> & volumes, const std::vector<std::size_t> & which)
  {
    auto out = Image::New();
    out->CopyInformation(volumes.front());
    out->SetRegions(volumes.front()->GetLargestPossibleRegion());
    out->Allocate(true);
    const std::size_t n = out->GetLargestPossibleRegion().GetNumberOfPixels();
    for (std::size_t v : which)
      for (std::size_t i = 0; i < n; ++i)
        out->GetBufferPointer()[i] += volumes[v]->GetBufferPointer()[i] / static_cast<float>(which.size());
    return out;
  };

  std::map<std::string, DiffusionPart> parts;
  if (plan.b0)
    parts["DWI_b0"] = { mean(volumesOf(plan.b0->set), plan.b0->volumes), plan.b0->set };
  if (plan.trace)
  {
    const auto & volumes = volumesOf(plan.trace->set);
    Image::Pointer trace;
    if (plan.trace->fromDirections)
    {
      std::vector<Image::Pointer> shell;
      std::vector<double> bs;
      for (std::size_t v : plan.trace->volumes)
      {
        shell.push_back(volumes[v]);
        bs.push_back(plan.trace->set->diffusion[v].bValue);
      }
      filters::DiffusionTraceParams params;
      params.minDirections = static_cast<unsigned>(shell.size());
      params.shellToleranceBValue = std::numeric_limits<double>::max(); // the plan made the shell
      trace =
        filters::DeriveDiffusionSummaries(shell, bs, std::vector<bool>(shell.size(), true), params).traces.at(0).image;
    }
    else
      trace = mean(volumes, plan.trace->volumes);
    parts[TraceRole(plan)] = { trace, plan.trace->set };
  }
  if (plan.unweighted)
    parts["DWI"] = { volumesOf(plan.unweighted->set).front(), plan.unweighted->set };
  if (plan.adc)
    parts["ADC"] = { dicom::ReadVolumes(*plan.adc, threads).front(), plan.adc };
  return parts;
}

std::string DiffusionNotAssessedWarning(const DiffusionPlan & plan, const std::vector<std::string> & rejectedRoles)
{
  if (!plan.Assessable())
    return "diffusion not assessable: " + plan.unassessable;
  std::vector<std::string> failed;
  for (const auto & role : rejectedRoles)
    if (role.rfind("DWI", 0) == 0 || role == "ADC")
      failed.push_back(role);
  if (!failed.empty())
    return "diffusion not assessable: the registration of " + Join(failed, "; ") + " failed QC";
  return "diffusion not assessable: its series could not be used";
}

} // namespace icanscan::pipeline
