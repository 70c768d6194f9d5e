#include "synthetic/PhantomTruth.h"

#include "core/Error.h"
#include "pipeline/report/OutputFiles.h"
#include "synthetic/PhantomContrast.h"

#include "itkTransformFileWriter.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace icanscan::synthetic
{
namespace
{

using nlohmann::json;
constexpr double kPi = 3.14159265358979323846;

/** `value` to a multiple of `step` (a power of ten), so the JSON shows the short decimal. */
double Round(double value, double step = 0.001)
{
  const double scale = std::round(1.0 / step);
  return std::round(value * scale) / scale;
}

json Vector(const Vec3 & v, double step = 0.001)
{
  return json::array({ Round(v[0], step), Round(v[1], step), Round(v[2], step) });
}

json Matrix(const Affine3 & a)
{
  json rows = json::array();
  for (int r = 0; r < 3; ++r)
    rows.push_back(json::array({ a.m[r][0], a.m[r][1], a.m[r][2] }));
  return rows;
}

/** Rotation angle (degrees) of a rigid affine. */
double RotationDeg(const Affine3 & a)
{
  const double trace = a.m[0][0] + a.m[1][1] + a.m[2][2];
  return std::acos(std::clamp(0.5 * (trace - 1.0), -1.0, 1.0)) * 180.0 / kPi;
}

json Rigid(const Affine3 & a, const Vec3 & centre)
{
  const Vec3 moved = a(centre);
  return { { "matrix", Matrix(a) },
           { "offset_mm", Vector(a.t) },
           { "rotation_deg", Round(RotationDeg(a)) },
           { "centre_mm", Vector(centre) },
           { "displacement_of_centre_mm",
             Vector({ moved[0] - centre[0], moved[1] - centre[1], moved[2] - centre[2] }) } };
}

json Grid(const SeriesGeometry & g)
{
  json axes = json::array();
  for (const auto & a : g.axes)
    axes.push_back(json::array({ a[0], a[1], a[2] }));
  return { { "size", json::array({ g.size[0], g.size[1], g.size[2] }) },
           { "spacing_mm", Vector(g.spacing, 1e-6) },
           { "origin_mm", Vector(g.origin) },
           { "direction_columns", axes },
           { "samples_through_slice", g.sliceSamples },
           { "samples_per_in_plane_axis", g.inPlaneSamples } };
}

json ExpectedFindings(const PhantomCase & phantomCase)
{
  json findings = json::object();
  for (const auto & info : pipeline::AllStructures())
  {
    bool t2flair = false, restricted = false;
    for (const auto & lesion : phantomCase.lesions)
      for (const auto s : lesion.structures)
        if (s == info.structure)
        {
          t2flair |= lesion.t2FlairInvolved;
          restricted |= lesion.diffusionRestricted;
        }
    findings[info.key] = { { "t2flair_involved", t2flair }, { "diffusion_restricted", restricted } };
  }
  return findings;
}

double ChangePercent(double before, double after)
{
  return before > 0.0 ? Round(100.0 * (after / before - 1.0), 0.01) : 0.0;
}

json Volumes(const SubjectVolumes & v)
{
  json structures = json::object();
  for (const auto & info : pipeline::AllStructures())
    structures[info.key] = Round(v.structureMl[static_cast<std::size_t>(info.structure)]);
  return { { "structures_ml", structures },
           { "lateral_ventricle_left_ml", Round(v.ventriclesMl[0]) },
           { "lateral_ventricle_right_ml", Round(v.ventriclesMl[1]) },
           { "sulcal_csf_ml", Round(v.sulcalCsfMl) },
           { "subarachnoid_csf_outside_brain_ml", Round(v.externalCsfMl) },
           { "basal_cistern_csf_ml", Round(v.cisternCsfMl) },
           { "intracranial_ml", Round(v.intracranialMl) } };
}

/** The subject: where its anatomy comes from, what was drawn and what that gave. */
json AnatomyJson(const PhantomTruthContext & context)
{
  const auto & a = context.anatomy;
  const auto & d = a.drawn;
  const auto ventricles = static_cast<std::size_t>(pipeline::Structure::LateralVentricles);
  json jhu = json::array(), independent = json::array();
  for (const auto & info : pipeline::AllStructures())
    (context.source.fromJhu[static_cast<std::size_t>(info.structure)] ? jhu : independent).push_back(info.key);
  auto ratio = [](double a, double b) { return b > 0.0 ? Round(a / b) : 0.0; };
  const auto thalamus = [&](pipeline::Structure s, double drawn)
  {
    const auto v = static_cast<std::size_t>(s);
    return json{ { "drawn", Round(drawn) }, { "measured", ratio(a.normalMl[v], a.templateMl[v]) } };
  };
  const json csf = { { "drawn", Round(d.sulcalFactor) }, { "measured", ratio(a.normalSulcalMl, a.templateSulcalMl) } };
  return {
    { "source", context.source.name },
    { "descriptor", context.source.descriptorFile },
    { "variability", context.varied },
    { "structures_from_jhu", jhu },
    { "structures_from_the_anatomy", independent },
    { "structures_note", "structures_from_jhu come from the JHU white-matter atlas the program also uses: report their "
                         "findings apart (not independent truth)" },
    { "age_years", d.ageYears },
    { "age_group", d.ageGroup },
    { "patient_age", DicomAge(d.ageYears) },
    { "head_scale", Round(a.scale, 1e-4) },
    { "intracranial_ml", { { "drawn", Round(d.intracranialMl) }, { "subject", Round(a.normal.intracranialMl) } } },
    { "ventricle_factor",
      { { "drawn", Round(d.ventricleFactor) },
        { "measured", ratio(a.normalMl[ventricles], a.templateMl[ventricles]) } } },
    { "sulcal_csf_factor", csf },
    { "thalamus_factor",
      { { "left", thalamus(pipeline::Structure::ThalamusLeft, d.thalamusFactorLeft) },
        { "right", thalamus(pipeline::Structure::ThalamusRight, d.thalamusFactorRight) } } },
    { "template_source_grid_ml",
      { { "lateral_ventricles", Round(a.templateVentriclesMl) },
        { "sulcal_csf", Round(a.templateSulcalMl) },
        { "intracranial", Round(a.templateIntracranialMl) } } },
    { "normal_subject", Volumes(a.normal) },
    { "case_subject", Volumes(a.pathological) },
    { "subject_note", "normal_subject: the subject before the case's pathology; case_subject: as imaged. Volumes in "
                      "the subject's own space (head-size scale and random warp applied), sampled on a 1 mm grid; "
                      "left/right ventricles split at the source's x = 0; sulcal CSF = CSF fractions of brain voxels "
                      "without a structure, outside the basal-cistern region" }
  };
}

/** The truth of every oedema marker, so a run's marker can be compared with it. */
json OedemaMarkersJson(const PhantomTruthContext & context)
{
  const auto & a = context.anatomy;
  const auto & c = context.phantomCase;
  const auto & n = a.normal;
  const auto & p = a.pathological;
  const auto ventricles = static_cast<std::size_t>(pipeline::Structure::LateralVentricles);
  json swelling = json::object();
  for (const auto & info : pipeline::AllStructures())
  {
    const auto v = static_cast<std::size_t>(info.structure);
    swelling[info.key] = ChangePercent(a.normalMl[v], a.caseMl[v]);
  }
  std::string massEffect = "none";
  if (c.massEffectPushMm > 0.0)
    massEffect = "away_from_lesion";
  else if (c.volumeLossPullMm > 0.0 || c.exVacuoPercent > 0.0)
    massEffect = "towards_lesion (volume loss)";
  else if (c.diffuseSwelling)
    massEffect = "global";
  return { { "swelling_percent_vs_own_normal", swelling },
           { "septum_shift_mm", Round(a.midlineShiftMm, 0.01) },
           { "septum_shift_note", "+: towards the subject's left" },
           { "lesion_side", c.side.empty() ? json(nullptr) : json(c.side) },
           { "mass_effect", massEffect },
           { "volume_loss", c.exVacuoPercent > 0.0 || c.volumeLossPullMm > 0.0 },
           { "diffuse_swelling", c.diffuseSwelling },
           { "lateral_ventricles_ml",
             { { "normal", Round(n.structureMl[ventricles]) },
               { "case", Round(p.structureMl[ventricles]) },
               { "change_pct", ChangePercent(n.structureMl[ventricles], p.structureMl[ventricles]) } } },
           { "lateral_ventricle_left_ml",
             { { "normal", Round(n.ventriclesMl[0]) },
               { "case", Round(p.ventriclesMl[0]) },
               { "change_pct", ChangePercent(n.ventriclesMl[0], p.ventriclesMl[0]) } } },
           { "lateral_ventricle_right_ml",
             { { "normal", Round(n.ventriclesMl[1]) },
               { "case", Round(p.ventriclesMl[1]) },
               { "change_pct", ChangePercent(n.ventriclesMl[1], p.ventriclesMl[1]) } } },
           { "sulcal_csf_ml",
             { { "normal", Round(n.sulcalCsfMl) },
               { "case", Round(p.sulcalCsfMl) },
               { "change_pct", ChangePercent(n.sulcalCsfMl, p.sulcalCsfMl) } } },
           { "basal_cistern_csf_ml",
             { { "normal", Round(n.cisternCsfMl) },
               { "case", Round(p.cisternCsfMl) },
               { "change_pct", ChangePercent(n.cisternCsfMl, p.cisternCsfMl) } } },
           { "intracranial_ml", Round(p.intracranialMl) },
           { "ventricle_fraction_of_intracranial", Round(p.structureMl[ventricles] / p.intracranialMl, 1e-5) },
           { "sulcal_fraction_of_intracranial", Round(p.sulcalCsfMl / p.intracranialMl, 1e-5) },
           { "cistern_fraction_of_intracranial", Round(p.cisternCsfMl / p.intracranialMl, 1e-6) } };
}

json ProtocolJson(const PhantomTruthContext & context)
{
  const auto & protocol = context.study.protocol;
  return { { "vendor", ToString(protocol.vendor) },
           { "t2_slice_mm", protocol.t2SliceMm },
           { "t2_gap_mm", protocol.t2GapMm },
           { "flair", protocol.flair3dSagittal ? "3D sagittal 1 mm" : "2D axial" },
           { "flair_slice_mm", protocol.flairSliceMm },
           { "flair_gap_mm", protocol.flairGapMm },
           { "dwi_slice_mm", protocol.dwiSliceMm },
           { "dwi_gap_mm", protocol.dwiGapMm },
           { "localizer", protocol.localizer },
           { "other_series", context.study.otherSeries } };
}

} // namespace

std::string PhantomTruthJson(const PhantomTruthContext & context)
{
  const auto & c = context.phantomCase;
  const auto & anatomy = context.anatomy;
  const auto & study = context.study;
  json truth;
  truth["format"] = "icanscan phantom truth 2";
  truth["case"] = c.name;
  truth["description"] = c.description;
  if (!study.session.empty())
    truth["session"] = study.session;
  truth["seed"] = context.params.seed;
  truth["geometry"] = ToString(context.params.geometry);
  truth["matrix_scale"] = context.params.matrixScale;
  truth["coordinates"] = "physical points in DICOM/ITK LPS millimetres (x to the subject's left, y posterior, z up)";

  const Vec3 t2Centre = study.series.empty() ? Vec3{} : study.series.front().geometry.Centre();
  json series = json::array();
  for (const auto & s : study.series)
  {
    series.push_back({ { "role", s.role },
                       { "series_number", s.seriesNumber },
                       { "description", s.description },
                       { "folder", std::filesystem::relative(s.folder, study.folder).generic_string() },
                       { "grid", Grid(s.geometry) },
                       { "true_transform_file", s.transformFile.filename().string() },
                       { "true_transform", Rigid(s.motion, t2Centre) },
                       { "layout", s.layout } });
  }
  truth["series"] = series;
  truth["transform_convention"] =
    "<role>_true_transform.tfm is the ITK transform with fixed = the T2 series and moving = that series: it maps a "
    "physical (LPS mm) point of the T2 series to the physical point where the same anatomy lies in that series, the "
    "direction an ITK registration of fixed T2 and moving series returns. Resampling the series onto the T2 grid "
    "through it (itk::ResampleImageFilter, input = series, reference = T2, transform = this) aligns the two. It is "
    "the subject's head motion between the T2 and that series; the slice planes did not move with the head. T2's "
    "own transform is the identity; the ADC map shares the DWI series' motion.";
  truth["truth_maps"] = {
    { "grid", "the T2 series' grid (same size, spacing, origin, direction); values sampled by nearest neighbour at "
              "each voxel centre of the subject after head pose, random warp and swelling" },
    { "labels", "labels.nii.gz (pipeline::Structure values 0-14, see labels.tsv of any icanscan output)" },
    { "lesion_t2flair", "lesion_t2flair.nii.gz: 1 in T2/FLAIR-involved lesions" },
    { "lesion_dwi", "lesion_dwi.nii.gz: 1 in lesions bright at b1000 (restricted diffusion or T2 shine-through)" },
    { "cisterns", "cisterns.nii.gz: 1 where the basal-cistern region holds CSF (fraction >= 0.5)" },
    { "infarct_core", "infarct_core.nii.gz (chronic infarct only): 1 in its CSF core (encephalomalacia), which is not "
                      "in lesion_t2flair (the gliotic rim is)" }
  };
  truth["protocol"] = ProtocolJson(context);
  truth["anatomy"] = AnatomyJson(context);
  truth["oedema_markers"] = OedemaMarkersJson(context);

  truth["expected_findings"] = ExpectedFindings(c);
  truth["oedema"] = { { "flag", ToString(c.oedema) }, { "astct_oedema_grade", AstctOedemaGrade(c.oedema) } };

  json swelling = json::object(), volumes = json::object();
  for (const auto & info : pipeline::AllStructures())
  {
    const auto v = static_cast<std::size_t>(info.structure);
    const double normal = anatomy.normalMl[v];
    swelling[info.key] = normal > 0.0 ? Round(100.0 * (anatomy.caseMl[v] / normal - 1.0), 0.01) : 0.0;
    volumes[info.key] = { { "normal_ml", Round(normal) }, { "case_ml", Round(anatomy.caseMl[v]) } };
  }
  truth["swelling_percent"] = swelling;
  truth["swelling_note"] = "measured on the source grid: structure volume of the case against the subject's own normal "
                           "volume (after the drawn variations), before the random warp and head scale (which the "
                           "case shares with every case of the same seed)";
  truth["structure_volumes_atlas"] = volumes;
  json nominal = json::array();
  for (const auto & s : c.swellings)
  {
    json keys = json::array();
    for (const auto structure : s.structures)
      keys.push_back(pipeline::Info(structure).key);
    nominal.push_back({ { "structures", keys }, { "volume_percent", s.volumePercent }, { "falloff_mm", s.falloffMm } });
  }
  truth["swellings_nominal"] = nominal;
  truth["mass_effect_push_mm"] = c.massEffectPushMm;
  truth["midline_shift_mm"] = Round(anatomy.midlineShiftMm, 0.01);
  truth["midline_shift_note"] = "septum displacement along LPS x by the pathology (+: towards the subject's left)";
  truth["lateral_ventricles_by_side_ml"] = {
    { "left",
      { { "normal_ml", Round(anatomy.normalVentriclesMl[0]) }, { "case_ml", Round(anatomy.caseVentriclesMl[0]) } } },
    { "right",
      { { "normal_ml", Round(anatomy.normalVentriclesMl[1]) }, { "case_ml", Round(anatomy.caseVentriclesMl[1]) } } }
  };
  truth["diffuse_swelling"] = c.diffuseSwelling;

  json lesions = json::array();
  for (std::size_t l = 0; l < c.lesions.size(); ++l)
  {
    const auto & lesion = c.lesions[l];
    json keys = json::array();
    for (const auto structure : lesion.structures)
      keys.push_back(pipeline::Info(structure).key);
    lesions.push_back(
      { { "name", lesion.name },
        { "structures", keys },
        { "focal_radius_mm", lesion.focalRadiusMm },
        { "volume_ml_source_grid", l < context.anatomy.lesionMl.size() ? Round(context.anatomy.lesionMl[l]) : 0.0 },
        { "core_fraction", lesion.coreFraction },
        { "pd_factor", lesion.signal.pdFactor },
        { "t2_factor", lesion.signal.t2Factor },
        { "adc_factor", lesion.signal.adcFactor },
        { "t2flair_involved", lesion.t2FlairInvolved },
        { "diffusion_restricted", lesion.diffusionRestricted },
        { "dwi_bright", lesion.dwiBright } });
  }
  truth["lesions"] = lesions;
  truth["infarct_core_ml_source_grid"] = Round(anatomy.infarctCoreMl);

  json tissues = json::object();
  const char * names[] = { "csf", "cortex", "white_matter", "deep_grey", "fat", "muscle", "bone" };
  for (std::size_t t = 0; t < PhantomTissues().size(); ++t)
  {
    const auto & p = PhantomTissues()[t];
    tissues[names[t]] = { { "pd", p.pd }, { "t1_ms", p.t1 }, { "t2_ms", p.t2 }, { "adc_um2_per_s", p.adc } };
  }
  truth["tissue_properties"] = tissues;
  truth["adc_units"] = "ADC series values are 1e-6 mm²/s (µm²/s); b = 1000 s/mm²";

  truth["deformation"] = { { "warp_max_displacement_mm", Round(anatomy.warpMaximumMm) },
                           { "warp_jacobian_min", Round(anatomy.warpJacobian.first) },
                           { "warp_jacobian_max", Round(anatomy.warpJacobian.second) },
                           { "head_pose", Rigid(Affine3::FromTransform(context.pose), anatomy.brainCentre) },
                           { "head_scale", Round(anatomy.scale, 1e-4) },
                           { "head_pose_note", "maps a subject point (source mm after the random warp, scaled by "
                                               "head_scale about centre_mm) to the T2 scanner frame; centre_mm is the "
                                               "source's brain centroid" },
                           { "slice_tilt_deg", Round(context.sliceTiltDeg) } };
  truth["notes"] = anatomy.notes;
  truth["seconds"] = Round(study.seconds, 0.01);
  return truth.dump(2) + "\n";
}

void WriteTransformFile(const itk::TransformBase * transform, const std::filesystem::path & file)
{
  const auto temporary = pipeline::TemporarySibling(file);
  try
  {
    auto writer = itk::TransformFileWriterTemplate<double>::New();
    writer->SetInput(transform);
    writer->SetFileName(temporary.string());
    writer->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    std::error_code ec;
    std::filesystem::remove(temporary, ec);
    throw OutputError("cannot write transform file '" + file.string() + "': " + e.GetDescription());
  }
  pipeline::CommitFile(temporary, file);
}

} // namespace icanscan::synthetic
