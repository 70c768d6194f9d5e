#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

/** Evaluation of `icanscan run` outputs against phantom truth (icanscan phantom), shared by the generalisation bench
 * (bench/generalisation.sh through icanscan_evaluate) and the end-to-end floor test. Not a product library. */
namespace icanscan::evaluation
{

/** \brief One involvement call: a structure and a field (t2flair_involved or diffusion_restricted). */
struct InvolvementCall
{
  std::string structure;
  std::string field;
  bool truth = false;
  std::optional<bool> run; //!< empty: null in report.json (not assessable); counts as wrong (all sequences present)
  bool jhu = false;        //!< the structure's truth comes from the JHU atlas the program uses too
  bool Right() const { return run && *run == truth; }
};

/** \brief Confusion counts of involvement calls; a null call is a miss when the truth is true, a false call else. */
struct Confusion
{
  int tp = 0, tn = 0, fp = 0, fn = 0, nulls = 0;
  void Add(const InvolvementCall & call);
  void Add(const Confusion & other);
  double Sensitivity() const; //!< NaN without positives
  double Specificity() const; //!< NaN without negatives
};

/** \brief A lesion mask against the truth. Connectivity: 26 neighbours (as icanscan's own lesions). */
struct LesionScore
{
  bool scored = false; //!< the truth has lesions of this kind (for DWI: restricted ones)
  bool runMaskPresent = false;
  double truthMl = 0.0, runMl = 0.0, overlapMl = 0.0;
  double dice = 0.0; //!< 2|A∩B| / (|A| + |B|)
  std::optional<double>
    hd95Mm; //!< max of the two directed 95th percentiles of surface distances; empty if a side is empty
  int truthLesions = 0, truthLesionsFound = 0; //!< components of the truth (>= 0.05 ml), those touched by the run
  int runLesions = 0, runLesionsTrue = 0;      //!< components of the run (>= 0.05 ml), those touching the truth
  double Recall() const;
  double Precision() const;
  double F1() const;
};

/** \brief Target registration error of one series: run transform against true transform over brain points. */
struct SeriesTre
{
  std::string role; //!< FLAIR, DWI_b0, ADC
  bool available = false;
  std::string why; //!< when not available
  double meanMm = 0.0, maxMm = 0.0;
  std::string status; //!< the run's registration QC verdict
};

/** \brief A run's oedema marker beside its truth. */
struct MarkerRow
{
  std::string marker;
  std::optional<double> run;
  std::optional<double> truth;
  std::string truthKey; //!< where the truth value comes from in truth.json
};

/** \brief Everything measured on one study. */
struct StudyEvaluation
{
  std::string name;
  std::string caseName;
  unsigned seed = 0;
  std::string vendor;
  int exitCode = -1;
  bool reportPresent = false;
  std::optional<double> seconds, peakMb;
  std::vector<InvolvementCall> calls;
  Confusion independent; //!< structures with their own truth
  Confusion jhu;         //!< structures whose truth comes from JHU
  std::string oedemaTruth, oedemaRun;
  int gradeTruth = 0;
  bool volumeLossTruth = false; //!< truth oedema_markers.volume_loss (ex-vacuo enlargement, tissue pulled in)
  std::optional<int> gradeRun;
  LesionScore t2flair, dwi;
  double falseDwiMl = 0.0;                     //!< restricted-diffusion volume found where the truth has no restriction
  std::map<std::string, double> structureDice; //!< structures with truth voxels
  std::vector<SeriesTre> tre;
  std::vector<MarkerRow> markers;
  std::vector<std::string> problems; //!< what could not be read or compared
  bool OedemaRight() const { return reportPresent && oedemaRun == oedemaTruth; }
  bool GradeRight() const { return gradeRun && *gradeRun == gradeTruth; }
  /** \brief A normal subject (case normal*) or a volume-loss study: must never be flagged focal or diffuse. */
  bool NormalOrVolumeLoss() const { return caseName.rfind("normal", 0) == 0 || volumeLossTruth; }
  bool FlaggedOedema() const { return oedemaRun == "focal" || oedemaRun == "diffuse"; }
};

/** \brief Evaluates one run. `truthDir` holds truth.json and the truth maps, `runDir` the OUT of `icanscan run`
 * (report.json, volumes/, transforms/). Missing files become `problems` and wrong calls, never exceptions. */
StudyEvaluation EvaluateStudy(const std::string & name,
                              const std::filesystem::path & truthDir,
                              const std::filesystem::path & runDir,
                              int exitCode);

/** \brief Evaluates every study folder under `dir` (sorted by name), as the generalisation fixture and bench write
 * them: <name>/phantom/truth (or phantom/followup/truth for a longitudinal case), <name>/run, <name>/rc and, when
 * present, <name>/time.txt (GNU time "%e %M": seconds and peak kB). Folders without rc are left out. */
std::vector<StudyEvaluation> EvaluateFolder(const std::filesystem::path & dir);

/** \brief Results pooled over several studies. Lesion Dice: the mean of the per-study Dice over the studies that have
 * truth lesions of that kind (voxel-pooled Dice beside it); TRE: mean of the means and max of the maxima. */
struct PooledEvaluation
{
  int studies = 0;
  Confusion independent, jhu;
  int oedemaRight = 0, gradeRight = 0, oedemaAndGradeRight = 0;
  int t2flairScored = 0, dwiScored = 0;
  double t2flairDice = 0.0, dwiDice = 0.0;              //!< mean per-study Dice
  double t2flairDicePooled = 0.0, dwiDicePooled = 0.0;  //!< 2 sum|A∩B| / (sum|A| + sum|B|)
  std::optional<double> t2flairHd95, dwiHd95;           //!< mean over the scored studies with a value
  double lesionRecall = 0.0, lesionF1 = 0.0;            //!< T2/FLAIR lesion-wise, micro-averaged
  std::map<std::string, double> structureDice;          //!< mean per structure
  std::map<std::string, std::pair<double, double>> tre; //!< role -> (mean of means, max of maxima)
  std::optional<double> treMax;                         //!< over every series
  std::optional<double> secondsMean, secondsMax, peakMbMax;
};

PooledEvaluation Pool(const std::vector<StudyEvaluation> & studies);

/** \brief The floors the generalisation issue asks for, in one place (bench and end-to-end test). */
struct GeneralisationFloors
{
  static constexpr double kInvolvementSensitivity = 0.95;
  static constexpr double kInvolvementSpecificity = 0.95;
  static constexpr double kT2FlairDice = 0.80;
  static constexpr double kDwiDice = 0.75;
  static constexpr double kTreMaxMm = 1.0;
  //! oedema issue: flag and ASTCT oedema grade right in this fraction of the studies at least
  static constexpr double kOedemaRightFraction = 0.95;
};

/** \brief Which floor a FloorCheck is about. */
enum class Floor
{
  InvolvementSensitivity,
  InvolvementSpecificity,
  T2FlairDice,
  DwiDice,
  TreMax,
  OedemaRight,            //!< flag and grade right in >= kOedemaRightFraction of the studies
  NoOedemaOnNormalOrLoss, //!< no focal/diffuse on a normal or volume-loss study
};

/** \brief One floor against the measured value: met or not, and a line saying what was measured. */
struct FloorCheck
{
  Floor floor;
  bool met = false;
  std::string text; //!< e.g. "involvement sensitivity 0.81 (floor 0.95)", with the wrong studies where it applies
};

/** \brief Every floor of the generalisation and oedema issues, in the order of the enum. */
std::vector<FloorCheck> CheckFloors(const PooledEvaluation & pooled, const std::vector<StudyEvaluation> & studies);

/** \brief The text of each floor CheckFloors finds missed, one line each. */
std::vector<std::string> FloorFailures(const PooledEvaluation & pooled, const std::vector<StudyEvaluation> & studies);

nlohmann::json ToJson(const StudyEvaluation & study);

/** \brief Text tables: one row per study (or case), the pooled rows, and the per-marker oedema table per study. */
std::string StudyTable(const std::vector<StudyEvaluation> & studies);
std::string PooledTable(const std::string & title, const PooledEvaluation & pooled);
std::string MarkerTable(const StudyEvaluation & study);

} // namespace icanscan::evaluation
