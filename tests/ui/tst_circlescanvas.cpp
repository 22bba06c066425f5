// BoundaryCanvas without a run: it counts the images it shows and draws the contour the tracer
// gives (the tracer itself is tst_contour's), and the normalized view maps the axes with the
// model's NormalizationMap.

#include "figures/boundarycanvas.h"
#include "figures/contour.h"
#include "tolerance.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <functional>
#include <limits>
#include <thread>

using namespace initlab;
using namespace initlab::ui;

namespace {

// An image over [0, 10]^2 whose cells hold f(x, y) at their centres.
BoundaryImage imageOf(int resolution, const std::function<float(double, double)>& f)
{
    BoundaryImage image;
    image.resolution = resolution;
    image.xMin = 0.0;
    image.xMax = 10.0;
    image.yMin = 0.0;
    image.yMax = 10.0;
    const double step = 10.0 / resolution;
    for (int row = 0; row < resolution; ++row)
        for (int col = 0; col < resolution; ++col)
            image.probability.push_back(f((col + 0.5) * step, (row + 0.5) * step));
    return image;
}

float logistic(double t)
{
    return float(1.0 / (1.0 + std::exp(-t)));
}

} // namespace

class TestCirclesCanvas : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void canvasCountsImagesAndDrawsTheContour();
    void normalizedSpaceMapsTheAxes();
    void drawingReplaysOnAnotherThread();
    void aNewImageRedrawsOnlyItsLayerAndLooksTheSame();
};

void TestCirclesCanvas::canvasCountsImagesAndDrawsTheContour()
{
    BoundaryCanvas canvas;
    canvas.resize(400, 400);
    canvas.show();
    QVERIFY(QTest::qWaitForWindowExposed(&canvas));
    QSignalSpy shown(&canvas, &BoundaryCanvas::imageShown);
    QVERIFY(!canvas.hasImage());
    const BoundaryImage ring
        = imageOf(24, [](double x, double y) { return logistic(3.0 * (std::hypot(x - 5.0, y - 5.0) - 2.0)); });
    canvas.setImage(ring);
    canvas.setImage(ring);
    QCOMPARE(shown.count(), 2);
    QCOMPARE(canvas.updateCount(), 2);
    QVERIFY(canvas.hasImage());
    QCOMPARE(canvas.contourLineCount(), 1);
    canvas.setImage(imageOf(24, [](double, double) { return 0.1f; }));
    QCOMPARE(canvas.contourLineCount(), 0);
    canvas.clearImage();
    QVERIFY(!canvas.hasImage());
    QCOMPARE(canvas.updateCount(), 3);
}

void TestCirclesCanvas::normalizedSpaceMapsTheAxes()
{
    BoundaryCanvas canvas;
    canvas.setImage(imageOf(8, [](double x, double) { return float(x / 10); }));
    QCOMPARE(canvas.shownBounds(), QRectF(0, 0, 10, 10));
    NormalizationMap map;
    map.mode = Normalization::Scaled;
    map.meanX = 5.0;
    map.meanY = 4.0;
    map.stdX = 2.0;
    map.stdY = 4.0;
    map.factor = 0.01;
    canvas.setNormalization(map);
    QCOMPARE(canvas.shownBounds(), QRectF(0, 0, 10, 10)); // still input space
    canvas.setSpace(BoundaryCanvas::Space::Normalized);
    const QRectF shown = canvas.shownBounds();
    INITLAB_COMPARE_REL(shown.left(), -0.025, 1e-9);
    INITLAB_COMPARE_REL(shown.right(), 0.025, 1e-9);
    INITLAB_COMPARE_REL(shown.top(), -0.01, 1e-9);
    INITLAB_COMPARE_REL(shown.bottom(), 0.015, 1e-9);
    canvas.setSpace(BoundaryCanvas::Space::Input);
    QCOMPARE(canvas.shownBounds(), QRectF(0, 0, 10, 10));
}

// Export all takes a canvas's drawing on the GUI thread and replays it on a writer thread: the files
// must be the ones drawing the canvas directly gives, and show what the canvas showed when the
// drawing was taken.
void TestCirclesCanvas::drawingReplaysOnAnotherThread()
{
    BoundaryCanvas canvas;
    canvas.resize(400, 400);
    canvas.setImage(imageOf(24, [](double x, double y) { return logistic(3.0 * (std::hypot(x - 5.0, y - 5.0) - 2.0)); }));
    const PngSize size{8.0, 150};
    const QByteArray png = chartexport::renderPng(canvas, size);
    const QByteArray svg = chartexport::renderSvg(canvas);
    const QSizeF pngLogical = chartexport::logicalSize(canvas, size.widthCm);
    const QSizeF svgLogical = chartexport::logicalSize(canvas);
    const QString title = canvas.figureTitle();
    const std::shared_ptr<const FigureDrawing> pngDrawing = canvas.takeDrawing(pngLogical);
    const std::shared_ptr<const FigureDrawing> svgDrawing = canvas.takeDrawing(svgLogical);
    QVERIFY(pngDrawing && svgDrawing);
    canvas.setImage(imageOf(24, [](double, double) { return 0.9f; })); // changes after the drawing was taken

    QByteArray threadPng;
    QByteArray threadSvg;
    QImage threadImage;
    std::thread writer([&] {
        threadImage = chartexport::renderImage(*pngDrawing, pngLogical, size);
        threadPng = chartexport::encodePng(threadImage);
        threadSvg = chartexport::renderSvg(*svgDrawing, svgLogical, title);
    });
    writer.join();
    QVERIFY(!png.isEmpty() && !svg.isEmpty());
    QVERIFY(threadPng == png);
    QVERIFY(threadSvg == svg);
    // The colour map is in the SVG as an embedded image; the canvas itself now draws its new image.
    QVERIFY(threadSvg.contains("<image"));
    QCOMPARE(QImage::fromData(png).size(), threadImage.size());
    QVERIFY(chartexport::renderPng(canvas, size) != png);
}

// Playback gives every canvas a new image many times a second; when the square and the legend stay
// the same, only the map's layer (and a compact canvas's caption layer) is redrawn - no full
// replot - and the canvas looks exactly as one that drew the image from scratch.
void TestCirclesCanvas::aNewImageRedrawsOnlyItsLayerAndLooksTheSame()
{
    const BoundaryImage first
        = imageOf(24, [](double x, double y) { return logistic(3.0 * (std::hypot(x - 5.0, y - 5.0) - 2.0)); });
    const BoundaryImage second = imageOf(24, [](double x, double y) { return logistic(2.0 * (x + 0.5 * y - 7.0)); });
    PointSet points;
    for (int i = 0; i < 40; ++i) {
        points.x.push_back(float(5.0 + 3.0 * std::cos(i * 0.3)));
        points.y.push_back(float(5.0 + 3.0 * std::sin(i * 0.3)));
        points.label.push_back(i % 2);
    }
    for (const bool compact : {false, true}) {
        BoundaryCanvas played(compact), fresh(compact);
        for (BoundaryCanvas* canvas : {&played, &fresh}) {
            canvas->setTitle(QStringLiteral("Standardized · Xavier uniform"));
            canvas->setPoints(points);
            canvas->resize(compact ? 160 : 420, compact ? 160 : 420);
            canvas->show();
            QVERIFY(QTest::qWaitForWindowExposed(canvas));
        }
        played.setImage(first);
        played.setCaption(QStringLiteral("ep. 10"));
        QTest::qWait(50); // the queued full replot
        // QCustomPlot's header needs Qt's keywords, which the tests are built without: by name.
        QObject* plot = nullptr;
        for (QObject* child : played.findChildren<QWidget*>())
            if (child->inherits("QCustomPlot"))
                plot = child;
        QVERIFY(plot);
        QSignalSpy fullReplots(plot, SIGNAL(afterReplot()));
        played.setImage(second);
        played.setCaption(QStringLiteral("ep. 20"));
        fresh.setImage(second);
        fresh.setCaption(QStringLiteral("ep. 20"));
        QTest::qWait(50);
        QCOMPARE(fullReplots.count(), compact ? 0 : 1); // a full-size canvas's caption may change its layout
        QCOMPARE(played.contourLineCount(), fresh.contourLineCount());
        const QImage a = played.grab().toImage();
        const QImage b = fresh.grab().toImage();
        QCOMPARE(a.size(), b.size());
        QVERIFY2(a == b, compact ? "compact canvas differs" : "full-size canvas differs");
    }
}

QTEST_MAIN(TestCirclesCanvas)
#include "tst_circlescanvas.moc"
