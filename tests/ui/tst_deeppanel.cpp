// DeepPanel end to end with tiny nets: a click runs a combination, the charts fill in with one
// point per layer, the progress bar completes, Cancel stops a run and leaves the panel usable,
// vanished curves are named, cells are coloured, and the toggles add and remove companion curves. A
// width typed beyond the largest stays as typed and marked, and no run starts until it is fixed.

#include "common/colorbar.h"
#include "common/curvelegend.h"
#include "common/palette.h"
#include "experiments/deep/deeppanel.h"
#include "initlab/blas.h"
#include "initlab/deepprecision.h"
#include "experiments/deep/deepworker.h"
#include "experiments/deep/initmatrix.h"
#include "experiments/metatypes.h"
#include "experiments/workerthread.h"
#include "figures/deepfigures.h"
#include "figures/layerchart.h"
#include "sidewaysfit.h"
#include "widgets.h"

#include <QCheckBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <QValueAxis>

#include <cmath>
#include <memory>
#include <set>

using namespace initlab;
using namespace initlab::ui;
using Chart = DeepFigures::Chart;
using Style = LayerChart::LineStyle;

namespace {

constexpr int kDepth = 6;
constexpr int kTimeoutMs = 120000;
constexpr std::array kCharts{Chart::ActivationMean, Chart::ActivationStd, Chart::GradientMean, Chart::GradientStd};

} // namespace

class TestDeepPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void clickingACellRunsIt();
    void reportButtonSelectsAndRunsSeven();
    void cancelStopsALiveRunAndThePanelGoesOn();
    void vanishedCurveIsNamed();
    void togglesAddAndRemoveCompanionCurves();
    void errorIsShownAndThePanelGoesOn();
    void outOfRangeFieldIsKeptAndRefused();
    void newSettingsStartFreshCharts();
    void fitsA1280x800WindowWithoutSidewaysScrolling();
    void bf16ToggleRunsInBf16();

private:
    void clickCell(const Combination& combination);
    DeepResult waitForFinish();

    InitMatrix* panelMatrix() const { return child<InitMatrix>(m_panel.get(), "initMatrix"); }
    LayerChart* panelChart(Chart which) const { return m_panel->figures()->chart(which); }
    int curveOf(const Combination& combination, Chart which) const
    {
        return m_panel->figures()->curveOf(combination, which);
    }

    std::unique_ptr<WorkerThread<DeepWorker>> m_thread;
    std::unique_ptr<DeepPanel> m_panel;
};

void TestDeepPanel::initTestCase()
{
    registerMetaTypes();
}

void TestDeepPanel::init()
{
    m_thread = std::make_unique<WorkerThread<DeepWorker>>();
    m_panel = std::make_unique<DeepPanel>(m_thread->worker());
    m_panel->setDepth(kDepth);
    m_panel->setWidth(32);
    m_panel->setBatch(64);
    m_panel->resize(1400, 900);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestDeepPanel::cleanup()
{
    QVERIFY(m_thread->stop(kTimeoutMs));
    m_panel.reset();
    m_thread.reset();
}

void TestDeepPanel::clickCell(const Combination& combination)
{
    InitMatrix* matrix = panelMatrix();
    const QRect rect = matrix->visualItemRect(matrix->itemFor(combination));
    QVERIFY(rect.isValid());
    QTest::mouseClick(matrix->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
}

DeepResult TestDeepPanel::waitForFinish()
{
    QSignalSpy finished(m_panel.get(), &DeepPanel::runFinished);
    if (!finished.wait(kTimeoutMs))
        return {};
    return finished.at(0).at(0).value<DeepResult>();
}

void TestDeepPanel::clickingACellRunsIt()
{
    const Combination combination{InitScheme::XavierUniform, Activation::Tanh};
    QSignalSpy started(m_panel.get(), &DeepPanel::runStarted);
    QSignalSpy finished(m_panel.get(), &DeepPanel::runFinished);
    clickCell(combination);
    QCOMPARE(started.count(), 1);
    QVERIFY(m_panel->isRunning());
    QVERIFY(child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QVERIFY(!child<QPushButton>(m_panel.get(), "runSelectedButton")->isEnabled());
    QVERIFY(!child<QPushButton>(m_panel.get(), "reportButton")->isEnabled());

    QVERIFY(finished.wait(kTimeoutMs));
    const auto result = finished.at(0).at(0).value<DeepResult>();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QVERIFY(!result.cancelled);
    QCOMPARE(result.combinations.size(), std::size_t(1));

    QVERIFY(!m_panel->isRunning());
    QVERIFY(!child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QVERIFY(child<QPushButton>(m_panel.get(), "runSelectedButton")->isEnabled()); // the clicked cell is selected
    QCOMPARE(m_panel->progress(), 1.0);
    QVERIFY(m_panel->statusText().startsWith(QStringLiteral("Finished in")));

    QColor color;
    for (const Chart which : kCharts) {
        LayerChart* chart = panelChart(which);
        const int curve = curveOf(combination, which);
        QVERIFY(curve >= 0);
        QCOMPARE(chart->curveName(curve), QStringLiteral("Xavier uniform + tanh"));
        QCOMPARE(chart->plottedPointCount(curve), kDepth);
        QCOMPARE(chart->layerAxis()->max(), double(kDepth));
        QVERIFY(chart->noteText().isEmpty());
        // One colour per combination on every chart.
        if (!color.isValid())
            color = chart->curveColor(curve);
        QCOMPARE(chart->curveColor(curve), color);
    }

    InitMatrix* matrix = panelMatrix();
    QVERIFY(matrix->hasResult(combination));
    const double lastStd = result.combinations[0].layers.back().actStd;
    QCOMPARE(matrix->resultOf(combination), lastStd);
    QCOMPARE(matrix->itemFor(combination)->background().color(), signalColor(std::log10(lastStd)));
    QVERIFY(!matrix->itemFor(combination)->text().isEmpty());
}

void TestDeepPanel::reportButtonSelectsAndRunsSeven()
{
    QTest::mouseClick(child<QPushButton>(m_panel.get(), "reportButton"), Qt::LeftButton);
    QCOMPARE(panelMatrix()->selectedCombinations(), reportCombinations());
    QVERIFY(!m_panel->isRunning()); // selecting does not run
    QVERIFY(child<QPushButton>(m_panel.get(), "runSelectedButton")->isEnabled());

    QTest::mouseClick(child<QPushButton>(m_panel.get(), "runSelectedButton"), Qt::LeftButton);
    QVERIFY(m_panel->isRunning());
    const DeepResult result = waitForFinish();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.combinations.size(), std::size_t(7));

    for (const Chart which : kCharts)
        QCOMPARE(panelChart(which)->visibleCurveCount(Style::Solid), 7);
    std::set<QRgb> colors;
    for (const Combination& c : reportCombinations()) {
        QVERIFY(panelMatrix()->hasResult(c));
        colors.insert(panelChart(Chart::ActivationStd)->curveColor(curveOf(c, Chart::ActivationStd)).rgb());
    }
    QCOMPARE(colors.size(), std::size_t(7));
}

void TestDeepPanel::cancelStopsALiveRunAndThePanelGoesOn()
{
    // Big enough to take a while, so it is still going when the charts are checked and cancelled.
    m_panel->setDepth(300);
    m_panel->setWidth(128);
    m_panel->setBatch(1000);
    QSignalSpy finished(m_panel.get(), &DeepPanel::runFinished);
    QVERIFY(m_panel->runReportCombinations());
    const Combination first = reportCombinations().front();

    // Live: points appear while the run goes on.
    QTRY_VERIFY_WITH_TIMEOUT(curveOf(first, Chart::ActivationStd) >= 0
                                 && panelChart(Chart::ActivationStd)
                                         ->plottedPointCount(curveOf(first, Chart::ActivationStd))
                                     > 0,
                             kTimeoutMs);
    QVERIFY(m_panel->isRunning());

    QTest::mouseClick(child<QPushButton>(m_panel.get(), "cancelButton"), Qt::LeftButton);
    QVERIFY(!child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QVERIFY(finished.wait(kTimeoutMs));
    const auto result = finished.at(0).at(0).value<DeepResult>();
    QVERIFY(result.cancelled);
    QVERIFY(result.combinations.size() < reportCombinations().size());
    QVERIFY(!m_panel->isRunning());
    QVERIFY(m_panel->statusText().startsWith(QStringLiteral("Cancelled")));
    QVERIFY(child<QPushButton>(m_panel.get(), "reportButton")->isEnabled());
    QVERIFY(!child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());

    // Usable again: a small run completes normally.
    m_panel->setDepth(kDepth);
    m_panel->setWidth(32);
    m_panel->setBatch(64);
    const Combination next{InitScheme::KaimingNormal, Activation::Relu};
    clickCell(next);
    const DeepResult again = waitForFinish();
    QVERIFY(!again.cancelled);
    QCOMPARE(again.combinations.size(), std::size_t(1));
    QCOMPARE(panelChart(Chart::GradientStd)->plottedPointCount(curveOf(next, Chart::GradientStd)), kDepth);
    QCOMPARE(m_panel->progress(), 1.0);
}

void TestDeepPanel::vanishedCurveIsNamed()
{
    const Combination zeros{InitScheme::Zeros, Activation::Tanh};
    clickCell(zeros);
    const DeepResult result = waitForFinish();
    QVERIFY2(result.error.empty(), result.error.c_str());

    for (const Chart which : {Chart::ActivationMean, Chart::ActivationStd}) {
        LayerChart* chart = panelChart(which);
        QCOMPARE(chart->plottedPointCount(curveOf(zeros, which)), 0);
        QVERIFY2(chart->noteText().contains(QStringLiteral("Zeros + tanh: vanished from layer 1")),
                 qPrintable(chart->noteText()));
        QVERIFY(chart->noteLabel()->isVisible());
    }
    QVERIFY2(panelChart(Chart::GradientStd)->noteText().contains(QStringLiteral("Zeros + tanh: vanished")),
             qPrintable(panelChart(Chart::GradientStd)->noteText()));
    QCOMPARE(panelMatrix()->resultOf(zeros), 0.0);
    QCOMPARE(panelMatrix()->itemFor(zeros)->text(), QStringLiteral("0"));
    QCOMPARE(panelMatrix()->itemFor(zeros)->background().color(), signalColor(-kSignalDecades));
}

void TestDeepPanel::togglesAddAndRemoveCompanionCurves()
{
    panelMatrix()->selectCombinations(
        {{InitScheme::XavierNormal, Activation::Tanh}, {InitScheme::KaimingUniform, Activation::Relu}});
    QTest::mouseClick(child<QPushButton>(m_panel.get(), "runSelectedButton"), Qt::LeftButton);
    QVERIFY(!waitForFinish().cancelled);

    LayerChart* actStd = panelChart(Chart::ActivationStd);
    LayerChart* gradStd = panelChart(Chart::GradientStd);
    QVERIFY(!child<QCheckBox>(m_panel.get(), "theoryToggle")->isChecked());
    QCOMPARE(actStd->visibleCurveCount(Style::Dashed), 0);
    child<QCheckBox>(m_panel.get(), "theoryToggle")->click();
    QCOMPARE(actStd->visibleCurveCount(Style::Dashed), 2);
    QCOMPARE(actStd->visibleCurveCount(Style::Solid), 2);
    child<QCheckBox>(m_panel.get(), "theoryToggle")->click();
    QCOMPARE(actStd->visibleCurveCount(Style::Dashed), 0);

    QVERIFY(!child<QCheckBox>(m_panel.get(), "preGradToggle")->isChecked());
    QCOMPARE(gradStd->visibleCurveCount(Style::Dotted), 0);
    child<QCheckBox>(m_panel.get(), "preGradToggle")->click();
    QCOMPARE(gradStd->visibleCurveCount(Style::Dotted), 2);
    child<QCheckBox>(m_panel.get(), "preGradToggle")->click();
    QCOMPARE(gradStd->visibleCurveCount(Style::Dotted), 0);

    // Turned on before a run, the companions fill in with it.
    child<QCheckBox>(m_panel.get(), "theoryToggle")->click();
    const Combination lecun{InitScheme::LecunNormal, Activation::Selu};
    clickCell(lecun);
    QVERIFY(!waitForFinish().cancelled);
    QCOMPARE(actStd->visibleCurveCount(Style::Dashed), 3);
    int theoryPoints = 0;
    for (int curve = 0; curve < actStd->curveCount(); ++curve)
        if (actStd->curveStyle(curve) == Style::Dashed && actStd->curveName(curve).startsWith(QStringLiteral("LeCun")))
            theoryPoints = actStd->plottedPointCount(curve);
    QCOMPARE(theoryPoints, kDepth);
}

void TestDeepPanel::errorIsShownAndThePanelGoesOn()
{
    DeepConfig config = m_panel->configFor({{InitScheme::Heuristic, Activation::Tanh}});
    config.depth = 1000;
    config.width = 16384; // far beyond core's memory limit for the weights
    QVERIFY(m_panel->runConfig(config));
    const DeepResult result = waitForFinish();
    QVERIFY(!result.error.empty());
    QVERIFY(m_panel->statusText().startsWith(QStringLiteral("Error:")));
    QVERIFY(m_panel->statusText().contains(QString::fromStdString(result.error)));
    QVERIFY(!m_panel->isRunning());
    QVERIFY(child<QPushButton>(m_panel.get(), "reportButton")->isEnabled());

    clickCell({InitScheme::Heuristic, Activation::Tanh});
    const DeepResult again = waitForFinish();
    QVERIFY(again.error.empty());
    QVERIFY(m_panel->statusText().startsWith(QStringLiteral("Finished in")));
}

void TestDeepPanel::outOfRangeFieldIsKeptAndRefused()
{
    QSignalSpy started(m_panel.get(), &DeepPanel::runStarted);
    auto* width = child<QSpinBox>(m_panel.get(), "widthSpin");
    width->selectAll();
    QTest::keyClicks(width, QStringLiteral("99999"));
    QTest::keyClick(width, Qt::Key_Return);
    // Qt refused the fifth digit: the field said 999 and the run used it.
    QCOMPARE(width->text(), QStringLiteral("99999"));
    QVERIFY(width->value() != width->maximum());
    QVERIFY(width->styleSheet() == errorStyleSheet(width->palette()));
    QVERIFY2(width->toolTip().contains(QStringLiteral("Width must be a whole number from 1 to ")),
             qPrintable(width->toolTip()));

    QVERIFY(!m_panel->start());
    clickCell({InitScheme::XavierUniform, Activation::Tanh});
    QCOMPARE(started.count(), 0);
    QVERIFY(!m_panel->isRunning());
    const QString status = m_panel->statusText();
    QVERIFY2(status.startsWith(QStringLiteral("Cannot start: Width must be a whole number from 1 to ")),
             qPrintable(status));
    QVERIFY2(status.contains(width->locale().toString(4096)), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("(got 99999)")), qPrintable(status));
    QVERIFY(child<QLabel>(m_panel.get(), "deepStatus")->styleSheet() == errorStyleSheet(m_panel->palette()));
    QCOMPARE(width->text(), QStringLiteral("99999"));

    // A width in the range clears the mark, and the click runs with it.
    width->selectAll();
    QTest::keyClicks(width, QStringLiteral("24"));
    QVERIFY(width->styleSheet().isEmpty());
    clickCell({InitScheme::XavierUniform, Activation::Tanh});
    QCOMPARE(started.count(), 1);
    QVERIFY(waitForFinish().error.empty());
    QCOMPARE(m_panel->runConfig().width, 24);
}

void TestDeepPanel::newSettingsStartFreshCharts()
{
    const Combination a{InitScheme::XavierUniform, Activation::Relu};
    const Combination b{InitScheme::Orthogonal, Activation::Linear};
    clickCell(a);
    QVERIFY(!waitForFinish().cancelled);
    clickCell(b);
    QVERIFY(!waitForFinish().cancelled);
    // Same settings: the charts compare both.
    QCOMPARE(panelChart(Chart::ActivationStd)->visibleCurveCount(Style::Solid), 2);

    m_panel->setDepth(kDepth - 1);
    clickCell(a);
    QVERIFY(!waitForFinish().cancelled);
    LayerChart* chart = panelChart(Chart::ActivationStd);
    QCOMPARE(chart->visibleCurveCount(Style::Solid), 1);
    QCOMPARE(chart->plottedPointCount(curveOf(a, Chart::ActivationStd)), kDepth - 1);
    QCOMPARE(curveOf(b, Chart::ActivationStd), -1);
    QCOMPARE(chart->layerAxis()->max(), double(kDepth - 1));
    // The matrix keeps earlier results; each cell's tooltip says what it ran with.
    QVERIFY(panelMatrix()->hasResult(b));

    QTest::mouseClick(child<QPushButton>(m_panel.get(), "clearButton"), Qt::LeftButton);
    QCOMPARE(chart->curveCount(), 0);
    QVERIFY(!panelMatrix()->hasResult(a));
}

void TestDeepPanel::fitsA1280x800WindowWithoutSidewaysScrolling()
{
    const QString overflow = sidewaysOverflow(m_panel.get());
    QVERIFY2(overflow.isEmpty(), qPrintable(overflow));
}


void TestDeepPanel::bf16ToggleRunsInBf16()
{
    auto* toggle = child<QCheckBox>(m_panel.get(), "deepBf16Toggle");
    QVERIFY(!toggle->isChecked());
    QVERIFY(!m_panel->config().bf16);
    if (!cpuHasBf16()) {
        // Emulated bf16 is slower than float32: the option is off and says why.
        QVERIFY(!toggle->isEnabled());
        toggle->setChecked(true);
        QVERIFY(!m_panel->config().bf16);
        QVERIFY(toggle->toolTip().contains(QStringLiteral("no bf16 instructions")));
        return;
    }
    toggle->setChecked(true);
    QVERIFY(m_panel->config().bf16);
    QVERIFY(QString::fromStdString(m_panel->experimentJson()).contains(QStringLiteral("\"bf16\": true")));

    const Combination combination{InitScheme::XavierNormal, Activation::Tanh};
    clickCell(combination);
    const DeepResult bf16 = waitForFinish();
    QVERIFY2(bf16.error.empty(), bf16.error.c_str());
    QCOMPARE(bf16.combinations.size(), std::size_t(1));
    QVERIFY(m_panel->runConfig().bf16);
    QVERIFY2(m_panel->figures()->legend()->names().join(u'|').contains(QStringLiteral("Xavier normal + tanh (bf16)")),
             qPrintable(m_panel->figures()->legend()->names().join(u'|')));

    // The same net in float32, straight from core: the statistics agree to bf16's precision.
    DeepConfig fp32 = m_panel->runConfig();
    fp32.bf16 = false;
    CancelFlag cancel{false};
    const DeepResult reference = runDeepPropagation(fp32, nullptr, cancel);
    for (const StatisticDifference& d : largestDifferences(reference, bf16))
        if (d.column == "act_std")
            QVERIFY2(d.largest > 0.0 && d.largest < 0.02, qPrintable(QString::number(d.largest)));

    // An experiment file without bf16 unchecks it again, and a float32 run drops the mark.
    m_panel->setConfig(fp32);
    QVERIFY(!toggle->isChecked());
    clickCell(combination);
    QVERIFY(waitForFinish().error.empty());
    QVERIFY(!m_panel->figures()->legend()->names().join(u'|').contains(QStringLiteral("bf16")));
}

QTEST_MAIN(TestDeepPanel)
#include "tst_deeppanel.moc"
