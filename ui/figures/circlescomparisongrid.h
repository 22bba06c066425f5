#pragma once
// CirclesComparisonGrid shows one small decision-boundary canvas per (init scheme, normalization)
// of a run: schemes in rows, normalizations in columns, all on the same input-space axes, so the
// report's figures 8-11 (and every combination they left out) sit side by side and fill in live.
// Clicking a cell asks the tab to show that setting on its big canvas and curves.

#include "initlab/circles.h"

#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QGridLayout;
class QLabel;
QT_END_NAMESPACE

namespace initlab::ui {

class BoundaryCanvas;

class CirclesComparisonGrid : public QWidget {
    Q_OBJECT

public:
    explicit CirclesComparisonGrid(QWidget* parent = nullptr);

    // Shows a cell per row and column; every cell starts without an image and caption. The same
    // settings as shown keep the cells (emptied).
    void setSettings(const std::vector<InitScheme>& inits, const std::vector<Normalization>& normalizations,
                     double scaledFactor, double normalStd);

    int rowCount() const;
    int columnCount() const;
    InitScheme initOfRow(int row) const;
    Normalization normalizationOfColumn(int column) const;
    BoundaryCanvas* cell(int row, int column) const;
    // Null when the setting is not in the grid.
    BoundaryCanvas* cellFor(Normalization normalization, InitScheme init) const;
    int cellsWithImages() const;
    // Marks one cell (and its headers); -1 for none.
    void setSelected(int row, int column);
    int selectedRow() const;
    int selectedColumn() const;

Q_SIGNALS:
    void cellClicked(int row, int column);

private:
    QGridLayout* m_layout = nullptr;
    std::vector<InitScheme> m_inits;
    std::vector<Normalization> m_normalizations;
    double m_scaledFactor = 0.0;
    double m_normalStd = 0.0;
    std::vector<BoundaryCanvas*> m_cells; // row-major
    std::vector<QLabel*> m_rowHeaders;
    std::vector<QLabel*> m_columnHeaders;
    int m_selectedRow = -1;
    int m_selectedColumn = -1;
};

} // namespace initlab::ui
