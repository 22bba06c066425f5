// Export of charts and canvases: each format gives a valid, non-empty file (PNG signature, SVG with
// the chart's own text, PDF header), the CSV has its header and a row per point shown, Export all
// writes the expected set of files (also from a real, tiny deep run), an unwritable folder leaves
// nothing and reports an error naming the file and the system's reason (not a folder, a file too
// large for the process's limit, as a full disk would be named), and the charts follow a dark
// palette on screen while exported figures stay light. Exported PDFs, turned into images by
// pdftoppm, show text and lines in the title and in the plot at the figure's aspect; SVGs parse
// with the figure's aspect; and a figure exported on a screen of 144 logical dpi (a second process
// of this test) looks like one exported at 96.

#include "figures/boundarycanvas.h"
#include "figures/chartexport.h"
#include "figures/circlescurvechart.h"
#include "figures/confusionmatrixview.h"
#include "experiments/deep/deeppanel.h"
#include "figures/dropoutchart.h"
#include "experiments/deep/deepworker.h"
#include "experiments/workerthread.h"
#include "figures/deepfigures.h"
#include "figures/layerchart.h"
#include "experiments/metatypes.h"
#include "widgets.h"

#include <QApplication>
#include <QChart>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLegend>
#include <QMenu>
#include <QPainter>
#include <QProcess>
#include <QScreen>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>
#include <csignal>
#include <memory>

#include <sys/resource.h>

using namespace initlab;
using namespace initlab::ui;
using Format = chartexport::Format;

namespace {

constexpr int kTimeoutMs = 120000;

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QStringList csvLines(const QString& path)
{
    QStringList lines = QString::fromUtf8(readAll(path)).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(45, 45, 48));
    palette.setColor(QPalette::Base, QColor(30, 30, 32));
    palette.setColor(QPalette::Text, QColor(230, 230, 230));
    palette.setColor(QPalette::WindowText, QColor(230, 230, 230));
    return palette;
}

// Hand-filled figures, one of each kind.
struct Figures {
    Figures()
    {
        layer.setLayerCount(5);
        layer.setKeyColumns({QStringLiteral("init"), QStringLiteral("activation")}, {QStringLiteral("series")});
        const int a = layer.addCurve(QStringLiteral("Xavier uniform + tanh"), Qt::blue);
        const int b = layer.addCurve(QStringLiteral("Zeros + tanh"), Qt::red);
        layer.setCurveKeys(a, {QStringLiteral("xavier_uniform"), QStringLiteral("tanh"), QStringLiteral("measured")});
        layer.setCurveKeys(b, {QStringLiteral("zeros"), QStringLiteral("tanh"), QStringLiteral("measured")});
        for (int l = 1; l <= 5; ++l) {
            layer.setValue(a, l, std::pow(0.5, l));
            layer.setValue(b, l, l <= 2 ? 0.1 : 0.0); // vanishes from layer 3: a note under the chart
        }
        layer.refresh();

        circles.setKeyColumns({QStringLiteral("normalization"), QStringLiteral("init")});
        circles.setEpochs(20);
        const int c = circles.addCurve(QStringLiteral("Kaiming normal"), Qt::darkGreen);
        circles.setCurveKeys(c, {QStringLiteral("standard"), QStringLiteral("kaiming_normal")});
        QVector<float> loss;
        for (int e = 0; e < 20; ++e)
            loss.append(0.7f / float(e + 1));
        circles.setCurveValues(c, loss);
        circles.refresh();

        dropout.setDataColumns({QStringLiteral("p")}, QStringLiteral("passes"), QStringLiteral("test_acc"), 0.01,
                               QStringLiteral("single"));
        dropout.setXRange(1, 50);
        const int d = dropout.addCurve(QStringLiteral("p = 0.5"), Qt::darkMagenta);
        dropout.setCurveKeys(d, {QStringLiteral("0.5")});
        dropout.setPoints(d, {{1, 80.0}, {5, 84.0}, {50, 86.0}});
        dropout.setCurveKeys(dropout.addReferenceLine(QStringLiteral("p = 0.5, one pass"), Qt::darkMagenta, 85.0),
                             {QStringLiteral("0.5")});
        dropout.refresh();

        BoundaryImage image;
        image.resolution = 8;
        image.xMin = 0;
        image.xMax = 20;
        image.yMin = 0;
        image.yMax = 20;
        for (int row = 0; row < 8; ++row)
            for (int col = 0; col < 8; ++col)
                image.probability.push_back(float(std::hypot(col - 3.5, row - 3.5) / 5.0));
        PointSet train;
        train.x = {10.f, 14.f, 6.f};
        train.y = {10.f, 10.f, 10.f};
        train.label = {0, 1, 1};
        boundary.setTitle(QStringLiteral("Standardized · Xavier uniform"));
        boundary.setPoints(train);
        boundary.setImage(image);
        cell.setTitle(QStringLiteral("Raw · Kaiming normal"));
        cell.setCaption(QStringLiteral("diverged at epoch 12"), Qt::red);
        cell.setPoints(train);
        cell.setImage(image);

        confusion.setMatrix({5, 1, 2, 7}, {QStringLiteral("T-shirt"), QStringLiteral("Trouser")});
        confusion.setTitle(QStringLiteral("Confusion matrix of p = 0.5"));

        for (QWidget* widget : std::initializer_list<QWidget*>{&layer, &circles, &dropout, &boundary, &confusion})
            widget->resize(500, 380);
    }

    ExportableFigure* byName(const QString& name)
    {
        if (name == QStringLiteral("layer"))
            return &layer;
        if (name == QStringLiteral("circles"))
            return &circles;
        if (name == QStringLiteral("dropout"))
            return &dropout;
        if (name == QStringLiteral("boundary"))
            return &boundary;
        if (name == QStringLiteral("cell"))
            return &cell;
        return &confusion;
    }

    LayerChart layer{QStringLiteral("Activation std per layer"), QStringLiteral("std of activations")};
    CirclesCurveChart circles{QStringLiteral("Training loss"), QStringLiteral("cross-entropy"),
                              CirclesCurveChart::Kind::Loss};
    DropoutChart dropout{QStringLiteral("Test accuracy of MC-dropout ensembles"), QStringLiteral("passes T"),
                         QStringLiteral("test accuracy (%)"), DropoutChart::XScale::Log};
    BoundaryCanvas boundary{false};
    BoundaryCanvas cell{true}; // a cell of the comparison grid
    ConfusionMatrixView confusion;
};


// The figures every format test runs over (the names of Figures::byName), and the compact canvas.
void addFigureRows()
{
    QTest::addColumn<QString>("figure");
    for (const char* name : {"layer", "circles", "dropout", "boundary", "cell", "confusion"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

// Dark: text, axes and curves; the grid and the colour map's pale middle are lighter.
bool isDark(QRgb pixel)
{
    return qGray(pixel) < 110;
}

int darkPixels(const QImage& image, const QRect& area)
{
    int count = 0;
    const QRect inside = area.intersected(image.rect());
    for (int y = inside.top(); y <= inside.bottom(); ++y)
        for (int x = inside.left(); x <= inside.right(); ++x)
            if (isDark(image.pixel(x, y)))
                ++count;
    return count;
}

// The figures compared across screen dpis. The confusion matrix is left out: it still lays its
// text out with the widget's font metrics (the screen's dpi) and grows on a 144-dpi screen; it
// joins the list once it uses chartexport::printFont.
const QStringList kDpiFigures{QStringLiteral("layer"), QStringLiteral("circles"), QStringLiteral("dropout"),
                              QStringLiteral("boundary"), QStringLiteral("cell"), QStringLiteral("confusion")};
const PngSize kDpiCheckSize{8.0, 96};

} // namespace

class TestChartExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void imageFormats_data();
    void imageFormats();
    void pngSizeFollowsWidthAndDpi();
    void canvasFigureIgnoresTheDevicesResolution();
    void csvHasHeaderAndOneRowPerPoint_data();
    void csvHasHeaderAndOneRowPerPoint();
    void exportAllWritesEveryFile();
    void unwritableFolderLeavesNothingAndReports();
    void failedWriteLeavesNoHalfFile();
    void failuresNameTheFileAndTheSystemsReason();
    void chartsFollowADarkPaletteButExportsStayLight();
    void deepTabExportsBothPages();
    void copyPutsTheImageOnTheClipboard();
    void legendWrapsLongNames();
    void rightClickOffersEveryExport_data();
    void rightClickOffersEveryExport();
    void pdfShowsTitleAndPlot_data();
    void pdfShowsTitleAndPlot();
    void svgHasTheFiguresAspect_data();
    void svgHasTheFiguresAspect();
    void dropoutFigureNamesItsReferenceLines();
    void exportsLookTheSameAtAnyScreenDpi();
    void renderAtScreenDpi(); // the second process of exportsLookTheSameAtAnyScreenDpi

private:
    std::unique_ptr<Figures> m_figures;
    std::unique_ptr<QTemporaryDir> m_dir;
    QStringList m_reported;
};

void TestChartExport::initTestCase()
{
    registerMetaTypes();
    chartexport::setErrorHandler([this](QWidget*, const QString& message) { m_reported << message; });
}

void TestChartExport::init()
{
    m_figures = std::make_unique<Figures>();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // For looking at the files: INITLAB_KEEP_EXPORTS=1 keeps them and says where they are.
    if (qEnvironmentVariableIsSet("INITLAB_KEEP_EXPORTS")) {
        m_dir->setAutoRemove(false);
        qInfo("exports in %s", qPrintable(m_dir->path()));
    }
    m_reported.clear();
    chartexport::clearLastError();
}

void TestChartExport::cleanup()
{
    m_figures.reset();
    m_dir.reset();
}

void TestChartExport::imageFormats_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<QString>("text"); // drawn by the chart itself (not only in the file's metadata)
    QTest::newRow("layer chart") << QStringLiteral("layer") << QStringLiteral("std of activations");
    QTest::newRow("circles chart") << QStringLiteral("circles") << QStringLiteral("cross-entropy");
    QTest::newRow("dropout chart") << QStringLiteral("dropout") << QStringLiteral("passes T");
    QTest::newRow("boundary canvas") << QStringLiteral("boundary") << QStringLiteral("P(class 1)");
    QTest::newRow("confusion matrix") << QStringLiteral("confusion") << QStringLiteral("predicted class");
}

void TestChartExport::imageFormats()
{
    QFETCH(QString, figure);
    QFETCH(QString, text);
    ExportableFigure* f = m_figures->byName(figure);
    QString error;

    const QString png = m_dir->filePath(QStringLiteral("f.png"));
    QVERIFY2(chartexport::exportFigure(*f, Format::Png, png, PngSize{8.0, 150}, &error), qPrintable(error));
    const QByteArray pngBytes = readAll(png);
    QVERIFY(pngBytes.startsWith("\x89PNG\r\n\x1a\n"));
    QImage image;
    QVERIFY(image.loadFromData(pngBytes, "PNG"));
    QVERIFY(!image.isNull());

    const QString svg = m_dir->filePath(QStringLiteral("f.svg"));
    QVERIFY2(chartexport::exportFigure(*f, Format::Svg, svg, PngSize(), &error), qPrintable(error));
    const QByteArray svgBytes = readAll(svg);
    QVERIFY(svgBytes.contains("<svg"));
    QVERIFY2(svgBytes.contains(f->figureTitle().toUtf8()), qPrintable(f->figureTitle()));
    QVERIFY2(svgBytes.contains(text.toUtf8()), qPrintable(text));
    QSvgRenderer renderer(svgBytes);
    QVERIFY(renderer.isValid());

    const QString pdf = m_dir->filePath(QStringLiteral("f.pdf"));
    QVERIFY2(chartexport::exportFigure(*f, Format::Pdf, pdf, PngSize(), &error), qPrintable(error));
    const QByteArray pdfBytes = readAll(pdf);
    QVERIFY(pdfBytes.startsWith("%PDF"));
    QVERIFY(pdfBytes.size() > 1000);
}

void TestChartExport::pngSizeFollowsWidthAndDpi()
{
    // 16 cm at 300 dpi is 1890 pixels wide; the height follows the figure's aspect.
    const QImage image = chartexport::renderImage(m_figures->layer, PngSize{16.0, 300});
    QCOMPARE(image.width(), 1890);
    QCOMPARE(image.height(), int(std::lround(1890 * m_figures->layer.figureAspect())));
    QCOMPARE(image.dotsPerMeterX(), int(std::lround(300 / 0.0254)));
    const QImage small = chartexport::renderImage(m_figures->layer, PngSize{10.0, 96});
    QCOMPARE(small.width(), int(std::lround(10.0 / 2.54 * 96)));
}

void TestChartExport::canvasFigureIgnoresTheDevicesResolution()
{
    // The canvas is carried through a QPicture; a device of another resolution (a 300 dpi PDF, a
    // high-DPI screen) must get the same figure, not one scaled by the ratio of the two.
    const auto render = [this](int dpi) {
        QImage image(400, 360, QImage::Format_ARGB32);
        image.setDotsPerMeterX(int(std::lround(dpi / 0.0254)));
        image.setDotsPerMeterY(int(std::lround(dpi / 0.0254)));
        image.fill(Qt::white);
        QPainter painter(&image);
        m_figures->boundary.renderFigure(painter, QRectF(0, 0, 400, 360));
        return image;
    };
    const QImage normal = render(96);
    const QImage dense = render(300);
    int differing = 0;
    for (int y = 0; y < normal.height(); y += 4)
        for (int x = 0; x < normal.width(); x += 4)
            if (normal.pixel(x, y) != dense.pixel(x, y))
                ++differing;
    QVERIFY2(differing < (normal.width() / 4) * (normal.height() / 4) / 10, qPrintable(QString::number(differing)));
}

void TestChartExport::csvHasHeaderAndOneRowPerPoint_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<QString>("header");
    QTest::addColumn<int>("rows");
    // The layer chart lists its zeros too (the note names them): 5 + 5 values.
    QTest::newRow("layer chart") << QStringLiteral("layer") << QStringLiteral("init,activation,layer,value,series") << 10;
    QTest::newRow("circles chart") << QStringLiteral("circles") << QStringLiteral("normalization,init,epoch,value") << -1;
    // Three points and the one-pass line as passes "single".
    QTest::newRow("dropout chart") << QStringLiteral("dropout") << QStringLiteral("p,passes,test_acc") << 4;
    QTest::newRow("boundary canvas") << QStringLiteral("boundary") << QStringLiteral("x,y,p_class1") << 64;
    QTest::newRow("confusion matrix") << QStringLiteral("confusion") << QStringLiteral("true,predicted,count") << 4;
}

void TestChartExport::csvHasHeaderAndOneRowPerPoint()
{
    QFETCH(QString, figure);
    QFETCH(QString, header);
    QFETCH(int, rows);
    if (rows < 0)
        rows = m_figures->circles.plottedPointCount(0);
    QString error;
    const QString path = m_dir->filePath(QStringLiteral("data.csv"));
    QVERIFY2(chartexport::exportFigure(*m_figures->byName(figure), Format::Csv, path, PngSize(), &error),
             qPrintable(error));
    const QStringList lines = csvLines(path);
    QVERIFY(!lines.isEmpty());
    QCOMPARE(lines.first(), header);
    QCOMPARE(lines.size() - 1, rows);
    for (const QString& line : lines)
        QCOMPARE(line.count(QLatin1Char(',')), header.count(QLatin1Char(',')));
}

void TestChartExport::exportAllWritesEveryFile()
{
    const QList<NamedFigure> figures{{QStringLiteral("deep_activation_std"), &m_figures->layer},
                                     {QStringLiteral("circles_boundary_standard_xavier_uniform"), &m_figures->boundary},
                                     {QStringLiteral("dropout_ensemble_accuracy"), &m_figures->dropout},
                                     {QStringLiteral("circles_train_loss_standard"), &m_figures->circles},
                                     {QStringLiteral("dropout_confusion_matrix"), &m_figures->confusion},
                                     {QStringLiteral("circles_boundary_raw_kaiming_normal"), &m_figures->cell}};
    QStringList written;
    QString error;
    QVERIFY2(chartexport::exportAll(figures, m_dir->path(), &written, &error), qPrintable(error));
    QStringList expected;
    for (const NamedFigure& f : figures)
        for (const char* extension : {".png", ".svg", ".pdf", ".csv"})
            expected << f.baseName + QLatin1String(extension);
    expected << QStringLiteral("circles_boundary_standard_xavier_uniform_points.csv")
             << QStringLiteral("circles_boundary_raw_kaiming_normal_points.csv");
    expected.sort();
    QStringList files = QDir(m_dir->path()).entryList(QDir::Files);
    files.sort();
    QCOMPARE(files, expected);
    QCOMPARE(written.size(), expected.size());
    QCOMPARE(csvLines(m_dir->filePath(QStringLiteral("circles_boundary_standard_xavier_uniform_points.csv"))).size(),
             1 + 3);
    // Printed-page default: 16 cm at 300 dpi.
    QImage png(m_dir->filePath(QStringLiteral("deep_activation_std.png")));
    QCOMPARE(png.width(), 1890);
}

void TestChartExport::unwritableFolderLeavesNothingAndReports()
{
    // A regular file where the folder should be: no write can succeed, even as root.
    const QString notAFolder = m_dir->filePath(QStringLiteral("plain-file"));
    {
        QFile file(notAFolder);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x");
    }
    const QList<NamedFigure> figures{{QStringLiteral("deep_activation_std"), &m_figures->layer}};
    QString error;
    QVERIFY(!chartexport::exportAll(figures, notAFolder, nullptr, &error));
    QVERIFY(error.contains(QDir::toNativeSeparators(notAFolder)));
    const QString inside = notAFolder + QStringLiteral("/sub");
    QVERIFY(!chartexport::exportAll(figures, inside, nullptr, &error));
    QVERIFY(!chartexport::exportFigure(m_figures->layer, Format::Png, inside + QStringLiteral("/a.png"), PngSize(),
                                       &error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(inside)), qPrintable(error));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("plain-file")});
    QCOMPARE(readAll(notAFolder), QByteArray("x"));

    // The GUI reports through the handler; the app goes on.
    chartexport::reportError(nullptr, error);
    QCOMPARE(m_reported, QStringList{error});
    QCOMPARE(chartexport::lastError(), error);
}

void TestChartExport::failedWriteLeavesNoHalfFile()
{
    // Export all stops at the first file it cannot write and removes what it wrote before: here
    // the second figure's PNG is blocked by a folder of that name.
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("second.png")));
    const QList<NamedFigure> figures{{QStringLiteral("first"), &m_figures->layer},
                                     {QStringLiteral("second"), &m_figures->dropout}};
    QString error;
    QVERIFY(!chartexport::exportAll(figures, m_dir->path(), nullptr, &error));
    QVERIFY2(error.contains(QStringLiteral("second.png")), qPrintable(error));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList());
    // An existing file survives a failed overwrite untouched.
    const QString existing = m_dir->filePath(QStringLiteral("keep.csv"));
    QVERIFY(chartexport::writeFileAtomically(existing, "old\n", &error));
    QVERIFY(!chartexport::writeFileAtomically(m_dir->filePath(QStringLiteral("second.png")), "new", &error));
    QCOMPARE(readAll(existing), QByteArray("old\n"));
}

void TestChartExport::failuresNameTheFileAndTheSystemsReason()
{
    // A folder that is a regular file: the system says "Not a directory".
    const QString notAFolder = m_dir->filePath(QStringLiteral("plain-file"));
    QVERIFY(chartexport::writeFileAtomically(notAFolder, "x", nullptr));
    const QString inside = QDir::toNativeSeparators(notAFolder + QStringLiteral("/deep_activation_std.png"));
    QString error;
    QVERIFY(!chartexport::exportFigure(m_figures->layer, Format::Png, inside, PngSize(), &error));
    QVERIFY2(error.contains(inside), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("Not a directory")), qPrintable(error));
    QVERIFY2(!error.contains(QStringLiteral("Unknown error")), qPrintable(error));
    // Export all checks its folder first.
    const QList<NamedFigure> layer{{QStringLiteral("deep_activation_std"), &m_figures->layer}};
    QVERIFY(!chartexport::exportAll(layer, notAFolder, nullptr, &error));
    QCOMPARE(error,
             QStringLiteral("Could not write into %1: it is not a folder.").arg(QDir::toNativeSeparators(notAFolder)));
    const QString missing = m_dir->filePath(QStringLiteral("missing"));
    QVERIFY(!chartexport::exportAll(layer, missing, nullptr, &error));
    QCOMPARE(error,
             QStringLiteral("Could not write into %1: there is no such folder.").arg(QDir::toNativeSeparators(missing)));

    // A disk that fills up during a write, as far as the process can tell: a limit on the size of
    // the files it writes (RLIMIT_FSIZE; the signal it raises ignored, so write() fails with
    // EFBIG). The write gets partway, as on a full disk, and QSaveFile said "Unknown error".
    rlimit old{};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = 4096;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
    const QString big = m_dir->filePath(QStringLiteral("big.csv"));
    const bool bigWritten = chartexport::writeFileAtomically(big, QByteArray(100000, 'x'), &error);
    const QString bigError = error;
    const QString folder = m_dir->filePath(QStringLiteral("figures"));
    QDir().mkpath(folder);
    QStringList written;
    const bool allWritten = chartexport::exportAll(layer, folder, &written, &error);
    const QString allError = error;
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, oldHandler);

    QVERIFY(!bigWritten);
    QVERIFY2(bigError.contains(QDir::toNativeSeparators(big)), qPrintable(bigError));
    QVERIFY2(bigError.contains(QStringLiteral("File too large")), qPrintable(bigError));
    QVERIFY(!QFileInfo::exists(big));
    QVERIFY(!allWritten);
    const QString png = QDir::toNativeSeparators(QDir(folder).filePath(QStringLiteral("deep_activation_std.png")));
    QVERIFY2(allError.contains(png), qPrintable(allError));
    QVERIFY2(allError.contains(QStringLiteral("File too large")), qPrintable(allError));
    QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList());
}

void TestChartExport::chartsFollowADarkPaletteButExportsStayLight()
{
    const QPalette dark = darkPalette();
    const QColor darkBase = dark.color(QPalette::Base);
    m_figures->layer.setPalette(dark);
    m_figures->boundary.setPalette(dark);
    m_figures->dropout.setPalette(dark);
    QCOMPARE(m_figures->layer.chart()->backgroundBrush().color(), darkBase);
    QCOMPARE(m_figures->dropout.chart()->backgroundBrush().color(), darkBase);
    QCOMPARE(m_figures->layer.chart()->titleBrush().color(), dark.color(QPalette::Text));
    // The canvas (QCustomPlot) paints its background from the palette too.
    QTest::qWait(50); // its replot is queued
    QCOMPARE(m_figures->boundary.plotWidget()->grab().toImage().pixelColor(3, 3), darkBase);

    // Exported: white background; afterwards the chart is dark again.
    const QImage image = chartexport::renderImage(m_figures->layer, PngSize{8.0, 96});
    QCOMPARE(image.pixelColor(2, 2), QColor(Qt::white));
    QCOMPARE(m_figures->layer.chart()->backgroundBrush().color(), darkBase);
    const QImage canvas = chartexport::renderImage(m_figures->boundary, PngSize{8.0, 96});
    QCOMPARE(canvas.pixelColor(2, 2), QColor(Qt::white));
    QTest::qWait(50);
    QCOMPARE(m_figures->boundary.plotWidget()->grab().toImage().pixelColor(3, 3), darkBase);

    // Back to light when the palette changes again.
    m_figures->layer.setPalette(chartexport::printPalette());
    QCOMPARE(m_figures->layer.chart()->backgroundBrush().color(), QColor(Qt::white));
}

void TestChartExport::deepTabExportsBothPages()
{
    WorkerThread<DeepWorker> thread;
    {
        DeepPanel panel(thread.worker());
        panel.setDepth(4);
        panel.setWidth(16);
        panel.setBatch(32);
        panel.resize(1200, 800);
        panel.show();
        QSignalSpy finished(&panel, &DeepPanel::runFinished);
        QVERIFY(panel.run({Combination{InitScheme::XavierUniform, Activation::Tanh}}));
        QVERIFY(finished.wait(kTimeoutMs));

        const QList<NamedFigure> figures = panel.exportFigures();
        QCOMPARE(figures.size(), 4 + 6); // Statistics and Distributions
        LayerChart* stdChart = panel.figures()->chart(DeepFigures::Chart::ActivationStd);
        QTest::qWait(50);
        const QImage before = stdChart->grab().toImage();
        QString error;
        QVERIFY2(chartexport::exportAll(figures, m_dir->path(), nullptr, &error), qPrintable(error));
        // The charts on screen are as they were: size, colours, no legend of their own.
        QTest::qWait(50);
        QCOMPARE(stdChart->grab().toImage(), before);
        for (const char* name : {"deep_activation_mean", "deep_activation_std", "deep_gradient_mean", "deep_gradient_std",
                                 "deep_activation_density", "deep_activation_histograms", "deep_pre_grad_density",
                                 "deep_pre_grad_histograms", "deep_saturated_fraction", "deep_zero_fraction"})
            for (const char* extension : {".png", ".svg", ".pdf", ".csv"})
                QVERIFY2(QFile::exists(m_dir->filePath(QLatin1String(name) + QLatin1String(extension))), name);
        const QStringList lines = csvLines(m_dir->filePath(QStringLiteral("deep_activation_std.csv")));
        QCOMPARE(lines.first(), QStringLiteral("init,activation,layer,value,series"));
        QCOMPARE(lines.size(), 1 + 4);
        const QStringList density = csvLines(m_dir->filePath(QStringLiteral("deep_activation_density.csv")));
        QCOMPARE(density.first(), QStringLiteral("layer,bin_low,bin_high,fraction"));
        QCOMPARE(density.size(), 1 + 4 * kHistogramBins);
        QVERIFY(lines.at(1).startsWith(QStringLiteral("xavier_uniform,tanh,1,")));
        QVERIFY(lines.at(1).endsWith(QStringLiteral(",measured")));
        // The shared legend is not on the figure: the figure draws one of its own, off screen.
        QVERIFY(readAll(m_dir->filePath(QStringLiteral("deep_activation_std.svg"))).contains("Xavier uniform + tanh"));
        QVERIFY(!stdChart->chart()->legend()->isVisible());
    }
    QVERIFY(thread.stop(kTimeoutMs));
}

void TestChartExport::legendWrapsLongNames()
{
    // The report's seven names do not fit one row of a 16 cm figure: the legend takes more rows
    // rather than cutting names.
    const QFont font = m_figures->layer.font();
    const double line = QFontMetricsF(font).lineSpacing();
    QList<chartexport::LegendEntry> entries{{QStringLiteral("Original heuristic + tanh"), Qt::blue}};
    QCOMPARE(chartexport::legendHeight(entries, 605.0, font), line + 4.0);
    for (const char* name : {"Xavier uniform + tanh", "Xavier normal + tanh", "Xavier uniform + ReLU",
                             "Xavier normal + ReLU", "Kaiming uniform + ReLU", "Kaiming normal + ReLU"})
        entries.append({QLatin1String(name), Qt::red});
    QVERIFY(chartexport::legendHeight(entries, 605.0, font) >= 2 * line + 4.0);
    QCOMPARE(chartexport::legendHeight({}, 605.0, font), 0.0);
}

void TestChartExport::copyPutsTheImageOnTheClipboard()
{
    QApplication::clipboard()->clear();
    chartexport::copyToClipboard(m_figures->dropout);
    const QImage image = QApplication::clipboard()->image();
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), int(std::lround(16.0 / 2.54 * 150)));
}

void TestChartExport::rightClickOffersEveryExport_data()
{
    QTest::addColumn<QString>("figure");
    QTest::newRow("layer chart") << QStringLiteral("layer");
    QTest::newRow("circles chart") << QStringLiteral("circles");
    QTest::newRow("dropout chart") << QStringLiteral("dropout");
    QTest::newRow("boundary canvas") << QStringLiteral("boundary");
    QTest::newRow("confusion matrix") << QStringLiteral("confusion");
}

void TestChartExport::rightClickOffersEveryExport()
{
    QFETCH(QString, figure);
    auto* widget = dynamic_cast<QWidget*>(m_figures->byName(figure));
    QVERIFY(widget);
    widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget));
    // The menu sits on the chart's view (or the canvas's plot): the widget under the mouse.
    QWidget* target = widget->childAt(widget->rect().center());
    if (!target)
        target = widget;
    while (target != widget && target->contextMenuPolicy() != Qt::CustomContextMenu)
        target = target->parentWidget();
    QCOMPARE(target->contextMenuPolicy(), Qt::CustomContextMenu);
    QStringList texts;
    QTimer::singleShot(0, this, [&texts] {
        if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
            for (QAction* action : menu->actions())
                if (!action->isSeparator())
                    texts << action->text().remove(QLatin1Char('&'));
            menu->close();
        }
    });
    Q_EMIT target->customContextMenuRequested(target->rect().center());
    QCOMPARE(texts, (QStringList{QStringLiteral("Save as PNG…"), QStringLiteral("Save as SVG…"),
                                 QStringLiteral("Save as PDF…"), QStringLiteral("Save data as CSV…"),
                                 QStringLiteral("Copy image")}));
}

void TestChartExport::pdfShowsTitleAndPlot_data()
{
    addFigureRows();
}

void TestChartExport::pdfShowsTitleAndPlot()
{
    // What a reader of the PDF sees: pdftoppm draws the page as an image.
    QFETCH(QString, figure);
    const QString pdftoppm = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
    QVERIFY2(!pdftoppm.isEmpty(),
             "pdftoppm was not found: it is a declared test dependency (Debian package poppler-utils, "
             "packaging/debian-packages.txt)");
    ExportableFigure* f = m_figures->byName(figure);
    const QString pdf = m_dir->filePath(QStringLiteral("f.pdf"));
    QString error;
    QVERIFY2(chartexport::exportFigure(*f, Format::Pdf, pdf, PngSize(), &error), qPrintable(error));
    QProcess process;
    // 60 dpi is enough to see text and lines and keeps the test fast.
    process.start(pdftoppm, {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("60"),
                             QStringLiteral("-singlefile"), pdf, m_dir->filePath(QStringLiteral("page"))});
    QVERIFY2(process.waitForFinished(30000), "pdftoppm did not finish");
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
             qPrintable(QString::fromLocal8Bit(process.readAllStandardError())));
    QImage page(m_dir->filePath(QStringLiteral("page.png")));
    QVERIFY2(!page.isNull(), "pdftoppm wrote no readable image");
    page = page.convertToFormat(QImage::Format_RGB32);

    // The page has the figure's aspect (a pixel of rounding either way).
    const double aspect = double(page.height()) / page.width();
    QVERIFY2(std::abs(aspect - f->figureAspect()) < 2.0 / page.width() + 0.01,
             qPrintable(QStringLiteral("page %1 x %2, aspect %3, figure's %4")
                            .arg(page.width())
                            .arg(page.height())
                            .arg(aspect)
                            .arg(f->figureAspect())));
    // Not blank: a good part of the page is drawn on.
    int drawn = 0;
    for (int y = 0; y < page.height(); ++y)
        for (int x = 0; x < page.width(); ++x)
            if (qGray(page.pixel(x, y)) < 245)
                ++drawn;
    QVERIFY2(drawn > page.width() * page.height() / 50, qPrintable(QString::number(drawn)));
    // Text of the title in the top band, text or lines in the plot's middle band.
    const int titleBand = std::max(8, page.height() / 12);
    const int title = darkPixels(page, QRect(0, 0, page.width(), titleBand));
    QVERIFY2(title > 20, qPrintable(QStringLiteral("%1 dark pixels in the title band").arg(title)));
    const int plot = darkPixels(page, QRect(0, page.height() / 4, page.width(), page.height() / 2));
    QVERIFY2(plot > 100, qPrintable(QStringLiteral("%1 dark pixels in the plot").arg(plot)));
}

void TestChartExport::svgHasTheFiguresAspect_data()
{
    addFigureRows();
}

void TestChartExport::svgHasTheFiguresAspect()
{
    QFETCH(QString, figure);
    ExportableFigure* f = m_figures->byName(figure);
    QSvgRenderer renderer(chartexport::renderSvg(*f));
    QVERIFY(renderer.isValid());
    const QRectF box = renderer.viewBoxF();
    QVERIFY(box.width() > 0);
    QVERIFY2(std::abs(box.height() / box.width() - f->figureAspect()) < 1e-3,
             qPrintable(QStringLiteral("view box %1 x %2, figure's aspect %3")
                            .arg(box.width())
                            .arg(box.height())
                            .arg(f->figureAspect())));
    QCOMPARE(renderer.defaultSize().isEmpty(), false);
}

void TestChartExport::dropoutFigureNamesItsReferenceLines()
{
    // On screen the tab's note explains the dashed lines; the figure has no note, so its legend
    // names them.
    const QByteArray svg = chartexport::renderSvg(m_figures->dropout);
    QVERIFY(svg.contains("p = 0.5, one pass"));
}

void TestChartExport::exportsLookTheSameAtAnyScreenDpi()
{
    // Text measured at the screen's dpi made the figures of a 144-dpi screen (fonts in points, Qt
    // Charts' and QCustomPlot's layouts, QPicture, a chart layout's margins) differ from those of a
    // 96-dpi one. A second process renders the figures on a 144-dpi offscreen screen.
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("QT_ENABLE_HIGHDPI_SCALING"), QStringLiteral("0"));
    environment.insert(QStringLiteral("QT_FONT_DPI"), QStringLiteral("144"));
    environment.insert(QStringLiteral("INITLAB_DPI_CHECK_DIR"), m_dir->path());
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("renderAtScreenDpi")});
    QVERIFY2(child.waitForFinished(kTimeoutMs), "the 144-dpi process did not finish");
    const QString output = QString::fromLocal8Bit(child.readAll());
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, qPrintable(output));

    for (const QString& name : kDpiFigures) {
        const QImage here = chartexport::renderImage(*m_figures->byName(name), kDpiCheckSize)
                                .convertToFormat(QImage::Format_RGB32);
        const QImage there
            = QImage(m_dir->filePath(name + QStringLiteral(".png"))).convertToFormat(QImage::Format_RGB32);
        QVERIFY2(!there.isNull(), qPrintable(name + QStringLiteral(": no image from the 144-dpi process\n") + output));
        QCOMPARE(there.size(), here.size());
        // Text 1.5 times too large, or a plot laid out for it, changes thousands of pixels; the
        // tolerance is for anti-aliasing only.
        int differing = 0;
        for (int y = 0; y < here.height(); ++y)
            for (int x = 0; x < here.width(); ++x)
                if (std::abs(qGray(here.pixel(x, y)) - qGray(there.pixel(x, y))) > 64)
                    ++differing;
        QVERIFY2(differing < here.width() * here.height() / 500,
                 qPrintable(QStringLiteral("%1: %2 of %3 pixels differ between 96 and 144 dpi")
                                .arg(name)
                                .arg(differing)
                                .arg(here.width() * here.height())));
    }
}

void TestChartExport::renderAtScreenDpi()
{
    const QString folder = qEnvironmentVariable("INITLAB_DPI_CHECK_DIR");
    if (folder.isEmpty())
        QSKIP("runs in the second process of exportsLookTheSameAtAnyScreenDpi");
    QCOMPARE(QGuiApplication::primaryScreen()->logicalDotsPerInchY(), 144.0);
    for (const QString& name : kDpiFigures) {
        ExportableFigure* figure = m_figures->byName(name);
        // Twice: the first export's replot on screen leaves state (margins, caches) made with the
        // screen's fonts, which the second must not pick up.
        chartexport::renderImage(*figure, kDpiCheckSize);
        const QString path = QDir(folder).filePath(name + QStringLiteral(".png"));
        QVERIFY(chartexport::renderImage(*figure, kDpiCheckSize).save(path));
    }
}

QTEST_MAIN(TestChartExport)
#include "tst_chartexport.moc"
