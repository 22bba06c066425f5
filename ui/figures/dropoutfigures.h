#pragma once
// DropoutFigures draws the dropout experiment's five charts: training loss, training accuracy,
// validation loss and validation accuracy per epoch, and the test accuracy of the MC-dropout
// ensemble against the number of passes T (log axis) with each p's one-pass accuracy as a dashed
// line. Each p has one colour on all five. It is fed either a live run's events (beginRun,
// addEpoch, addEnsemblePoint, addRunResult) or a whole result (showResult), through the same code.
//
// The charts sit on two pages of the tab, so this is not a widget itself: the tab places them, and
// the report exports them without any tab. Charts no widget has taken are deleted with it.

#include "chartexport.h"

#include "initlab/dropout.h"

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QString>

#include <array>
#include <vector>

namespace initlab::ui {

class DropoutChart;

class DropoutFigures : public QObject
{
    Q_OBJECT

public:
    enum class Chart { TrainingLoss, TrainingAccuracy, ValidationLoss, ValidationAccuracy, EnsembleAccuracy };

    explicit DropoutFigures(QObject* parent = nullptr);
    ~DropoutFigures() override;

    // A run of config begins: the charts are emptied, get a curve per p of config.ps and span its
    // epochs and ensemble sizes.
    void beginRun(const initlab::DropoutConfig& config);
    // One epoch of p number epoch.run: a point on each of the four epoch charts.
    void addEpoch(const initlab::DropoutEpoch& epoch);
    // The running ensemble accuracy of p number run after `passes` passes.
    void addEnsemblePoint(int run, int passes, double accuracy);
    // p number run is scored: its whole accuracy-vs-T curve and, when it has one, its one-pass line.
    void addRunResult(int run, const initlab::DropoutRunResult& result);
    // Pushes what changed to the charts (a run calls it on a ~30 Hz timer).
    void refresh();

    // Draws a whole result as a run of config would have, all at once: the ps are the result's.
    void showResult(const initlab::DropoutConfig& config, const initlab::DropoutResult& result);
    // Before the first run: the epoch charts span the epochs a run of this many would fill. Nothing
    // changes once a run has begun.
    void showEpochRange(int epochs);

    DropoutChart* chart(Chart which) const;
    // The five charts with their export file names ("dropout_train_loss").
    QList<NamedFigure> exportFigures() const;

    // How the ps of the running (or last) run are named and coloured: "p = 0.2", one colour per
    // index into its ps.
    int pCount() const;
    QString pName(int run) const;
    static QColor colorOf(int run);
    // "0.2", "p = 0.2".
    static QString pText(double p);
    static QString pLabel(double p);

private:
    DropoutChart* makeChart(Chart which);

    std::array<QPointer<DropoutChart>, 5> m_charts;
    std::vector<double> m_ps; // of the running (or last) run
};

} // namespace initlab::ui
