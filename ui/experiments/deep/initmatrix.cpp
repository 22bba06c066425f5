#include "initmatrix.h"

#include "common/colorbar.h"
#include "common/formatting.h"
#include "common/names.h"

#include "initlab/meanfield.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPointF>
#include <QStyledItemDelegate>

#include <algorithm>
#include <cmath>
#include <limits>

namespace initlab::ui {
namespace {

constexpr int kResultRole = Qt::UserRole;        // double: std of the last layer's activations
constexpr int kHasResultRole = Qt::UserRole + 1; // bool
constexpr int kRunningRole = Qt::UserRole + 2;   // bool
constexpr int kSettingsRole = Qt::UserRole + 3;  // QString: what the result was run with
constexpr int kSharesRole = Qt::UserRole + 4;    // QPointF: the last layer's saturated and zero fractions

// Draws the result colour even on selected cells (a selection highlight would hide it) and shows
// selection as a frame instead; the running cell gets a dashed frame.
class MatrixCellDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyleOptionViewItem plain(option);
        const bool selected = plain.state & QStyle::State_Selected;
        plain.state &= ~(QStyle::State_Selected | QStyle::State_HasFocus);
        QStyledItemDelegate::paint(painter, plain, index);

        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, false);
        if (selected) {
            QPen pen(option.palette.color(QPalette::Highlight), 3);
            pen.setJoinStyle(Qt::MiterJoin);
            painter->setPen(pen);
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5));
        }
        if (index.data(kRunningRole).toBool()) {
            QPen pen(option.palette.color(QPalette::WindowText), 2, Qt::DashLine);
            painter->setPen(pen);
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(QRectF(option.rect).adjusted(4, 4, -4, -4));
            if (index.data(Qt::DisplayRole).toString().isEmpty())
                painter->drawText(option.rect, Qt::AlignCenter, QStringLiteral("…"));
        }
        painter->restore();
    }
};

constexpr int kShapeRole = Qt::UserRole; // on column headers: the QIcon of the activation's shape
const QSize kShapeSize(30, 18);

// Column header with the activation's shape drawn above its name. Qt's own header puts an icon
// beside the text, which would make the columns too wide for the panel.
class ActivationHeader final : public QHeaderView
{
public:
    explicit ActivationHeader(QWidget* parent)
        : QHeaderView(Qt::Horizontal, parent)
    {
        setDefaultAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        setSectionsClickable(true);
        setHighlightSections(true);
    }

protected:
    QSize sectionSizeFromContents(int logicalIndex) const override
    {
        QSize size = QHeaderView::sectionSizeFromContents(logicalIndex);
        size.setHeight(size.height() + kShapeSize.height() + 2);
        return size;
    }

    void paintSection(QPainter* painter, const QRect& rect, int logicalIndex) const override
    {
        painter->save();
        QHeaderView::paintSection(painter, rect, logicalIndex);
        painter->restore();
        const QIcon shape = model()->headerData(logicalIndex, orientation(), kShapeRole).value<QIcon>();
        if (shape.isNull())
            return;
        const QRect shapeRect(rect.center().x() - kShapeSize.width() / 2, rect.top() + 3, kShapeSize.width(),
                              kShapeSize.height());
        shape.paint(painter, shapeRect);
    }
};

// A small plot of the activation over x in [-3, 3], for the column header.
QIcon activationIcon(Activation activation, const QPalette& palette)
{
    const QSize size = kShapeSize;
    const qreal scale = 2.0; // drawn at twice the size so it stays sharp on high-DPI screens
    QPixmap pixmap(size * scale);
    pixmap.setDevicePixelRatio(scale);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const double xMin = -3.0, xMax = 3.0, yMin = -1.9, yMax = 3.1;
    const auto toPoint = [&](double x, double y) {
        return QPointF((x - xMin) / (xMax - xMin) * (size.width() - 1),
                       (yMax - y) / (yMax - yMin) * (size.height() - 1));
    };
    painter.setPen(QPen(QColor(160, 160, 160), 0.6));
    painter.drawLine(toPoint(xMin, 0.0), toPoint(xMax, 0.0));
    painter.drawLine(toPoint(0.0, yMin), toPoint(0.0, yMax));
    QPainterPath path;
    for (int i = 0; i <= 60; ++i) {
        const double x = xMin + (xMax - xMin) * i / 60.0;
        const double y = std::clamp(applyActivation(activation, x), yMin, yMax);
        if (i == 0)
            path.moveTo(toPoint(x, y));
        else
            path.lineTo(toPoint(x, y));
    }
    // Dark blue reads on a light header; a dark palette's header needs a light blue.
    const bool dark = palette.color(QPalette::Button).lightness() < 128;
    painter.setPen(QPen(dark ? QColor(0x7a, 0xb4, 0xff) : QColor(0x1f, 0x4e, 0x9a), 1.6));
    painter.drawPath(path);
    return QIcon(pixmap);
}

} // namespace

InitMatrix::InitMatrix(QWidget* parent)
    : QTableWidget(int(allInitSchemes().size()), int(allActivations().size()), parent)
{
    setObjectName(QStringLiteral("initMatrix"));
    setItemDelegate(new MatrixCellDelegate(this));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWordWrap(false);
    setHorizontalHeader(new ActivationHeader(this));
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 14);

    for (int row = 0; row < rowCount(); ++row) {
        setVerticalHeaderItem(row, new QTableWidgetItem);
        for (int column = 0; column < columnCount(); ++column) {
            auto* item = new QTableWidgetItem;
            item->setTextAlignment(Qt::AlignCenter);
            item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
            setItem(row, column, item);
        }
    }
    for (int column = 0; column < columnCount(); ++column) {
        const Activation activation = allActivations()[column];
        // "leaky ReLU" on two lines keeps every column narrow enough for the panel.
        auto* header = new QTableWidgetItem(activationTitle(activation).replace(QLatin1Char(' '), QLatin1Char('\n')));
        header->setData(kShapeRole, activationIcon(activation, palette()));
        setHorizontalHeaderItem(column, header);
    }
    updateHeaders();

    // Fits every cell without scrolling: the table is the tab's main control, not a list to browse.
    int widest = 0;
    for (int column = 0; column < columnCount(); ++column)
        widest = std::max(widest, horizontalHeader()->sectionSizeHint(column));
    widest = std::max(widest, fontMetrics().horizontalAdvance(QStringLiteral("8.8e-88")) + 12);
    horizontalHeader()->setMinimumSectionSize(widest);
    setMinimumWidth(verticalHeader()->sizeHint().width() + columnCount() * widest + 2 * frameWidth());
    const int height = horizontalHeader()->sizeHint().height() + rowCount() * verticalHeader()->defaultSectionSize()
        + 2 * frameWidth();
    setMinimumHeight(height);
    setMaximumHeight(height);

    connect(this, &QTableWidget::cellClicked, this, [this](int row, int column) {
        // A drag that ends in another cell emits no click; Ctrl/Shift clicks only change the selection.
        if (m_pressModifiers & (Qt::ControlModifier | Qt::ShiftModifier | Qt::MetaModifier))
            return;
        Q_EMIT combinationClicked(combinationAt(row, column));
    });
}

int InitMatrix::rowOf(InitScheme scheme) const
{
    const auto& all = allInitSchemes();
    return int(std::find(all.begin(), all.end(), scheme) - all.begin());
}

int InitMatrix::columnOf(Activation activation) const
{
    const auto& all = allActivations();
    return int(std::find(all.begin(), all.end(), activation) - all.begin());
}

Combination InitMatrix::combinationAt(int row, int column) const
{
    return {allInitSchemes().at(row), allActivations().at(column)};
}

QTableWidgetItem* InitMatrix::itemFor(const Combination& combination) const
{
    return item(rowOf(combination.init), columnOf(combination.activation));
}

std::vector<Combination> InitMatrix::selectedCombinations() const
{
    std::vector<Combination> combinations;
    for (int column = 0; column < columnCount(); ++column)
        for (int row = 0; row < rowCount(); ++row)
            if (item(row, column)->isSelected())
                combinations.push_back(combinationAt(row, column));
    return combinations;
}

void InitMatrix::selectCombinations(const std::vector<Combination>& combinations)
{
    clearSelection();
    for (const Combination& combination : combinations)
        itemFor(combination)->setSelected(true);
    if (!combinations.empty())
        setCurrentItem(itemFor(combinations.front()), QItemSelectionModel::NoUpdate);
}

void InitMatrix::setResult(const Combination& combination, double lastActStd, const QString& runSettings)
{
    QTableWidgetItem* cell = itemFor(combination);
    const double log10Std = lastActStd == 0.0 ? -std::numeric_limits<double>::infinity() : std::log10(lastActStd);
    const QColor background = signalColor(log10Std);
    cell->setData(kResultRole, lastActStd);
    cell->setData(kHasResultRole, true);
    cell->setData(kSettingsRole, runSettings);
    cell->setData(kSharesRole, QVariant()); // those of an earlier run no longer hold
    cell->setText(compactNumber(lastActStd));
    cell->setBackground(background);
    cell->setForeground(textColorOn(background));
    updateCellToolTip(rowOf(combination.init), columnOf(combination.activation));
}

void InitMatrix::setLastLayerShares(const Combination& combination, double saturatedFrac, double zeroFrac)
{
    QTableWidgetItem* cell = itemFor(combination);
    cell->setData(kSharesRole, QPointF(saturatedFrac, zeroFrac));
    updateCellToolTip(rowOf(combination.init), columnOf(combination.activation));
}

bool InitMatrix::hasResult(const Combination& combination) const
{
    return itemFor(combination)->data(kHasResultRole).toBool();
}

double InitMatrix::resultOf(const Combination& combination) const
{
    return hasResult(combination) ? itemFor(combination)->data(kResultRole).toDouble()
                                  : std::numeric_limits<double>::quiet_NaN();
}

void InitMatrix::clearResults()
{
    for (int row = 0; row < rowCount(); ++row) {
        for (int column = 0; column < columnCount(); ++column) {
            QTableWidgetItem* cell = item(row, column);
            cell->setData(kHasResultRole, QVariant());
            cell->setData(kResultRole, QVariant());
            cell->setData(kSettingsRole, QVariant());
            cell->setData(kSharesRole, QVariant());
            cell->setData(Qt::BackgroundRole, QVariant());
            cell->setData(Qt::ForegroundRole, QVariant());
            cell->setText(QString());
            updateCellToolTip(row, column);
        }
    }
}

void InitMatrix::setRunningCombination(std::optional<Combination> combination)
{
    for (int row = 0; row < rowCount(); ++row)
        for (int column = 0; column < columnCount(); ++column)
            item(row, column)->setData(kRunningRole, QVariant());
    if (combination)
        itemFor(*combination)->setData(kRunningRole, true);
}

void InitMatrix::setNormalStd(double sigma)
{
    m_normalStd = sigma;
    updateHeaders();
}

void InitMatrix::mousePressEvent(QMouseEvent* event)
{
    m_pressModifiers = event->modifiers();
    QTableWidget::mousePressEvent(event);
}

void InitMatrix::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && !selectedItems().isEmpty()) {
        Q_EMIT runSelectionRequested();
        return;
    }
    QTableWidget::keyPressEvent(event);
}

void InitMatrix::updateHeaders()
{
    for (int row = 0; row < rowCount(); ++row) {
        const InitScheme scheme = allInitSchemes()[row];
        QTableWidgetItem* header = verticalHeaderItem(row);
        header->setText(schemeTitle(scheme, m_normalStd));
        header->setToolTip(QStringLiteral("<b>%1</b><br>%2<br><i>%3</i>")
                               .arg(schemeTitle(scheme, m_normalStd).toHtmlEscaped(),
                                    toQString(formula(scheme)).toHtmlEscaped(),
                                    tr("Click the header to select the row.")));
    }
    for (int column = 0; column < columnCount(); ++column) {
        const Activation activation = allActivations()[column];
        horizontalHeaderItem(column)->setToolTip(
            QStringLiteral("<b>%1</b><br>%2<br>%3<br><i>%4</i>")
                .arg(activationTitle(activation).toHtmlEscaped(), toQString(formula(activation)).toHtmlEscaped(),
                     tr("Recommended gain: %1").arg(recommendedGain(activation), 0, 'g', 4),
                     tr("The icon plots it for x in [-3, 3]. Click the header to select the column.")));
    }
    for (int row = 0; row < rowCount(); ++row)
        for (int column = 0; column < columnCount(); ++column)
            updateCellToolTip(row, column);
}

// "42", "0.3", "0": a share in percent with the digits that matter.
QString InitMatrix::percentText(double fraction)
{
    const double percent = 100.0 * fraction;
    if (percent == 0.0 || percent >= 10.0)
        return QString::number(percent, 'f', 0);
    return QString::number(percent, 'g', 2);
}

void InitMatrix::updateCellToolTip(int row, int column)
{
    const Combination combination = combinationAt(row, column);
    QTableWidgetItem* cell = item(row, column);
    QString text = QStringLiteral("<b>%1</b><br>%2: %3<br>%4: %5")
                       .arg(combinationTitle(combination, m_normalStd).toHtmlEscaped(), tr("weights"),
                            toQString(formula(combination.init)).toHtmlEscaped(), tr("activation"),
                            toQString(formula(combination.activation)).toHtmlEscaped());
    if (cell->data(kHasResultRole).toBool()) {
        const double std = cell->data(kResultRole).toDouble();
        QString log10Text;
        if (std == 0.0)
            log10Text = tr("exactly zero: the signal vanished");
        else if (!std::isfinite(std))
            log10Text = tr("not finite: the signal diverged");
        else
            log10Text = QStringLiteral("log10 = %1").arg(std::log10(std), 0, 'f', 2);
        text += QStringLiteral("<br><br>%1: <b>%2</b> (%3)<br>%4")
                    .arg(tr("Activation std at the last layer"), QString::number(std, 'g', 4), log10Text,
                         cell->data(kSettingsRole).toString().toHtmlEscaped());
        if (const QVariant shares = cell->data(kSharesRole); shares.isValid()) {
            const QPointF fractions = shares.toPointF();
            text += QStringLiteral("<br>%1").arg(tr("last layer: %1 % saturated, %2 % exactly zero")
                                                     .arg(percentText(fractions.x()), percentText(fractions.y())));
        }
    }
    text += QStringLiteral("<br><i>%1</i>").arg(tr("Click to run it; Ctrl/Shift-click or drag to select several, Enter runs the selection."));
    cell->setToolTip(text);
}

void InitMatrix::changeEvent(QEvent* event)
{
    QTableWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    // The shapes' colour follows the palette (light or dark).
    for (int column = 0; column < columnCount(); ++column)
        if (QTableWidgetItem* header = horizontalHeaderItem(column))
            header->setData(kShapeRole, activationIcon(allActivations()[std::size_t(column)], palette()));
}

} // namespace initlab::ui
