// InitLab's desktop application. Besides the interactive window it can start the report's run
// and save a screenshot, which is how its figures are checked without a person at the screen.

#include "experiments/circles/circlespanel.h"
#include "experiments/deep/deeppanel.h"
#include "experiments/dropout/dropoutpanel.h"
#include "shell/experimentsession.h"
#include "shell/mainwindow.h"
#include "shell/reportdialog.h"
#include "shell/runspanel.h"

#include "initlab/blas.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPalette>
#include <QPixmap>
#include <QSize>
#include <QSpinBox>
#include <QStyle>
#include <QStyleFactory>
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

// A dark palette like the desktops' dark themes, for --palette dark (and for checking that the
// charts follow the palette without changing the desktop's theme).
QPalette darkPalette()
{
    QPalette palette;
    const QColor window(45, 45, 48);
    const QColor base(30, 30, 32);
    const QColor text(230, 230, 230);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::ToolTipBase, window);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(255, 80, 80));
    palette.setColor(QPalette::Light, QColor(75, 75, 80));
    palette.setColor(QPalette::Midlight, QColor(62, 62, 66));
    palette.setColor(QPalette::Mid, QColor(90, 90, 95));
    palette.setColor(QPalette::Dark, QColor(25, 25, 27));
    palette.setColor(QPalette::Shadow, Qt::black);
    palette.setColor(QPalette::Highlight, QColor(42, 130, 218));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(100, 170, 255));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    return palette;
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
                                       QStringLiteral("Open on this tab: welcome, deep, circles, dropout or runs "
                                                      "(the welcome page on the first start, then deep)."),
                                       QStringLiteral("NAME"));
    const QCommandLineOption sizeOption(QStringLiteral("size"),
                                        QStringLiteral("Window size in pixels, WIDTHxHEIGHT (1500x950)."),
                                        QStringLiteral("WxH"));
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
    const QCommandLineOption paletteOption(QStringLiteral("palette"),
                                           QStringLiteral("Colours: system (the desktop's), light or dark. The "
                                                          "charts follow; exported figures are always light."),
                                           QStringLiteral("NAME"));
    parser.addOption(paletteOption);
    const QCommandLineOption configOption(QStringLiteral("config"),
                                          QStringLiteral("Load an experiment file's settings into its tab and open "
                                                         "that tab (as File > Open experiment)."),
                                          QStringLiteral("FILE"));
    parser.addOption(configOption);
    const QCommandLineOption reproduceOption(
        QStringLiteral("reproduce"),
        QStringLiteral("Open Export > Reproduce the report and start its quick version into DIR. With --screenshot, "
                       "the screenshot is of the dialog once the report is written."),
        QStringLiteral("DIR"));
    parser.addOption(reproduceOption);
    parser.addOptions({screenshotOption, runReportOption, depthOption, widthOption, batchOption, tabOption,
                       runCirclesOption, circlesSeedsOption, runDropoutOption, dropoutEpochsOption,
                       dropoutEnsembleOption, dropoutPageOption, sizeOption});
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
    // Without --tab (and a run) the window decides: the welcome page once, then the deep tab.
    const QString tab = parser.isSet(tabOption)            ? parser.value(tabOption)
                        : parser.isSet(runCirclesOption) ? QStringLiteral("circles")
                        : parser.isSet(runDropoutOption) ? QStringLiteral("dropout")
                        : parser.isSet(runReportOption)  ? QStringLiteral("deep")
                                                         : QString();
    if (!tab.isEmpty() && tab != QStringLiteral("welcome") && tab != QStringLiteral("deep")
        && tab != QStringLiteral("circles") && tab != QStringLiteral("dropout") && tab != QStringLiteral("runs")) {
        printError(QStringLiteral("--tab must be welcome, deep, circles, dropout or runs (got \"%1\")").arg(tab));
        return kUsageError;
    }
    const QString paletteName = parser.isSet(paletteOption) ? parser.value(paletteOption) : QStringLiteral("system");
    if (paletteName != QStringLiteral("system") && paletteName != QStringLiteral("light")
        && paletteName != QStringLiteral("dark")) {
        printError(QStringLiteral("--palette must be system, light or dark (got \"%1\")").arg(paletteName));
        return kUsageError;
    }
    if (paletteName != QStringLiteral("system")) {
        // Fusion draws with the palette on every platform; native styles may ignore it.
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(paletteName == QStringLiteral("dark") ? darkPalette()
                                                                       : QApplication::style()->standardPalette());
    }
    QSize windowSize(1500, 950);
    if (parser.isSet(sizeOption)) {
        const QStringList parts = parser.value(sizeOption).split(QLatin1Char('x'));
        bool widthOk = false, heightOk = false;
        if (parts.size() == 2)
            windowSize = QSize(parts[0].toInt(&widthOk), parts[1].toInt(&heightOk));
        if (!widthOk || !heightOk || windowSize.width() < 200 || windowSize.height() < 200
            || windowSize.width() > 16384 || windowSize.height() > 16384) {
            printError(QStringLiteral("--size must be WIDTHxHEIGHT in pixels, e.g. 1280x800 (got \"%1\")")
                           .arg(parser.value(sizeOption)));
            return kUsageError;
        }
    }

    initlab::ui::MainWindow window;
    window.resize(windowSize);
    // The last session's window, folders and settings. Screenshots show the defaults and leave the
    // session alone.
    if (!parser.isSet(screenshotOption)) {
        window.session()->restoreSession();
        if (parser.isSet(sizeOption))
            window.resize(windowSize);
    }
    if (parser.isSet(configOption)) {
        QString error;
        QStringList warnings;
        if (!window.session()->openExperiment(parser.value(configOption), &error, &warnings)) {
            printError(error);
            return kUsageError;
        }
        for (const QString& warning : warnings)
            std::fprintf(stderr, "warning: %s\n", qPrintable(warning));
    }
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
        else if (tab == QStringLiteral("deep"))
            tabs->setCurrentWidget(panel);
        else if (tab == QStringLiteral("welcome"))
            window.showWelcome();
        else if (tab == QStringLiteral("runs"))
            tabs->setCurrentWidget(window.session()->runsPanel());
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
    } else if (parser.isSet(reproduceOption)) {
        initlab::ui::ReportDialog* dialog = window.showReportDialog();
        dialog->setOutputFolder(parser.value(reproduceOption));
        dialog->setQuick(true);
        if (parser.isSet(screenshotOption))
            QObject::connect(dialog, &initlab::ui::ReportDialog::reportFinished, &window, [&, dialog] {
                QTimer::singleShot(kSettleMs, &window, [&, dialog] {
                    const QPixmap pixmap = dialog->grab();
                    if (pixmap.isNull() || !pixmap.save(screenshotFile, "PNG")) {
                        printError(QStringLiteral("could not write the screenshot to %1").arg(screenshotFile));
                        exitCode = 1;
                    }
                    window.close();
                });
            });
        QTimer::singleShot(0, dialog, [dialog] { dialog->start(); });
    } else if (parser.isSet(screenshotOption)) {
        QTimer::singleShot(kSettleMs, &window, takeScreenshot);
    }

    const int status = app.exec();
    return exitCode != 0 ? exitCode : status;
}
