#include "startoptions.h"

#include "initlab/initscheme.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStringList>

#include "initlab/initscheme.h"

#include <cstdio>

namespace initlab::gui {
namespace {

const QStringList kTabs{QStringLiteral("welcome"), QStringLiteral("deep"), QStringLiteral("circles"),
                        QStringLiteral("dropout"), QStringLiteral("runs")};
const QStringList kDropoutPages{QStringLiteral("training"), QStringLiteral("ensembles"), QStringLiteral("uncertainty")};
const QStringList kDeepViews{QStringLiteral("statistics"), QStringLiteral("distributions")};
const QStringList kDeepQuantities{QStringLiteral("activations"), QStringLiteral("gradient"),
                                  QStringLiteral("gradient-in-std")};
const QStringList kPalettes{QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark")};

QCommandLineOption option(const char* name, const char* description, const char* valueName = nullptr)
{
    return valueName ? QCommandLineOption(QLatin1String(name), QLatin1String(description), QLatin1String(valueName))
                     : QCommandLineOption(QLatin1String(name), QLatin1String(description));
}

// The value of a positive integer option, or nullopt (after saying why) when it is not one.
bool positiveOption(const QCommandLineParser& parser, const char* name, int maximum, std::optional<int>& out)
{
    const QString key = QLatin1String(name);
    if (!parser.isSet(key))
        return true;
    bool ok = false;
    const int value = parser.value(key).toInt(&ok);
    if (!ok || value < 1 || value > maximum) {
        printError(QStringLiteral("--%1 must be an integer between 1 and %2 (got \"%3\")")
                       .arg(key)
                       .arg(maximum)
                       .arg(parser.value(key)));
        return false;
    }
    out = value;
    return true;
}

bool readChoice(const QCommandLineParser& parser, const char* name, const QStringList& choices, QString& out)
{
    const QString key = QLatin1String(name);
    if (!parser.isSet(key))
        return true;
    out = parser.value(key);
    if (choices.contains(out))
        return true;
    printError(QStringLiteral("--%1 must be %2 or %3 (got \"%4\")")
                   .arg(key, choices.mid(0, choices.size() - 1).join(QStringLiteral(", ")), choices.last(), out));
    return false;
}

bool readSize(const QCommandLineParser& parser, StartOptions& options)
{
    if (!parser.isSet(QStringLiteral("size")))
        return true;
    const QString text = parser.value(QStringLiteral("size"));
    const QStringList parts = text.split(QLatin1Char('x'));
    bool widthOk = false, heightOk = false;
    QSize size;
    if (parts.size() == 2)
        size = QSize(parts[0].toInt(&widthOk), parts[1].toInt(&heightOk));
    if (!widthOk || !heightOk || size.width() < 200 || size.height() < 200 || size.width() > 16384
        || size.height() > 16384) {
        printError(QStringLiteral("--size must be WIDTHxHEIGHT in pixels, e.g. 1280x800 (got \"%1\")").arg(text));
        return false;
    }
    options.windowSize = size;
    options.sizeGiven = true;
    return true;
}

} // namespace

void printError(const QString& message)
{
    std::fprintf(stderr, "error: %s\n", qPrintable(message));
}

void setApplicationNames()
{
    // Lower-case names give the same folders as the CLI and core (~/.local/share/initlab,
    // ~/.config/initlab); people see the display name.
    QCoreApplication::setApplicationName(QStringLiteral("initlab"));
    QCoreApplication::setOrganizationName(QStringLiteral("initlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(INITLAB_VERSION));
}

void addStartOptions(QCommandLineParser& parser)
{
    parser.setApplicationDescription(
        QStringLiteral("InitLab: a laboratory for weight initialization, normalization and dropout."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        option("palette", "Colours: system (the desktop's), light or dark. The charts follow; exported figures are "
                          "always light.", "NAME"),
        option("config", "Load an experiment file's settings into its tab and open that tab (as File > Open "
                         "experiment).", "FILE"),
        option("reproduce", "Open Export > Reproduce the report and start its quick version into DIR. With "
                            "--screenshot, the screenshot is of the dialog once the report is written.", "DIR"),
        option("screenshot", "Save a PNG of the window to FILE, then quit. With --run-report, --run-circles or "
                             "--run-dropout, once the run has finished.", "FILE"),
        option("run-report", "Run the report's seven combinations at start."),
        option("deep-cell", "Click this cell of the deep tab's matrix at start, INIT+ACTIVATION as initlab-cli "
                            "names them (xavier_uniform+relu): its preview, then the full batch. Prints the "
                            "time from the click to the preview's complete curves; with --screenshot, the "
                            "screenshot is of the preview, then the window closes.", "CELL"),
        option("depth", "Layers of the deep net (50).", "N"),
        option("width", "Units per layer (512).", "N"),
        option("batch", "Input vectors (10000).", "N"),
        option("tab", "Open on this tab: welcome, deep, circles, dropout or runs (the welcome page on the first "
                      "start, then deep).", "NAME"),
        option("run-circles", "Press the circles lab's Train all at start (opens that tab). With --screenshot, the "
                              "screenshot is taken when the run has finished."),
        option("circles-seeds", "Seeds per setting in the circles lab (1).", "N"),
        option("circles-epoch", "With --run-circles: when the run has finished, show epoch N in the playback "
                                "(the recorded epoch at or before it), then take the screenshot.", "N"),
        option("circles-play", "With --run-circles: play the run back at the default speed as the tab does, "
                               "while it trains and after, to its end; then take the screenshot or close (with "
                               "--stall-log, to measure playback). Without it a scripted run is shown as trained."),
        option("run-dropout", "Press the dropout tab's Start at start (opens that tab). With --screenshot, the "
                              "screenshot is taken when the run has finished."),
        option("dropout-epochs", "Epochs per p on the dropout tab (10).", "N"),
        option("dropout-ensemble", "Ensemble sizes T on the dropout tab (5,50,500,1000).", "LIST"),
        option("dropout-page", "The dropout tab's page: training, ensembles or uncertainty (training).", "NAME"),
        option("deep-view", "The deep tab's page: statistics or distributions (statistics).", "NAME"),
        option("deep-quantity", "What the deep tab's Distributions page shows: activations, gradient, or "
                                "gradient-in-std (its histograms in each layer's own std) (activations).", "NAME"),
        option("deep-combination", "The combination the deep tab's Distributions page shows, as INIT+ACTIVATION "
                                   "(heuristic+tanh); with --run-report, once the run has finished. Without it, "
                                   "the newest.", "NAME"),
        option("size", "Window size in pixels, WIDTHxHEIGHT (1500x950).", "WxH"),
        option("export-all", "With --run-report, --run-circles or --run-dropout: when the run has finished, "
                             "export every figure of the tab into DIR (as Export all does), then take the "
                             "screenshot or, without --screenshot, close.", "DIR"),
        option("stall-log", "Measure how long the window's thread is kept from reacting (a timer every 5 ms, "
                            "its lateness) and write the longest stalls into FILE on quitting.", "FILE"),
    });
}

QStringList argumentList(int argc, char** argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

bool asksForHelpOrVersion(const QCommandLineParser& parser)
{
    return parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))
        || parser.isSet(QStringLiteral("version"));
}

void printHelpOrVersion(QCommandLineParser& parser, int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    setApplicationNames();
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    parser.showHelp(0);
}

std::optional<StartOptions> readStartOptions(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
        return std::nullopt;
    }
    StartOptions options;
    // The same limits as the panels' spin boxes.
    if (!positiveOption(parser, "depth", 1000, options.depth) || !positiveOption(parser, "width", 4096, options.width)
        || !positiveOption(parser, "batch", 1'000'000, options.batch)
        || !positiveOption(parser, "circles-seeds", 1000, options.circlesSeeds)
        || !positiveOption(parser, "circles-epoch", 10'000'000, options.circlesEpoch)
        || !positiveOption(parser, "dropout-epochs", 100000, options.dropoutEpochs))
        return std::nullopt;
    QString page = kDropoutPages.first();
    options.palette = kPalettes.first();
    if (!readChoice(parser, "dropout-page", kDropoutPages, page) || !readChoice(parser, "tab", kTabs, options.tab)
        || !readChoice(parser, "palette", kPalettes, options.palette) || !readSize(parser, options))
        return std::nullopt;
    options.dropoutPage = int(kDropoutPages.indexOf(page));
    QString deepView = kDeepViews.first();
    QString deepQuantity = kDeepQuantities.first();
    if (!readChoice(parser, "deep-view", kDeepViews, deepView)
        || !readChoice(parser, "deep-quantity", kDeepQuantities, deepQuantity))
        return std::nullopt;
    options.deepDistributions = deepView == QStringLiteral("distributions");
    options.deepGradient = deepQuantity.startsWith(QStringLiteral("gradient"));
    options.deepGradientInStd = deepQuantity == QStringLiteral("gradient-in-std");
    options.deepCombination = parser.value(QStringLiteral("deep-combination"));
    if (!options.deepCombination.isEmpty()) {
        const QStringList parts = options.deepCombination.split(QLatin1Char('+'));
        if (parts.size() != 2 || !parseInitScheme(parts[0].trimmed().toStdString())
            || !parseActivation(parts[1].trimmed().toStdString())) {
            printError(QStringLiteral("--deep-combination must be INIT+ACTIVATION, e.g. heuristic+tanh (got \"%1\")")
                           .arg(options.deepCombination));
            return std::nullopt;
        }
    }
    options.screenshot = parser.value(QStringLiteral("screenshot"));
    options.config = parser.value(QStringLiteral("config"));
    options.reproduceInto = parser.isSet(QStringLiteral("reproduce")) ? parser.value(QStringLiteral("reproduce"))
                                                                       : QString();
    options.dropoutEnsemble = parser.value(QStringLiteral("dropout-ensemble"));
    options.exportAllInto = parser.value(QStringLiteral("export-all"));
    options.stallLog = parser.value(QStringLiteral("stall-log"));
    options.runReport = parser.isSet(QStringLiteral("run-report"));
    options.deepCell = parser.value(QStringLiteral("deep-cell"));
    if (!options.deepCell.isEmpty()) {
        const QStringList parts = options.deepCell.split(QLatin1Char('+'));
        if (parts.size() != 2 || !parseInitScheme(parts[0].toStdString()) || !parseActivation(parts[1].toStdString())) {
            printError(QStringLiteral("--deep-cell must be INIT+ACTIVATION, e.g. xavier_uniform+relu (got \"%1\")")
                           .arg(options.deepCell));
            return std::nullopt;
        }
        if (options.runReport || options.runCircles || options.runDropout) {
            printError(QStringLiteral("--deep-cell cannot go with another run at start"));
            return std::nullopt;
        }
    }
    options.runCircles = parser.isSet(QStringLiteral("run-circles"));
    options.runDropout = parser.isSet(QStringLiteral("run-dropout"));
    options.circlesPlay = parser.isSet(QStringLiteral("circles-play"));
    if ((options.circlesEpoch || options.circlesPlay) && !options.runCircles) {
        printError(QStringLiteral("--circles-epoch and --circles-play need --run-circles"));
        return std::nullopt;
    }
    // Without --tab (and a run) the window decides: the welcome page once, then the deep tab.
    if (options.tab.isEmpty())
        options.tab = options.runCircles ? QStringLiteral("circles")
            : options.runDropout         ? QStringLiteral("dropout")
            : options.runReport || !options.deepCell.isEmpty() ? QStringLiteral("deep")
                                         : QString();
    return options;
}

} // namespace initlab::gui
