#include "reproduceoptions.h"

namespace initlab::cli {

ParsedCommand<ReproduceOptions> parseReproduceOptions(const std::vector<std::string>& args)
{
    ParsedCommand<ReproduceOptions> parsed;
    ReproduceOptions& options = parsed.options;
    parsed.help = asksForHelp(args);
    if (parsed.help)
        return parsed;
    const OptionTable table{
        outOption(options.outDir),
        flagOption("--quick", options.quick),
        textOption("--data", options.dataDir),
        threadsOption(options.threads),
    };
    parsed.error = applyOptions(args, table, "reproduce");
    if (parsed.error.empty())
        limitThreads(options.threads, args, parsed);
    if (parsed.error.empty() && options.outDir.empty())
        parsed.error = "missing --out DIR (the folder the report is written to)";
    return parsed;
}

std::string reproduceUsage()
{
    return "usage: initlab-cli reproduce --out DIR [--quick] [--data DIR] [--threads N]\n"
           "\n"
           "Runs the homework report's three experiments at the report's settings and writes the report\n"
           "into DIR: report.html (self-contained, open it in a browser) and report.md, the figures 1-14\n"
           "(and four beyond the report, A-D) as PNG and SVG with the CSV of what each shows in DIR/figures,\n"
           "Table I, the experiments' CSV files in DIR/data, and a run record per experiment in DIR/runs.\n"
           "\n"
           "  --out DIR       the report's folder (created if missing; files of the same name are replaced)\n"
           "  --quick         a reduced version that finishes in a few minutes: deep batch 2000, dropout 2\n"
           "                  epochs, ensembles of 5 and 50 passes over the first 2000 test images\n"
           "  --data DIR      folder with the four MNIST-format IDX files (default: $INITLAB_DATA,\n"
           "                  ~/.local/share/initlab/mnist, /usr/share/datasets/fashion-mnist)\n"
           "  --threads N     LibTorch threads for the deep and dropout runs (default 0 = all cores)\n"
           "\n"
           "The full report takes 15-20 minutes on two cores; Ctrl-C cancels and writes nothing.\n";
}

} // namespace initlab::cli
