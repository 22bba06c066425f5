#pragma once
// The one contour tracer of the window and the CLI: the level line of a decision-boundary image
// (P(class 1) sampled at the centres of a square grid of cells), traced by marching squares and
// joined into polylines, so that a canvas draws a boundary as a few curves rather than thousands of
// loose segments. Plain geometry on Qt's value types; no widget is needed.

#include "initlab/circles.h"

#include <QList>
#include <QPolygonF>

namespace initlab::ui {

// The `level` contour of image as polylines in input coordinates. Cells are sampled at their
// centres; a square with a NaN corner (a diverged model) is skipped, and a saddle square is
// resolved by the mean of its corners. A closed line ends on its first point. An image of the
// wrong size, or smaller than 2 × 2, has no contour.
QList<QPolygonF> contourLines(const BoundaryImage& image, double level = 0.5);

} // namespace initlab::ui
