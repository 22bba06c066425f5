#pragma once
// `initlab-cli reproduce --out DIR [--quick]`: runs the homework report's three experiments at its
// settings and writes the whole report into DIR (report.html and report.md with figures 1-14,
// Table I, the CSV files and the run records). The figures are drawn by the GUI's own charts, so this
// command brings up Qt Widgets on the offscreen platform for the drawing.

#include "cli.h"
#include "reproduceoptions.h"

namespace initlab::cli {

int runReproduceCommand(const ReproduceOptions& options, const CliContext& context);

} // namespace initlab::cli
