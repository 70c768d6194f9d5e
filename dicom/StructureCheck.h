#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace icanscan::dicom
{

/** \brief Limits of StructureCheck. */
struct StructureCheckParams
{
  unsigned maxSequenceDepth = 32; //!< sequences inside sequences; enhanced MR needs about 4, DCMTK's recursion breaks
                                  //!< somewhere past a few thousand
  std::uint64_t maxInflatedBytes = std::uint64_t{ 1 } << 30; //!< deflated transfer syntax: most bytes to inflate
};

/** \brief What walking a file's element structure found. */
struct StructureCheckResult
{
  std::string problem;                          //!< empty when the structure is sound
  unsigned sequenceDepth = 0;                   //!< deepest sequence nesting seen
  std::uint64_t elements = 0;                   //!< elements walked (items and delimiters included)
  bool hasPixelData = false;                    //!< the dataset holds (7FE0,0010) at its top level
  std::optional<std::uint64_t> pixelDataLength; //!< native pixel data: its length in bytes
  std::uint64_t pixelFragments = 0;             //!< encapsulated pixel data: items, the offset table included
};

/** \brief Walks every element header of a DICOM file (Part 10 or headerless; explicit or implicit VR, little or big
 * endian, deflated) without building a dataset and without recursion, before DCMTK parses it.
 *
 * DCMTK parses (and deletes) nested sequences recursively: ten thousand nested sequences overflow the stack and end
 * the process. This check finds them first, and also every length that runs past the end of its item, sequence or
 * file (a truncated or damaged file), so that such files are skipped with a reason. Sequences of defined length and
 * elements of unknown VR whose value starts with an item tag are walked into, as DCMTK may read them as sequences:
 * the depth found is never less than DCMTK's. Never throws. */
StructureCheckResult CheckDicomStructure(const std::string & path, const StructureCheckParams & params = {});

/** \brief The same walk over bytes in memory (the fuzzing harness and tests use it). */
StructureCheckResult CheckDicomStructure(const std::uint8_t * data,
                                         std::size_t size,
                                         const StructureCheckParams & params = {});

} // namespace icanscan::dicom
