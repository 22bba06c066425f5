#pragma once
// The desktop application's command line: every option, checked before any window exists, so that
// --help and --version work without a display and a bad value is one "error:" line with exit
// status 2, as initlab-cli does it.

#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>

QT_BEGIN_NAMESPACE
class QCommandLineParser;
QT_END_NAMESPACE

namespace initlab::gui {

// Exit status for command-line mistakes, as initlab-cli uses.
inline constexpr int kUsageError = 2;

struct StartOptions {
    QString screenshot;    // empty: no screenshot
    QString tab;           // welcome, deep, circles, dropout, runs; empty: the window decides
    QString palette;       // system, light or dark
    QString config;        // an experiment file to load
    QString reproduceInto; // start the quick report into this folder
    QString exportAllInto; // after the start run, every figure of its tab into this folder
    QString stallLog;      // write how long the GUI thread was blocked into this file
    QSize windowSize{1500, 950};
    bool sizeGiven = false;
    bool runReport = false;
    QString deepCell; // "init+activation": click that cell of the deep tab at start
    bool runCircles = false;
    bool runDropout = false;
    std::optional<int> depth, width, batch;
    std::optional<int> circlesSeeds;
    std::optional<int> circlesEpoch; // after --run-circles: show this recorded epoch (or the one before)
    bool circlesPlay = false;        // after --run-circles: play the run back from its start
    std::optional<int> dropoutEpochs;
    QString dropoutEnsemble; // the tab's Start says what is wrong with it
    int dropoutPage = 0;     // training, ensembles, uncertainty
    bool deepDistributions = false; // the deep tab opens on its Distributions page
    bool deepGradient = false;      // which shows dL/dh rather than the activations
    bool deepGradientInStd = false; // its dL/dh histograms in each layer's own std
    QString deepCombination;        // "heuristic+tanh": the combination it shows; empty: the newest
};

// Sets up parser with every option of the application.
void addStartOptions(QCommandLineParser& parser);
// The program's arguments as Qt reads them, before any application object exists.
QStringList argumentList(int argc, char** argv);
// Whether a parsed command line asks for --help or --version; printHelpOrVersion answers it (with
// a console application object, no window system) and ends the process.
bool asksForHelpOrVersion(const QCommandLineParser& parser);
[[noreturn]] void printHelpOrVersion(QCommandLineParser& parser, int argc, char** argv);
// The options of a parsed command line, or nullopt after printing the error.
std::optional<StartOptions> readStartOptions(const QCommandLineParser& parser);

void printError(const QString& message);
// Names the application as the CLI and core name their folders (~/.local/share/initlab).
void setApplicationNames();

} // namespace initlab::gui
