// InitMatrix and its colour map: one cell per init x activation, plain clicks run, modified clicks
// only select, and a result colours its cell by log10 of the last layer's activation std.

#include "common/colorbar.h"
#include "experiments/deep/initmatrix.h"
#include "experiments/metatypes.h"
#include "common/formatting.h"
#include "common/names.h"

#include <QHeaderView>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <limits>

using namespace initlab;
using namespace initlab::ui;

class TestInitMatrix : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerMetaTypes(); }
    void oneCellPerCombination();
    void reportSelectionKeepsReportOrder();
    void plainClickRunsModifiedClickSelects();
    void resultColoursTheCell_data();
    void resultColoursTheCell();
    void colorMapDiverges();
    void compactNumbers_data();
    void compactNumbers();
};

void TestInitMatrix::oneCellPerCombination()
{
    InitMatrix matrix;
    QCOMPARE(matrix.rowCount(), int(allInitSchemes().size()));
    QCOMPARE(matrix.columnCount(), int(allActivations().size()));
    for (int row = 0; row < matrix.rowCount(); ++row) {
        QVERIFY(!matrix.verticalHeaderItem(row)->toolTip().isEmpty());
        for (int column = 0; column < matrix.columnCount(); ++column) {
            const Combination c = matrix.combinationAt(row, column);
            QCOMPARE(matrix.itemFor(c), matrix.item(row, column));
            QVERIFY(matrix.item(row, column)->toolTip().contains(toQString(formula(c.init)).toHtmlEscaped()));
        }
    }
    for (int column = 0; column < matrix.columnCount(); ++column)
        QVERIFY(matrix.horizontalHeaderItem(column)->toolTip().contains(
            toQString(formula(allActivations()[column])).toHtmlEscaped()));
}

void TestInitMatrix::reportSelectionKeepsReportOrder()
{
    InitMatrix matrix;
    matrix.selectCombinations(reportCombinations());
    QCOMPARE(matrix.selectedCombinations(), reportCombinations());
}

void TestInitMatrix::plainClickRunsModifiedClickSelects()
{
    InitMatrix matrix;
    matrix.resize(700, 400);
    matrix.show();
    QVERIFY(QTest::qWaitForWindowExposed(&matrix));
    QSignalSpy clicked(&matrix, &InitMatrix::combinationClicked);
    const Combination first{InitScheme::XavierUniform, Activation::Tanh};
    const Combination second{InitScheme::KaimingNormal, Activation::Relu};
    const QPoint firstCenter = matrix.visualItemRect(matrix.itemFor(first)).center();
    const QPoint secondCenter = matrix.visualItemRect(matrix.itemFor(second)).center();

    QTest::mouseClick(matrix.viewport(), Qt::LeftButton, Qt::NoModifier, firstCenter);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).value<Combination>(), first);

    QTest::mouseClick(matrix.viewport(), Qt::LeftButton, Qt::ControlModifier, secondCenter);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(matrix.selectedCombinations(), (std::vector<Combination>{first, second}));
}

void TestInitMatrix::resultColoursTheCell_data()
{
    QTest::addColumn<double>("std");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QColor>("color");
    QTest::newRow("kept") << 1.0 << QStringLiteral("1") << signalColor(0.0);
    QTest::newRow("vanishing") << 2.5e-8 << QStringLiteral("2.5e-8") << signalColor(std::log10(2.5e-8));
    QTest::newRow("exactly zero") << 0.0 << QStringLiteral("0") << signalColor(-std::numeric_limits<double>::infinity());
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << QStringLiteral("NaN")
                         << signalColor(std::numeric_limits<double>::quiet_NaN());
}

void TestInitMatrix::resultColoursTheCell()
{
    QFETCH(double, std);
    QFETCH(QString, text);
    QFETCH(QColor, color);
    InitMatrix matrix;
    const Combination c{InitScheme::Zeros, Activation::Tanh};
    QVERIFY(!matrix.hasResult(c));
    matrix.setResult(c, std, QStringLiteral("Run with depth 6."));
    QVERIFY(matrix.hasResult(c));
    QCOMPARE(matrix.itemFor(c)->text(), text);
    QCOMPARE(matrix.itemFor(c)->background().color(), color);
    QVERIFY(matrix.itemFor(c)->toolTip().contains(QStringLiteral("Run with depth 6.")));
    matrix.clearResults();
    QVERIFY(!matrix.hasResult(c));
    QVERIFY(matrix.itemFor(c)->text().isEmpty());
}

void TestInitMatrix::colorMapDiverges()
{
    const QColor kept = signalColor(0.0);
    const QColor vanished = signalColor(-kSignalDecades);
    const QColor exploding = signalColor(kSignalDecades);
    QCOMPARE(kept, QColor(0xffffbf));
    QCOMPARE(vanished, QColor(0x313695));
    QCOMPARE(exploding, QColor(0xa50026));
    // Saturates beyond the range; an exact zero is the vanished end.
    QCOMPARE(signalColor(-100.0), vanished);
    QCOMPARE(signalColor(-std::numeric_limits<double>::infinity()), vanished);
    QCOMPARE(signalColor(std::numeric_limits<double>::infinity()), exploding);
    // Blue side for negative, red side for positive.
    QVERIFY(signalColor(-3.0).blue() > signalColor(-3.0).red());
    QVERIFY(signalColor(3.0).red() > signalColor(3.0).blue());
    QCOMPARE(textColorOn(vanished), QColor(Qt::white));
    QCOMPARE(textColorOn(kept), QColor(Qt::black));
}

void TestInitMatrix::compactNumbers_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("0.81") << 0.8123 << QStringLiteral("0.81");
    QTest::newRow("12") << 12.3 << QStringLiteral("12");
    QTest::newRow("450") << 450.2 << QStringLiteral("450");
    QTest::newRow("small") << 3.21e-8 << QStringLiteral("3.2e-8");
    QTest::newRow("large") << 4.0e12 << QStringLiteral("4.0e12");
    QTest::newRow("zero") << 0.0 << QStringLiteral("0");
    QTest::newRow("inf") << std::numeric_limits<double>::infinity() << QStringLiteral("inf");
}

void TestInitMatrix::compactNumbers()
{
    QFETCH(double, value);
    QFETCH(QString, text);
    QCOMPARE(compactNumber(value), text);
}

QTEST_MAIN(TestInitMatrix)
#include "tst_initmatrix.moc"
