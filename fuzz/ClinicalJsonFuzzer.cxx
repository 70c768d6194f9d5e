// clinical.json: any text gives a ClinicalAssessment (then graded with every imaging oedema and written as JSON) or a
// ConfigError; anything else is a finding.
#include "fuzz/FuzzSupport.h"

#include "core/Error.h"
#include "pipeline/grading/IcansGrading.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t * data, std::size_t size)
{
  using namespace icanscan;
  const std::string text(reinterpret_cast<const char *>(data), size);
  try
  {
    const pipeline::ClinicalAssessment assessment = pipeline::ParseClinicalAssessmentText(text, "clinical.json");
    for (const auto oedema : kAllOedemaFlags)
      fuzz::RequireUtf8(pipeline::ToJson(pipeline::GradeIcans(oedema, assessment)).dump(), "the grade");
  }
  catch (const ConfigError &)
  {
  }
  return 0;
}
