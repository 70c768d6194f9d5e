#include "dicom/SeriesClassifier.h"

#include "core/TextFormat.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <sstream>

namespace icanscan::dicom
{
namespace
{
bool Has(const std::vector<std::string> & values, const std::string & wanted)
{
  return std::find(values.begin(), values.end(), wanted) != values.end();
}

bool HasToken(const std::string & backslashList, const std::string & token)
{
  std::string upper = backslashList;
  for (auto & c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::istringstream in(upper);
  std::string part;
  while (std::getline(in, part, '\\'))
  {
    if (part == token)
      return true;
  }
  return false;
}

/** Whole words of a description ("rest1" does not mention "t1"); '*' kept for "t2*". */
std::set<std::string> Words(const std::string & text)
{
  std::set<std::string> words;
  std::string word;
  for (char c : text + " ")
  {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '*')
      word += c;
    else if (!word.empty())
    {
      words.insert(word);
      word.clear();
    }
  }
  return words;
}

bool MentionsAny(const std::set<std::string> & words, std::initializer_list<const char *> wanted)
{
  for (const char * w : wanted)
  {
    if (words.count(w))
      return true;
  }
  return false;
}

void Assign(VolumeSet & set, SeriesRole role, std::string reason)
{
  set.role = role;
  set.roleReasons.push_back(std::move(reason));
}
} // namespace

void ClassifySeries(VolumeSet & set, const SeriesClassifierParams & p)
{
  set.roleReasons.clear();
  const FileHeader & h = set.Header();
  const std::vector<std::string> & type = set.frames.front().frameType;
  const std::string typeText = [&]
  {
    std::string t;
    for (const auto & v : type)
      t += (t.empty() ? "" : "\\") + v;
    return t;
  }();
  const std::set<std::string> text = Words(ToLower(h.seriesDescription + " " + h.protocolName));
  const bool inversion = HasToken(h.scanningSequence, "IR");
  const bool spinEcho = HasToken(h.scanningSequence, "SE");
  const bool gradientEcho = HasToken(h.scanningSequence, "GR");
  const bool epi = HasToken(h.scanningSequence, "EP");
  const double tr = h.repetitionTimeMs;
  const double te = set.frames.front().echoTimeMs > 0 ? set.frames.front().echoTimeMs : h.echoTimeMs;
  const double ti = h.inversionTimeMs;
  double maxB = 0;
  for (const auto & d : set.diffusion)
    maxB = std::max(maxB, d.bValue);

  if (Has(type, "LOCALIZER"))
    return Assign(set, SeriesRole::Localizer, "ImageType " + typeText + " contains LOCALIZER");
  if (Has(type, "ADC"))
    return Assign(set, SeriesRole::ADC, "ImageType " + typeText + " contains ADC (scanner-derived map, kept)");
  // Before the b-value rule: GE writes its maps as DERIVED\SECONDARY\PROCESSED and may copy the DWI's b-value.
  if (!type.empty() && type.front() == "DERIVED" && !Has(type, "TRACEW") && !Has(type, "TRACE") &&
      MentionsAny(Words(ToLower(h.seriesDescription)), { "adc", "apparent" }))
    return Assign(set, SeriesRole::ADC,
                  "derived image (ImageType " + typeText + ") whose description '" + h.seriesDescription +
                    "' names an ADC map");
  if (Has(type, "FA") || Has(type, "EADC") || Has(type, "EXP") || Has(type, "TENSOR"))
    return Assign(set, SeriesRole::Other, "ImageType " + typeText + " is a derived diffusion map other than ADC");
  if (maxB >= p.dwiMinBValue)
  {
    std::set<long> distinct;
    for (double b : set.BValues())
      distinct.insert(std::lround(b));
    std::string bs;
    for (long b : distinct)
      bs += (bs.empty() ? "" : " ") + std::to_string(b);
    return Assign(set, SeriesRole::DWI,
                  "b-values " + bs + " s/mm² from " + set.frames.front().diffusionSource +
                    " (max >= " + FormatNumber(p.dwiMinBValue) + ")");
  }
  if (Has(type, "DIFFUSION") || Has(type, "TRACEW"))
    return Assign(set, SeriesRole::DWI, "ImageType " + typeText + " marks diffusion weighting");
  if (Has(type, "SWI") || Has(type, "MNIP"))
    return Assign(set, SeriesRole::SWI, "ImageType " + typeText + " marks susceptibility weighting");
  if (inversion && ti >= p.flairMinInversionMs)
    return Assign(set, SeriesRole::FLAIR,
                  "inversion recovery (ScanningSequence " + h.scanningSequence + ") with TI " + FormatNumber(ti) +
                    " ms >= " + FormatNumber(p.flairMinInversionMs) + " ms nulls CSF");
  if (inversion && ti > 0 && ti <= p.stirMaxInversionMs)
    return Assign(set, SeriesRole::Other, "inversion recovery with TI " + FormatNumber(ti) + " ms: STIR (fat nulled)");
  if (inversion && ti > p.stirMaxInversionMs)
    return Assign(set, SeriesRole::T1,
                  "inversion recovery with TI " + FormatNumber(ti) + " ms (T1-weighted preparation)");
  if (gradientEcho && !epi && te >= p.swiMinEchoMs)
    return Assign(set, SeriesRole::SWI,
                  "gradient echo with TE " + FormatNumber(te) + " ms >= " + FormatNumber(p.swiMinEchoMs) +
                    " ms: T2*/susceptibility-weighted");
  if (!epi && tr > 0 && te > 0 && tr <= p.t1MaxRepetitionMs && te <= p.t1MaxEchoMs)
    return Assign(set, SeriesRole::T1,
                  "TR " + FormatNumber(tr) + " ms and TE " + FormatNumber(te) + " ms: T1-weighted");
  if ((spinEcho || (!gradientEcho && !epi)) && tr >= p.t2MinRepetitionMs && te >= p.t2MinEchoMs && !epi)
    return Assign(set, SeriesRole::T2,
                  "spin echo (ScanningSequence " + h.scanningSequence + ") with TR " + FormatNumber(tr) + " ms, TE " +
                    FormatNumber(te) + " ms: T2-weighted");

  // Tags did not decide: fall back on the description, and say so.
  const std::string hint = " (description '" + h.seriesDescription + "' only: tags did not decide)";
  if (MentionsAny(text, { "localizer", "localiser", "loc", "scout", "survey", "3pl", "tripilot", "aahead" }))
    return Assign(set, SeriesRole::Localizer, "localizer" + hint);
  if (MentionsAny(text, { "adc", "apparent" }))
    return Assign(set, SeriesRole::ADC, "ADC" + hint);
  if (MentionsAny(text, { "flair", "darkfluid", "dark" }))
    return Assign(set, SeriesRole::FLAIR, "FLAIR" + hint);
  if (MentionsAny(text, { "dwi", "diffusion", "trace", "dw" }))
    return Assign(set, SeriesRole::DWI, "DWI" + hint);
  if (MentionsAny(text, { "swi", "t2*", "t2star", "hemo", "gre", "swan" }))
    return Assign(set, SeriesRole::SWI, "SWI/GRE" + hint);
  if (MentionsAny(text, { "t2", "t2w", "tse", "fse" }))
    return Assign(set, SeriesRole::T2, "T2" + hint);
  if (MentionsAny(text, { "t1", "t1w", "mprage", "spgr", "bravo", "mp2rage" }))
    return Assign(set, SeriesRole::T1, "T1" + hint);
  Assign(set, SeriesRole::Other,
         "no rule matched (ImageType " + typeText + ", ScanningSequence " + h.scanningSequence + ", TR " +
           FormatNumber(tr) + " ms, TE " + FormatNumber(te) + " ms, TI " + FormatNumber(ti) + " ms)");
}

} // namespace icanscan::dicom
