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
    void exportBatchGivesTheSameFiles();
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

// Export all keeps the plot's drawing between the PNG, SVG and PDF of one figure: the files must be
// the ones drawing each afresh gives.
void TestCirclesCanvas::exportBatchGivesTheSameFiles()
{
    BoundaryCanvas canvas;
    canvas.resize(400, 400);
    canvas.setImage(imageOf(24, [](double x, double y) { return logistic(3.0 * (std::hypot(x - 5.0, y - 5.0) - 2.0)); }));
    const PngSize size{8.0, 150};
    const QByteArray png = chartexport::renderPng(canvas, size);
    const QByteArray svg = chartexport::renderSvg(canvas);
    const QImage pdfPage = chartexport::renderImage(canvas, size);

    canvas.beginExportBatch();
    const QByteArray batchPng = chartexport::renderPng(canvas, size);
    const QByteArray batchSvg = chartexport::renderSvg(canvas);
    const QImage batchPage = chartexport::renderImage(canvas, size);
    QVERIFY(!chartexport::renderPdf(canvas).isEmpty());
    canvas.endExportBatch();
    QVERIFY(!png.isEmpty() && !svg.isEmpty());
    QVERIFY(batchPng == png);
    QVERIFY(batchSvg == svg);
    QCOMPARE(batchPage, pdfPage);

    // After the batch the canvas draws what it shows now, not the kept drawing.
    canvas.setImage(imageOf(24, [](double, double) { return 0.9f; }));
    QVERIFY(chartexport::renderPng(canvas, size) != png);
}

QTEST_MAIN(TestCirclesCanvas)
#include "tst_circlescanvas.moc"
