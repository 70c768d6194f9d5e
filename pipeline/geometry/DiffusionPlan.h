#pragma once

#include "dicom/StudyIndex.h"

#include "itkImage.h"

#include <map>

#include <optional>
#include <string>
#include <vector>

namespace icanscan::pipeline
{

/** \brief Parameters of PlanDiffusion (b-values in s/mm²). */
struct DiffusionPlanParams
{
  double b0MaxBValue = 50;     //!< volumes below this are b0 (Philips writes 0.001-0.004, UIH 1.25)
  double minTraceBValue = 500; //!< a trace for restriction must be weighted at least this much
  /** Traces up to this b are preferred to higher ones: clinical DWI (b about 1000) is where a two-point ADC measures
   * the tissue; at b 2000 normal brainstem tracts already look restricted (dcm_qa_philips_dti_iso). */
  double maxPreferredBValue = 1500;
  double shellTolerance = 50; //!< b-values closer than this belong to one shell
  unsigned minDirections = 3; //!< directional volumes of one shell needed to compute its trace
};

/** \brief Some volumes of one volume set. */
struct DiffusionVolumes
{
  const dicom::VolumeSet * set = nullptr;
  std::vector<std::size_t> volumes;
  double bValue = 0;           //!< mean b of the volumes, s/mm²
  bool fromDirections = false; //!< directional volumes whose geometric mean is the trace; else the scanner's trace
};

/** \brief Which volume sets give the study's b0, diffusion trace and ADC map, and why diffusion is or is not
 * assessable. The parts may come from different sets (a series split by image type, a vendor's separate trace or
 * ADC series); a b0 is only taken from the trace's own grid, so that ln(S0/Sb)/b compares the same voxels. */
struct DiffusionPlan
{
  std::optional<DiffusionVolumes> b0;    //!< mean of the b0 volumes
  std::optional<DiffusionVolumes> trace; //!< the trace at the highest usable b
  const dicom::VolumeSet * adc = nullptr;
  /** Without a b0 or trace: the first volume of a DWI set without b-values, only to register an ADC on its grid (an
   * ADC map alone registers poorly); never used as diffusion weighting. */
  std::optional<DiffusionVolumes> unweighted;
  std::vector<std::string> notes; //!< what was chosen and what was passed over, with why
  std::string unassessable;       //!< empty when there is a trace with an ADC map or a b0; else why not (one line)

  bool Assessable() const { return unassessable.empty(); }
};

/** \brief Chooses the diffusion parts of a study among its usable DWI and ADC volume sets (ConfigError on params
 * out of order).
 *
 * A trace is a shell at b >= minTraceBValue holding the scanner's trace (volumes without a gradient direction:
 * Siemens TRACEW, Philips' isotropic image, GE's combined image), else at least minDirections directional volumes
 * (their geometric mean, preferred: exp(-b MD) even where a vendor's isotropic image is an arithmetic mean). Among
 * traces, those that can be assessed (an ADC map, or a b0 on their grid) come first, then b up to
 * maxPreferredBValue, then the highest b, then one with a b0 of its own series, then directions, then most volumes. */
DiffusionPlan PlanDiffusion(const dicom::StudyIndex & index, const DiffusionPlanParams & params = {});

/** \brief One diffusion part as read: its image on its own grid and the set it came from. */
struct DiffusionPart
{
  itk::Image<float, 3>::Pointer image;
  const dicom::VolumeSet * set = nullptr;
};

/** \brief Reads the planned parts (each set once): "DWI_b0" (mean of the b0 volumes), "DWI_b<B>" (the scanner's
 * trace, mean of its volumes, or the geometric mean of the directions; B the rounded b), "ADC", and "DWI" (the
 * unweighted registration volume); a part the plan lacks is absent. Throws InputError like dicom::ReadVolumes when
 * pixels cannot be decoded. */
std::map<std::string, DiffusionPart> ReadDiffusionParts(const DiffusionPlan & plan, int threads = 0);

/** \brief The name ReadDiffusionParts gives the plan's trace ("DWI_b1000"); empty without a trace. */
std::string TraceRole(const DiffusionPlan & plan);

/** \brief One line for the run's warnings when restricted diffusion could not be assessed: the plan's reason, or
 * the failed registration of a DWI or ADC series named in `rejectedRoles`. */
std::string DiffusionNotAssessedWarning(const DiffusionPlan & plan, const std::vector<std::string> & rejectedRoles);

} // namespace icanscan::pipeline
