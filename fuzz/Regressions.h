#pragma once

// Inputs that once crashed a harness or that each case of the hostile-input issue is about, generated in code (no
// stored binaries). The replay executables run them in every build (CTest), bench/fuzz.sh seeds them into the
// corpora.

#include <string>
#include <utility>
#include <vector>

namespace icanscan::fuzz
{

/** \brief One regression input: a name saying what it is, and its bytes. */
struct RegressionInput
{
  std::string name;
  std::string bytes;
};

/** \brief The regression inputs of a harness ("dicom_header", "pixel_decode", "siemens_csa", "nifti_import",
 * "config_toml", "clinical_json"); empty for an unknown name. */
std::vector<RegressionInput> RegressionInputs(const std::string & harness);

/** \brief Every harness name. */
std::vector<std::string> HarnessNames();

} // namespace icanscan::fuzz
