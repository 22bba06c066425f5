// LayerChart: a log axis only ever sees positive finite values, gaps are named in the note, and
// the axis range follows the data.

#include "figures/layerchart.h"
#include "tolerance.h"

#include <QChart>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QTest>
#include <QValueAxis>

#include <cmath>
#include <limits>

using initlab::ui::LayerChart;

namespace {

// Every point of every series on the chart, which must all be drawable on a log axis.
bool allPointsPositiveFinite(const LayerChart& chart)
{
    for (QAbstractSeries* abstract : chart.chart()->series()) {
        const auto* series = qobject_cast<QLineSeries*>(abstract);
        if (!series)
            continue;
        for (const QPointF& p : series->points())
            if (!(std::isfinite(p.y()) && p.y() > 0.0))
                return false;
    }
    return true;
}

} // namespace

class TestLayerChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void positiveValuesArePlotted();
    void gapsAreNamed_data();
    void gapsAreNamed();
    void rangeFitsData();
    void wideRangeStepsByDecades();
    void bottomTickIsOnTheRange();
    void hiddenCurvesAreIgnored();
    void clearRemovesEverything();
};

void TestLayerChart::positiveValuesArePlotted()
{
    LayerChart chart(QStringLiteral("t"), QStringLiteral("v"));
    chart.setLayerCount(5);
    const int id = chart.addCurve(QStringLiteral("A"), Qt::red);
    for (int layer = 1; layer <= 5; ++layer)
        chart.setValue(id, layer, 0.5 * layer);
    QCOMPARE(chart.plottedPointCount(id), 0); // nothing reaches the chart before refresh
    chart.refresh();
    QCOMPARE(chart.plottedPointCount(id), 5);
    QVERIFY(chart.noteText().isEmpty());
    QVERIFY(chart.noteLabel()->isHidden());
    QCOMPARE(chart.layerAxis()->min(), 1.0);
    QCOMPARE(chart.layerAxis()->max(), 5.0);
}

void TestLayerChart::gapsAreNamed_data()
{
    QTest::addColumn<QVector<double>>("values");
    QTest::addColumn<int>("plotted");
    QTest::addColumn<QString>("note");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("all zero") << QVector<double>{0, 0, 0, 0} << 0 << QStringLiteral("A: vanished from layer 1");
    QTest::newRow("zero from 3") << QVector<double>{1, 0.5, 0, 0} << 2 << QStringLiteral("A: vanished from layer 3");
    QTest::newRow("zero at last") << QVector<double>{1, 0.5, 0.2, 0} << 3 << QStringLiteral("A: vanished at layer 4");
    QTest::newRow("zeros at the start") << QVector<double>{0, 0, 0.2, 0.3} << 2
                                        << QStringLiteral("A: vanished at layers 1–2");
    QTest::newRow("nan from 2") << QVector<double>{1, nan, nan, nan} << 1
                                << QStringLiteral("A: diverged (NaN/Inf) at layer 2");
    QTest::newRow("inf at 3") << QVector<double>{1, 2, inf, 3} << 3 << QStringLiteral("A: diverged (NaN/Inf) at layer 3");
    QTest::newRow("both") << QVector<double>{0, 1, nan, 1} << 2
                          << QStringLiteral("A: diverged (NaN/Inf) at layer 3; vanished at layer 1");
}

void TestLayerChart::gapsAreNamed()
{
    QFETCH(QVector<double>, values);
    QFETCH(int, plotted);
    QFETCH(QString, note);
    LayerChart chart(QStringLiteral("t"), QStringLiteral("v"));
    chart.setLayerCount(int(values.size()));
    const int id = chart.addCurve(QStringLiteral("A"), Qt::blue);
    for (int layer = 1; layer <= values.size(); ++layer)
        chart.setValue(id, layer, values[layer - 1]);
    chart.refresh();
    QCOMPARE(chart.plottedPointCount(id), plotted);
    QCOMPARE(chart.noteText(), note);
    QVERIFY(!chart.noteLabel()->isHidden());
    QVERIFY(allPointsPositiveFinite(chart));
    QVERIFY(chart.valueAxis()->min() > 0.0);
}

void TestLayerChart::rangeFitsData()
{
    LayerChart chart(QStringLiteral("t"), QStringLiteral("v"));
    chart.setLayerCount(3);
    const int id = chart.addCurve(QStringLiteral("A"), Qt::red);
    chart.setValue(id, 1, 0.03);
    chart.setValue(id, 2, 0.5);
    chart.setValue(id, 3, 7.0);
    chart.refresh();
    QCOMPARE(chart.valueAxis()->base(), 10.0);
    INITLAB_COMPARE_REL(chart.valueAxis()->min(), 1e-2, 1e-6);
    INITLAB_COMPARE_REL(chart.valueAxis()->max(), 1e1, 1e-6);
}

void TestLayerChart::wideRangeStepsByDecades()
{
    LayerChart chart(QStringLiteral("t"), QStringLiteral("v"));
    chart.setLayerCount(2);
    const int id = chart.addCurve(QStringLiteral("A"), Qt::red);
    chart.setValue(id, 1, 1.0);
    chart.setValue(id, 2, 1e-30);
    chart.refresh();
    // 30 decades: a label every 3 decades keeps them from overlapping.
    INITLAB_COMPARE_REL(chart.valueAxis()->base(), 1e3, 1e-9);
    QVERIFY(chart.valueAxis()->min() <= 1e-30);
    QVERIFY(chart.valueAxis()->max() >= 1.0);
}

void TestLayerChart::bottomTickIsOnTheRange()
{
    // Qt Charts puts the first tick at ceil(log(min) / log(base)); it must be the range's own bottom
    // power, or the bottom label goes missing.
    for (int exponent = -30; exponent <= 5; ++exponent) {
        LayerChart chart(QStringLiteral("t"), QStringLiteral("v"));
        chart.setLayerCount(2);
        const int id = chart.addCurve(QStringLiteral("A"), Qt::red);
        chart.setValue(id, 1, std::pow(10.0, exponent));
        chart.setValue(id, 2, 10.0);
        chart.refresh();
        const QLogValueAxis* axis = chart.valueAxis();
        const double firstTick = std::ceil(std::log10(axis->min()) / std::log10(axis->base()));
        const double bottom = std::log10(axis->min()) / std::log10(axis->base());
        QVERIFY2(firstTick - bottom < 1e-6, qPrintable(QStringLiteral("exponent %1").arg(exponent)));
        QVERIFY(axis->min() <= std::pow(10.0, exponent));
    }
}

void TestLayerChart::hiddenCurvesAreIgnored()
{
    LayerChart chart(QStringLiteral("t"), QStringLiteral("v"));
    chart.setLayerCount(2);
    const int shown = chart.addCurve(QStringLiteral("A"), Qt::red);
    const int hidden = chart.addCurve(QStringLiteral("B"), Qt::red, LayerChart::LineStyle::Dashed);
    chart.setValue(shown, 1, 1.0);
    chart.setValue(shown, 2, 2.0);
    chart.setValue(hidden, 1, 1e-9);
    chart.setValue(hidden, 2, 0.0);
    chart.setCurveVisible(hidden, false);
    chart.refresh();
    QCOMPARE(chart.visibleCurveCount(LayerChart::LineStyle::Dashed), 0);
    QVERIFY(chart.noteText().isEmpty());
    INITLAB_COMPARE_REL(chart.valueAxis()->min(), 1.0, 1e-6);

    chart.setCurveVisible(hidden, true);
    chart.refresh();
    QCOMPARE(chart.visibleCurveCount(LayerChart::LineStyle::Dashed), 1);
    QCOMPARE(chart.noteText(), QStringLiteral("B: vanished at layer 2"));
    INITLAB_COMPARE_REL(chart.valueAxis()->min(), 1e-9, 1e-6);
}

void TestLayerChart::clearRemovesEverything()
{
    LayerChart chart(QStringLiteral("t"), QStringLiteral("v"));
    chart.setLayerCount(2);
    const int id = chart.addCurve(QStringLiteral("A"), Qt::red);
    chart.setValue(id, 1, 0.0);
    chart.refresh();
    QVERIFY(!chart.noteText().isEmpty());
    chart.clearCurves();
    chart.refresh();
    QCOMPARE(chart.curveCount(), 0);
    QVERIFY(chart.noteText().isEmpty());
    QVERIFY(chart.chart()->series().isEmpty());
}

QTEST_MAIN(TestLayerChart)
#include "tst_layerchart.moc"
