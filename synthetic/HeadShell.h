#pragma once

#include "synthetic/AnatomySource.h"

#include <random>

namespace icanscan::synthetic
{

/** \brief Layer thicknesses of the synthetic head (mm, before the smooth per-subject variation of +-30 %). */
struct HeadShellParams
{
  double hullSmoothingMm = 4.0; //!< Gaussian blur of the brain mask whose 0.35 level is the inner skull surface
  double csfMm = 2.0;           //!< subarachnoid CSF between that surface and the inner table
  double innerTableMm = 1.5;    //!< cortical bone
  double diploeMm = 3.0;        //!< fatty marrow
  double outerTableMm = 1.5;    //!< cortical bone
  double galeaMm = 1.5;         //!< muscle and fascia (the temporalis adds up to `temporalisMm` laterally)
  double fatMm = 4.0;           //!< subcutaneous fat
  double skinMm = 1.0;          //!< skin (muscle-like)
  double temporalisMm = 6.0;    //!< extra muscle over the temporal fossa (lateral, below the vertex)
  double variation = 0.3;       //!< thicknesses scale by 1 +- this (smooth random field of the seed)
};

/** \brief A synthetic skull and scalp around a skull-stripped brain: HeadTissue labels on the brain mask's grid.
 *
 * The inner skull surface is the 0.35 level of the brain mask blurred by `hullSmoothingMm` (it bridges sulci and
 * the interhemispheric fissure as the arachnoid does); everything inside it that is not brain is subarachnoid CSF;
 * outwards, by distance from that surface: CSF, inner table, diploe (fat), outer table, galea and temporalis
 * (muscle), subcutaneous fat, skin, air. Each thickness varies smoothly over the head (a sum of random plane waves
 * of 60-160 mm wavelength, drawn from `rng`). Layers cut by the grid's border stay cut (the neck). */
LabelImage::Pointer MakeHeadShell(const LabelImage * brainMask, const HeadShellParams & params, std::mt19937 & rng);

} // namespace icanscan::synthetic
