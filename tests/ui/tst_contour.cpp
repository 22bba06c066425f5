// The one contour tracer (marching squares joined into polylines) on hand-made images: a ring
// closes on its radius, a half plane crosses from edge to edge, nothing where nothing crosses, NaN
// squares are skipped, the crossings are interpolated to the level asked for, and a saddle square
// is resolved by its centre.

#include "figures/contour.h"
#include "tolerance.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

using namespace initlab;
using namespace initlab::ui;

namespace {

// An image over [0, size]^2 whose cells hold f(x, y) at their centres.
BoundaryImage imageOf(int resolution, const std::function<float(double, double)>& f, double size = 10.0)
{
    BoundaryImage image;
    image.resolution = resolution;
    image.xMin = 0.0;
    image.xMax = size;
    image.yMin = 0.0;
    image.yMax = size;
    const double step = size / resolution;
    for (int row = 0; row < resolution; ++row)
        for (int col = 0; col < resolution; ++col)
            image.probability.push_back(f((col + 0.5) * step, (row + 0.5) * step));
    return image;
}

float logistic(double t)
{
    return float(1.0 / (1.0 + std::exp(-t)));
}

// A 3 × 3 image over [0, 3]² that is 1 in its middle cell and 0 elsewhere: its contour at level is
// a diamond around the middle sample (1.5, 1.5), the crossings 1 − level of a cell away from it.
BoundaryImage peak()
{
    return imageOf(3, [](double x, double y) { return x > 1.0 && x < 2.0 && y > 1.0 && y < 2.0 ? 1.0f : 0.0f; },
                   3.0);
}

QString pointsText(const QPolygonF& line)
{
    QStringList points;
    for (const QPointF& p : line)
        points << QStringLiteral("(%1, %2)").arg(p.x()).arg(p.y());
    return points.join(QLatin1Char(' '));
}

} // namespace

class TestContour : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ringGivesOneClosedLineOnTheRadius();
    void halfPlaneGivesOneOpenLineAcross();
    void noCrossingNoLine();
    void nanCellsAreSkipped();
    void peakGivesTheExpectedDiamond_data();
    void peakGivesTheExpectedDiamond();
    void nanCornerOpensTheDiamond();
    void saddleIsResolvedByItsCentre();
};

void TestContour::ringGivesOneClosedLineOnTheRadius()
{
    // P(class 1) rises across the circle of radius 3 around (5, 5): outside is class 1.
    const BoundaryImage image
        = imageOf(40, [](double x, double y) { return logistic(4.0 * (std::hypot(x - 5.0, y - 5.0) - 3.0)); });
    const QList<QPolygonF> lines = contourLines(image);
    QCOMPARE(lines.size(), 1);
    const QPolygonF& ring = lines.first();
    QVERIFY(ring.size() > 20);
    QCOMPARE(ring.first(), ring.last()); // closed
    for (const QPointF& p : ring)
        QVERIFY2(std::abs(std::hypot(p.x() - 5.0, p.y() - 5.0) - 3.0) < 0.05,
                 qPrintable(QStringLiteral("(%1, %2)").arg(p.x()).arg(p.y())));
}

void TestContour::halfPlaneGivesOneOpenLineAcross()
{
    // Linear in x, so the interpolated crossing is exact.
    const BoundaryImage image = imageOf(16, [](double x, double) { return float(0.5 + (x - 4.2) / 20.0); });
    const QList<QPolygonF> lines = contourLines(image);
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

void TestContour::noCrossingNoLine()
{
    QVERIFY(contourLines(imageOf(8, [](double, double) { return 0.2f; })).isEmpty());
    QVERIFY(contourLines(imageOf(8, [](double, double) { return 0.9f; })).isEmpty());
    BoundaryImage broken = imageOf(8, [](double x, double) { return float(x / 10); });
    broken.probability.pop_back(); // wrong size: drawn as nothing, not a crash
    QVERIFY(contourLines(broken).isEmpty());
}

void TestContour::nanCellsAreSkipped()
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    QVERIFY(contourLines(imageOf(8, [nan](double, double) { return nan; })).isEmpty());
    // NaN in the left half: the crossing at x = 7 is still traced.
    const BoundaryImage half
        = imageOf(20, [nan](double x, double) { return x < 5.0 ? nan : float(0.5 + (x - 7.0) / 20.0); });
    const QList<QPolygonF> lines = contourLines(half);
    QCOMPARE(lines.size(), 1);
    for (const QPointF& p : lines.first())
        INITLAB_COMPARE_REL(p.x(), 7.0, 1e-4);
}


void TestContour::peakGivesTheExpectedDiamond_data()
{
    QTest::addColumn<double>("level");
    QTest::addColumn<double>("reach"); // distance of the crossings from the middle sample
    QTest::newRow("0.5: half way") << 0.5 << 0.5;
    QTest::newRow("0.25: further out") << 0.25 << 0.75;
    QTest::newRow("0.8: closer in") << 0.8 << 0.2;
}

void TestContour::peakGivesTheExpectedDiamond()
{
    QFETCH(double, level);
    QFETCH(double, reach);
    const QList<QPolygonF> lines = contourLines(peak(), level);
    QCOMPARE(lines.size(), 1);
    const QPolygonF& diamond = lines.first();
    // Four crossings, one on each edge from the middle sample to a neighbour, and closed.
    QCOMPARE(diamond.size(), 5);
    QCOMPARE(diamond.first(), diamond.last());
    QList<QPointF> expected{{1.5 + reach, 1.5}, {1.5, 1.5 + reach}, {1.5 - reach, 1.5}, {1.5, 1.5 - reach}};
    for (qsizetype i = 0; i < 4; ++i) {
        const QPointF& p = diamond[i];
        const auto found = std::find_if(expected.begin(), expected.end(), [&](const QPointF& e) {
            return std::abs(e.x() - p.x()) < 1e-12 && std::abs(e.y() - p.y()) < 1e-12;
        });
        QVERIFY2(found != expected.end(), qPrintable(pointsText(diamond)));
        expected.erase(found);
        // Neighbours on the line are neighbouring crossings: a quarter turn around the middle.
        const QPointF& next = diamond[i + 1];
        QVERIFY2(std::abs(std::abs(next.x() - p.x()) - reach) < 1e-12
                     && std::abs(std::abs(next.y() - p.y()) - reach) < 1e-12,
                 qPrintable(pointsText(diamond)));
    }
    QVERIFY(expected.isEmpty());
}

void TestContour::nanCornerOpensTheDiamond()
{
    // The bottom-left cell unknown: the square it is a corner of is skipped, and the diamond loses
    // the side between its crossings on the left (1, 1.5) and at the bottom (1.5, 1).
    BoundaryImage image = peak();
    image.probability[0] = std::numeric_limits<float>::quiet_NaN();
    const QList<QPolygonF> lines = contourLines(image);
    QCOMPARE(lines.size(), 1);
    const QPolygonF& line = lines.first();
    QCOMPARE(line.size(), 4);
    const std::set<std::pair<double, double>> ends{{line.first().x(), line.first().y()},
                                                   {line.last().x(), line.last().y()}};
    const std::set<std::pair<double, double>> expected{{1.0, 1.5}, {1.5, 1.0}};
    QVERIFY2(ends == expected, qPrintable(pointsText(line)));
}

void TestContour::saddleIsResolvedByItsCentre()
{
    // One square over [0, 2]² (samples at 0.5 and 1.5) with its bottom-left and top-right corners
    // inside. Each line the tracer draws cuts off one corner: both its ends lie in that corner's
    // quadrant around the square's centre (1, 1).
    const auto cornersCutOff = [](const QList<QPolygonF>& lines) {
        std::set<QString> corners;
        for (const QPolygonF& line : lines) {
            if (line.size() != 2)
                return std::set<QString>{QStringLiteral("a line of %1 points").arg(line.size())};
            const auto quadrant = [](const QPointF& p) {
                return QString(p.y() < 1.0 ? QStringLiteral("bottom-") : QStringLiteral("top-"))
                    + (p.x() < 1.0 ? QStringLiteral("left") : QStringLiteral("right"));
            };
            corners.insert(quadrant(line[0]) == quadrant(line[1]) ? quadrant(line[0]) : QStringLiteral("across"));
        }
        return corners;
    };
    BoundaryImage image = imageOf(2, [](double, double) { return 0.0f; }, 2.0);
    // Row-major from the bottom: bottom-left, bottom-right, top-left, top-right.
    image.probability = {0.9f, 0.0f, 0.0f, 0.9f}; // mean 0.45: the centre is outside, the inside corners apart
    QCOMPARE(cornersCutOff(contourLines(image)),
             (std::set<QString>{QStringLiteral("bottom-left"), QStringLiteral("top-right")}));
    image.probability = {0.9f, 0.3f, 0.3f, 0.9f}; // mean 0.6: the centre is inside, the inside corners joined
    QCOMPARE(cornersCutOff(contourLines(image)),
             (std::set<QString>{QStringLiteral("bottom-right"), QStringLiteral("top-left")}));
}

QTEST_MAIN(TestContour)
#include "tst_contour.moc"
