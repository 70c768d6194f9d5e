// The NIfTI import: the input is a .nii (or, when it starts with the gzip magic, a .nii.gz), optionally followed by
// "\n#SIDECAR\n" and a JSON sidecar, then "\n#BVAL\n" and a .bval. The whole folder import runs (file check, ITK read,
// the DICOM copy) and the copy is indexed. Unusable files must be skipped with a reason; a crash, a sanitizer report
// or an exception other than icanscan's own is a finding.
#include "fuzz/FuzzSupport.h"

#include "core/Error.h"
#include "dicom/StudyIndex.h"
#include "pipeline/input/NiftiStudyImport.h"

#include "itkObject.h"

#include <string_view>

namespace
{
std::string_view Cut(std::string_view & rest, std::string_view marker)
{
  const auto at = rest.find(marker);
  const std::string_view head = rest.substr(0, at);
  rest = at == std::string_view::npos ? std::string_view() : rest.substr(at + marker.size());
  return head;
}

void Write(const std::filesystem::path & file, std::string_view bytes)
{
  icanscan::fuzz::WriteInput(file, reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t * data, std::size_t size)
{
  using namespace icanscan;
  namespace fs = std::filesystem;
  itk::Object::SetGlobalWarningDisplay(false);
  static const fs::path study = fuzz::ScratchFolder() / "study";
  fs::remove_all(study);
  fs::create_directories(study);
  std::string_view rest(reinterpret_cast<const char *>(data), size);
  const std::string_view nifti = Cut(rest, "\n#SIDECAR\n");
  const std::string_view sidecar = Cut(rest, "\n#BVAL\n");
  const bool gz =
    nifti.size() >= 2 && static_cast<unsigned char>(nifti[0]) == 0x1f && static_cast<unsigned char>(nifti[1]) == 0x8b;
  Write(study / (gz ? "case.nii.gz" : "case.nii"), nifti);
  if (!sidecar.empty())
    Write(study / "case.json", sidecar);
  if (!rest.empty())
    Write(study / "case.bval", rest);
  try
  {
    pipeline::ImportedNiftiStudy imported(study);
    for (const auto & skipped : imported.Skipped())
      fuzz::RequireUtf8(skipped.displayPath, "a skipped file's name");
    if (!imported.Series().empty())
      dicom::BuildStudyIndex(imported.DicomFolder());
  }
  catch (const Error &)
  {
  }
  return 0;
}
