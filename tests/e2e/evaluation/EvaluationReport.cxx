#include "tests/e2e/evaluation/PhantomEvaluation.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace icanscan::evaluation
{
namespace
{

std::string Fixed(double value, int decimals = 2)
{
  if (std::isnan(value))
    return "-";
  char text[32];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

std::string Fixed(const std::optional<double> & value, int decimals = 2)
{
  return value ? Fixed(*value, decimals) : "-";
}

std::string Pad(const std::string & text, std::size_t width)
{
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

nlohmann::json Number(double value)
{
  return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value);
}

} // namespace

PooledEvaluation Pool(const std::vector<StudyEvaluation> & studies)
{
  PooledEvaluation p;
  p.studies = static_cast<int>(studies.size());
  double t2Overlap = 0.0, t2Sum = 0.0, dwiOverlap = 0.0, dwiSum = 0.0, t2Hd = 0.0, dwiHd = 0.0;
  int t2HdCount = 0, dwiHdCount = 0, truthLesions = 0, found = 0, runLesions = 0, runTrue = 0;
  std::map<std::string, std::pair<double, int>> dice;
  std::map<std::string, std::pair<double, int>> treMean;
  double secondsSum = 0.0;
  int secondsCount = 0;
  for (const auto & s : studies)
  {
    p.independent.Add(s.independent);
    p.jhu.Add(s.jhu);
    p.oedemaRight += s.OedemaRight() ? 1 : 0;
    p.gradeRight += s.GradeRight() ? 1 : 0;
    p.oedemaAndGradeRight += s.OedemaRight() && s.GradeRight() ? 1 : 0;
    if (s.t2flair.scored)
    {
      ++p.t2flairScored;
      p.t2flairDice += s.t2flair.dice;
      t2Overlap += 2.0 * s.t2flair.overlapMl;
      t2Sum += s.t2flair.truthMl + s.t2flair.runMl;
      if (s.t2flair.hd95Mm)
      {
        t2Hd += *s.t2flair.hd95Mm;
        ++t2HdCount;
      }
      truthLesions += s.t2flair.truthLesions;
      found += s.t2flair.truthLesionsFound;
    }
    runLesions += s.t2flair.runLesions;
    runTrue += s.t2flair.runLesionsTrue;
    if (s.dwi.scored)
    {
      ++p.dwiScored;
      p.dwiDice += s.dwi.dice;
      dwiOverlap += 2.0 * s.dwi.overlapMl;
      dwiSum += s.dwi.truthMl + s.dwi.runMl;
      if (s.dwi.hd95Mm)
      {
        dwiHd += *s.dwi.hd95Mm;
        ++dwiHdCount;
      }
    }
    for (const auto & [key, d] : s.structureDice)
    {
      dice[key].first += d;
      ++dice[key].second;
    }
    for (const auto & t : s.tre)
    {
      if (!t.available)
        continue;
      auto & [sum, count] = treMean[t.role];
      sum += t.meanMm;
      ++count;
      auto & entry = p.tre[t.role];
      entry.second = std::max(entry.second, t.maxMm);
      p.treMax = std::max(p.treMax.value_or(0.0), t.maxMm);
    }
    if (s.seconds)
    {
      secondsSum += *s.seconds;
      ++secondsCount;
      p.secondsMax = std::max(p.secondsMax.value_or(0.0), *s.seconds);
    }
    if (s.peakMb)
      p.peakMbMax = std::max(p.peakMbMax.value_or(0.0), *s.peakMb);
  }
  if (p.t2flairScored)
    p.t2flairDice /= p.t2flairScored;
  if (p.dwiScored)
    p.dwiDice /= p.dwiScored;
  p.t2flairDicePooled = t2Sum > 0.0 ? t2Overlap / t2Sum : 0.0;
  p.dwiDicePooled = dwiSum > 0.0 ? dwiOverlap / dwiSum : 0.0;
  if (t2HdCount)
    p.t2flairHd95 = t2Hd / t2HdCount;
  if (dwiHdCount)
    p.dwiHd95 = dwiHd / dwiHdCount;
  const double recall = truthLesions ? double(found) / truthLesions : 0.0;
  const double precision = runLesions ? double(runTrue) / runLesions : 0.0;
  p.lesionRecall = recall;
  p.lesionF1 = recall + precision > 0.0 ? 2.0 * recall * precision / (recall + precision) : 0.0;
  for (const auto & [key, sum] : dice)
    p.structureDice[key] = sum.first / sum.second;
  for (const auto & [role, sum] : treMean)
    p.tre[role].first = sum.first / sum.second;
  if (secondsCount)
    p.secondsMean = secondsSum / secondsCount;
  return p;
}

std::vector<FloorCheck> CheckFloors(const PooledEvaluation & p, const std::vector<StudyEvaluation> & studies)
{
  using F = GeneralisationFloors;
  std::vector<FloorCheck> checks;
  const double sensitivity = p.independent.Sensitivity(), specificity = p.independent.Specificity();
  const std::string counts = " (tp " + std::to_string(p.independent.tp) + " tn " + std::to_string(p.independent.tn) +
                             " fp " + std::to_string(p.independent.fp) + " fn " + std::to_string(p.independent.fn) +
                             ", null " + std::to_string(p.independent.nulls) + ")";
  checks.push_back({ Floor::InvolvementSensitivity, !(sensitivity < F::kInvolvementSensitivity),
                     "involvement sensitivity " + Fixed(sensitivity) + " (floor " + Fixed(F::kInvolvementSensitivity) +
                       ")" + counts });
  checks.push_back({ Floor::InvolvementSpecificity, !(specificity < F::kInvolvementSpecificity),
                     "involvement specificity " + Fixed(specificity) + " (floor " + Fixed(F::kInvolvementSpecificity) +
                       ")" + counts });
  checks.push_back({ Floor::T2FlairDice, p.t2flairScored > 0 && p.t2flairDice >= F::kT2FlairDice,
                     "T2/FLAIR lesion Dice " + Fixed(p.t2flairDice) + " (floor " + Fixed(F::kT2FlairDice) +
                       ", mean of " + std::to_string(p.t2flairScored) + " studies)" });
  checks.push_back({ Floor::DwiDice, p.dwiScored > 0 && p.dwiDice >= F::kDwiDice,
                     "DWI lesion Dice " + Fixed(p.dwiDice) + " (floor " + Fixed(F::kDwiDice) + ", mean of " +
                       std::to_string(p.dwiScored) + " studies)" });
  std::string treWorst;
  double worst = -1.0;
  for (const auto & s : studies)
    for (const auto & t : s.tre)
      if (t.available && t.maxMm > worst)
      {
        worst = t.maxMm;
        treWorst = s.name + " " + t.role;
      }
  checks.push_back({ Floor::TreMax, p.treMax && *p.treMax < F::kTreMaxMm,
                     "TRE max " + Fixed(p.treMax) + " mm (floor: below " + Fixed(F::kTreMaxMm) + ")" +
                       (treWorst.empty() ? "" : ", at " + treWorst) });
  std::string wrong, falseFlags;
  for (const auto & s : studies)
  {
    const std::string call = s.name + " " + (s.oedemaRun.empty() ? "(none)" : s.oedemaRun) + "/" +
                             (s.gradeRun ? std::to_string(*s.gradeRun) : "null") + " (truth " + s.oedemaTruth + "/" +
                             std::to_string(s.gradeTruth) + ")";
    if (!(s.OedemaRight() && s.GradeRight()))
      wrong += "; " + call;
    if (s.NormalOrVolumeLoss() && s.FlaggedOedema())
      falseFlags += "; " + call;
  }
  const double right = p.studies ? double(p.oedemaAndGradeRight) / p.studies : 0.0;
  checks.push_back({ Floor::OedemaRight, p.studies > 0 && right >= F::kOedemaRightFraction,
                     "oedema flag and grade right in " + std::to_string(p.oedemaAndGradeRight) + "/" +
                       std::to_string(p.studies) + " = " + Fixed(right) + " (floor " + Fixed(F::kOedemaRightFraction) +
                       ")" + (wrong.empty() ? "" : ", wrong: " + wrong.substr(2)) });
  checks.push_back({ Floor::NoOedemaOnNormalOrLoss, falseFlags.empty(),
                     "focal/diffuse on a normal or volume-loss study: " +
                       (falseFlags.empty() ? std::string("none") : falseFlags.substr(2)) });
  return checks;
}

std::vector<std::string> FloorFailures(const PooledEvaluation & p, const std::vector<StudyEvaluation> & studies)
{
  std::vector<std::string> failures;
  for (const auto & check : CheckFloors(p, studies))
    if (!check.met)
      failures.push_back(check.text);
  return failures;
}

nlohmann::json ToJson(const StudyEvaluation & s)
{
  nlohmann::json j;
  j["name"] = s.name;
  j["case"] = s.caseName;
  j["seed"] = s.seed;
  j["vendor"] = s.vendor;
  j["exit_code"] = s.exitCode;
  auto confusion = [](const Confusion & c)
  {
    return nlohmann::json{ { "tp", c.tp },
                           { "tn", c.tn },
                           { "fp", c.fp },
                           { "fn", c.fn },
                           { "nulls", c.nulls },
                           { "sensitivity", Number(c.Sensitivity()) },
                           { "specificity", Number(c.Specificity()) } };
  };
  j["involvement"] = confusion(s.independent);
  j["involvement_jhu"] = confusion(s.jhu);
  nlohmann::json wrong = nlohmann::json::array();
  for (const auto & c : s.calls)
    if (!c.Right())
      wrong.push_back(c.structure + "." + c.field + " = " + (c.run ? (*c.run ? "true" : "false") : "null") +
                      " (truth " + (c.truth ? "true" : "false") + ")" + (c.jhu ? " [JHU]" : ""));
  j["wrong_calls"] = wrong;
  j["oedema"] = { { "truth", s.oedemaTruth },
                  { "run", s.oedemaRun },
                  { "grade_truth", s.gradeTruth },
                  { "grade_run", s.gradeRun ? nlohmann::json(*s.gradeRun) : nlohmann::json(nullptr) } };
  auto lesion = [](const LesionScore & l)
  {
    return nlohmann::json{ { "scored", l.scored },
                           { "truth_ml", l.truthMl },
                           { "run_ml", l.runMl },
                           { "dice", l.dice },
                           { "hd95_mm", l.hd95Mm ? nlohmann::json(*l.hd95Mm) : nlohmann::json(nullptr) },
                           { "recall", Number(l.Recall()) },
                           { "f1", Number(l.F1()) } };
  };
  j["lesion_t2flair"] = lesion(s.t2flair);
  j["lesion_dwi"] = lesion(s.dwi);
  j["false_dwi_ml"] = s.falseDwiMl;
  j["structure_dice"] = s.structureDice;
  nlohmann::json tre = nlohmann::json::array();
  for (const auto & t : s.tre)
    tre.push_back({ { "role", t.role },
                    { "available", t.available },
                    { "mean_mm", t.meanMm },
                    { "max_mm", t.maxMm },
                    { "status", t.status },
                    { "why", t.why } });
  j["tre"] = tre;
  nlohmann::json markers = nlohmann::json::array();
  for (const auto & m : s.markers)
    markers.push_back({ { "marker", m.marker },
                        { "run", m.run ? nlohmann::json(*m.run) : nlohmann::json(nullptr) },
                        { "truth", m.truth ? nlohmann::json(*m.truth) : nlohmann::json(nullptr) },
                        { "truth_key", m.truthKey } });
  j["markers"] = markers;
  j["seconds"] = s.seconds ? nlohmann::json(*s.seconds) : nlohmann::json(nullptr);
  j["peak_mb"] = s.peakMb ? nlohmann::json(*s.peakMb) : nlohmann::json(nullptr);
  j["problems"] = s.problems;
  return j;
}

std::string StudyTable(const std::vector<StudyEvaluation> & studies)
{
  std::ostringstream out;
  out << Pad("study", 34) << Pad("vendor", 8) << Pad("rc", 3) << Pad("sens", 5) << Pad("spec", 5) << Pad("jhu ok", 7)
      << Pad("oedema run/truth", 22) << Pad("grade", 6) << Pad("T2F Dice", 9) << Pad("HD95", 6) << Pad("DWI Dice", 9)
      << Pad("HD95", 6) << Pad("falseDWI", 9) << Pad("TRE FLAIR", 10) << Pad("DWI", 10) << Pad("ADC", 10) << Pad("s", 5)
      << "MB\n";
  for (const auto & s : studies)
  {
    auto tre = [&](const std::string & role)
    {
      for (const auto & t : s.tre)
        if (t.role == role)
          return t.available ? Fixed(t.meanMm) + "/" + Fixed(t.maxMm) : std::string("-");
      return std::string("-");
    };
    const int jhuCalls = s.jhu.tp + s.jhu.tn + s.jhu.fp + s.jhu.fn;
    out << Pad(s.name, 34) << Pad(s.vendor, 8) << Pad(std::to_string(s.exitCode), 3)
        << Pad(Fixed(s.independent.Sensitivity()), 5) << Pad(Fixed(s.independent.Specificity()), 5)
        << Pad(std::to_string(s.jhu.tp + s.jhu.tn) + "/" + std::to_string(jhuCalls), 7)
        << Pad((s.oedemaRun.empty() ? "-" : s.oedemaRun) + "/" + s.oedemaTruth, 22)
        << Pad((s.gradeRun ? std::to_string(*s.gradeRun) : "-") + "/" + std::to_string(s.gradeTruth), 6)
        << Pad(s.t2flair.scored ? Fixed(s.t2flair.dice) : "-", 9)
        << Pad(s.t2flair.scored ? Fixed(s.t2flair.hd95Mm, 1) : "-", 6) << Pad(s.dwi.scored ? Fixed(s.dwi.dice) : "-", 9)
        << Pad(s.dwi.scored ? Fixed(s.dwi.hd95Mm, 1) : "-", 6) << Pad(s.dwi.scored ? "-" : Fixed(s.falseDwiMl, 1), 9)
        << Pad(tre("FLAIR"), 10) << Pad(tre("DWI_b0"), 10) << Pad(tre("ADC"), 10) << Pad(Fixed(s.seconds, 0), 5)
        << Fixed(s.peakMb, 0) << "\n";
  }
  return out.str();
}

std::string PooledTable(const std::string & title, const PooledEvaluation & p)
{
  std::ostringstream out;
  out << title << " (" << p.studies << " studies)\n"
      << "  involvement (own truth): sensitivity " << Fixed(p.independent.Sensitivity()) << " specificity "
      << Fixed(p.independent.Specificity()) << " (tp " << p.independent.tp << " tn " << p.independent.tn << " fp "
      << p.independent.fp << " fn " << p.independent.fn << ", of them null " << p.independent.nulls << ")\n"
      << "  involvement (JHU truth, apart): sensitivity " << Fixed(p.jhu.Sensitivity()) << " specificity "
      << Fixed(p.jhu.Specificity()) << " (tp " << p.jhu.tp << " tn " << p.jhu.tn << " fp " << p.jhu.fp << " fn "
      << p.jhu.fn << ")\n"
      << "  oedema flag right " << p.oedemaRight << "/" << p.studies << ", ASTCT oedema grade right " << p.gradeRight
      << "/" << p.studies << "\n"
      << "  T2/FLAIR lesion Dice " << Fixed(p.t2flairDice) << " (mean of " << p.t2flairScored << "; voxel-pooled "
      << Fixed(p.t2flairDicePooled) << "), HD95 " << Fixed(p.t2flairHd95, 1) << " mm, lesion-wise recall "
      << Fixed(p.lesionRecall) << " F1 " << Fixed(p.lesionF1) << "\n"
      << "  DWI lesion Dice " << Fixed(p.dwiDice) << " (mean of " << p.dwiScored << "; voxel-pooled "
      << Fixed(p.dwiDicePooled) << "), HD95 " << Fixed(p.dwiHd95, 1) << " mm\n  structure Dice:";
  for (const auto & [key, d] : p.structureDice)
    out << " " << key << " " << Fixed(d);
  out << "\n  TRE mean/max (mm):";
  for (const auto & [role, t] : p.tre)
    out << " " << role << " " << Fixed(t.first) << "/" << Fixed(t.second);
  out << "; max over all " << Fixed(p.treMax) << "\n  time per study mean " << Fixed(p.secondsMean, 0) << " s, max "
      << Fixed(p.secondsMax, 0) << " s; peak memory max " << Fixed(p.peakMbMax, 0) << " MB\n";
  return out.str();
}

std::string MarkerTable(const StudyEvaluation & s)
{
  std::ostringstream out;
  out << s.name << " (oedema run " << (s.oedemaRun.empty() ? "-" : s.oedemaRun) << ", truth " << s.oedemaTruth << ")\n";
  for (const auto & m : s.markers)
    out << "  " << Pad(m.marker, 48) << Pad(Fixed(m.run, 3), 12) << Pad(Fixed(m.truth, 3), 12) << m.truthKey << "\n";
  return out.str();
}

} // namespace icanscan::evaluation
