#include "pipeline/oedema/SeptumMidline.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace icanscan::pipeline
{
namespace
{

double Median(std::vector<double> values)
{
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

/** Column of the septum on one row: the centre of the gap nearest `midline`, or NaN. */
double SeptumOnRow(const unsigned char * labels,
                   long columns,
                   unsigned char ventricle,
                   double midline,
                   long minGap,
                   long maxGap,
                   long minSide)
{
  double best = NAN;
  long i = 0;
  while (i < columns)
  {
    // A ventricle run [runStart, runEnd), then a gap [runEnd, next).
    while (i < columns && labels[i] != ventricle)
      ++i;
    const long runStart = i;
    while (i < columns && labels[i] == ventricle)
      ++i;
    const long runEnd = i;
    long next = runEnd;
    while (next < columns && labels[next] != ventricle)
      ++next;
    if (next >= columns || runEnd - runStart < minSide)
    {
      i = next;
      continue;
    }
    long nextEnd = next;
    while (nextEnd < columns && labels[nextEnd] == ventricle)
      ++nextEnd;
    const long gap = next - runEnd;
    if (gap >= minGap && gap <= maxGap && nextEnd - next >= minSide)
    {
      const double centre = 0.5 * static_cast<double>(runEnd + next - 1);
      if (std::isnan(best) || std::abs(centre - midline) < std::abs(best - midline))
        best = centre;
    }
    i = next;
  }
  return best;
}

} // namespace

SeptumMidline MeasureSeptumShift(const itk::Image<unsigned char, 3> * labels,
                                 unsigned char ventricleLabel,
                                 const itk::Image<unsigned char, 3> * brainMask,
                                 const itk::Transform<double, 3, 3> * subjectToAtlas,
                                 double atlasMidlineX,
                                 const SeptumMidlineParams & params)
{
  SeptumMidline result;
  result.shiftMm = NAN;
  if (labels == nullptr || brainMask == nullptr || subjectToAtlas == nullptr ||
      brainMask->GetLargestPossibleRegion().GetSize() != labels->GetLargestPossibleRegion().GetSize())
    return result;
  // Rows (the i axis) must run left-right and slices be stacked head-foot.
  const auto & d = labels->GetDirection();
  const double tilt = std::cos(params.maxAxisTiltDeg * 3.14159265358979 / 180.0);
  if (std::abs(d(0, 0)) < tilt || std::abs(d(2, 2)) < tilt)
    return result;
  const auto size = labels->GetLargestPossibleRegion().GetSize();
  const long columns = static_cast<long>(size[0]);
  const double dx = labels->GetSpacing()[0];
  const double towardsLeft = d(0, 0) > 0 ? 1.0 : -1.0; // LPS +x is the patient's left
  const auto minGap = std::max<long>(1, std::lround(params.minGapMm / dx));
  const auto maxGap = std::lround(params.maxGapMm / dx);
  const auto minSide = std::max<long>(2, std::lround(params.minSideMm / dx));

  // Column where the registration puts the atlas midline on row (j, k): the zero of atlas x - midline, linear
  // between two columns a quarter of the row apart around the row's brain centre.
  const auto midlineColumn = [&](std::size_t j, std::size_t k, double centre)
  {
    const auto at = [&](double i)
    {
      itk::ContinuousIndex<double, 3> index;
      index[0] = i;
      index[1] = static_cast<double>(j);
      index[2] = static_cast<double>(k);
      itk::Point<double, 3> p;
      labels->TransformContinuousIndexToPhysicalPoint(index, p);
      return subjectToAtlas->TransformPoint(p)[0] - atlasMidlineX;
    };
    const double step = 0.125 * static_cast<double>(columns);
    const double a = at(centre - step), b = at(centre + step);
    return std::abs(b - a) > 1e-6 ? centre - step - a * (2 * step) / (b - a) : NAN;
  };

  std::vector<double> septum; // mm from the ideal midline, towards the left
  for (std::size_t k = 0; k < size[2]; ++k)
  {
    // Brain rows of this slice and their extent along the row.
    std::vector<std::pair<std::size_t, double>> brainRows; // row, brain centre column
    for (std::size_t j = 0; j < size[1]; ++j)
    {
      const unsigned char * row = brainMask->GetBufferPointer() + (k * size[1] + j) * size[0];
      long first = -1, last = -1;
      for (long i = 0; i < columns; ++i)
        if (row[i])
        {
          first = first < 0 ? i : first;
          last = i;
        }
      if (first >= 0 && (last - first) * dx >= 40.0)
        brainRows.push_back({ j, 0.5 * static_cast<double>(first + last) });
    }
    if (brainRows.size() < 10)
      continue;
    // Ideal midline: the line through the registration's midline at the anterior and posterior fifths of the brain
    // (the falx attachments, far from a deep push), column = a + b * row.
    double n = 0, sj = 0, sx = 0, sjj = 0, sjx = 0;
    const std::size_t fifth = brainRows.size() / 5;
    for (std::size_t r = 0; r < brainRows.size(); ++r)
    {
      if (r >= fifth && r + fifth < brainRows.size())
        continue;
      const double column = midlineColumn(brainRows[r].first, k, brainRows[r].second);
      if (!std::isfinite(column))
        continue;
      const double jj = static_cast<double>(brainRows[r].first);
      n += 1;
      sj += jj;
      sx += column;
      sjj += jj * jj;
      sjx += jj * column;
    }
    const double det = n * sjj - sj * sj;
    if (n < 6 || det <= 0)
      continue;
    const double b = (n * sjx - sj * sx) / det;
    const double a = (sx - b * sj) / n;
    std::vector<double> slice;
    for (const auto & [j, centre] : brainRows)
    {
      const unsigned char * row = labels->GetBufferPointer() + (k * size[1] + j) * size[0];
      if (std::count(row, row + columns, ventricleLabel) < 2 * minSide)
        continue;
      const double midline = a + b * static_cast<double>(j);
      const double column = SeptumOnRow(row, columns, ventricleLabel, midline, minGap, maxGap, minSide);
      if (std::isfinite(column))
        slice.push_back((column - midline) * dx * towardsLeft);
    }
    if (slice.size() < params.minRowsPerSlice)
      continue;
    ++result.slices;
    septum.insert(septum.end(), slice.begin(), slice.end());
  }
  result.rows = septum.size();
  if (septum.size() < params.minRows)
    return result;
  result.shiftMm = Median(septum);
  return result;
}

} // namespace icanscan::pipeline
