#include "synthetic/PhantomCase.h"

#include "core/Error.h"

namespace icanscan::synthetic
{
namespace
{

// Lesion signals. Vasogenic oedema: more water, longer T2, freer diffusion (ADC up). Cytotoxic (restricted): ADC
// about halved, T2 a little longer. Shine-through: T2 so long that b1000 stays bright although the ADC is high.
constexpr LesionSignal kVasogenic{ 1.10, 1.50, 1.15 };
constexpr LesionSignal kCytotoxic{ 1.05, 1.35, 0.50 };
constexpr LesionSignal kSeizure{ 1.10, 1.45, 0.72 };
constexpr LesionSignal kDiffuseWhite{ 1.06, 1.30, 1.12 };
constexpr LesionSignal kFocalOedema{ 1.15, 1.80, 1.45 };
constexpr LesionSignal kShineThrough{ 1.20, 3.00, 1.60 };

std::vector<PhantomCase> MakeCases()
{
  std::vector<PhantomCase> cases;

  cases.push_back({ "normal", "no findings", {}, {}, false, OedemaKind::None, {} });

  PhantomCase thalamic{ "thalamic_bilateral",
                        "T2/FLAIR hyperintensity of both thalami with 20 % swelling each; no restriction",
                        {},
                        {},
                        false,
                        // Thalami enlarged well beyond expectation are local oedema (ASTCT grade 3), not signal alone.
                        OedemaKind::Focal,
                        {} };
  thalamic.lesions.push_back({ "thalami",
                               { pipeline::Structure::ThalamusLeft, pipeline::Structure::ThalamusRight },
                               0.0,
                               kVasogenic,
                               true,
                               false,
                               false });
  thalamic.swellings.push_back(
    { { pipeline::Structure::ThalamusLeft, pipeline::Structure::ThalamusRight }, 20.0, 10.0 });
  cases.push_back(thalamic);

  PhantomCase splenium{ "splenium_restricted",
                        "cytotoxic lesion of the splenium: DWI bright, ADC about halved, mild T2/FLAIR signal",
                        {},
                        {},
                        false,
                        OedemaKind::None,
                        {} };
  splenium.lesions.push_back(
    { "splenium", { pipeline::Structure::CorpusCallosumSplenium }, 0.0, kCytotoxic, true, true, true });
  cases.push_back(splenium);

  PhantomCase hippocampal{ "hippocampal_bilateral",
                           "seizure-related change of both hippocampi: T2/FLAIR signal and mild restriction",
                           {},
                           {},
                           false,
                           OedemaKind::None,
                           {} };
  hippocampal.lesions.push_back({ "hippocampi",
                                  { pipeline::Structure::HippocampusLeft, pipeline::Structure::HippocampusRight },
                                  0.0,
                                  kSeizure,
                                  true,
                                  true,
                                  true });
  cases.push_back(hippocampal);

  PhantomCase white{ "white_matter_diffuse",
                     "diffuse white-matter T2 hyperintensity with diffuse swelling: compressed ventricles, effaced "
                     "sulci, less grey-white contrast",
                     {},
                     {},
                     true,
                     OedemaKind::Diffuse,
                     {} };
  white.lesions.push_back({ "white_matter",
                            { pipeline::Structure::WhiteMatterLeft, pipeline::Structure::WhiteMatterRight },
                            0.0,
                            kDiffuseWhite,
                            true,
                            false,
                            false });
  cases.push_back(white);

  PhantomCase focal{ "focal_oedema",
                     "vasogenic oedema in the right centrum semiovale with mass effect: ipsilateral ventricle "
                     "compressed, small midline shift to the left",
                     {},
                     {},
                     false,
                     OedemaKind::Focal,
                     {} };
  focal.lesions.push_back(
    { "focal_oedema", { pipeline::Structure::WhiteMatterRight }, 20.0, kFocalOedema, true, false, false });
  focal.massEffectPushMm = 5.0;
  cases.push_back(focal);

  PhantomCase shine{ "shine_through",
                     "long-T2 lesion of the splenium: DWI bright from T2 shine-through, ADC high (not restriction)",
                     {},
                     {},
                     false,
                     OedemaKind::None,
                     {} };
  shine.lesions.push_back({ "splenium_shine_through",
                            { pipeline::Structure::CorpusCallosumSplenium },
                            0.0,
                            kShineThrough,
                            true,
                            false,
                            true });
  cases.push_back(shine);

  PhantomCase signalOnly{ "thalamic_signal_only",
                          "T2/FLAIR hyperintensity of both thalami without swelling: signal alone is not oedema",
                          {},
                          {},
                          false,
                          OedemaKind::None,
                          {} };
  signalOnly.lesions.push_back({ "thalami",
                                 { pipeline::Structure::ThalamusLeft, pipeline::Structure::ThalamusRight },
                                 0.0,
                                 kVasogenic,
                                 true,
                                 false,
                                 false });
  cases.push_back(signalOnly);

  cases.push_back(
    { "baseline_followup",
      "two studies of one anatomy: a normal baseline and a follow-up with the thalamic_bilateral findings",
      {},
      {},
      false,
      OedemaKind::None,
      { { "baseline", "normal" }, { "followup", "thalamic_bilateral" } } });
  return cases;
}

} // namespace

std::string ToString(OedemaKind kind)
{
  switch (kind)
  {
    case OedemaKind::Focal:
      return "focal";
    case OedemaKind::Diffuse:
      return "diffuse";
    case OedemaKind::None:
      break;
  }
  return "none";
}

int AstctOedemaGrade(OedemaKind kind)
{
  switch (kind)
  {
    case OedemaKind::Focal:
      return 3;
    case OedemaKind::Diffuse:
      return 4;
    case OedemaKind::None:
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

} // namespace icanscan::synthetic
