#pragma once
// EnsemblePage is the dropout tab's "Ensembles (Table I)" page: the accuracy-vs-T chart, a note on
// what its solid and dashed lines are, and Table I, the test accuracy of each p's best checkpoint
// with one dropout-off pass and with the MC-dropout ensembles of the listed sizes T.

#include "initlab/dropout.h"

#include <QString>
#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
class QTableWidget;
QT_END_NAMESPACE

namespace initlab::ui {

class DropoutFigures;

class EnsemblePage : public QWidget
{
    Q_OBJECT

public:
    // Places the figures' ensemble chart above the note and the table.
    explicit EnsemblePage(const DropoutFigures& figures, QWidget* parent = nullptr);

    // An empty table, room for three rows.
    void clear();
    // A row per p of config (named and coloured as the figures name and colour it), a column for
    // one pass and one per ensemble size, every cell empty.
    void setUpTable(const initlab::DropoutConfig& config);
    // The running accuracy after `passes` passes, when that is a column of the table.
    void setEnsembleAccuracy(int run, int passes, double accuracy);
    // The row of a scored p (or why it has nothing to show).
    void fillRow(int run, const initlab::DropoutRunResult& result);
    // The row of a p that was never scored.
    void markUnscored(int run);
    // The caption names what the ensembles average.
    void setAveraging(bool averageProbabilities);
    // The ensemble sizes of the table's columns after "one pass".
    const std::vector<int>& columnSizes() const;

private:
    void fitTable();
    void setCell(int run, int column, const QString& text, const QString& toolTip);

    const DropoutFigures& m_figures;
    QLabel* m_caption = nullptr;
    QTableWidget* m_table = nullptr;
    std::vector<int> m_sizes;
};

} // namespace initlab::ui
