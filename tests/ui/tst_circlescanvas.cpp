// BoundaryCanvas without a run: the 0.5 contour traced by marching squares on hand-made images
// (a ring closes, a half plane crosses, nothing where nothing crosses, NaN is skipped), and the
// normalized view maps the axes with the model's NormalizationMap.

#include "figures/boundarycanvas.h"
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
    void ringGivesOneClosedLineOnTheRadius();
    void halfPlaneGivesOneOpenLineAcross();
    void noCrossingNoLine();
    void nanCellsAreSkipped();
    void canvasCountsImagesAndDrawsTheContour();
    void normalizedSpaceMapsTheAxes();
};

void TestCirclesCanvas::ringGivesOneClosedLineOnTheRadius()
{
    // P(class 1) rises across the circle of radius 3 around (5, 5): outside is class 1.
    const BoundaryImage image
        = imageOf(40, [](double x, double y) { return logistic(4.0 * (std::hypot(x - 5.0, y - 5.0) - 3.0)); });
    const QList<QPolygonF> lines = BoundaryCanvas::contourLines(image);
    QCOMPARE(lines.size(), 1);
    const QPolygonF& ring = lines.first();
    QVERIFY(ring.size() > 20);
    QCOMPARE(ring.first(), ring.last()); // closed
    for (const QPointF& p : ring)
        QVERIFY2(std::abs(std::hypot(p.x() - 5.0, p.y() - 5.0) - 3.0) < 0.05,
                 qPrintable(QStringLiteral("(%1, %2)").arg(p.x()).arg(p.y())));
}

void TestCirclesCanvas::halfPlaneGivesOneOpenLineAcross()
{
    // Linear in x, so the interpolated crossing is exact.
    const BoundaryImage image = imageOf(16, [](double x, double) { return float(0.5 + (x - 4.2) / 20.0); });
    const QList<QPolygonF> lines = BoundaryCanvas::contourLines(image);
    QCOMPARE(lines.size(), 1);
    const QPolygonF& line = lines.first();
    // From the first row of cell centres to the last, at x = 4.2.
    QCOMPARE(line.size(), 16);
    for (const QPointF& p : line)
        INITLAB_COMPARE_REL(p.x(), 4.2, 1e-4);
    const double lowest = std::min(line.first().y(), line.last().y());
    const double highest = std::max(line.first().y(), line.last().y());
    INITLAB_COMPARE_REL(lowest, 10.0 / 32, 1e-9);
    INITLAB_COMPARE_REL(highest, 10.0 - 10.0 / 32, 1e-9);
}

void TestCirclesCanvas::noCrossingNoLine()
{
    QVERIFY(BoundaryCanvas::contourLines(imageOf(8, [](double, double) { return 0.2f; })).isEmpty());
    QVERIFY(BoundaryCanvas::contourLines(imageOf(8, [](double, double) { return 0.9f; })).isEmpty());
    BoundaryImage broken = imageOf(8, [](double x, double) { return float(x / 10); });
    broken.probability.pop_back(); // wrong size: drawn as nothing, not a crash
    QVERIFY(BoundaryCanvas::contourLines(broken).isEmpty());
}

void TestCirclesCanvas::nanCellsAreSkipped()
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    QVERIFY(BoundaryCanvas::contourLines(imageOf(8, [nan](double, double) { return nan; })).isEmpty());
    // NaN in the left half: the crossing at x = 7 is still traced.
    const BoundaryImage half
        = imageOf(20, [nan](double x, double) { return x < 5.0 ? nan : float(0.5 + (x - 7.0) / 20.0); });
    const QList<QPolygonF> lines = BoundaryCanvas::contourLines(half);
    QCOMPARE(lines.size(), 1);
    for (const QPointF& p : lines.first())
        INITLAB_COMPARE_REL(p.x(), 7.0, 1e-4);
}

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

QTEST_MAIN(TestCirclesCanvas)
#include "tst_circlescanvas.moc"
