#include "tests/e2e/evaluation/PhantomEvaluation.h"

#include "filters/ImageGrid.h"
#include "filters/MaskMorphology.h"
#include "pipeline/geometry/StructureLabels.h"

#include "itkImageFileReader.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"
#include "itkSignedMaurerDistanceMapImageFilter.h"
#include "itkTransformFileReader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace icanscan::evaluation
{
namespace
{

namespace fs = std::filesystem;
using Mask = itk::Image<unsigned char, 3>;
using Distance = itk::Image<float, 3>;
using nlohmann::json;
constexpr double kMinComponentMl = 0.05;

Mask::Pointer ReadMask(const fs::path & file)
{
  auto reader = itk::ImageFileReader<Mask>::New();
  reader->SetFileName(file.string());
  reader->Update();
  return reader->GetOutput();
}

/** `image` on the grid of `grid` (nearest neighbour; as is when the grids agree). */
Mask::Pointer OnGrid(const Mask::Pointer & image, const Mask * grid)
{
  if (icanscan::filters::SameGrid(image, grid, 1e-3))
    return image;
  auto resample = itk::ResampleImageFilter<Mask, Mask>::New();
  resample->SetInput(image);
  resample->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<Mask, double>::New());
  resample->SetOutputParametersFromImage(grid);
  resample->SetDefaultPixelValue(0);
  resample->Update();
  return resample->GetOutput();
}

double VoxelMl(const Mask * m)
{
  const auto & s = m->GetSpacing();
  return s[0] * s[1] * s[2] / 1000.0;
}

Mask::Pointer Binary(const Mask * m)
{
  auto out = filters::CopyMask(m);
  for (std::size_t i = 0; i < out->GetBufferedRegion().GetNumberOfPixels(); ++i)
    out->GetBufferPointer()[i] = out->GetBufferPointer()[i] ? 1 : 0;
  return out;
}

/** Unsigned distance (mm) of every voxel to the boundary of `mask` (0 on it). */
Distance::Pointer BoundaryDistance(const Mask * mask)
{
  auto filter = itk::SignedMaurerDistanceMapImageFilter<Mask, Distance>::New();
  filter->SetInput(mask);
  filter->SetUseImageSpacing(true);
  filter->SetSquaredDistance(false);
  filter->SetInsideIsPositive(false);
  filter->Update();
  Distance::Pointer d = filter->GetOutput();
  for (std::size_t i = 0; i < d->GetBufferedRegion().GetNumberOfPixels(); ++i)
    d->GetBufferPointer()[i] = std::abs(d->GetBufferPointer()[i]);
  return d;
}

/** 95th percentile of the distances from the surface voxels of `a` to the boundary of `b`. */
double DirectedHd95(const Mask * a, const Distance * toB)
{
  const auto size = a->GetLargestPossibleRegion().GetSize();
  const unsigned char * m = a->GetBufferPointer();
  const float * d = toB->GetBufferPointer();
  std::vector<float> values;
  const std::size_t sx = 1, sy = size[0], sz = size[0] * size[1];
  std::size_t i = 0;
  for (unsigned z = 0; z < size[2]; ++z)
    for (unsigned y = 0; y < size[1]; ++y)
      for (unsigned x = 0; x < size[0]; ++x, ++i)
      {
        if (!m[i])
          continue;
        const bool surface = x == 0 || y == 0 || z == 0 || x + 1 == size[0] || y + 1 == size[1] || z + 1 == size[2] ||
                             !m[i - sx] || !m[i + sx] || !m[i - sy] || !m[i + sy] || !m[i - sz] || !m[i + sz];
        if (surface)
          values.push_back(d[i]);
      }
  if (values.empty())
    return 0.0;
  const auto k = static_cast<std::size_t>(0.95 * (values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
  return values[k];
}

/** Connected components (26 neighbours) of at least kMinComponentMl; how many touch `other`. */
std::pair<int, int> ComponentsTouching(const Mask * mask, const Mask * other)
{
  const auto components = filters::ConnectedComponents(mask, true);
  const double voxel = VoxelMl(mask);
  std::vector<bool> touches(components.sizes.size() + 1, false);
  const unsigned * c = components.labels->GetBufferPointer();
  for (std::size_t i = 0; i < mask->GetBufferedRegion().GetNumberOfPixels(); ++i)
    if (c[i] && other->GetBufferPointer()[i])
      touches[c[i]] = true;
  int count = 0, touching = 0;
  for (std::size_t k = 0; k < components.sizes.size(); ++k)
  {
    if (components.sizes[k] * voxel < kMinComponentMl)
      continue;
    ++count;
    touching += touches[k + 1] ? 1 : 0;
  }
  return { count, touching };
}

LesionScore ScoreLesions(const Mask * truth, const Mask * run)
{
  LesionScore score;
  const double voxel = VoxelMl(truth);
  std::size_t a = 0, b = 0, both = 0;
  for (std::size_t i = 0; i < truth->GetBufferedRegion().GetNumberOfPixels(); ++i)
  {
    const bool t = truth->GetBufferPointer()[i] != 0, r = run->GetBufferPointer()[i] != 0;
    a += t;
    b += r;
    both += t && r;
  }
  score.truthMl = a * voxel;
  score.runMl = b * voxel;
  score.overlapMl = both * voxel;
  score.dice = a + b ? 2.0 * double(both) / double(a + b) : 1.0;
  if (a && b)
    score.hd95Mm = std::max(DirectedHd95(truth, BoundaryDistance(run)), DirectedHd95(run, BoundaryDistance(truth)));
  std::tie(score.truthLesions, score.truthLesionsFound) = ComponentsTouching(truth, run);
  std::tie(score.runLesions, score.runLesionsTrue) = ComponentsTouching(run, truth);
  return score;
}

std::optional<double> Number(const json & j)
{
  if (j.is_number())
    return j.get<double>();
  return std::nullopt;
}

const json * Find(const json & j, const std::vector<std::string> & path)
{
  const json * node = &j;
  for (const auto & key : path)
  {
    if (!node->is_object() || !node->contains(key))
      return nullptr;
    node = &node->at(key);
  }
  return node;
}

std::optional<double> TruthNumber(const json & truth, const std::vector<std::string> & path)
{
  const json * node = Find(truth, path);
  return node ? Number(*node) : std::nullopt;
}

using Transform = itk::Transform<double, 3, 3>;

Transform::ConstPointer ReadTransform(const fs::path & file)
{
  auto reader = itk::TransformFileReaderTemplate<double>::New();
  reader->SetFileName(file.string());
  reader->Update();
  const auto * t = dynamic_cast<const Transform *>(reader->GetTransformList()->front().GetPointer());
  if (!t)
    throw std::runtime_error("not a 3D transform: " + file.string());
  return t;
}

void MeasureTre(StudyEvaluation & e, const json & report, const fs::path & truthDir, const fs::path & runDir)
{
  const std::string reference = report.contains("reference") ? report["reference"].value("role", "") : "";
  const auto labels = ReadMask(truthDir / "labels.nii.gz");
  std::vector<itk::Point<double, 3>> points;
  const unsigned char * l = labels->GetBufferPointer();
  for (std::size_t i = 0, n = 0; i < labels->GetBufferedRegion().GetNumberOfPixels(); ++i)
    if (l[i] && n++ % 7 == 0)
      points.push_back(filters::PointOfOffset(labels, i));
  for (const auto & [role, truthRole] :
       std::vector<std::pair<std::string, std::string>>{ { "FLAIR", "FLAIR" }, { "DWI_b0", "DWI" }, { "ADC", "ADC" } })
  {
    SeriesTre tre;
    tre.role = role;
    if (report.contains("registration"))
      for (const auto & r : report["registration"])
        if (r.value("moving", "") == role)
          tre.status = r.value("status", "");
    const fs::path runFile = runDir / "transforms" / (role + "_to_reference.tfm");
    const fs::path truthFile = truthDir / (truthRole + "_true_transform.tfm");
    if (reference != "T2")
      tre.why = "reference is " + reference + ", not the T2 the truth is relative to";
    else if (!fs::exists(runFile))
      tre.why = "no " + runFile.filename().string();
    else if (!fs::exists(truthFile))
      tre.why = "no " + truthFile.filename().string();
    else
    {
      const auto run = ReadTransform(runFile);
      const auto truth = ReadTransform(truthFile);
      double sum = 0.0;
      for (const auto & p : points)
      {
        const double d = run->TransformPoint(p).EuclideanDistanceTo(truth->TransformPoint(p));
        sum += d;
        tre.maxMm = std::max(tre.maxMm, d);
      }
      tre.meanMm = points.empty() ? 0.0 : sum / points.size();
      tre.available = !points.empty();
    }
    e.tre.push_back(tre);
  }
}

void AddMarker(StudyEvaluation & e,
               const std::string & marker,
               std::optional<double> run,
               std::optional<double> truth,
               const std::string & truthKey)
{
  e.markers.push_back({ marker, run, truth, truthKey });
}

/** Every numeric oedema marker of the run (flattened) beside the truth value it estimates, when there is one. */
void CompareMarkers(StudyEvaluation & e, const json & report, const json & truth)
{
  const json * markers = Find(report, { "oedema", "markers" });
  const bool v2 = truth.contains("oedema_markers");
  auto truthOf = [&](const std::string & marker) -> std::pair<std::optional<double>, std::string>
  {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> table{
      { "intracranial_ml", { "oedema_markers", "intracranial_ml" } },
      { "lateral_ventricles_ml", { "oedema_markers", "lateral_ventricles_ml", "case" } },
      { "lateral_ventricle_left_ml", { "oedema_markers", "lateral_ventricle_left_ml", "case" } },
      { "lateral_ventricle_right_ml", { "oedema_markers", "lateral_ventricle_right_ml", "case" } },
      { "sulcal_csf_ml", { "oedema_markers", "sulcal_csf_ml", "case" } },
      { "midline_shift_mm", { "oedema_markers", "septum_shift_mm" } },
    };
    for (const auto & [name, path] : table)
      if (marker == name && v2)
        return { TruthNumber(truth, path), path.back() == "case" ? path[1] + ".case" : path.back() };
    if (marker == "midline_shift_mm")
      return { TruthNumber(truth, { "midline_shift_mm" }), "midline_shift_mm" };
    if (marker.rfind("swelling_pct.", 0) == 0)
    {
      const std::string key = marker.substr(13);
      if (v2)
        return { TruthNumber(truth, { "oedema_markers", "swelling_percent_vs_own_normal", key }),
                 "swelling_percent_vs_own_normal." + key };
      return { TruthNumber(truth, { "swelling_percent", key }), "swelling_percent." + key };
    }
    if (marker.rfind("baseline_change_pct.", 0) == 0) // the follow-up's truth is against the same head's normal
      return { TruthNumber(truth, { "swelling_percent", marker.substr(20) }), "swelling_percent." + marker.substr(20) };
    if (v2 && marker.find("cistern") != std::string::npos && marker.find("ml") != std::string::npos)
      return { TruthNumber(truth, { "oedema_markers", "basal_cistern_csf_ml", "case" }), "basal_cistern_csf_ml.case" };
    if (v2 && marker == "ventricle_asymmetry")
    {
      const auto l = TruthNumber(truth, { "oedema_markers", "lateral_ventricle_left_ml", "case" });
      const auto r = TruthNumber(truth, { "oedema_markers", "lateral_ventricle_right_ml", "case" });
      if (l && r && std::max(*l, *r) > 0.0)
        return { std::min(*l, *r) / std::max(*l, *r), "ventricle sides (case)" };
    }
    return { std::nullopt, "" };
  };
  if (markers && markers->is_object())
    for (const auto & [key, value] : markers->items())
    {
      if (value.is_object())
      {
        for (const auto & [sub, v] : value.items())
          if (v.is_number())
          {
            const auto [t, where] = truthOf(key + "." + sub);
            AddMarker(e, key + "." + sub, Number(v), t, where);
          }
      }
      else if (value.is_number() || value.is_null())
      {
        const auto [t, where] = truthOf(key);
        AddMarker(e, key, Number(value), t, where);
      }
    }
  if (v2)
    for (const auto & [marker, path] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           { "(truth) lateral ventricles change vs own normal %",
             { "oedema_markers", "lateral_ventricles_ml", "change_pct" } },
           { "(truth) sulcal CSF change vs own normal %", { "oedema_markers", "sulcal_csf_ml", "change_pct" } },
           { "(truth) basal cistern CSF ml", { "oedema_markers", "basal_cistern_csf_ml", "case" } },
           { "(truth) basal cistern change vs own normal %",
             { "oedema_markers", "basal_cistern_csf_ml", "change_pct" } } })
      AddMarker(e, marker, std::nullopt, TruthNumber(truth, path), path[1]);
}

} // namespace

void Confusion::Add(const InvolvementCall & call)
{
  if (!call.run)
  {
    ++nulls;
    ++(call.truth ? fn : fp);
    return;
  }
  if (call.truth)
    ++(*call.run ? tp : fn);
  else
    ++(*call.run ? fp : tn);
}

void Confusion::Add(const Confusion & o)
{
  tp += o.tp;
  tn += o.tn;
  fp += o.fp;
  fn += o.fn;
  nulls += o.nulls;
}

double Confusion::Sensitivity() const
{
  return tp + fn ? double(tp) / (tp + fn) : std::nan("");
}

double Confusion::Specificity() const
{
  return tn + fp ? double(tn) / (tn + fp) : std::nan("");
}

double LesionScore::Recall() const
{
  return truthLesions ? double(truthLesionsFound) / truthLesions : std::nan("");
}

double LesionScore::Precision() const
{
  return runLesions ? double(runLesionsTrue) / runLesions : std::nan("");
}

double LesionScore::F1() const
{
  const double r = Recall(), p = Precision();
  if (std::isnan(r) || std::isnan(p))
    return std::nan("");
  return r + p > 0.0 ? 2.0 * r * p / (r + p) : 0.0;
}

StudyEvaluation EvaluateStudy(const std::string & name,
                              const fs::path & truthDir,
                              const fs::path & runDir,
                              int exitCode)
{
  StudyEvaluation e;
  e.name = name;
  e.exitCode = exitCode;
  json truth, report;
  try
  {
    std::ifstream in(truthDir / "truth.json");
    truth = json::parse(in);
  }
  catch (const std::exception & ex)
  {
    e.problems.push_back("truth.json: " + std::string(ex.what()));
    return e;
  }
  e.caseName = truth.value("case", "");
  e.seed = truth.value("seed", 0u);
  if (const json * vendor = Find(truth, { "protocol", "vendor" }))
    e.vendor = vendor->get<std::string>();
  e.oedemaTruth = truth["oedema"].value("flag", "");
  e.gradeTruth = truth["oedema"].value("astct_oedema_grade", 0);
  if (const json * loss = Find(truth, { "oedema_markers", "volume_loss" }); loss && loss->is_boolean())
    e.volumeLossTruth = loss->get<bool>();
  std::set<std::string> jhu{ "corpus_callosum_genu", "corpus_callosum_body", "corpus_callosum_splenium",
                             "external_capsule_left", "external_capsule_right" };
  if (const json * list = Find(truth, { "anatomy", "structures_from_jhu" }))
    jhu = list->get<std::set<std::string>>();
  try
  {
    std::ifstream in(runDir / "report.json");
    report = json::parse(in);
    e.reportPresent = true;
  }
  catch (const std::exception & ex)
  {
    e.problems.push_back("report.json: " + std::string(ex.what()));
  }
  for (const auto & info : pipeline::AllStructures())
  {
    if (info.structure == pipeline::Structure::LateralVentricles)
      continue;
    for (const char * field : { "t2flair_involved", "diffusion_restricted" })
    {
      InvolvementCall call;
      call.structure = info.key;
      call.field = field;
      call.truth = truth["expected_findings"][info.key].value(field, false);
      call.jhu = jhu.count(info.key) > 0;
      if (const json * got = Find(report, { "structures", info.key, field }); got && got->is_boolean())
        call.run = got->get<bool>();
      (call.jhu ? e.jhu : e.independent).Add(call);
      e.calls.push_back(call);
    }
  }
  if (e.reportPresent)
  {
    e.oedemaRun = Find(report, { "oedema", "flag" }) ? report["oedema"].value("flag", "") : "";
    if (const json * g = Find(report, { "icans", "oedema_domain_grade" }); g && g->is_number_integer())
      e.gradeRun = g->get<int>();
  }

  try
  {
    const auto truthT2 = Binary(ReadMask(truthDir / "lesion_t2flair.nii.gz"));
    const auto truthDwi = Binary(ReadMask(truthDir / "lesion_dwi.nii.gz"));
    bool restricted = false;
    for (const auto & [key, f] : truth["expected_findings"].items())
      restricted = restricted || f.value("diffusion_restricted", false);
    auto runMask = [&](const char * file) -> Mask::Pointer
    {
      const fs::path path = runDir / "volumes" / file;
      if (!fs::exists(path))
        return filters::NewMaskLike(truthT2);
      return Binary(OnGrid(ReadMask(path), truthT2));
    };
    e.t2flair = ScoreLesions(truthT2, runMask("lesion_t2flair.nii.gz"));
    e.t2flair.runMaskPresent = fs::exists(runDir / "volumes" / "lesion_t2flair.nii.gz");
    e.t2flair.scored = e.t2flair.truthMl > 0.0;
    const auto runDwi = runMask("lesion_dwi.nii.gz");
    if (restricted)
    {
      e.dwi = ScoreLesions(truthDwi, runDwi);
      e.dwi.scored = e.dwi.truthMl > 0.0;
    }
    else
      e.falseDwiMl = filters::CountNonZero(runDwi) * VoxelMl(runDwi);
    e.dwi.runMaskPresent = fs::exists(runDir / "volumes" / "lesion_dwi.nii.gz");

    if (fs::exists(runDir / "volumes" / "labels.nii.gz"))
    {
      const auto truthLabels = ReadMask(truthDir / "labels.nii.gz");
      const auto runLabels = OnGrid(ReadMask(runDir / "volumes" / "labels.nii.gz"), truthLabels);
      std::array<std::size_t, 256> a{}, b{}, both{};
      for (std::size_t i = 0; i < truthLabels->GetBufferedRegion().GetNumberOfPixels(); ++i)
      {
        const unsigned char t = truthLabels->GetBufferPointer()[i], r = runLabels->GetBufferPointer()[i];
        ++a[t];
        ++b[r];
        if (t == r)
          ++both[t];
      }
      for (const auto & info : pipeline::AllStructures())
      {
        const auto v = static_cast<std::size_t>(info.structure);
        if (a[v])
          e.structureDice[info.key] = 2.0 * double(both[v]) / double(a[v] + b[v]);
      }
    }
    if (e.reportPresent)
      MeasureTre(e, report, truthDir, runDir);
  }
  catch (const std::exception & ex)
  {
    e.problems.push_back(ex.what());
  }
  if (e.reportPresent)
    CompareMarkers(e, report, truth);
  return e;
}

std::vector<StudyEvaluation> EvaluateFolder(const fs::path & dir)
{
  std::vector<fs::path> folders;
  for (const auto & entry : fs::directory_iterator(dir))
    if (entry.is_directory() && fs::exists(entry.path() / "rc"))
      folders.push_back(entry.path());
  std::sort(folders.begin(), folders.end());
  std::vector<StudyEvaluation> studies;
  for (const auto & folder : folders)
  {
    int rc = -1;
    std::ifstream(folder / "rc") >> rc;
    const fs::path truth = fs::exists(folder / "phantom" / "followup" / "truth")
                             ? folder / "phantom" / "followup" / "truth"
                             : folder / "phantom" / "truth";
    auto study = EvaluateStudy(folder.filename().string(), truth, folder / "run", rc);
    double seconds = 0.0, kb = 0.0;
    std::ifstream time(folder / "time.txt");
    for (std::string line; std::getline(time, line);)
      if (std::sscanf(line.c_str(), "%lf %lf", &seconds, &kb) == 2)
      {
        study.seconds = seconds;
        study.peakMb = kb / 1024.0;
      }
    studies.push_back(std::move(study));
  }
  return studies;
}

} // namespace icanscan::evaluation
