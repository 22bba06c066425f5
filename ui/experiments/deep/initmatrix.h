#pragma once
// InitMatrix is the Deep tab's init scheme x activation table: one row per scheme, one column per
// activation. A plain click on a cell asks to run that combination; Ctrl/Shift-click and dragging
// only select, so several cells can be run together. A cell that has run shows the std of the last
// layer's activations and is coloured by its log10 (see colorbar.h).

#include "initlab/deeppropagation.h"
#include "initlab/initscheme.h"

#include <QTableWidget>

#include <optional>
#include <vector>

namespace initlab::ui {

class InitMatrix : public QTableWidget
{
    Q_OBJECT

public:
    explicit InitMatrix(QWidget* parent = nullptr);

    int rowOf(InitScheme scheme) const;
    int columnOf(Activation activation) const;
    Combination combinationAt(int row, int column) const;
    QTableWidgetItem* itemFor(const Combination& combination) const;

    // In column order (activation, then scheme), which is the order the report lists its seven.
    std::vector<Combination> selectedCombinations() const;
    void selectCombinations(const std::vector<Combination>& combinations);

    // lastActStd: the std of the last layer's activations; runSettings: a line saying what ran.
    void setResult(const Combination& combination, double lastActStd, const QString& runSettings);
    // The last layer's fraction of saturated units and of units exactly zero, for the tooltip of a
    // cell that has run (setResult forgets them).
    void setLastLayerShares(const Combination& combination, double saturatedFrac, double zeroFrac);
    bool hasResult(const Combination& combination) const;
    double resultOf(const Combination& combination) const; // NaN when it has not run
    void clearResults();

    // Marks the combination being computed (a dashed frame); nullopt clears the mark.
    void setRunningCombination(std::optional<Combination> combination);
    void setNormalStd(double sigma);

Q_SIGNALS:
    void combinationClicked(const initlab::Combination& combination);
    // Enter or Return: run what is selected.
    void runSelectionRequested();

protected:
    void changeEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void updateHeaders();
    void updateCellToolTip(int row, int column);
    static QString percentText(double fraction);

    double m_normalStd = 0.1;
    Qt::KeyboardModifiers m_pressModifiers;
};

} // namespace initlab::ui
