// InitLab's desktop application. Besides the interactive window it can start the report's run
// and save a screenshot, which is how its figures are checked without a person at the screen.

#include "circlespanel.h"
#include "deeppanel.h"
#include "dropoutpanel.h"
#include "mainwindow.h"

#include "initlab/blas.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <optional>

namespace {

// Exit code for command-line mistakes, as initlab-cli uses.
constexpr int kUsageError = 2;

void printError(const QString& message)
{
    std::fprintf(stderr, "error: %s\n", qPrintable(message));
}

// The value of a positive integer option, or nullopt (after saying why) when it is not one.
std::optional<int> positiveOption(const QCommandLineParser& parser, const QString& name, int maximum)
{
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < 1 || value > maximum) {
        printError(QStringLiteral("--%1 must be an integer between 1 and %2 (got \"%3\")")
                       .arg(name)
                       .arg(maximum)
                       .arg(parser.value(name)));
        return std::nullopt;
    }
    return value;
}

} // namespace

int main(int argc, char** argv)
{
    // May re-execute the program with faster OpenBLAS kernels, so it comes before anything else.
    initlab::selectFastBlasKernels(argc, argv);

    QApplication app(argc, argv);
    // Lower-case names give the same folders as the CLI and core (~/.local/share/initlab,
    // ~/.config/initlab); people see the display name.
    QApplication::setApplicationName(QStringLiteral("initlab"));
    QApplication::setOrganizationName(QStringLiteral("initlab"));
    QApplication::setApplicationDisplayName(QStringLiteral("InitLab"));
    QApplication::setApplicationVersion(QStringLiteral(INITLAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("InitLab: a laboratory for weight initialization, normalization and dropout."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Save a PNG of the window to FILE, then quit. With "
                                                             "--run-report, --run-circles or --run-dropout, once "
                                                             "the run has finished."),
                                              QStringLiteral("FILE"));
    const QCommandLineOption runReportOption(QStringLiteral("run-report"),
                                             QStringLiteral("Run the report's seven combinations at start."));
    const QCommandLineOption depthOption(QStringLiteral("depth"), QStringLiteral("Layers of the deep net (50)."),
                                         QStringLiteral("N"));
    const QCommandLineOption widthOption(QStringLiteral("width"), QStringLiteral("Units per layer (512)."),
                                         QStringLiteral("N"));
    const QCommandLineOption batchOption(QStringLiteral("batch"), QStringLiteral("Input vectors (10000)."),
                                         QStringLiteral("N"));
    const QCommandLineOption tabOption(QStringLiteral("tab"),
                                       QStringLiteral("Open on this tab: deep, circles or dropout (deep)."),
                                       QStringLiteral("NAME"));
    const QCommandLineOption runCirclesOption(
        QStringLiteral("run-circles"),
        QStringLiteral("Press the circles lab's Train all at start (opens that tab). With --screenshot, the "
                       "screenshot is taken when the run has finished."));
    const QCommandLineOption circlesSeedsOption(QStringLiteral("circles-seeds"),
                                                QStringLiteral("Seeds per setting in the circles lab (1)."),
                                                QStringLiteral("N"));
    const QCommandLineOption runDropoutOption(
        QStringLiteral("run-dropout"),
        QStringLiteral("Press the dropout tab's Start at start (opens that tab). With --screenshot, the screenshot "
                       "is taken when the run has finished."));
    const QCommandLineOption dropoutEpochsOption(QStringLiteral("dropout-epochs"),
                                                 QStringLiteral("Epochs per p on the dropout tab (10)."),
                                                 QStringLiteral("N"));
    const QCommandLineOption dropoutEnsembleOption(QStringLiteral("dropout-ensemble"),
                                                   QStringLiteral("Ensemble sizes T on the dropout tab "
                                                                  "(5,50,500,1000)."),
                                                   QStringLiteral("LIST"));
    const QCommandLineOption dropoutPageOption(QStringLiteral("dropout-page"),
                                               QStringLiteral("The dropout tab's page: training, ensembles or "
                                                              "uncertainty (training)."),
                                               QStringLiteral("NAME"));
    parser.addOptions({screenshotOption, runReportOption, depthOption, widthOption, batchOption, tabOption,
                       runCirclesOption, circlesSeedsOption, runDropoutOption, dropoutEpochsOption,
                       dropoutEnsembleOption, dropoutPageOption});
    if (!parser.parse(QApplication::arguments())) {
        printError(parser.errorText());
        return kUsageError;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all")))
        parser.showHelp(); // exits
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion(); // exits
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
        return kUsageError;
    }

    // The same limits as the panel's spin boxes.
    std::optional<int> depth, width, batch;
    if (parser.isSet(depthOption) && !(depth = positiveOption(parser, depthOption.names().first(), 1000)))
        return kUsageError;
    if (parser.isSet(widthOption) && !(width = positiveOption(parser, widthOption.names().first(), 4096)))
        return kUsageError;
    if (parser.isSet(batchOption) && !(batch = positiveOption(parser, batchOption.names().first(), 1'000'000)))
        return kUsageError;
    std::optional<int> circlesSeeds;
    if (parser.isSet(circlesSeedsOption)
        && !(circlesSeeds = positiveOption(parser, circlesSeedsOption.names().first(), 1000)))
        return kUsageError;
    std::optional<int> dropoutEpochs;
    if (parser.isSet(dropoutEpochsOption)
        && !(dropoutEpochs = positiveOption(parser, dropoutEpochsOption.names().first(), 100000)))
        return kUsageError;
    const QStringList dropoutPages{QStringLiteral("training"), QStringLiteral("ensembles"),
                                   QStringLiteral("uncertainty")};
    const qsizetype dropoutPage
        = parser.isSet(dropoutPageOption) ? dropoutPages.indexOf(parser.value(dropoutPageOption)) : 0;
    if (dropoutPage < 0) {
        printError(QStringLiteral("--dropout-page must be training, ensembles or uncertainty (got \"%1\")")
                       .arg(parser.value(dropoutPageOption)));
        return kUsageError;
    }
    const QString tab = parser.isSet(tabOption)            ? parser.value(tabOption)
                        : parser.isSet(runCirclesOption) ? QStringLiteral("circles")
                        : parser.isSet(runDropoutOption) ? QStringLiteral("dropout")
                                                         : QStringLiteral("deep");
    if (tab != QStringLiteral("deep") && tab != QStringLiteral("circles") && tab != QStringLiteral("dropout")) {
        printError(QStringLiteral("--tab must be deep, circles or dropout (got \"%1\")").arg(tab));
        return kUsageError;
    }

    initlab::ui::MainWindow window;
    window.resize(1500, 950);
    initlab::ui::DeepPanel* panel = window.deepPanel();
    if (depth)
        panel->setDepth(*depth);
    if (width)
        panel->setWidth(*width);
    if (batch)
        panel->setBatch(*batch);
    initlab::ui::CirclesPanel* circlesPanel = window.circlesPanel();
    if (circlesSeeds)
        circlesPanel->seedsSpin()->setValue(*circlesSeeds);
    initlab::ui::DropoutPanel* dropoutPanel = window.dropoutPanel();
    if (dropoutEpochs)
        dropoutPanel->setEpochs(*dropoutEpochs);
    if (parser.isSet(dropoutEnsembleOption))
        dropoutPanel->setEnsembleSizes(parser.value(dropoutEnsembleOption)); // Start says what is wrong with it
    dropoutPanel->showPage(initlab::ui::DropoutPanel::Page(dropoutPage));
    if (auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("experimentTabs"))) {
        if (tab == QStringLiteral("circles"))
            tabs->setCurrentWidget(circlesPanel);
        else if (tab == QStringLiteral("dropout"))
            tabs->setCurrentWidget(window.dropoutPanel());
    }
    window.show();

    int exitCode = 0;
    const QString screenshotFile = parser.value(screenshotOption);
    const auto takeScreenshot = [&] {
        const QPixmap pixmap = window.grab();
        if (pixmap.isNull() || !pixmap.save(screenshotFile, "PNG")) {
            printError(QStringLiteral("could not write the screenshot to %1").arg(screenshotFile));
            exitCode = 1;
        }
        window.close();
    };
    // Give layouts and the charts' scenes a moment to settle before grabbing.
    constexpr int kSettleMs = 400;
    if (parser.isSet(runReportOption)) {
        if (parser.isSet(screenshotOption))
            QObject::connect(panel, &initlab::ui::DeepPanel::runFinished, &window,
                             [&] { QTimer::singleShot(kSettleMs, &window, takeScreenshot); });
        QTimer::singleShot(0, panel, [panel] { panel->runReportCombinations(); });
    } else if (parser.isSet(runCirclesOption)) {
        if (parser.isSet(screenshotOption))
            QObject::connect(circlesPanel, &initlab::ui::CirclesPanel::runFinished, &window,
                             [&] { QTimer::singleShot(kSettleMs, &window, takeScreenshot); });
        // A run that cannot start (the status line says why) is screenshot as it is.
        QTimer::singleShot(0, circlesPanel, [&, circlesPanel] {
            if (!circlesPanel->trainAll() && parser.isSet(screenshotOption))
                QTimer::singleShot(kSettleMs, &window, takeScreenshot);
        });
    } else if (parser.isSet(runDropoutOption)) {
        if (parser.isSet(screenshotOption))
            QObject::connect(dropoutPanel, &initlab::ui::DropoutPanel::runFinished, &window,
                             [&] { QTimer::singleShot(kSettleMs, &window, takeScreenshot); });
        // A run that cannot start (the status line says why) is screenshot as it is.
        QTimer::singleShot(0, dropoutPanel, [&, dropoutPanel] {
            if (!dropoutPanel->start() && parser.isSet(screenshotOption))
                QTimer::singleShot(kSettleMs, &window, takeScreenshot);
        });
    } else if (parser.isSet(screenshotOption)) {
        QTimer::singleShot(kSettleMs, &window, takeScreenshot);
    }

    const int status = app.exec();
    return exitCode != 0 ? exitCode : status;
}
