#pragma once

#include <array>
#include <string>

namespace icanscan::viewer
{

/** \brief The three anatomical planes the viewer shows. */
enum class Plane
{
  Axial,    //!< normal along LPS z; screen up = anterior
  Coronal,  //!< normal along LPS y; screen up = superior
  Sagittal, //!< normal along LPS x; screen up = superior, anterior on screen left whatever the convention
};

/** \brief "axial", "coronal" or "sagittal". */
std::string ToString(Plane plane);

/** \brief Parses "axial", "coronal" or "sagittal" (case-insensitive); throws UsageError naming the value. */
Plane ParsePlane(const std::string & text);

/** \brief Screen directions of a plane in LPS physical space (unit vectors). */
struct PlaneAxes
{
  std::array<double, 3> right;  //!< direction that goes to the right of the screen
  std::array<double, 3> up;     //!< direction that goes up on the screen
  std::array<double, 3> normal; //!< right x up (right-handed); points towards the viewer
  int normalAxis;               //!< LPS axis (0 x, 1 y, 2 z) of the normal
};

/** \brief Screen axes of `plane`. `radiological`: patient left on screen right (axial, coronal); no effect on
 * sagittal. */
PlaneAxes AxesOf(Plane plane, bool radiological);

/** \brief The anatomical direction letters shown at the four screen edges. */
struct OrientationLetters
{
  std::string left, right, top, bottom;
};

/** \brief Letters of `plane` under the convention: axial radiological is R left, L right, A top, P bottom. */
OrientationLetters LettersOf(Plane plane, bool radiological);

} // namespace icanscan::viewer
