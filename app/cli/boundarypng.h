#pragma once
// Decision-boundary figures as PNG files for `initlab-cli circles --boundary-png`: the window's
// decision-boundary canvas (P(class 1) as a heat map, its 0.5 contour, the training points
// coloured by class, a title and a subtitle, labelled axes), drawn in its print look.
// This header keeps Qt out of everything that includes it.

#include "initlab/circles.h"
#include "initlab/circlessnapshots.h"

#include <string>
#include <vector>

namespace initlab::cli {

struct BoundaryPlot {
    BoundaryImage boundary; // P(class 1) in input (raw) coordinates
    PointSet train;         // raw coordinates
    std::string title;      // UTF-8
    std::string subtitle;   // UTF-8
};

// Encodes one PNG per plot, in order. Creates a QApplication for the duration (the canvas is a
// widget), on the offscreen platform unless QT_QPA_PLATFORM says otherwise. Returns false and
// sets error when Qt cannot render or encode.
bool renderBoundaryPngs(const std::vector<BoundaryPlot>& plots, std::vector<std::string>& pngs, std::string& error);

// What a model's hidden units compute (the window's hidden-unit maps), for --units-png.
struct UnitsPlot {
    UnitMaps maps;
    std::vector<int> diedAt; // per hidden unit, -1 while alive
    std::string title;       // UTF-8
    std::string subtitle;    // UTF-8
};
bool renderUnitPngs(const std::vector<UnitsPlot>& plots, std::vector<std::string>& pngs, std::string& error);

} // namespace initlab::cli
