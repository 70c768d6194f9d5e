#pragma once

#include "pipeline/geometry/StructureLabels.h"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::synthetic
{

/** \brief One label image of an anatomy descriptor and the values that make each icanscan structure in it. */
struct AnatomyLabelImage
{
  std::string table;          //!< the descriptor's table name, e.g. "labels.harvard_oxford" (for messages)
  std::filesystem::path file; //!< resolved path
  /** true: `source = "jhu"`: these labels are the JHU white-matter atlas, which the program itself also uses, so
   * findings on structures taken from here are reported apart (not independent truth). */
  bool jhu = false;
  /** Values per structure (index = pipeline::Structure value; empty = not in this image). */
  std::array<std::vector<int>, pipeline::kStructureCount + 1> values;
  std::vector<int> brainstem; //!< optional: the brainstem (locates the basal cisterns)
};

/** \brief An anatomy the phantom builds its subjects from instead of the program's atlas (`--anatomy FILE.toml`).
 *
 * A TOML file (format "icanscan-anatomy-1"), every image on one grid (1 mm isotropic or finer is best):
 * ```
 * format = "icanscan-anatomy-1"
 * name = "mni152nlin6"
 * root = "../../../shared/testdata"      # optional; relative to this file; --anatomy-root overrides it
 * [t1]         file = "....nii.gz"  skull_stripped = true
 * [brain_mask] file = "....nii.gz"
 * [tissue]     file = "....nii.gz"  csf = 1  gm = 2  wm = 3
 * [labels.NAME] file = "....nii.gz"  source = "subject" | "jhu"
 *               thalamus_left = [4]  ...  brainstem = [8]
 * ```
 * Every one of the 14 structure keys (pipeline::AllStructures) appears in exactly one label table, as a list of
 * integer label values; `brainstem` is optional. Paths are relative to the root. */
struct AnatomyDescriptor
{
  std::filesystem::path descriptorFile;
  std::string name;
  std::string description;
  std::filesystem::path root;
  std::filesystem::path t1;
  bool skullStripped = true; //!< the T1 holds only the brain: the phantom synthesises skull and scalp
  std::filesystem::path brainMask;
  std::filesystem::path tissue;
  std::array<int, 3> tissueValues{}; //!< label values of CSF, GM, WM in the tissue image
  std::vector<AnatomyLabelImage> labels;
};

/** \brief Reads and validates an anatomy descriptor. `rootOverride` (from `--anatomy-root` or the environment variable
 * ICANSCAN_ANATOMY_ROOT) replaces the descriptor's own root.
 *
 * Throws UsageError naming the descriptor when it is missing, not valid TOML, has an unknown table or key, a
 * missing or wrongly typed value, a structure given twice or not at all; InputError (exit code 4) naming the key
 * and the resolved path when a referenced image file does not exist. The images are not read here. */
AnatomyDescriptor ReadAnatomyDescriptor(const std::filesystem::path & file,
                                        const std::optional<std::filesystem::path> & rootOverride = std::nullopt);

} // namespace icanscan::synthetic
