// Tests of `initlab-cli reproduce`: the quick report as a user makes it (the real binary through
// QProcess), every file it promises, the report as a browser shows it (headless Chromium renders
// report.html to an image), and the errors and the cancel that must leave no half report behind.
// The quick report is the slowest test of the suite (a minute or two): it is what users run.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>

namespace {

const QString kCliPath = QStringLiteral(INITLAB_CLI_PATH);
constexpr int kTimeoutMs = 20 * 60 * 1000;

struct CliRun {
    int exitCode = -1;
    bool exitedNormally = false;
    QString out;
    QString err;
};

QProcessEnvironment testEnvironment(const QTemporaryDir& home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("INITLAB_RUNS_FOLDER"), home.filePath(QStringLiteral("runs")));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    return environment;
}

CliRun runCli(const QStringList& args, const QProcessEnvironment& environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(kCliPath, args);
    CliRun run;
    if (!process.waitForFinished(kTimeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    run.exitedNormally = process.exitStatus() == QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Every file under folder, relative to it.
QStringList filesUnder(const QString& folder)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(folder).relativeFilePath(it.next());
    files.sort();
    return files;
}

// The homework report's figures: number and the file name's stem after "figNN_".
const QList<QPair<int, QString>> kFigures{
    {1, QStringLiteral("deep_activation_mean")},
    {2, QStringLiteral("deep_activation_std")},
    {3, QStringLiteral("deep_gradient_mean")},
    {4, QStringLiteral("deep_gradient_std")},
    {5, QStringLiteral("circles_train_loss")},
    {6, QStringLiteral("circles_train_accuracy")},
    {7, QStringLiteral("circles_validation_accuracy")},
    {8, QStringLiteral("circles_boundary_raw_xavier_normal")},
    {9, QStringLiteral("circles_boundary_standard_xavier_uniform")},
    {10, QStringLiteral("circles_boundary_scaled_xavier_normal")},
    {11, QStringLiteral("circles_boundary_standard_kaiming_normal")},
    {12, QStringLiteral("dropout_train_accuracy")},
    {13, QStringLiteral("dropout_validation_loss")},
    {14, QStringLiteral("dropout_validation_accuracy")},
};

} // namespace

class TestReproduce : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quickReportWritesEveryFile();
    void missingOutIsAUsageError();
    void unknownOptionIsAUsageError();
    void unwritableFolderFailsBeforeRunning();
    void missingDataFailsBeforeRunning();
    void cancelLeavesNoReport();
};

void TestReproduce::quickReportWritesEveryFile()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString out = home.filePath(QStringLiteral("report"));
    const CliRun run = runCli({QStringLiteral("reproduce"), QStringLiteral("--quick"), QStringLiteral("--out"), out},
                              testEnvironment(home));
    QVERIFY2(run.exitedNormally && run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("report: ") + QDir(out).filePath(QStringLiteral("report.html"))),
             qPrintable(run.out));
    // Progress names each experiment as it starts.
    QVERIFY(run.err.contains(QStringLiteral("Deep signal propagation")));
    QVERIFY(run.err.contains(QStringLiteral("Dropout and MC-dropout ensembles")));

    // Figures 1-14 as PNG and SVG, each with the CSV of what it shows.
    for (const auto& [number, stem] : kFigures) {
        const QString base = QDir(out).filePath(QStringLiteral("figures/fig%1_%2").arg(number, 2, 10, QLatin1Char('0')).arg(stem));
        const QByteArray png = readAll(base + QStringLiteral(".png"));
        QVERIFY2(png.startsWith("\x89PNG\r\n\x1a\n"), qPrintable(base));
        QImage image;
        QVERIFY(image.loadFromData(png, "PNG"));
        QVERIFY2(image.width() >= 1500, qPrintable(base)); // 16 cm at 300 dpi
        const QByteArray svg = readAll(base + QStringLiteral(".svg"));
        QVERIFY2(svg.contains("<svg"), qPrintable(base));
        const QByteArray csv = readAll(base + QStringLiteral(".csv"));
        const QList<QByteArray> lines = csv.trimmed().split('\n');
        QVERIFY2(lines.size() >= 3, qPrintable(base)); // a header and the points
    }
    // The boundary figures carry their data points too.
    QVERIFY(QFileInfo::exists(
        QDir(out).filePath(QStringLiteral("figures/fig09_circles_boundary_standard_xavier_uniform_points.csv"))));

    // report.html: self-contained (figures embedded), every figure and Table I in it.
    const QString html = QString::fromUtf8(readAll(QDir(out).filePath(QStringLiteral("report.html"))));
    QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
    QVERIFY(html.trimmed().endsWith(QStringLiteral("</html>")));
    for (int number = 1; number <= 14; ++number)
        QVERIFY2(html.contains(QStringLiteral("<b>Fig. %1:</b>").arg(number)), qPrintable(QString::number(number)));
    QCOMPARE(html.count(QStringLiteral("src=\"data:image/png;base64,")), 18); // 14 + four beyond the report
    QVERIFY(html.contains(QStringLiteral("TABLE I")));
    // Table I: one pass and each ensemble size of the quick plan, for each p.
    for (const QString& p : {QStringLiteral("0"), QStringLiteral("0.2"), QStringLiteral("0.5")})
        for (const QString& size : {QStringLiteral("None (one pass, dropout off)"), QStringLiteral("5"), QStringLiteral("50")}) {
            const QRegularExpression row(QStringLiteral("<tr><td>%1</td><td>%2</td><td>\\d+\\.\\d\\d %</td></tr>")
                                             .arg(QRegularExpression::escape(p), QRegularExpression::escape(size)));
            QVERIFY2(row.match(html).hasMatch(), qPrintable(p + QLatin1Char(' ') + size));
        }
    const QString markdown = QString::fromUtf8(readAll(QDir(out).filePath(QStringLiteral("report.md"))));
    QVERIFY(markdown.startsWith(QStringLiteral("# ")));
    for (const auto& [number, stem] : kFigures)
        QVERIFY2(markdown.contains(QStringLiteral("(figures/fig%1_%2.png)").arg(number, 2, 10, QLatin1Char('0')).arg(stem)),
                 qPrintable(stem));

    // A run record per experiment, with the settings, the machine and the contract CSVs.
    const QStringList records = QDir(QDir(out).filePath(QStringLiteral("runs"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(records.size(), 3);
    const QHash<QString, QStringList> expected{
        {QStringLiteral("deep"), {QStringLiteral("deep.csv")}},
        {QStringLiteral("circles"), {QStringLiteral("circles_history.csv"), QStringLiteral("circles_summary.csv")}},
        {QStringLiteral("dropout"),
         {QStringLiteral("dropout_history.csv"), QStringLiteral("ensemble.csv"), QStringLiteral("ensemble_curve.csv")}},
    };
    for (const QString& record : records) {
        const QDir folder(QDir(out).filePath(QStringLiteral("runs/") + record));
        const QJsonObject experiment =
            QJsonDocument::fromJson(readAll(folder.filePath(QStringLiteral("experiment.json")))).object();
        const QString kind = experiment.value(QStringLiteral("experiment")).toString();
        QVERIFY2(expected.contains(kind), qPrintable(record));
        QVERIFY2(html.contains(QStringLiteral("runs/") + record), qPrintable(record));
        const QJsonObject info = QJsonDocument::fromJson(readAll(folder.filePath(QStringLiteral("run.json")))).object();
        QCOMPARE(info.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
        for (const QString& csv : expected.value(kind))
            QVERIFY2(QFileInfo(folder.filePath(csv)).size() > 0, qPrintable(record + QLatin1Char('/') + csv));
    }
    // The quick plan's settings are what the records say was run.
    // The runs folder of the user (INITLAB_RUNS_FOLDER) is not touched: the report keeps its own.
    QVERIFY(!QFileInfo::exists(home.filePath(QStringLiteral("runs"))));

    // What a reader sees: Chromium renders the page; it must show text and coloured figures.
    const QString shot = home.filePath(QStringLiteral("report.png"));
    QProcess chromium;
    chromium.start(QStringLiteral("chromium"),
                   {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                    QStringLiteral("--disable-background-networking"), QStringLiteral("--hide-scrollbars"),
                    QStringLiteral("--user-data-dir=") + home.filePath(QStringLiteral("chromium")),
                    QStringLiteral("--window-size=1280,1600"), QStringLiteral("--screenshot=") + shot,
                    QUrl::fromLocalFile(QDir(out).filePath(QStringLiteral("report.html"))).toString()});
    QVERIFY2(chromium.waitForStarted(), "chromium (a declared dependency, packaging/debian-packages.txt) is missing");
    QVERIFY(chromium.waitForFinished(120000));
    QImage page(shot);
    QVERIFY2(!page.isNull(), qPrintable(QString::fromUtf8(chromium.readAllStandardError()).left(2000)));
    QCOMPARE(page.size(), QSize(1280, 1600));
    int dark = 0;
    int coloured = 0;
    for (int y = 0; y < page.height(); y += 2)
        for (int x = 0; x < page.width(); x += 2) {
            const QColor c = page.pixelColor(x, y);
            if (c.lightness() < 80)
                ++dark;
            if (c.hsvSaturation() > 120 && c.value() > 80)
                ++coloured;
        }
    const int samples = (page.width() / 2) * (page.height() / 2);
    QVERIFY2(dark > samples / 200, qPrintable(QStringLiteral("%1 dark of %2").arg(dark).arg(samples)));
    QVERIFY2(coloured > samples / 2000, qPrintable(QStringLiteral("%1 coloured of %2").arg(coloured).arg(samples)));
}

void TestReproduce::missingOutIsAUsageError()
{
    QTemporaryDir home;
    const CliRun run = runCli({QStringLiteral("reproduce"), QStringLiteral("--quick")}, testEnvironment(home));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith(QStringLiteral("error: missing --out DIR")), qPrintable(run.err));
}

void TestReproduce::unknownOptionIsAUsageError()
{
    QTemporaryDir home;
    const CliRun run = runCli({QStringLiteral("reproduce"), QStringLiteral("--fast"), QStringLiteral("--out"),
                               home.filePath(QStringLiteral("r"))},
                              testEnvironment(home));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("unknown option '--fast'")), qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(home.filePath(QStringLiteral("r"))));
}

void TestReproduce::unwritableFolderFailsBeforeRunning()
{
    // A folder inside a regular file cannot be made, whoever runs the test (root too).
    QTemporaryDir home;
    const QString blocker = home.filePath(QStringLiteral("a-file"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a folder\n");
    }
    const CliRun run = runCli({QStringLiteral("reproduce"), QStringLiteral("--quick"), QStringLiteral("--out"),
                               QDir(blocker).filePath(QStringLiteral("report"))},
                              testEnvironment(home));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith(QStringLiteral("error: ")) && run.err.contains(blocker), qPrintable(run.err));
    QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
    // It failed at once: nothing ran, and the file is untouched.
    QVERIFY(!run.err.contains(QStringLiteral("Deep signal propagation")));
    QCOMPARE(readAll(blocker), QByteArray("not a folder\n"));
}

void TestReproduce::missingDataFailsBeforeRunning()
{
    QTemporaryDir home;
    const QString out = home.filePath(QStringLiteral("report"));
    const CliRun run = runCli({QStringLiteral("reproduce"), QStringLiteral("--quick"), QStringLiteral("--data"),
                               home.filePath(QStringLiteral("no-such-data")), QStringLiteral("--out"), out},
                              testEnvironment(home));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith(QStringLiteral("error: ")) && run.err.contains(QStringLiteral("no-such-data")),
             qPrintable(run.err));
    QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
    QVERIFY(!QFileInfo::exists(out));
}

void TestReproduce::cancelLeavesNoReport()
{
    QTemporaryDir home;
    const QString out = home.filePath(QStringLiteral("report"));
    QProcess process;
    process.setProcessEnvironment(testEnvironment(home));
    process.setReadChannel(QProcess::StandardError);
    process.start(kCliPath, {QStringLiteral("reproduce"), QStringLiteral("--quick"), QStringLiteral("--out"), out});
    QVERIFY(process.waitForStarted());
    QString err;
    while (!err.contains(QStringLiteral("Deep signal propagation")) && process.state() == QProcess::Running
           && process.waitForReadyRead(60000))
        err += QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("Deep signal propagation")), qPrintable(err));
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(120000));
    err += QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 130);
    QVERIFY2(err.contains(QStringLiteral("error: cancelled")), qPrintable(err));
    // The folder the run created is gone again, with everything in it.
    QVERIFY2(!QFileInfo::exists(out), qPrintable(filesUnder(out).join(QLatin1Char(' '))));
}

QTEST_GUILESS_MAIN(TestReproduce)
#include "tst_reproduce.moc"
