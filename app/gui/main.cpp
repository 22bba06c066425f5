// InitLab's desktop application. Besides the interactive window it can start the report's run
// and save a screenshot, which is how its figures are checked without a person at the screen.

#include "startoptions.h"

#include "experiments/circles/circlespanel.h"
#include "experiments/circles/circlesplayback.h"
#include "experiments/deep/deeppanel.h"
#include "figures/deepdistributionfigures.h"
#include "experiments/dropout/dropoutpanel.h"
#include "shell/experimentsession.h"
#include "shell/mainwindow.h"
#include "shell/reportdialog.h"
#include "shell/runspanel.h"
#include "common/stallprobe.h"
#include "figures/chartexport.h"

#include "initlab/blas.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QCommandLineParser>
#include <QPalette>
#include <QPixmap>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <limits>
#include <memory>

namespace {

using initlab::gui::StartOptions;
using initlab::ui::MainWindow;

// Give layouts and the charts' scenes a moment to settle before grabbing.
constexpr int kSettleMs = 400;

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

void applyPalette(const QString& name)
{
    if (name == QStringLiteral("system"))
        return;
    // Fusion draws with the palette on every platform; native styles may ignore it.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(name == QStringLiteral("dark") ? darkPalette() : QApplication::style()->standardPalette());
}

// The session, an experiment file and the options' settings, then the tab to open on. False after
// printing the error when the experiment file is refused.
bool prepareWindow(MainWindow& window, const StartOptions& options)
{
    window.resize(options.windowSize);
    // The last session's window, folders and settings. Screenshots show the defaults and leave the
    // session alone.
    if (options.screenshot.isEmpty()) {
        window.session()->restoreSession();
        if (options.sizeGiven)
            window.resize(options.windowSize);
    }
    if (!options.config.isEmpty()) {
        QString error;
        QStringList warnings;
        if (!window.session()->openExperiment(options.config, &error, &warnings)) {
            initlab::gui::printError(error);
            return false;
        }
        for (const QString& warning : warnings)
            std::fprintf(stderr, "warning: %s\n", qPrintable(warning));
    }
    initlab::ui::DeepPanel* deep = window.deepPanel();
    if (options.depth)
        deep->setDepth(*options.depth);
    if (options.width)
        deep->setWidth(*options.width);
    if (options.batch)
        deep->setBatch(*options.batch);
    if (options.deepDistributions)
        deep->showView(initlab::ui::DeepPanel::View::Distributions);
    if (options.deepGradient)
        deep->distributions()->setQuantity(initlab::ui::DeepDistributionFigures::Quantity::PreGradient);
    if (options.deepGradientInStd)
        deep->distributions()->setGradientInLayerStd(true);
    if (!options.deepCombination.isEmpty()) {
        const QStringList parts = options.deepCombination.split(QLatin1Char('+'));
        const initlab::Combination combination{*initlab::parseInitScheme(parts[0].trimmed().toStdString()),
                                               *initlab::parseActivation(parts[1].trimmed().toStdString())};
        // A run shows its newest combination as it goes; this one once it has ended.
        deep->distributions()->viewCombination(combination);
        QObject::connect(deep, &initlab::ui::ExperimentPanel::runEnded, deep,
                         [deep, combination] { deep->distributions()->viewCombination(combination); });
    }
    if (options.circlesSeeds)
        window.circlesPanel()->setSeeds(*options.circlesSeeds);
    // A scripted circles run is about its end (or the epoch --circles-epoch names): the tab shows
    // it as trained rather than playing it back, unless --circles-play asks for the playback.
    if (options.runCircles && !options.circlesPlay)
        window.circlesPanel()->playback()->setSpeed(std::numeric_limits<double>::infinity());
    initlab::ui::DropoutPanel* dropout = window.dropoutPanel();
    if (options.dropoutEpochs)
        dropout->setEpochs(*options.dropoutEpochs);
    if (!options.dropoutEnsemble.isEmpty())
        dropout->setEnsembleSizes(options.dropoutEnsemble);
    dropout->showPage(initlab::ui::DropoutPanel::Page(options.dropoutPage));

    if (options.tab == QStringLiteral("welcome"))
        window.showWelcome();
    else if (options.tab == QStringLiteral("runs"))
        window.tabs()->setCurrentWidget(window.session()->runsPanel());
    else if (options.tab == QStringLiteral("deep"))
        window.tabs()->setCurrentWidget(window.panelOf(initlab::ExperimentKind::Deep));
    else if (options.tab == QStringLiteral("circles"))
        window.tabs()->setCurrentWidget(window.panelOf(initlab::ExperimentKind::Circles));
    else if (options.tab == QStringLiteral("dropout"))
        window.tabs()->setCurrentWidget(window.panelOf(initlab::ExperimentKind::Dropout));
    return true;
}

// Saves what widget shows, then closes the window; a file that cannot be written sets exitCode.
void saveScreenshot(QWidget* widget, MainWindow& window, const QString& file, int& exitCode)
{
    if (auto* probe = window.findChild<initlab::ui::StallProbe*>())
        probe->mark(QStringLiteral("screenshot"));
    const QPixmap pixmap = widget->grab();
    if (pixmap.isNull() || !pixmap.save(file, "PNG")) {
        initlab::gui::printError(QStringLiteral("could not write the screenshot to %1").arg(file));
        exitCode = 1;
    }
    window.close();
}

// Every figure of panel into folder, as Export all does without asking; then (the export's
// failure printed and put into exitCode) next.
void exportEveryFigure(initlab::ui::ExperimentPanel* panel, const QString& folder, initlab::ui::StallProbe* probe,
                       int& exitCode, const std::function<void()>& next)
{
    if (probe)
        probe->mark(QStringLiteral("export all started"));
    if (!QDir().mkpath(folder)) {
        initlab::gui::printError(QStringLiteral("cannot create the folder %1").arg(folder));
        exitCode = 1;
        next();
        return;
    }
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(
        panel, &initlab::ui::ExperimentPanel::exportFinished, panel,
        [connection, probe, &exitCode, next](bool ok, const QStringList& written, const QString& error) {
            QObject::disconnect(*connection);
            if (probe)
                probe->mark(QStringLiteral("export all ended: %1 files").arg(written.size()));
            if (!ok) {
                initlab::gui::printError(error.isEmpty() ? QStringLiteral("the export was cancelled") : error);
                exitCode = 1;
            }
            next();
        });
    if (!panel->exportAllInto(folder)) {
        QObject::disconnect(*connection);
        initlab::gui::printError(panel->statusText());
        exitCode = 1;
        next();
    }
}

// --deep-cell: the cell clicked; once the preview's curves are complete, their time printed (and
// marked in the stall log), the screenshot taken, and the window closed (the full batch cancelled).
void clickDeepCell(MainWindow& window, const StartOptions& options, int& exitCode, initlab::ui::StallProbe* probe)
{
    initlab::ui::DeepPanel* deep = window.deepPanel();
    const QStringList parts = options.deepCell.split(QLatin1Char('+'));
    const initlab::Combination cell{*initlab::parseInitScheme(parts[0].toStdString()),
                                    *initlab::parseActivation(parts[1].toStdString())};
    // Closing stops the worker's thread: the full batch is cancelled within a layer.
    const auto finish = [&window, &options, &exitCode] {
        QTimer::singleShot(kSettleMs, &window, [&window, &options, &exitCode] {
            if (!options.screenshot.isEmpty())
                saveScreenshot(&window, window, options.screenshot, exitCode);
            else
                window.close();
        });
    };
    QObject::connect(deep, &initlab::ui::DeepPanel::previewShown, &window, [probe, finish](qint64 ms) {
        std::fprintf(stderr, "preview drawn %lld ms after the click\n", static_cast<long long>(ms));
        if (probe)
            probe->mark(QStringLiteral("preview drawn"));
        finish();
    });
    // A batch too small for a preview: the run itself is what the click shows.
    QObject::connect(deep, &initlab::ui::ExperimentPanel::runEnded, &window, finish);
    QTimer::singleShot(0, deep, [deep, cell, finish, probe] {
        if (probe)
            probe->mark(QStringLiteral("click"));
        if (!deep->clickCombination(cell))
            finish();
    });
}

// What the window does once it is shown: a tab's run (then its figures exported and a screenshot,
// as asked), the quick report (screenshot of the dialog), or only a screenshot.
void scheduleStartAction(MainWindow& window, const StartOptions& options, int& exitCode,
                         initlab::ui::StallProbe* probe)
{
    const bool screenshot = !options.screenshot.isEmpty();
    const auto takeScreenshot = [&window, &options, &exitCode] {
        QTimer::singleShot(kSettleMs, &window,
                           [&window, &options, &exitCode] { saveScreenshot(&window, window, options.screenshot, exitCode); });
    };
    initlab::ui::ExperimentPanel* panel = options.runReport  ? window.panelOf(initlab::ExperimentKind::Deep)
                                          : options.runCircles ? window.panelOf(initlab::ExperimentKind::Circles)
                                          : options.runDropout ? window.panelOf(initlab::ExperimentKind::Dropout)
                                                               : nullptr;
    if (panel) {
        if (probe) {
            QObject::connect(panel, &initlab::ui::ExperimentPanel::runStarted, probe,
                             [probe] { probe->mark(QStringLiteral("run started")); });
            QObject::connect(panel, &initlab::ui::ExperimentPanel::runEnded, probe,
                             [probe] { probe->mark(QStringLiteral("run ended")); });
        }
        // --circles-epoch and --circles-play: the playback once the run has ended, then the screenshot.
        if (options.circlesEpoch || options.circlesPlay) {
            auto* circles = window.circlesPanel();
            // The frames playback drew, from the run's start: the stall log's measure per frame.
            auto frames = std::make_shared<int>(0);
            QObject::connect(circles, &initlab::ui::CirclesPanel::frameShown, circles, [frames] { ++*frames; });
            const std::function<void()> afterPlayback
                = screenshot ? std::function<void()>(takeScreenshot) : std::function<void()>([&window] { window.close(); });
            QObject::connect(panel, &initlab::ui::ExperimentPanel::runEnded, &window, [circles, &options, afterPlayback, probe, frames] {
                QTimer::singleShot(0, circles, [circles, &options, afterPlayback, probe, frames] {
                    initlab::ui::CirclesPlayback* playback = circles->playback();
                    const initlab::CirclesResult* result = circles->lastResult();
                    if (!result || !playback->hasSnapshots()) {
                        afterPlayback();
                        return;
                    }
                    if (options.circlesEpoch) {
                        auto connection = std::make_shared<QMetaObject::Connection>();
                        *connection = QObject::connect(circles, &initlab::ui::CirclesPanel::frameShown, circles,
                                                       [connection, afterPlayback](int) {
                                                           QObject::disconnect(*connection);
                                                           afterPlayback();
                                                       });
                        playback->showIndex(result->snapshots.indexAtOrBefore(*options.circlesEpoch));
                        return;
                    }
                    if (probe)
                        probe->mark(QStringLiteral("playback started"));
                    playback->play();
                    auto* poll = new QTimer(circles);
                    QObject::connect(poll, &QTimer::timeout, circles, [poll, playback, afterPlayback, probe, frames] {
                        if (playback->isPlaying())
                            return;
                        poll->deleteLater();
                        if (probe)
                            probe->mark(QStringLiteral("playback ended: %1 frames drawn").arg(*frames));
                        afterPlayback();
                    });
                    poll->start(50);
                });
            });
        } else {
        // The export (when asked for) runs once the run has ended, the screenshot after both.
        // Scripted: an export error is printed, not shown in a dialog that would wait for a click.
        if (!options.exportAllInto.isEmpty())
            initlab::ui::chartexport::setErrorHandler([](QWidget*, const QString&) {});
        const std::function<void()> afterRun
            = screenshot ? std::function<void()>(takeScreenshot) : std::function<void()>([&window] { window.close(); });
        if (!options.exportAllInto.isEmpty())
            QObject::connect(panel, &initlab::ui::ExperimentPanel::runEnded, &window,
                             [panel, &options, &exitCode, probe, afterRun] {
                                 // After the run's own handlers: the panel leaves its run state first.
                                 QTimer::singleShot(0, panel, [panel, &options, &exitCode, probe, afterRun] {
                                     exportEveryFigure(panel, options.exportAllInto, probe, exitCode, afterRun);
                                 });
                             });
        else if (screenshot)
            QObject::connect(panel, &initlab::ui::ExperimentPanel::runEnded, &window, takeScreenshot);
        }
        // A run that cannot start (the status line says why) is screenshot as it is.
        QTimer::singleShot(0, panel, [panel, screenshot, takeScreenshot] {
            if (!panel->startReportDefault() && screenshot)
                takeScreenshot();
        });
    } else if (!options.deepCell.isEmpty()) {
        clickDeepCell(window, options, exitCode, probe);
    } else if (!options.reproduceInto.isEmpty()) {
        initlab::ui::ReportDialog* dialog = window.showReportDialog();
        dialog->setOutputFolder(options.reproduceInto);
        dialog->setQuick(true);
        if (screenshot)
            QObject::connect(dialog, &initlab::ui::ReportDialog::reportFinished, &window, [&window, &options, &exitCode, dialog] {
                QTimer::singleShot(kSettleMs, &window, [&window, &options, &exitCode, dialog] {
                    saveScreenshot(dialog, window, options.screenshot, exitCode);
                });
            });
        QTimer::singleShot(0, dialog, [dialog] { dialog->start(); });
    } else if (screenshot) {
        takeScreenshot();
    }
}

} // namespace

int main(int argc, char** argv)
{
    // The command line is read and checked before any window system is needed, so that --help,
    // --version and a mistake are answered on a machine without a display.
    QCommandLineParser parser;
    initlab::gui::addStartOptions(parser);
    if (!parser.parse(initlab::gui::argumentList(argc, argv))) {
        initlab::gui::printError(parser.errorText());
        return initlab::gui::kUsageError;
    }
    if (initlab::gui::asksForHelpOrVersion(parser))
        initlab::gui::printHelpOrVersion(parser, argc, argv);
    const std::optional<StartOptions> options = initlab::gui::readStartOptions(parser);
    if (!options)
        return initlab::gui::kUsageError;

    // May re-execute the program with faster OpenBLAS kernels, so it comes before the application.
    initlab::selectFastBlasKernels(argc, argv);
    QApplication app(argc, argv);
    initlab::gui::setApplicationNames();
    QApplication::setApplicationDisplayName(QStringLiteral("InitLab"));
    applyPalette(options->palette);

    MainWindow window;
    if (!prepareWindow(window, *options))
        return initlab::gui::kUsageError;
    window.show();
    int exitCode = 0;
    std::unique_ptr<initlab::ui::StallProbe> probe;
    if (!options->stallLog.isEmpty()) {
        probe = std::make_unique<initlab::ui::StallProbe>();
        probe->setParent(&window); // found by the screenshot, which marks itself in the log
        probe->start();
    }
    scheduleStartAction(window, *options, exitCode, probe.get());
    const int status = app.exec();
    if (probe) {
        QFile log(options->stallLog);
        if (!log.open(QIODevice::WriteOnly | QIODevice::Text) || log.write(probe->log().toUtf8()) < 0) {
            initlab::gui::printError(QStringLiteral("could not write the stall log to %1: %2")
                                         .arg(options->stallLog, log.errorString()));
            exitCode = 1;
        }
        std::fprintf(stderr, "GUI thread: %s\n", qPrintable(probe->summary()));
    }
    return exitCode != 0 ? exitCode : status;
}
