#include "dropoutfigures.h"

#include "dropoutchart.h"

#include "common/palette.h"

#include <QPointF>
#include <QVector>

#include <algorithm>
#include <limits>

namespace initlab::ui {
namespace {

constexpr std::array kEpochCharts{DropoutFigures::Chart::TrainingLoss, DropoutFigures::Chart::TrainingAccuracy,
                                  DropoutFigures::Chart::ValidationLoss, DropoutFigures::Chart::ValidationAccuracy};

int largestEnsemble(const DropoutConfig& config)
{
    return config.ensembleSizes.empty() ? 1 : config.ensembleSizes.back();
}

} // namespace

DropoutFigures::DropoutFigures(QObject* parent)
    : QObject(parent)
{
    setObjectName(QStringLiteral("dropoutFigures"));
    for (int which = 0; which < int(m_charts.size()); ++which)
        m_charts[std::size_t(which)] = makeChart(Chart(which));
    for (const NamedFigure& figure : exportFigures())
        chartexport::setExportName(static_cast<DropoutChart*>(figure.figure), figure.baseName);
    // The CSV as the README's contract names it: accuracies as fractions, the one-pass accuracy as
    // passes "single".
    const QStringList pColumn{QStringLiteral("p")};
    for (const Chart which : {Chart::TrainingLoss, Chart::ValidationLoss}) {
        chart(which)->setValueLimits(0.0, std::numeric_limits<double>::infinity());
        chart(which)->setDataColumns(pColumn, QStringLiteral("epoch"), QStringLiteral("value"));
    }
    for (const Chart which : {Chart::TrainingAccuracy, Chart::ValidationAccuracy}) {
        chart(which)->setValueLimits(0.0, 100.0);
        chart(which)->setValueFormat(QStringLiteral(" %"), 2);
        chart(which)->setDataColumns(pColumn, QStringLiteral("epoch"), QStringLiteral("value"), 0.01);
    }
    DropoutChart* ensemble = chart(Chart::EnsembleAccuracy);
    ensemble->setValueLimits(0.0, 100.0);
    ensemble->setValueFormat(QStringLiteral(" %"), 2);
    ensemble->setDataColumns(pColumn, QStringLiteral("passes"), QStringLiteral("test_acc"), 0.01,
                             QStringLiteral("single"));
    refresh();
}

DropoutFigures::~DropoutFigures()
{
    for (const QPointer<DropoutChart>& chart : m_charts)
        if (chart && !chart->parent())
            delete chart.data();
}

DropoutChart* DropoutFigures::makeChart(Chart which)
{
    using XScale = DropoutChart::XScale;
    DropoutChart* chart = nullptr;
    switch (which) {
    case Chart::TrainingLoss:
        chart = new DropoutChart(tr("Training loss"), tr("epoch"), tr("cross-entropy"), XScale::Linear);
        chart->setObjectName(QStringLiteral("trainingLossChart"));
        chart->setToolTip(tr("Mean cross-entropy over the epoch's training steps, with dropout on (the thinned nets "
                             "being trained)."));
        break;
    case Chart::TrainingAccuracy:
        chart = new DropoutChart(tr("Training accuracy"), tr("epoch"), tr("accuracy (%)"), XScale::Linear);
        chart->setObjectName(QStringLiteral("trainingAccuracyChart"));
        chart->setToolTip(tr("Share of training images classified right during the epoch, with dropout on: lower "
                             "than the net's real accuracy when p is large."));
        break;
    case Chart::ValidationLoss:
        chart = new DropoutChart(tr("Validation loss"), tr("epoch"), tr("cross-entropy"), XScale::Linear);
        chart->setObjectName(QStringLiteral("validationLossChart"));
        chart->setToolTip(tr("Cross-entropy on the validation images after the epoch, dropout off. Rising while the "
                             "training loss falls is overfitting, which dropout delays."));
        break;
    case Chart::ValidationAccuracy:
        chart = new DropoutChart(tr("Validation accuracy"), tr("epoch"), tr("accuracy (%)"), XScale::Linear);
        chart->setObjectName(QStringLiteral("validationAccuracyChart"));
        chart->setToolTip(tr("Accuracy on the validation images after the epoch, dropout off. The epoch with the "
                             "best value is the checkpoint the ensembles use."));
        break;
    case Chart::EnsembleAccuracy:
        chart = new DropoutChart(tr("Test accuracy of MC-dropout ensembles"), tr("passes T"), tr("test accuracy (%)"),
                                 XScale::Log);
        chart->setObjectName(QStringLiteral("ensembleAccuracyChart"));
        chart->setToolTip(tr("Solid: accuracy of the mean of the first T dropout-on passes over the test images "
                             "(one sweep, read at every T). Dashed: one pass with dropout off, in the same colour."));
        break;
    }
    return chart;
}

void DropoutFigures::beginRun(const DropoutConfig& config)
{
    for (const QPointer<DropoutChart>& chart : m_charts)
        chart->clear();
    refresh();
    m_ps = config.ps;
    for (std::size_t run = 0; run < m_ps.size(); ++run)
        for (const QPointer<DropoutChart>& chart : m_charts)
            chart->setCurveKeys(chart->addCurve(pName(int(run)), colorOf(int(run))), {pText(m_ps[run])});
    for (const Chart which : kEpochCharts)
        chart(which)->setXRange(1.0, std::max(2, config.epochs));
    chart(Chart::EnsembleAccuracy)->setXRange(1.0, std::max(2, largestEnsemble(config)));
}

void DropoutFigures::addEpoch(const DropoutEpoch& epoch)
{
    if (epoch.run < 0 || epoch.run >= pCount())
        return;
    const double x = epoch.epoch;
    chart(Chart::TrainingLoss)->appendPoint(epoch.run, QPointF(x, epoch.trainLoss));
    chart(Chart::TrainingAccuracy)->appendPoint(epoch.run, QPointF(x, 100.0 * epoch.trainAcc));
    chart(Chart::ValidationLoss)->appendPoint(epoch.run, QPointF(x, epoch.valLoss));
    chart(Chart::ValidationAccuracy)->appendPoint(epoch.run, QPointF(x, 100.0 * epoch.valAcc));
}

void DropoutFigures::addEnsemblePoint(int run, int passes, double accuracy)
{
    if (run < 0 || run >= pCount())
        return;
    chart(Chart::EnsembleAccuracy)->appendPoint(run, QPointF(passes, 100.0 * accuracy));
}

void DropoutFigures::addRunResult(int run, const DropoutRunResult& result)
{
    if (run < 0 || run >= pCount())
        return;
    DropoutChart* ensemble = chart(Chart::EnsembleAccuracy);
    QVector<QPointF> curve;
    curve.reserve(qsizetype(result.ensembleAcc.size()));
    for (std::size_t t = 0; t < result.ensembleAcc.size(); ++t)
        curve.append(QPointF(double(t + 1), 100.0 * result.ensembleAcc[t]));
    ensemble->setPoints(run, curve);
    if (result.bestEpoch > 0 && !result.ensembleAcc.empty()) {
        const int line = ensemble->addReferenceLine(tr("%1, one pass with dropout off").arg(pName(run)), colorOf(run),
                                                    100.0 * result.singlePassAcc);
        ensemble->setCurveKeys(line, {pText(m_ps[std::size_t(run)])});
    }
}

void DropoutFigures::refresh()
{
    for (const QPointer<DropoutChart>& chart : m_charts)
        chart->refresh();
}

void DropoutFigures::showResult(const DropoutConfig& config, const DropoutResult& result)
{
    DropoutConfig shown = config;
    shown.ps.clear();
    for (const DropoutRunResult& run : result.runs)
        shown.ps.push_back(run.p);
    beginRun(shown);
    for (std::size_t run = 0; run < result.runs.size(); ++run)
        for (DropoutEpoch epoch : result.runs[run].history) {
            epoch.run = int(run);
            addEpoch(epoch);
        }
    for (std::size_t run = 0; run < result.runs.size(); ++run)
        addRunResult(int(run), result.runs[run]);
    refresh();
}

void DropoutFigures::showEpochRange(int epochs)
{
    if (!m_ps.empty())
        return;
    for (const Chart which : kEpochCharts)
        chart(which)->setXRange(1.0, std::max(2, epochs));
    refresh();
}

DropoutChart* DropoutFigures::chart(Chart which) const
{
    return m_charts[std::size_t(which)];
}

QList<NamedFigure> DropoutFigures::exportFigures() const
{
    return {{QStringLiteral("dropout_train_loss"), chart(Chart::TrainingLoss)},
            {QStringLiteral("dropout_train_accuracy"), chart(Chart::TrainingAccuracy)},
            {QStringLiteral("dropout_validation_loss"), chart(Chart::ValidationLoss)},
            {QStringLiteral("dropout_validation_accuracy"), chart(Chart::ValidationAccuracy)},
            {QStringLiteral("dropout_ensemble_accuracy"), chart(Chart::EnsembleAccuracy)}};
}

int DropoutFigures::pCount() const
{
    return int(m_ps.size());
}

QString DropoutFigures::pName(int run) const
{
    return run >= 0 && run < pCount() ? pLabel(m_ps[std::size_t(run)]) : QString();
}

QColor DropoutFigures::colorOf(int run)
{
    return categoricalColor(std::max(0, run));
}

QString DropoutFigures::pText(double p)
{
    return QString::number(p, 'g', 6);
}

QString DropoutFigures::pLabel(double p)
{
    return tr("p = %1").arg(pText(p));
}

} // namespace initlab::ui
