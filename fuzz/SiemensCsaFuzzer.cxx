// The Siemens CSA header parser over arbitrary bytes: it must stay inside the buffer whatever the counts and lengths.
#include "fuzz/FuzzSupport.h"

#include "dicom/SiemensCsa.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t * data, std::size_t size)
{
  const auto tags = icanscan::dicom::ParseSiemensCsa(data, size);
  std::size_t total = 0;
  for (const auto & [name, items] : tags)
    total += name.size() + items.size();
  return total > 0 ? 0 : 0;
}
