// InitLab's desktop application. Besides the interactive window it can start the report's run
// and save a screenshot, which is how its figures are checked without a person at the screen.

#include "deeppanel.h"
#include "mainwindow.h"

#include "initlab/blas.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
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
    QApplication::setApplicationName(QStringLiteral("InitLab"));
    QApplication::setApplicationVersion(QStringLiteral(INITLAB_VERSION));
    QApplication::setOrganizationName(QStringLiteral("InitLab"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("InitLab: a laboratory for weight initialization, normalization and dropout."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Save a PNG of the window to FILE, then quit. With "
                                                             "--run-report, once the run has finished."),
                                              QStringLiteral("FILE"));
    const QCommandLineOption runReportOption(QStringLiteral("run-report"),
                                             QStringLiteral("Run the report's seven combinations at start."));
    const QCommandLineOption depthOption(QStringLiteral("depth"), QStringLiteral("Layers of the deep net (50)."),
                                         QStringLiteral("N"));
    const QCommandLineOption widthOption(QStringLiteral("width"), QStringLiteral("Units per layer (512)."),
                                         QStringLiteral("N"));
    const QCommandLineOption batchOption(QStringLiteral("batch"), QStringLiteral("Input vectors (10000)."),
                                         QStringLiteral("N"));
    parser.addOptions({screenshotOption, runReportOption, depthOption, widthOption, batchOption});
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

    initlab::ui::MainWindow window;
    window.resize(1500, 950);
    initlab::ui::DeepPanel* panel = window.deepPanel();
    if (depth)
        panel->setDepth(*depth);
    if (width)
        panel->setWidth(*width);
    if (batch)
        panel->setBatch(*batch);
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
    } else if (parser.isSet(screenshotOption)) {
        QTimer::singleShot(kSettleMs, &window, takeScreenshot);
    }

    const int status = app.exec();
    return exitCode != 0 ? exitCode : status;
}
