#pragma once

#include <optional>
#include <string>
#include <utility>

namespace icanscan::synthetic
{

/** \brief Ranges a case imposes on its subject (each empty: the general model below). */
struct PhantomPopulation
{
  std::optional<std::pair<double, double>> ageYears;
  std::optional<std::pair<double, double>> ventricleFactor;
  std::optional<std::pair<double, double>> sulcalFactor;
};

/** \brief The anatomical variables of one subject, drawn from the seed.
 *
 * The general model (docs/phantom.md), with a = (age - 20) / 65:
 * - age group from the seed: (seed - 1) mod 3 = 0 young (20-40 y), 1 middle (40-60 y), 2 old (60-85 y), the age
 *   uniform within it;
 * - lateral ventricles x clamp(0.55 + 1.25 a² + N(0, 0.08), 0.5, 2.0) of the template's;
 * - sulcal CSF x clamp(0.75 + 0.65 a^1.5 + N(0, 0.05), 0.7, 1.5);
 * - thalami x U(0.9, 1.1), each side a further U(-0.02, 0.02), clamped to [0.9, 1.1];
 * - intracranial volume U(1100, 1700) ml: the whole head scaled by its cube root ratio to the template's.
 * A case's PhantomPopulation replaces the age or factor ranges (uniform). Without variability (the default on the
 * program's own atlas) every factor is 1, the head keeps the template's size and the age is 45 unless the case
 * gives its ranges, which then apply. */
struct DrawnAnatomy
{
  bool varied = false; //!< drawn from the general model (false: template values)
  double ageYears = 45.0;
  std::string ageGroup = "middle"; //!< young, middle, old (by the age)
  double ventricleFactor = 1.0;
  double sulcalFactor = 1.0;
  double thalamusFactorLeft = 1.0;
  double thalamusFactorRight = 1.0;
  double intracranialMl = 0.0; //!< 0: the template's own size (scale 1)
};

/** \brief Draws a subject: one stream of the seed, independent of the case apart from its PhantomPopulation. */
DrawnAnatomy DrawAnatomy(unsigned seed, bool vary, const PhantomPopulation & population);

/** \brief "045Y": the DICOM PatientAge (AS) of an age in years. */
std::string DicomAge(double ageYears);

} // namespace icanscan::synthetic
