#include "confusionmatrixview.h"

#include <QEvent>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace initlab::ui {
namespace {

constexpr int kMargin = 6;
constexpr int kMinCell = 26;
constexpr int kMaxCell = 64;

const QColor kRight(0x1f, 0x4e, 0x9c);
const QColor kConfused(0xd9, 0x48, 0x0f);

QColor blend(const QColor& to, double t)
{
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(1.0 + (to.redF() - 1.0) * t), float(1.0 + (to.greenF() - 1.0) * t),
                            float(1.0 + (to.blueF() - 1.0) * t));
}

} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("confusionMatrix"));
    chartexport::installContextMenu(this, this, [this] { return chartexport::exportName(this, figureTitle()); });
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(false);
    m_placeholder = tr("No confusion matrix yet.");
    setToolTip(tr("Rows: the true class; columns: what the net predicted. A cell counts the test images of its "
                  "row's class predicted as its column's. Shading is the cell's share of its row: blue on the "
                  "diagonal (right), orange off it (two classes confused)."));
}

void ConfusionMatrixView::setMatrix(const std::vector<int>& counts, const QStringList& classNames)
{
    if (counts.size() != std::size_t(classNames.size()) * std::size_t(classNames.size())) {
        clear();
        return;
    }
    m_counts = counts;
    m_names = classNames;
    updateGeometry();
    update();
}

void ConfusionMatrixView::clear()
{
    m_counts.clear();
    m_names.clear();
    updateGeometry();
    update();
}

void ConfusionMatrixView::setPlaceholder(const QString& text)
{
    m_placeholder = text;
    update();
}

int ConfusionMatrixView::classCount() const
{
    return int(m_names.size());
}

int ConfusionMatrixView::count(int trueClass, int predicted) const
{
    const int n = classCount();
    if (trueClass < 0 || trueClass >= n || predicted < 0 || predicted >= n)
        return 0;
    return m_counts[std::size_t(trueClass) * n + predicted];
}

int ConfusionMatrixView::total() const
{
    int sum = 0;
    for (int c : m_counts)
        sum += c;
    return sum;
}

double ConfusionMatrixView::accuracy() const
{
    const int all = total();
    if (all == 0)
        return std::nan("");
    int right = 0;
    for (int c = 0; c < classCount(); ++c)
        right += count(c, c);
    return double(right) / all;
}

int ConfusionMatrixView::rowTotal(int trueClass) const
{
    int sum = 0;
    for (int c = 0; c < classCount(); ++c)
        sum += count(trueClass, c);
    return sum;
}

QString ConfusionMatrixView::cellToolTip(int trueClass, int predicted) const
{
    const int n = count(trueClass, predicted);
    const int row = rowTotal(trueClass);
    const QString share = row > 0 ? QString::number(100.0 * n / row, 'f', 1) : QStringLiteral("0");
    if (trueClass == predicted)
        return tr("%1: %2 of %3 test images recognised (%4 %)")
            .arg(m_names.value(trueClass))
            .arg(n)
            .arg(row)
            .arg(share);
    return tr("true %1, predicted %2: %3 of %4 test images (%5 %)")
        .arg(m_names.value(trueClass), m_names.value(predicted))
        .arg(n)
        .arg(row)
        .arg(share);
}

ConfusionMatrixView::Geometry ConfusionMatrixView::geometry() const
{
    return geometryFor(size());
}

ConfusionMatrixView::Geometry ConfusionMatrixView::geometryFor(const QSize& area) const
{
    Geometry g;
    const QFontMetrics metrics(layoutFont());
    const int n = std::max(1, classCount());
    int widest = 0;
    for (const QString& name : m_names)
        widest = std::max(widest, metrics.horizontalAdvance(name));
    // Row labels, then the rotated "true class" caption to their left.
    g.labelWidth = widest + 2 * kMargin + metrics.height();
    // Column labels stand upright; the "predicted class" caption sits above them.
    g.labelHeight = widest + 2 * kMargin + metrics.height();
    const int available = std::min(area.width() - g.labelWidth - kMargin, area.height() - g.labelHeight - kMargin);
    g.cell = std::clamp(available / n, kMinCell, kMaxCell);
    g.grid = QRect(g.labelWidth, g.labelHeight, g.cell * n, g.cell * n);
    return g;
}

bool ConfusionMatrixView::cellAt(const QPoint& point, int& trueClass, int& predicted) const
{
    if (m_counts.empty())
        return false;
    const Geometry g = geometry();
    if (!g.grid.contains(point))
        return false;
    trueClass = (point.y() - g.grid.top()) / g.cell;
    predicted = (point.x() - g.grid.left()) / g.cell;
    return trueClass < classCount() && predicted < classCount();
}

QColor ConfusionMatrixView::cellColor(int trueClass, int predicted) const
{
    const int row = rowTotal(trueClass);
    const double share = row > 0 ? double(count(trueClass, predicted)) / row : 0.0;
    return blend(trueClass == predicted ? kRight : kConfused, share);
}

QSize ConfusionMatrixView::sizeHint() const
{
    const QFontMetrics metrics = fontMetrics();
    int widest = metrics.horizontalAdvance(QStringLiteral("T-shirt/top"));
    for (const QString& name : m_names)
        widest = std::max(widest, metrics.horizontalAdvance(name));
    const int label = widest + 2 * kMargin + metrics.height();
    const int n = std::max(10, classCount());
    return {label + n * 40 + kMargin, label + n * 40 + kMargin};
}

QSize ConfusionMatrixView::minimumSizeHint() const
{
    const QFontMetrics metrics = fontMetrics();
    int widest = metrics.horizontalAdvance(QStringLiteral("class 0"));
    for (const QString& name : m_names)
        widest = std::max(widest, metrics.horizontalAdvance(name));
    const int label = widest + 2 * kMargin + metrics.height();
    const int n = std::max(1, classCount());
    return {label + n * kMinCell + kMargin, label + n * kMinCell + kMargin};
}

void ConfusionMatrixView::setTitle(const QString& title)
{
    m_title = title;
}

QString ConfusionMatrixView::figureTitle() const
{
    return m_title.isEmpty() ? tr("Confusion matrix") : m_title;
}

double ConfusionMatrixView::figureAspect() const
{
    // As tall as the title and the matrix at the export's width need, without an empty band below.
    constexpr double kWidth = 16.0 / 2.54 * 96.0; // the default export width in logical units
    m_exporting = true;
    const Geometry g = geometryFor(QSize(int(kWidth), 100000));
    const double height = titleHeight() + g.grid.bottom() + 2 * kMargin;
    m_exporting = false;
    return std::clamp(height / kWidth, 0.3, 1.2);
}

double ConfusionMatrixView::titleHeight() const
{
    QFont titleFont = layoutFont();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() + 1);
    return QFontMetricsF(titleFont).lineSpacing() * 1.8;
}

void ConfusionMatrixView::renderFigure(QPainter& painter, const QRectF& target)
{
    m_exporting = true;
    QFont titleFont = layoutFont();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() + 1);
    const double titleHeight = this->titleHeight();
    const QPalette print = chartexport::printPalette();
    painter.save();
    painter.setFont(titleFont);
    painter.setPen(print.color(QPalette::WindowText));
    painter.drawText(QRectF(target.left(), target.top(), target.width(), titleHeight), Qt::AlignCenter, figureTitle());
    // The matrix centred under the title.
    const QSize area(int(target.width()), int(target.height() - titleHeight));
    const Geometry g = geometryFor(area);
    const double used = g.grid.right() + kMargin;
    painter.translate(target.left() + std::max(0.0, (target.width() - used) / 2), target.top() + titleHeight);
    painter.setFont(layoutFont());
    paintMatrix(painter, area, print);
    painter.restore();
    m_exporting = false;
}

QFont ConfusionMatrixView::layoutFont() const
{
    return m_exporting ? chartexport::printFont(font()) : font();
}

QList<CsvTable> ConfusionMatrixView::figureTables() const
{
    CsvTable table;
    table.header = {QStringLiteral("true"), QStringLiteral("predicted"), QStringLiteral("count")};
    const int n = classCount();
    for (int row = 0; row < n; ++row)
        for (int column = 0; column < n; ++column)
            table.rows.append({m_names.value(row), m_names.value(column), QString::number(count(row, column))});
    return {table};
}

void ConfusionMatrixView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Window));
    paintMatrix(painter, size(), palette());
}

void ConfusionMatrixView::paintMatrix(QPainter& painter, const QSize& area, const QPalette& palette) const
{
    if (m_counts.empty()) {
        painter.setPen(palette.color(QPalette::PlaceholderText));
        painter.drawText(QRect(QPoint(0, 0), area).adjusted(kMargin, kMargin, -kMargin, -kMargin),
                         Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const Geometry g = geometryFor(area);
    const QFontMetrics metrics(layoutFont());
    const int n = classCount();
    const QColor text = palette.color(QPalette::WindowText);

    // Cells with their counts; a smaller font when a cell is too narrow for four digits.
    QFont cellFont = layoutFont();
    if (metrics.horizontalAdvance(QStringLiteral("0000")) > g.cell - 4)
        cellFont.setPointSizeF(cellFont.pointSizeF() * 0.8);
    painter.setFont(cellFont);
    for (int row = 0; row < n; ++row) {
        for (int column = 0; column < n; ++column) {
            const QRect cell(g.grid.left() + column * g.cell, g.grid.top() + row * g.cell, g.cell, g.cell);
            const QColor fill = cellColor(row, column);
            painter.fillRect(cell, fill);
            const int value = count(row, column);
            if (value == 0)
                continue;
            painter.setPen(fill.lightnessF() < 0.55 ? Qt::white : QColor(30, 30, 30));
            painter.drawText(cell, Qt::AlignCenter, QString::number(value));
        }
    }
    painter.setFont(layoutFont());
    painter.setPen(QPen(palette.color(QPalette::Mid), 1));
    for (int i = 0; i <= n; ++i) {
        painter.drawLine(g.grid.left(), g.grid.top() + i * g.cell, g.grid.right() + 1, g.grid.top() + i * g.cell);
        painter.drawLine(g.grid.left() + i * g.cell, g.grid.top(), g.grid.left() + i * g.cell, g.grid.bottom() + 1);
    }

    // Row labels (true class), right-aligned against the grid.
    painter.setPen(text);
    const int captionBand = metrics.height();
    for (int row = 0; row < n; ++row) {
        const QRect label(captionBand + kMargin, g.grid.top() + row * g.cell, g.labelWidth - captionBand - 2 * kMargin,
                          g.cell);
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter, m_names[row]);
    }
    // Column labels (predicted class), upright, bottom-aligned against the grid.
    for (int column = 0; column < n; ++column) {
        painter.save();
        painter.translate(g.grid.left() + column * g.cell + g.cell / 2, g.grid.top() - kMargin);
        painter.rotate(-90);
        const QRect label(0, -metrics.height() / 2, g.labelHeight - captionBand - 2 * kMargin, metrics.height());
        painter.drawText(label, Qt::AlignLeft | Qt::AlignVCenter, m_names[column]);
        painter.restore();
    }
    // Axis captions.
    QFont captionFont = layoutFont();
    captionFont.setBold(true);
    painter.setFont(captionFont);
    painter.drawText(QRect(g.grid.left(), 0, g.grid.width(), captionBand), Qt::AlignCenter, tr("predicted class"));
    painter.save();
    painter.translate(0, g.grid.top() + g.grid.height() / 2);
    painter.rotate(-90);
    painter.drawText(QRect(-g.grid.height() / 2, 0, g.grid.height(), captionBand), Qt::AlignCenter, tr("true class"));
    painter.restore();
}

bool ConfusionMatrixView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        int trueClass = 0;
        int predicted = 0;
        if (cellAt(help->pos(), trueClass, predicted)) {
            const Geometry g = geometry();
            const QRect cell(g.grid.left() + predicted * g.cell, g.grid.top() + trueClass * g.cell, g.cell, g.cell);
            QToolTip::showText(help->globalPos(), cellToolTip(trueClass, predicted), this, cell);
            return true;
        }
    }
    return QWidget::event(event);
}

} // namespace initlab::ui
