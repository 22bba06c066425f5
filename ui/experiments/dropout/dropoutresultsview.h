#pragma once
// DropoutResultsView is the dropout tab's right side, three pages: the training curves (four of
// DropoutFigures' charts), the ensembles (its accuracy-vs-T chart and Table I) and the uncertainty
// (gallery and confusion matrix). It is fed a run's events, or a recorded result at once, and keeps
// what each p of the shown run has become.

#include "dropoutworker.h"

#include "figures/chartexport.h"

#include "initlab/dropout.h"

#include <QTabWidget>

#include <optional>
#include <vector>

namespace initlab::ui {

class DropoutFigures;
class EnsemblePage;
class UncertaintyPage;

class DropoutResultsView : public QTabWidget
{
    Q_OBJECT

public:
    explicit DropoutResultsView(QWidget* parent = nullptr);

    // A run (or a checkpoint evaluation) of config on these data begins: the earlier results go,
    // the charts get a curve and Table I a row per p.
    void beginRun(const initlab::DropoutConfig& config, const DataSummary& data);
    void addEpoch(const initlab::DropoutEpoch& epoch);
    // The running ensemble accuracy, on the chart and in Table I.
    void addEnsemblePoint(int run, int passes, double accuracy);
    // p number run is scored (or stopped): its curve, its row, its gallery and matrices.
    void addRunResult(int run, const initlab::DropoutRunResult& result);
    // Shows a whole result as a run of config on the data of the last run would have ended.
    void showResult(const initlab::DropoutConfig& config, const initlab::DropoutResult& result);
    // After a cancel: the rows of the ps never scored say so.
    void markUnscored();
    void refresh();

    // While nothing is shown, the table's caption follows the averaging setting.
    void setAveraging(bool averageProbabilities);
    void setPlaceholders(const QString& gallery, const QString& confusion);

    // True until the first run begins.
    bool isEmpty() const;
    // The ps of the shown run whose sweep reached its largest ensemble.
    int completedCount() const;
    // The data of the shown run.
    const DataSummary& runData() const;
    DropoutFigures* figures() const;
    // The five charts and the confusion matrix, with their export file names.
    QList<NamedFigure> exportFigures() const;

private:
    QWidget* buildTrainingPage();
    void prepare(const initlab::DropoutConfig& config, const DataSummary& data);
    void keepResult(int run, const initlab::DropoutRunResult& result);

    DropoutFigures* m_figures = nullptr;
    EnsemblePage* m_ensembles = nullptr;
    UncertaintyPage* m_uncertainty = nullptr;
    DataSummary m_data; // of the shown run: its class names and image size
    bool m_empty = true;
    std::vector<std::optional<initlab::DropoutRunResult>> m_results; // per p of the shown run
};

} // namespace initlab::ui
