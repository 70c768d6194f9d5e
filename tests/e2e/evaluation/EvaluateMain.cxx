// icanscan_evaluate: scores `icanscan run` outputs against phantom truth (bench/generalisation.sh).
// Usage: icanscan_evaluate LIST|DIR [--json FILE] [--markers]
// LIST: one study per line, tab-separated: name, truth folder, run folder, exit code file, time file (GNU time
// "-f '%e %M'" output; may be absent). DIR: a folder of study folders as EvaluateFolder reads them. Prints per-study
// rows, per-case and pooled results, the floors of the generalisation issue and, with --markers, every run's oedema
// markers beside their truth.
#include "tests/e2e/evaluation/PhantomEvaluation.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace
{
namespace fs = std::filesystem;
using namespace icanscan::evaluation;

std::string Fixed(double value, int decimals = 2)
{
  if (std::isnan(value))
    return "-";
  char text[32];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

std::string Pad(const std::string & text, std::size_t width)
{
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

std::string CaseTable(const std::vector<StudyEvaluation> & studies)
{
  std::map<std::string, std::vector<StudyEvaluation>> byCase;
  std::vector<std::string> order;
  for (const auto & s : studies)
  {
    if (!byCase.count(s.caseName))
      order.push_back(s.caseName);
    byCase[s.caseName].push_back(s);
  }
  std::ostringstream out;
  out << Pad("case", 24) << Pad("n", 3) << Pad("sens", 6) << Pad("spec", 6) << Pad("JHU s/s", 10) << Pad("oedema", 7)
      << Pad("grade", 6) << Pad("T2F Dice", 9) << Pad("HD95", 6) << Pad("DWI Dice", 9) << Pad("HD95", 6)
      << Pad("TRE mean", 9) << Pad("TRE max", 8) << Pad("time s", 7) << "MB\n";
  for (const auto & name : order)
  {
    const auto p = Pool(byCase[name]);
    double treMean = 0.0;
    for (const auto & [role, t] : p.tre)
      treMean = std::max(treMean, t.first);
    out << Pad(name, 24) << Pad(std::to_string(p.studies), 3) << Pad(Fixed(p.independent.Sensitivity()), 6)
        << Pad(Fixed(p.independent.Specificity()), 6)
        << Pad(Fixed(p.jhu.Sensitivity()) + "/" + Fixed(p.jhu.Specificity()), 10)
        << Pad(std::to_string(p.oedemaRight) + "/" + std::to_string(p.studies), 7)
        << Pad(std::to_string(p.gradeRight) + "/" + std::to_string(p.studies), 6)
        << Pad(p.t2flairScored ? Fixed(p.t2flairDice) : "-", 9)
        << Pad(p.t2flairHd95 ? Fixed(*p.t2flairHd95, 1) : "-", 6) << Pad(p.dwiScored ? Fixed(p.dwiDice) : "-", 9)
        << Pad(p.dwiHd95 ? Fixed(*p.dwiHd95, 1) : "-", 6) << Pad(Fixed(treMean), 9)
        << Pad(p.treMax ? Fixed(*p.treMax) : "-", 8) << Pad(p.secondsMean ? Fixed(*p.secondsMean, 0) : "-", 7)
        << (p.peakMbMax ? Fixed(*p.peakMbMax, 0) : "-") << "\n";
  }
  return out.str();
}

} // namespace

int main(int argc, char ** argv)
{
  if (argc < 2)
  {
    std::cerr << "usage: icanscan_evaluate LIST|DIR [--json FILE] [--markers]\n";
    return 2;
  }
  fs::path jsonFile;
  bool markers = false;
  for (int i = 2; i < argc; ++i)
  {
    const std::string arg = argv[i];
    if (arg == "--json" && i + 1 < argc)
      jsonFile = argv[++i];
    else if (arg == "--markers")
      markers = true;
    else
    {
      std::cerr << "icanscan_evaluate: unknown argument '" << arg << "'\n";
      return 2;
    }
  }
  std::vector<StudyEvaluation> studies;
  if (fs::is_directory(argv[1]))
    studies = EvaluateFolder(argv[1]);
  std::ifstream list(fs::is_directory(argv[1]) ? "" : argv[1]);
  if (!fs::is_directory(argv[1]) && !list)
  {
    std::cerr << "icanscan_evaluate: cannot read '" << argv[1] << "'\n";
    return 2;
  }
  std::string line;
  while (list && std::getline(list, line))
  {
    if (line.empty() || line[0] == '#')
      continue;
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, '\t');)
      fields.push_back(field);
    if (fields.size() < 4)
    {
      std::cerr << "icanscan_evaluate: line '" << line << "': expected name, truth, run, rc file [, time file]\n";
      return 2;
    }
    int rc = -1;
    std::ifstream(fields[3]) >> rc;
    auto study = EvaluateStudy(fields[0], fields[1], fields[2], rc);
    if (fields.size() > 4)
    {
      double seconds = 0.0, kb = 0.0;
      std::ifstream time(fields[4]);
      for (std::string t; std::getline(time, t);)
        if (std::sscanf(t.c_str(), "%lf %lf", &seconds, &kb) == 2)
        {
          study.seconds = seconds;
          study.peakMb = kb / 1024.0;
        }
    }
    studies.push_back(std::move(study));
  }
  std::cout << "Per study (sens/spec: involvement with the anatomy's own truth; JHU ok: right calls of the "
               "JHU-truth structures; Dice/HD95 per lesion kind; TRE mean/max mm per series)\n"
            << StudyTable(studies) << "\nPer case\n"
            << CaseTable(studies) << "\n"
            << PooledTable("Pooled", Pool(studies));
  const auto failures = FloorFailures(Pool(studies), studies);
  std::cout << "\nFloors (GeneralisationFloors): " << (failures.empty() ? "all met" : "NOT met") << "\n";
  for (const auto & f : failures)
    std::cout << "  - " << f << "\n";
  for (const auto & s : studies)
    for (const auto & p : s.problems)
      std::cout << "problem: " << s.name << ": " << p << "\n";
  if (markers)
  {
    std::cout << "\nOedema markers: run value, truth value, truth key\n";
    for (const auto & s : studies)
      std::cout << MarkerTable(s);
  }
  if (!jsonFile.empty())
  {
    nlohmann::json all = nlohmann::json::array();
    for (const auto & s : studies)
      all.push_back(ToJson(s));
    std::ofstream(jsonFile) << all.dump(1) << "\n";
  }
  return 0;
}
