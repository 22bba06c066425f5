#include "circlessummarytable.h"

#include "common/formatting.h"
#include "common/palette.h"
#include "common/names.h"

#include <QHeaderView>
#include <QSignalBlocker>

#include <algorithm>
#include <limits>

namespace initlab::ui {
namespace {

constexpr int kSummaryIndexRole = Qt::UserRole;
constexpr int kSortKeyRole = Qt::UserRole + 1;

// Sorts by a number where the text alone ("91.2 ± 8.1 %") would sort as a string.
class SummaryItem : public QTableWidgetItem {
public:
    SummaryItem(const QString& text, double sortKey)
        : QTableWidgetItem(text)
    {
        setData(kSortKeyRole, sortKey);
        setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    }

    bool operator<(const QTableWidgetItem& other) const override
    {
        const QVariant mine = data(kSortKeyRole);
        const QVariant theirs = other.data(kSortKeyRole);
        if (mine.isValid() && theirs.isValid() && mine.toDouble() != theirs.toDouble())
            return mine.toDouble() < theirs.toDouble();
        return text() < other.text();
    }
};

QTableWidgetItem* accuracyItem(const CirclesSummaryRow& row)
{
    const QString accuracy = row.seeds > 1
        ? QStringLiteral("%1 ± %2 %").arg(row.meanTestAcc * 100.0, 0, 'f', 1).arg(row.sdTestAcc * 100.0, 0, 'f', 1)
        : percentText(row.meanTestAcc);
    auto* item = new SummaryItem(accuracy, row.meanTestAcc);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QTableWidgetItem* successItem(const CirclesSummaryRow& row, double threshold, bool dark)
{
    const int successes = int(std::lround(row.successRate * row.seeds));
    auto* success = new SummaryItem(row.seeds > 1 ? CirclesSummaryTable::tr("%1/%2").arg(successes).arg(row.seeds)
                                                  : (successes > 0 ? CirclesSummaryTable::tr("yes")
                                                                   : CirclesSummaryTable::tr("no")),
                                    row.successRate);
    success->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Green for all seeds, red for none: the pattern over the table is visible at a glance.
    const QColor allSucceeded = dark ? QColor(0x5c, 0xc8, 0x74) : QColor(0x1b, 0x7a, 0x2e);
    const QColor noneSucceeded = dark ? QColor(0xff, 0x70, 0x7c) : QColor(0xb0, 0x00, 0x20);
    const QColor someSucceeded = dark ? QColor(0xe8, 0xa8, 0x30) : QColor(0x8a, 0x5a, 0x00);
    success->setForeground(row.successRate >= 1.0   ? allSucceeded
                           : row.successRate <= 0.0 ? noneSucceeded
                                                    : someSucceeded);
    success->setToolTip(CirclesSummaryTable::tr("%1 of %2 seed(s) reached a test accuracy of at least %3 (%4).")
                            .arg(successes)
                            .arg(row.seeds)
                            .arg(threshold, 0, 'g', 4)
                            .arg(percentText(row.successRate, 0)));
    return success;
}

QTableWidgetItem* bestSeedItem(const CirclesSummaryRow& row, const std::vector<ModelResult>& models)
{
    const bool known = row.bestModel >= 0 && std::size_t(row.bestModel) < models.size();
    const double bestAccuracy = known ? models[std::size_t(row.bestModel)].testAcc : 0.0;
    auto* best = new SummaryItem(CirclesSummaryTable::tr("%1 (%2)").arg(row.bestSeed).arg(percentText(bestAccuracy)),
                                 bestAccuracy);
    best->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (known)
        best->setToolTip(CirclesSummaryTable::tr("Seed %1: best validation accuracy %2 at epoch %3, test accuracy %4.")
                             .arg(row.bestSeed)
                             .arg(percentText(models[std::size_t(row.bestModel)].bestValAcc))
                             .arg(models[std::size_t(row.bestModel)].bestEpoch)
                             .arg(percentText(bestAccuracy)));
    return best;
}

QTableWidgetItem* deadUnitsItem(const CirclesSummaryRow& row, int hiddenUnits)
{
    auto* dead = new SummaryItem(compactNumber(row.meanDeadUnits), row.meanDeadUnits);
    dead->setToolTip(CirclesSummaryTable::tr("%1 of the net's %2 hidden units, on average over the seeds. Click to "
                                             "see the best seed's hidden units at the last epoch, the dead ones "
                                             "marked, in \"Inside the net\".")
                         .arg(compactNumber(row.meanDeadUnits))
                         .arg(hiddenUnits));
    dead->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Looks like the link it is.
    QFont font = dead->font();
    font.setUnderline(true);
    dead->setFont(font);
    return dead;
}

// How many seeds diverged, and the first epoch one did.
QTableWidgetItem* divergedItem(const CirclesSummaryRow& row, const std::vector<ModelResult>& models, bool dark)
{
    int firstDiverged = 0;
    for (const ModelResult& model : models)
        if (model.key.normalization == row.normalization && model.key.init == row.init && model.divergedEpoch > 0)
            firstDiverged = firstDiverged == 0 ? model.divergedEpoch : std::min(firstDiverged, model.divergedEpoch);
    auto* diverged = new SummaryItem(row.diverged == 0
                                         ? QStringLiteral("0")
                                         : CirclesSummaryTable::tr("%1 (epoch %2)").arg(row.diverged).arg(firstDiverged),
                                     double(row.diverged));
    diverged->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (row.diverged > 0)
        diverged->setForeground(dark ? QColor(0xff, 0x70, 0x7c) : QColor(0xb0, 0x00, 0x20));
    return diverged;
}


} // namespace

CirclesSummaryTable::CirclesSummaryTable(QWidget* parent)
    : QTableWidget(parent)
{
    setObjectName(QStringLiteral("summaryTable"));
    // A little smaller than the surrounding text: seven columns share the width of two panes.
    QFont tableFont = font();
    tableFont.setPointSizeF(tableFont.pointSizeF() * 0.92);
    setFont(tableFont);
    setColumnCount(ColumnCount);
    // Two-line headers where the values are narrower than the words.
    setHorizontalHeaderLabels({tr("Normalization"), tr("Init"), tr("Test\naccuracy"), tr("Success"), tr("Best\nseed"),
                               tr("Dead\nunits"), tr("Diverged")});
    horizontalHeaderItem(NormalizationColumn)->setToolTip(tr("How the inputs were normalized."));
    horizontalHeaderItem(InitColumn)->setToolTip(tr("The weight-initialization scheme."));
    horizontalHeaderItem(TestAccuracyColumn)
        ->setToolTip(tr("Mean ± sample standard deviation over the seeds of the test accuracy of each seed's "
                        "best-validation weights."));
    horizontalHeaderItem(BestSeedColumn)
        ->setToolTip(tr("The seed with the highest test accuracy; its boundary is the one the big canvas shows "
                        "for this row."));
    horizontalHeaderItem(DeadUnitsColumn)
        ->setToolTip(tr("Hidden units whose output is zero on every training point with the final weights (a "
                        "\"dead ReLU\" never recovers: its gradient is zero too). Mean over seeds, of all hidden "
                        "units."));
    horizontalHeaderItem(DivergedColumn)
        ->setToolTip(tr("Seeds whose loss became NaN or infinite, and the first epoch it happened."));
    setThresholdHeader(0.95);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setSortingEnabled(true);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 3);
    verticalHeader()->setMinimumSectionSize(fontMetrics().height() + 3);
    horizontalHeader()->setStretchLastSection(false);
    setWordWrap(false);

    connect(this, &QTableWidget::itemSelectionChanged, this, [this] {
        if (m_selecting)
            return;
        const QList<QTableWidgetItem*> selected = selectedItems();
        if (selected.isEmpty())
            return;
        if (const auto row = summaryAt(selected.first()->row()))
            Q_EMIT groupActivated(row->normalization, row->init);
    });
    // A click on the row that is already selected shows it again (the canvas may show another).
    connect(this, &QTableWidget::cellClicked, this, [this](int tableRow, int column) {
        if (const auto row = summaryAt(tableRow)) {
            Q_EMIT groupActivated(row->normalization, row->init);
            if (column == DeadUnitsColumn)
                Q_EMIT deadUnitsActivated(row->normalization, row->init);
        }
    });
}

void CirclesSummaryTable::setSummary(const std::vector<CirclesSummaryRow>& rows, const CirclesResult& result,
                                     double threshold, double scaledFactor, double normalStd, int hiddenUnits)
{
    // Keep the selected setting selected across a recomputation (a new threshold).
    std::optional<CirclesSummaryRow> previous;
    if (!selectedItems().isEmpty())
        previous = summaryAt(selectedItems().first()->row());

    m_selecting = true;
    const bool sorting = isSortingEnabled();
    setSortingEnabled(false); // rows are filled by index; sorting would move them mid-way
    clearContents();
    m_rows = rows;
    setRowCount(int(rows.size()));
    setThresholdHeader(threshold);
    const bool dark = isDark();
    for (int r = 0; r < int(rows.size()); ++r) {
        const CirclesSummaryRow& row = rows[std::size_t(r)];
        setSettingItems(r, row, scaledFactor, normalStd);
        setItem(r, TestAccuracyColumn, accuracyItem(row));
        setItem(r, SuccessColumn, successItem(row, threshold, dark));
        setItem(r, BestSeedColumn, bestSeedItem(row, result.models));
        setItem(r, DeadUnitsColumn, deadUnitsItem(row, hiddenUnits));
        setItem(r, DivergedColumn, divergedItem(row, result.models, dark));
    }
    setSortingEnabled(sorting);
    m_selecting = false;
    if (previous)
        selectGroup(previous->normalization, previous->init);
    fitColumns();
}

// The normalization (which also remembers the summary row) and the init scheme in its colour.
void CirclesSummaryTable::setSettingItems(int r, const CirclesSummaryRow& row, double scaledFactor, double normalStd)
{
    auto* normalization
        = new SummaryItem(normalizationTitle(row.normalization, scaledFactor), double(int(row.normalization)));
    normalization->setData(kSummaryIndexRole, r);
    normalization->setToolTip(toQString(description(row.normalization)));
    setItem(r, NormalizationColumn, normalization);

    auto* init = new SummaryItem(schemeTitle(row.init, normalStd), double(int(row.init)));
    init->setForeground(isDark() ? schemeColor(row.init).lighter(140) : schemeColor(row.init).darker(115));
    QFont bold = init->font();
    bold.setBold(true);
    init->setFont(bold);
    init->setToolTip(toQString(formula(row.init)));
    setItem(r, InitColumn, init);
}

void CirclesSummaryTable::resizeEvent(QResizeEvent* event)
{
    QTableWidget::resizeEvent(event);
    fitColumns();
}

void CirclesSummaryTable::fitColumns()
{
    QHeaderView* header = horizontalHeader();
    std::vector<int> widths(static_cast<std::size_t>(columnCount()));
    int total = 0;
    for (int c = 0; c < columnCount(); ++c) {
        widths[std::size_t(c)] = std::max(sizeHintForColumn(c), header->sectionSizeHint(c));
        total += widths[std::size_t(c)];
    }
    const int spare = std::max(0, viewport()->width() - total);
    for (int c = 0; c < columnCount(); ++c)
        header->resizeSection(c, widths[std::size_t(c)] + spare / columnCount());
}

bool CirclesSummaryTable::isDark() const
{
    return palette().color(QPalette::Base).lightness() < 128;
}

void CirclesSummaryTable::clearSummary()
{
    m_selecting = true;
    clearContents();
    setRowCount(0);
    m_rows.clear();
    m_selecting = false;
    fitColumns();
}

int CirclesSummaryTable::summaryCount() const
{
    return int(m_rows.size());
}

std::optional<CirclesSummaryRow> CirclesSummaryTable::summaryAt(int tableRow) const
{
    const QTableWidgetItem* first = item(tableRow, NormalizationColumn);
    if (!first)
        return std::nullopt;
    const int index = first->data(kSummaryIndexRole).toInt();
    if (index < 0 || index >= int(m_rows.size()))
        return std::nullopt;
    return m_rows[std::size_t(index)];
}

int CirclesSummaryTable::tableRowOf(Normalization normalization, InitScheme init) const
{
    for (int r = 0; r < rowCount(); ++r)
        if (const auto row = summaryAt(r); row && row->normalization == normalization && row->init == init)
            return r;
    return -1;
}

void CirclesSummaryTable::selectGroup(Normalization normalization, InitScheme init)
{
    const int row = tableRowOf(normalization, init);
    m_selecting = true;
    if (row < 0)
        clearSelection();
    else
        selectRow(row);
    m_selecting = false;
}

void CirclesSummaryTable::setThresholdHeader(double threshold)
{
    // The threshold itself is in the spin box above the table; the header stays narrow.
    horizontalHeaderItem(SuccessColumn)->setText(tr("Success"));
    horizontalHeaderItem(SuccessColumn)
        ->setToolTip(tr("Seeds whose test accuracy is at least %1. Change the threshold above the table; the "
                        "table is recomputed.")
                         .arg(threshold, 0, 'g', 4));
}

} // namespace initlab::ui
