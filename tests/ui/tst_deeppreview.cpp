// The deep tab's answer within a second: a click first draws complete curves from a preview on
// kPreviewBatch vectors, marked as such, and the full batch then replaces them with the numbers a
// run without preview gives. The σ slider re-runs the preview as it is dragged, one run at a time
// with the newest σ winning, moves the mean-field curve at once, and marks the critical σ.

#include "common/curvelegend.h"
#include "experiments/deep/deeppanel.h"
#include "experiments/deep/deepworker.h"
#include "experiments/deep/sigmaslider.h"
#include "experiments/metatypes.h"
#include "experiments/workerthread.h"
#include "figures/deepfigures.h"
#include "figures/layerchart.h"

#include "initlab/meanfield.h"

#include <QCheckBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>

using namespace initlab;
using namespace initlab::ui;
using Chart = DeepFigures::Chart;

namespace {

constexpr int kDepth = 4;
constexpr int kWidth = 16;
constexpr int kTimeoutMs = 120000;

// The chart's values of one combination's measured curve, by layer ("" where unknown).
QStringList curveValues(const LayerChart* chart, const Combination& combination, const QString& series)
{
    QStringList values(chart->layerCount());
    const QString init = QString::fromLatin1(name(combination.init).data());
    const QString activation = QString::fromLatin1(name(combination.activation).data());
    for (const CsvTable& table : chart->figureTables())
        for (const QStringList& row : table.rows)
            if (row.value(0) == init && row.value(1) == activation && row.value(4) == series)
                values[row.value(2).toInt() - 1] = row.value(3);
    return values;
}

} // namespace

class TestDeepPreview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerMetaTypes(); }
    void init();
    void cleanup();

    void aClickDrawsAPreviewThenTheFullBatchReplacesIt();
    void smallBatchesRunWithoutPreview();
    void cancelDuringThePreviewLeavesThePanelUsable();
    void sliderCoalescesABurstIntoAtMostTwoRuns();
    void sliderMovesTheMeanFieldCurveAtOnce();
    void sliderMarksTheCriticalSigma();

private:
    std::unique_ptr<WorkerThread<DeepWorker>> m_thread;
    std::unique_ptr<DeepPanel> m_panel;
};

void TestDeepPreview::init()
{
    m_thread = std::make_unique<WorkerThread<DeepWorker>>();
    m_panel = std::make_unique<DeepPanel>(m_thread->worker());
    m_panel->setDepth(kDepth);
    m_panel->setWidth(kWidth);
    m_panel->setBatch(2000);
    m_panel->resize(1400, 900);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestDeepPreview::cleanup()
{
    QVERIFY(m_thread->stop(kTimeoutMs));
    m_panel.reset();
    m_thread.reset();
}

void TestDeepPreview::aClickDrawsAPreviewThenTheFullBatchReplacesIt()
{
    const Combination cell{InitScheme::XavierUniform, Activation::Tanh};
    const LayerChart* stdChart = m_panel->figures()->chart(Chart::ActivationStd);
    QSignalSpy phases(m_thread->worker(), &DeepWorker::phaseStarted);
    QSignalSpy finished(m_panel.get(), &DeepPanel::runFinished);
    bool checkedPreview = false;
    QStringList previewValues;
    connect(m_panel.get(), &DeepPanel::previewShown, this, [&](qint64 ms) {
        // Complete curves, marked as a preview, before the full batch has measured anything.
        checkedPreview = true;
        QVERIFY(ms >= 0);
        QVERIFY(m_panel->figures()->isPreview());
        QVERIFY2(m_panel->figures()->legend()->names().join(u'|').contains(QStringLiteral("preview, 500 vectors")),
                 qPrintable(m_panel->figures()->legend()->names().join(u'|')));
        previewValues = curveValues(stdChart, cell, QStringLiteral("measured"));
        QCOMPARE(stdChart->plottedPointCount(m_panel->figures()->curveOf(cell, Chart::ActivationStd)), kDepth);
    });
    QVERIFY(m_panel->clickCombination(cell));
    QVERIFY(finished.wait(kTimeoutMs));
    QVERIFY(checkedPreview);
    QCOMPARE(phases.size(), 2);
    QCOMPARE(phases.at(0).at(0).toBool(), true);
    QCOMPARE(phases.at(1).at(0).toBool(), false);
    QVERIFY(m_panel->previewMs() >= 0);
    QVERIFY(!m_panel->figures()->isPreview());
    QVERIFY(!m_panel->figures()->legend()->names().join(u'|').contains(QStringLiteral("preview")));

    // The full batch's numbers, exactly those of a run of the same config without preview.
    const DeepResult result = finished.at(0).at(0).value<DeepResult>();
    QCOMPARE(result.combinations.size(), std::size_t(1));
    DeepConfig direct = m_panel->runConfig();
    QCOMPARE(direct.batch, 2000);
    CancelFlag cancel{false};
    const DeepResult expected = runDeepPropagation(direct, nullptr, cancel);
    const QStringList shown = curveValues(stdChart, cell, QStringLiteral("measured"));
    for (int l = 0; l < kDepth; ++l) {
        QCOMPARE(result.combinations[0].layers[std::size_t(l)].actStd, expected.combinations[0].layers[std::size_t(l)].actStd);
        QCOMPARE(shown[l], QString::number(expected.combinations[0].layers[std::size_t(l)].actStd, 'g', 9));
        // The preview measured the same net on fewer vectors: close, not equal.
        QVERIFY(!previewValues[l].isEmpty());
        QVERIFY(std::abs(previewValues[l].toDouble() / shown[l].toDouble() - 1.0) < 0.15);
    }
    QVERIFY(previewValues != shown);
}

void TestDeepPreview::smallBatchesRunWithoutPreview()
{
    m_panel->setBatch(kPreviewBatch);
    QSignalSpy phases(m_thread->worker(), &DeepWorker::phaseStarted);
    QSignalSpy previews(m_panel.get(), &DeepPanel::previewShown);
    QSignalSpy finished(m_panel.get(), &DeepPanel::runFinished);
    QVERIFY(m_panel->clickCombination({InitScheme::KaimingNormal, Activation::Relu}));
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(previews.size(), 0);
    QCOMPARE(phases.size(), 1);
    QCOMPARE(phases.at(0).at(0).toBool(), false);
    QCOMPARE(m_panel->previewMs(), qint64(-1));
}

void TestDeepPreview::cancelDuringThePreviewLeavesThePanelUsable()
{
    m_panel->setDepth(60);
    m_panel->setWidth(64);
    QSignalSpy finished(m_panel.get(), &DeepPanel::runFinished);
    QSignalSpy previews(m_panel.get(), &DeepPanel::previewShown);
    connect(m_thread->worker(), &DeepWorker::phaseStarted, m_panel.get(), [this](bool preview) {
        if (preview)
            m_panel->cancel();
    });
    QVERIFY(m_panel->clickCombination({InitScheme::XavierNormal, Activation::Tanh}));
    QVERIFY(finished.wait(kTimeoutMs));
    const DeepResult result = finished.at(0).at(0).value<DeepResult>();
    QVERIFY(result.cancelled);
    QVERIFY(result.combinations.empty());
    QCOMPARE(previews.size(), 0);
    QVERIFY(!m_panel->isRunning());
    // And the next click runs.
    disconnect(m_thread->worker(), &DeepWorker::phaseStarted, m_panel.get(), nullptr);
    m_panel->setDepth(kDepth);
    m_panel->setWidth(kWidth);
    QVERIFY(m_panel->clickCombination({InitScheme::XavierNormal, Activation::Tanh}));
    QVERIFY(finished.wait(kTimeoutMs));
    QVERIFY(!finished.last().at(0).value<DeepResult>().cancelled);
}

void TestDeepPreview::sliderCoalescesABurstIntoAtMostTwoRuns()
{
    SigmaSlider* slider = m_panel->sigmaSlider();
    slider->setActivation(Activation::Tanh);
    QSignalSpy finished(m_panel.get(), &DeepPanel::runFinished);
    // A burst of twenty positions, as a fast drag sends them, all before the first preview returns.
    int position = SigmaSlider::positionOf(0.05);
    for (int i = 0; i < 20; ++i)
        slider->slider()->setValue(position + 10 * i);
    const double last = SigmaSlider::sigmaAt(position + 10 * 19);
    QVERIFY(m_panel->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isRunning() && finished.size() >= 1, kTimeoutMs);
    QTest::qWait(200); // a third run would have started by now
    QVERIFY(!m_panel->isRunning());
    QVERIFY2(finished.size() <= 2, qPrintable(QString::number(finished.size())));
    QCOMPARE(finished.size(), 2); // the first position, then the newest
    // The newest σ ran last, on the Normal row's cell of the slider's activation, as a preview.
    QCOMPARE(m_panel->runConfig().normalStd, last);
    QCOMPARE(m_panel->runConfig().batch, kPreviewBatch);
    QCOMPARE(m_panel->runConfig().combinations.size(), std::size_t(1));
    QCOMPARE(m_panel->runConfig().combinations[0], (Combination{InitScheme::Normal, Activation::Tanh}));
    QVERIFY(m_panel->figures()->isPreview());
    QCOMPARE(m_panel->config().normalStd, last); // the σ field follows the slider
}

void TestDeepPreview::sliderMovesTheMeanFieldCurveAtOnce()
{
    SigmaSlider* slider = m_panel->sigmaSlider();
    slider->setActivation(Activation::Relu);
    QSignalSpy finished(m_panel.get(), &DeepPanel::runFinished);
    slider->slider()->setValue(SigmaSlider::positionOf(0.3));
    QVERIFY(finished.wait(kTimeoutMs));
    const Combination cell{InitScheme::Normal, Activation::Relu};
    const LayerChart* stdChart = m_panel->figures()->chart(Chart::ActivationStd);
    QVERIFY(m_panel->findChild<QCheckBox*>(QStringLiteral("theoryToggle"))->isChecked());

    // A new σ: the dashed curve shows its prediction before any run has returned.
    const int position = SigmaSlider::positionOf(0.5);
    slider->slider()->setValue(position);
    QVERIFY(m_panel->isRunning());
    const std::vector<double> predicted =
        meanFieldActivationStd(Activation::Relu, SigmaSlider::sigmaAt(position), kWidth, kDepth);
    const QStringList theory = curveValues(stdChart, cell, QStringLiteral("theory"));
    for (int l = 0; l < kDepth; ++l)
        QCOMPARE(theory[l], QString::number(predicted[std::size_t(l)], 'g', 9));
    QVERIFY(finished.wait(kTimeoutMs));
}

void TestDeepPreview::sliderMarksTheCriticalSigma()
{
    SigmaSlider* slider = m_panel->sigmaSlider();
    slider->setActivation(Activation::Tanh);
    QCOMPARE(slider->criticalSigma(), 0.25); // sqrt(1 / 16)
    QCOMPARE(slider->slider()->mark(), SigmaSlider::positionOf(0.25));
    QVERIFY(slider->criticalLabel()->text().contains(QStringLiteral("0.25")));
    slider->setActivation(Activation::Relu);
    QVERIFY(std::abs(slider->criticalSigma() - std::sqrt(2.0 / 16)) < 1e-15);
    m_panel->setWidth(512);
    QVERIFY(std::abs(slider->criticalSigma() - 0.0625) < 1e-15);
    QVERIFY(slider->criticalLabel()->text().contains(QStringLiteral("0.0625")));
    slider->setActivation(Activation::Sigmoid);
    QVERIFY(std::isnan(slider->criticalSigma()));
    QCOMPARE(slider->slider()->mark(), -1);
    QVERIFY(slider->criticalLabel()->text().contains(QStringLiteral("No critical")));
    // Positions and σ round-trip on the log scale.
    for (const double sigma : {0.001, 0.0442, 0.1, 1.0, 3.0})
        QVERIFY(std::abs(SigmaSlider::sigmaAt(SigmaSlider::positionOf(sigma)) / sigma - 1.0) < 0.005);
}

QTEST_MAIN(TestDeepPreview)
#include "tst_deeppreview.moc"
