#include "synthetic/PhantomCase.h"

#include "core/Error.h"

#include <random>

namespace icanscan::synthetic
{
namespace
{

using pipeline::Structure;

// Lesion signals. Vasogenic oedema: more water, longer T2, freer diffusion (ADC up). Cytotoxic (restricted): ADC
// about halved, T2 a little longer. Shine-through: T2 so long that b1000 stays bright although the ADC is high.
constexpr LesionSignal kVasogenic{ 1.10, 1.50, 1.15 };
constexpr LesionSignal kCytotoxic{ 1.05, 1.35, 0.50 };
constexpr LesionSignal kSeizure{ 1.10, 1.45, 0.72 };
constexpr LesionSignal kDiffuseWhite{ 1.06, 1.30, 1.12 };
constexpr LesionSignal kFocalOedema{ 1.15, 1.80, 1.45 };
constexpr LesionSignal kShineThrough{ 1.20, 3.00, 1.60 };
// Leukoencephalopathy: demyelination and gliosis of most of the white matter, no swelling, facilitated diffusion.
constexpr LesionSignal kLeukoencephalopathy{ 1.06, 1.40, 1.25 };
// Acute infarct (hours): ADC about halved, T2/FLAIR only mildly up. Chronic gliosis: long T2, high ADC.
constexpr LesionSignal kAcuteInfarct{ 1.04, 1.25, 0.50 };
constexpr LesionSignal kGliosis{ 1.10, 1.70, 1.40 };

PhantomCase Case(std::string name, std::string description, OedemaFlag oedema = OedemaFlag::None)
{
  PhantomCase c;
  c.name = std::move(name);
  c.description = std::move(description);
  c.oedema = oedema;
  return c;
}

PhantomLesion Lesion(std::string name,
                     std::vector<Structure> structures,
                     LesionSignal signal,
                     bool t2flair,
                     bool restricted,
                     bool dwiBright,
                     LesionPlacement placement = LesionPlacement::Structures)
{
  PhantomLesion l;
  l.name = std::move(name);
  l.structures = std::move(structures);
  l.signal = signal;
  l.t2FlairInvolved = t2flair;
  l.diffusionRestricted = restricted;
  l.dwiBright = dwiBright;
  l.placement = placement;
  return l;
}

const std::vector<Structure> kThalami{ Structure::ThalamusLeft, Structure::ThalamusRight };
const std::vector<Structure> kHippocampi{ Structure::HippocampusLeft, Structure::HippocampusRight };
const std::vector<Structure> kWhiteMatter{ Structure::WhiteMatterLeft, Structure::WhiteMatterRight };

std::vector<PhantomCase> MakeCases()
{
  std::vector<PhantomCase> cases;
  cases.push_back(Case("normal", "no findings; the subject's age group (young, middle, old) follows the seed"));

  auto young = Case("normal_young", "no findings; a young adult (20-30 y): small ventricles, tight sulci");
  young.population.ageYears = { 20.0, 30.0 };
  young.population.ventricleFactor = { 0.5, 0.65 };
  young.population.sulcalFactor = { 0.7, 0.8 };
  cases.push_back(young);

  auto atrophic = Case("normal_atrophic", "no findings; an old adult (72-85 y): large ventricles, wide sulci");
  atrophic.population.ageYears = { 72.0, 85.0 };
  atrophic.population.ventricleFactor = { 1.7, 2.0 };
  atrophic.population.sulcalFactor = { 1.3, 1.5 };
  cases.push_back(atrophic);

  // Thalami enlarged well beyond the subject's own are local oedema (ASTCT grade 3), not signal alone.
  auto thalamic =
    Case("thalamic_bilateral",
         "T2/FLAIR hyperintensity of both thalami swollen by 20 % (15-25 % drawn); no restriction", OedemaFlag::Focal);
  thalamic.lesions.push_back(Lesion("thalami", kThalami, kVasogenic, true, false, false));
  thalamic.swellings.push_back({ kThalami, 20.0, 10.0, { 15.0, 25.0 } });
  cases.push_back(thalamic);

  auto splenium =
    Case("splenium_restricted", "cytotoxic lesion of the splenium: DWI bright, ADC about halved, mild T2/FLAIR signal");
  splenium.lesions.push_back(Lesion("splenium", { Structure::CorpusCallosumSplenium }, kCytotoxic, true, true, true));
  cases.push_back(splenium);

  auto hippocampal =
    Case("hippocampal_bilateral", "seizure-related change of both hippocampi: T2/FLAIR signal and mild restriction");
  hippocampal.lesions.push_back(Lesion("hippocampi", kHippocampi, kSeizure, true, true, true));
  cases.push_back(hippocampal);

  auto white = Case("white_matter_diffuse",
                    "diffuse white-matter T2 hyperintensity with diffuse swelling: compressed ventricles, effaced "
                    "sulci and basal cisterns, less grey-white contrast",
                    OedemaFlag::Diffuse);
  white.lesions.push_back(Lesion("white_matter", kWhiteMatter, kDiffuseWhite, true, false, false));
  white.diffuseSwelling = true;
  cases.push_back(white);

  auto leuko = Case("leukoencephalopathy",
                    "confluent T2/FLAIR hyperintensity of most of the white matter (U-fibres spared) without "
                    "swelling: ventricles, sulci and cisterns as the subject's own; not oedema");
  leuko.lesions.push_back(
    Lesion("white_matter", kWhiteMatter, kLeukoencephalopathy, true, false, false, LesionPlacement::DeepWhiteMatter));
  cases.push_back(leuko);

  auto focal = Case("focal_oedema",
                    "vasogenic oedema in the centrum semiovale of one hemisphere with mass effect: septum pushed "
                    "away, ipsilateral ventricle and sulci compressed",
                    OedemaFlag::Focal);
  auto focalLesion =
    Lesion("focal_oedema", { Structure::WhiteMatterRight }, kFocalOedema, true, false, false, LesionPlacement::Focal);
  focalLesion.focalRadiusMm = 20.0;
  focal.lesions.push_back(focalLesion);
  focal.massEffectPushMm = 5.0;
  focal.localSulcalMm = -1.5;
  focal.lateralised = true;
  cases.push_back(focal);

  auto chronic = Case("chronic_infarct",
                      "old territorial infarct of one hemisphere: CSF-like core with a gliotic T2/FLAIR rim, the "
                      "ipsilateral ventricle enlarged ex vacuo, the septum pulled towards it, widened sulci over it; "
                      "volume loss, not oedema");
  auto chronicLesion = Lesion("infarct_gliosis", { Structure::WhiteMatterRight }, kGliosis, true, false, false,
                              LesionPlacement::Territory);
  chronicLesion.volumeMl = { 20.0, 40.0 };
  chronicLesion.coreFraction = 0.65;
  chronic.lesions.push_back(chronicLesion);
  chronic.exVacuoPercent = 50.0;
  chronic.volumeLossPullMm = 3.0;
  chronic.localSulcalMm = 1.5;
  chronic.lateralised = true;
  cases.push_back(chronic);

  auto acute =
    Case("acute_infarct", "acute territorial infarct of one hemisphere (10-30 ml): DWI bright, ADC about halved, mild "
                          "T2/FLAIR signal; no mass effect, not oedema");
  auto acuteLesion =
    Lesion("infarct", { Structure::WhiteMatterRight }, kAcuteInfarct, true, true, true, LesionPlacement::Territory);
  acuteLesion.volumeMl = { 10.0, 30.0 };
  acute.lesions.push_back(acuteLesion);
  acute.lateralised = true;
  cases.push_back(acute);

  auto shine = Case("shine_through",
                    "long-T2 lesion of the splenium: DWI bright from T2 shine-through, ADC high (not restriction)");
  shine.lesions.push_back(
    Lesion("splenium_shine_through", { Structure::CorpusCallosumSplenium }, kShineThrough, true, false, true));
  cases.push_back(shine);

  auto signalOnly = Case("thalamic_signal_only",
                         "T2/FLAIR hyperintensity of both thalami without swelling: signal alone is not oedema");
  signalOnly.lesions.push_back(Lesion("thalami", kThalami, kVasogenic, true, false, false));
  cases.push_back(signalOnly);

  auto longitudinal =
    Case("baseline_followup", "two studies of one anatomy: a normal baseline and a follow-up with both thalami "
                              "hyperintense and swollen by 20 %");
  longitudinal.sessions = { { "baseline", "normal", 0.0 }, { "followup", "thalamic_bilateral", 20.0 } };
  cases.push_back(longitudinal);
  return cases;
}

Structure Mirrored(Structure s)
{
  switch (s)
  {
    case Structure::ThalamusLeft:
      return Structure::ThalamusRight;
    case Structure::ThalamusRight:
      return Structure::ThalamusLeft;
    case Structure::HippocampusLeft:
      return Structure::HippocampusRight;
    case Structure::HippocampusRight:
      return Structure::HippocampusLeft;
    case Structure::BasalGangliaLeft:
      return Structure::BasalGangliaRight;
    case Structure::BasalGangliaRight:
      return Structure::BasalGangliaLeft;
    case Structure::ExternalCapsuleLeft:
      return Structure::ExternalCapsuleRight;
    case Structure::ExternalCapsuleRight:
      return Structure::ExternalCapsuleLeft;
    case Structure::WhiteMatterLeft:
      return Structure::WhiteMatterRight;
    case Structure::WhiteMatterRight:
      return Structure::WhiteMatterLeft;
    default:
      return s;
  }
}

} // namespace

int AstctOedemaGrade(OedemaFlag flag)
{
  switch (flag)
  {
    case OedemaFlag::Focal:
      return 3;
    case OedemaFlag::Diffuse:
      return 4;
    case OedemaFlag::None:
    case OedemaFlag::NotAssessable:
      break;
  }
  return 0;
}

const std::vector<PhantomCase> & PhantomCases()
{
  static const std::vector<PhantomCase> cases = MakeCases();
  return cases;
}

std::string PhantomCaseNames()
{
  std::string names;
  for (const auto & c : PhantomCases())
    names += (names.empty() ? "" : ", ") + c.name;
  return names;
}

const PhantomCase & FindPhantomCase(const std::string & name)
{
  for (const auto & c : PhantomCases())
    if (c.name == name)
      return c;
  throw UsageError("unknown phantom case '" + name + "'; valid cases: " + PhantomCaseNames());
}

PhantomCase RealiseCase(const PhantomCase & phantomCase, unsigned seed, bool vary, double sessionSwellingPercent)
{
  PhantomCase c = phantomCase;
  std::seed_seq streamSeed{ seed, 6u };
  std::mt19937 rng(streamSeed);
  auto uniform = [&rng](double low, double high) { return std::uniform_real_distribution<double>(low, high)(rng); };
  const bool left = uniform(0.0, 1.0) < 0.5; // always drawn: the other draws keep their place in the stream
  if (c.lateralised)
  {
    c.side = vary && left ? "left" : "right";
    if (c.side == "left")
    {
      for (auto & lesion : c.lesions)
        for (auto & s : lesion.structures)
          s = Mirrored(s);
      for (auto & swelling : c.swellings)
        for (auto & s : swelling.structures)
          s = Mirrored(s);
    }
  }
  for (auto & swelling : c.swellings)
  {
    const auto [low, high] = swelling.drawnPercent;
    const double drawn = uniform(low, high > low ? high : low + 1e-9);
    if (sessionSwellingPercent > 0.0)
      swelling.volumePercent = sessionSwellingPercent;
    else if (vary && high > low)
      swelling.volumePercent = drawn;
  }
  for (auto & lesion : c.lesions)
  {
    const auto [low, high] = lesion.volumeMl;
    const double drawn = uniform(low, high > low ? high : low + 1e-9);
    if (high > 0.0)
      lesion.volumeMl = { vary ? drawn : 0.5 * (low + high), vary ? drawn : 0.5 * (low + high) };
  }
  return c;
}

} // namespace icanscan::synthetic
