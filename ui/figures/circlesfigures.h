#pragma once
// CirclesFigures draws the circles lab's training curves: training loss, training accuracy and
// validation accuracy per epoch, one line per init scheme for the normalization being viewed, each
// line the mean over the seeds of its setting (a seed that diverged, NaN from then on, drops out of
// the mean), under one legend in the schemes' colours. It is fed either a live run's blocks of
// history (beginRun, appendHistory, refresh) or a whole result (showResult), through the same code;
// the tab shows it, and the report exports its charts without any tab.
//
// Beside it, the decision-boundary figure of one model of a result, which the tab's big canvas and
// the report draw alike.

#include "chartexport.h"

#include "initlab/circles.h"

#include <QVector>
#include <QWidget>

#include <array>
#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace initlab::ui {

class BoundaryCanvas;
class CirclesCurveChart;
class CurveLegend;

class CirclesFigures : public QWidget
{
    Q_OBJECT

public:
    enum class Chart { TrainLoss, TrainAccuracy, ValidationAccuracy };

    explicit CirclesFigures(QWidget* parent = nullptr);

    // A run of config begins: one empty curve per (normalization, init), normalization-major as the
    // runner orders its models.
    void beginRun(const CirclesConfig& config);
    // Appends a block of the running config's history (every model, a few epochs): each setting's
    // curves get the mean over its seeds. A block of another run's size is ignored.
    void appendHistory(const HistoryBlock& block);
    // Pushes what changed to the charts (a run calls it on a ~30 Hz timer).
    void refresh();
    // Draws a whole result as a run of config would have, all at once.
    void showResult(const CirclesConfig& config, const CirclesResult& result);

    // The normalization whose curves the charts show.
    void setViewedNormalization(Normalization normalization);
    Normalization viewedNormalization() const;
    // The epoch the tab's playback shows, as a vertical line on the three charts; 0 hides it.
    void setCursorEpoch(int epoch);
    // The epoch axis of the empty charts before any run.
    void setEpochsBeforeRun(int epochs);

    // True once a run began or a result was shown.
    bool hasRun() const;
    // The last epoch of history appended.
    int epochsDone() const;
    // One setting's curve (mean over its seeds per epoch); empty when the setting is not in the run.
    QVector<float> meanCurve(Normalization normalization, InitScheme init, Chart which) const;
    CirclesCurveChart* chart(Chart which) const;
    // Above the charts; a view that wants it elsewhere (the tab puts it above all its views) adds
    // it to its own layout, which takes it out of this one.
    CurveLegend* legend() const;
    // The three charts with their export file names ("circles_train_loss_standard").
    QList<NamedFigure> exportFigures() const;

private:
    // Per (normalization, init) of the run: its curves, mean over seeds.
    struct Group {
        Normalization normalization = Normalization::Raw;
        InitScheme init = InitScheme::Heuristic;
        std::array<QVector<float>, 3> curves; // by Chart
        bool changed = false;
    };

    void rebuildCharts();
    int groupIndex(Normalization normalization, InitScheme init) const; // -1 when not in the run

    std::array<CirclesCurveChart*, 3> m_charts{};
    CurveLegend* m_legend = nullptr;
    QLabel* m_curveNote = nullptr;
    CirclesConfig m_config;
    std::vector<Group> m_groups;
    std::vector<int> m_chartCurves; // per group, its curve on the charts; -1 when not shown
    Normalization m_viewNormalization = Normalization::Standard;
    int m_epochsBeforeRun = 1;
    int m_epochsDone = 0;
};

// One HistoryBlock with every epoch of every model of a result, NaN where a model's history ended
// early (it diverged).
HistoryBlock wholeHistory(const CirclesResult& result);

// "Standardized · Xavier uniform": the title of a setting's decision boundary.
QString boundaryTitle(Normalization normalization, InitScheme init, double scaledFactor, double normalStd);
// Shows one model of a result on canvas: its setting as title, the input-space bounds of config's
// data, the model's normalization, the training points of its seed (and the test points when
// withTest) and its boundary with the best-validation weights. The caption is the caller's.
void showModelBoundary(BoundaryCanvas& canvas, const CirclesConfig& config, const CirclesResult& result, int model,
                       bool withTest = false);
// The report's decision-boundary figure of one model of a result: showModelBoundary with the
// caption "seed S · best validation at epoch E · test X %", 640 × 640.
std::unique_ptr<BoundaryCanvas> boundaryFigure(const CirclesConfig& config, const CirclesResult& result, int model);

} // namespace initlab::ui
