#pragma once
// CirclesSummaryTable lists, per (normalization, init scheme) of a finished run, what its seeds
// achieved: mean ± sd test accuracy, the success rate against a threshold, the best seed, dead
// hidden units and divergences. It is what tells "this scheme fails" from "this seed was unlucky".
// Rows can be sorted by any column; activating a row asks the tab to show its best seed.

#include "initlab/circles.h"

#include <QTableWidget>

#include <optional>
#include <vector>

namespace initlab::ui {

class CirclesSummaryTable : public QTableWidget {
    Q_OBJECT

public:
    enum Column {
        NormalizationColumn,
        InitColumn,
        TestAccuracyColumn,
        SuccessColumn,
        BestSeedColumn,
        DeadUnitsColumn,
        DivergedColumn,
        ColumnCount
    };

    explicit CirclesSummaryTable(QWidget* parent = nullptr);

    // rows come from initlab::summarize(result, threshold); result gives the per-model details.
    void setSummary(const std::vector<CirclesSummaryRow>& rows, const CirclesResult& result, double threshold,
                    double scaledFactor, double normalStd, int hiddenUnits);
    void clearSummary();

    int summaryCount() const;
    // The summary row shown in a table row (the table may be sorted), or nullopt.
    std::optional<CirclesSummaryRow> summaryAt(int tableRow) const;
    int tableRowOf(Normalization normalization, InitScheme init) const;
    // Selects the setting's row without emitting groupActivated.
    void selectGroup(Normalization normalization, InitScheme init);

Q_SIGNALS:
    // The user picked a row (click or keyboard).
    void groupActivated(initlab::Normalization normalization, initlab::InitScheme init);
    // The user clicked a row's dead-unit count (after groupActivated).
    void deadUnitsActivated(initlab::Normalization normalization, initlab::InitScheme init);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void setSettingItems(int tableRow, const CirclesSummaryRow& row, double scaledFactor, double normalStd);
    void setThresholdHeader(double threshold);
    // Each column as wide as its contents, the spare width shared by all of them: one wide column
    // on a big screen reads badly, and a narrow screen should not need sideways scrolling.
    void fitColumns();
    // Text colours that read on the palette's base (the colours of a dark palette are lighter).
    bool isDark() const;

    std::vector<CirclesSummaryRow> m_rows;
    bool m_selecting = false;
};

} // namespace initlab::ui
