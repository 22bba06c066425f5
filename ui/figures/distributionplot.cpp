#include "distributionplot.h"

#include "boundarydrawing.h"

// qcustomplot.h uses Qt's signals/slots keywords; this file is compiled without QT_NO_KEYWORDS
// (see ui/figures/CMakeLists.txt).
#include <qcustomplot.h>

#include <QEvent>
#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace initlab::ui {
namespace {

// The colour scale's ends: a fraction below the lower one takes its colour, so a bin with a few
// units still shows; an empty bin shows the background (see kEmptyCell).
constexpr double kSmallestFraction = 1e-4;

// Viridis (matplotlib's default): perceptually even and readable in grey and by the colour-blind.
QCPColorGradient fractionGradient(const QColor& empty)
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(0x44, 0x01, 0x54));
    gradient.setColorStopAt(0.25, QColor(0x3b, 0x52, 0x8b));
    gradient.setColorStopAt(0.5, QColor(0x21, 0x91, 0x8c));
    gradient.setColorStopAt(0.75, QColor(0x5e, 0xc9, 0x62));
    gradient.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(empty);
    return gradient;
}

QFont scaled(const QFont& font, double scale, bool bold = false)
{
    QFont out = font;
    out.setPointSizeF(font.pointSizeF() * scale);
    out.setBold(bold);
    return out;
}

} // namespace

struct DistributionPlot::Plot {
    QCustomPlot* plot = nullptr;
    QCPTextElement* title = nullptr;
    QCPTextElement* subtitle = nullptr;
    QCPColorMap* colorMap = nullptr;
    QCPColorScale* colorScale = nullptr;
    QList<QCPGraph*> graphs;
};

DistributionPlot::DistributionPlot(const QString& title, const QString& xLabel, const QString& yLabel, QWidget* parent)
    : QWidget(parent)
    , m_plot(std::make_unique<Plot>())
    , m_title(title)
{
    buildPlot(xLabel, yLabel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot->plot);
    applyPalette(palette());
    chartexport::installContextMenu(m_plot->plot, this, [this] { return chartexport::exportName(this, figureTitle()); });
    updateRanges();
}

DistributionPlot::~DistributionPlot()
{
    // The layout owns them, and deletes them with the plot.
    showLegend(true);
    showColorScale(true);
}

// An invisible element keeps its minimum width in the layout: a hidden scale leaves it.
void DistributionPlot::showColorScale(bool shown)
{
    QCPLayoutGrid* layout = m_plot->plot->plotLayout();
    const bool inLayout = layout->hasElement(2, 1) && layout->element(2, 1) == m_plot->colorScale;
    if (shown && !inLayout)
        layout->addElement(2, 1, m_plot->colorScale);
    else if (!shown && inLayout)
        layout->take(m_plot->colorScale);
    m_plot->colorScale->setVisible(shown);
}

// An empty legend caps the width of its layout column at its margins (QCustomPlot sums its
// columns' maximum widths), which would squeeze the plot: a hidden legend leaves the layout.
void DistributionPlot::showLegend(bool shown)
{
    QCustomPlot* plot = m_plot->plot;
    QCPLayoutGrid* layout = plot->plotLayout();
    const bool inLayout = layout->hasElement(3, 0) && layout->element(3, 0) == plot->legend;
    if (shown && !inLayout)
        layout->addElement(3, 0, plot->legend);
    else if (!shown && inLayout)
        layout->take(plot->legend);
    plot->legend->setVisible(shown);
}

// Rows of the plot's layout: the title, the subtitle, the axes with the colour scale beside them,
// the legend.
void DistributionPlot::buildPlot(const QString& xLabel, const QString& yLabel)
{
    auto* plot = new QCustomPlot(this);
    m_plot->plot = plot;
    plot->setMinimumSize(240, 200);
    plot->setAntialiasedElements(QCP::aePlottables);
    const QFont tickFont = scaled(font(), 0.85);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->xAxis->setTickLabelFont(tickFont);
    plot->yAxis->setTickLabelFont(tickFont);

    m_plot->title = new QCPTextElement(plot, m_title, scaled(font(), 1.0, true));
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, m_plot->title);
    m_plot->subtitle = new QCPTextElement(plot, QString(), scaled(font(), 0.85));
    m_plot->subtitle->setMargins(QMargins(2, 0, 2, 2));
    m_plot->subtitle->setVisible(false);
    plot->plotLayout()->insertRow(1);
    plot->plotLayout()->addElement(1, 0, m_plot->subtitle);

    const QColor empty = palette().color(QPalette::Base);
    m_plot->colorMap = createRecordableColorMap(plot->xAxis, plot->yAxis);
    m_plot->colorMap->setGradient(fractionGradient(empty));
    m_plot->colorMap->setDataScaleType(QCPAxis::stLogarithmic);
    m_plot->colorMap->setDataRange(QCPRange(kSmallestFraction, 1.0));
    m_plot->colorMap->setInterpolate(false); // the bins are the data: no smoothing between them
    m_plot->colorMap->setTightBoundary(false);
    m_plot->colorMap->setVisible(false);
    m_plot->colorMap->removeFromLegend();
    m_plot->colorScale = new QCPColorScale(plot);
    m_plot->colorScale->setType(QCPAxis::atRight);
    m_plot->colorScale->setGradient(fractionGradient(empty));
    m_plot->colorScale->setDataScaleType(QCPAxis::stLogarithmic);
    m_plot->colorScale->setDataRange(QCPRange(kSmallestFraction, 1.0));
    QSharedPointer<QCPAxisTickerLog> logTicker(new QCPAxisTickerLog);
    m_plot->colorScale->axis()->setTicker(logTicker);
    m_plot->colorScale->axis()->setNumberFormat(QStringLiteral("eb"));
    m_plot->colorScale->axis()->setNumberPrecision(0);
    m_plot->colorScale->axis()->setTickLabelFont(tickFont);
    m_plot->colorScale->setBarWidth(10);
    m_plot->colorScale->setVisible(false);
    m_plot->colorMap->setColorScale(m_plot->colorScale);
    plot->plotLayout()->addElement(2, 1, m_plot->colorScale);
    // The scale's column takes what its bar and labels need; the plot gets the rest.
    plot->plotLayout()->setColumnStretchFactor(1, 0.001);
    showColorScale(false);
    auto* margins = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_plot->colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);

    // The legend goes under the plot, where it hides no curve.
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->insertRow(3);
    plot->plotLayout()->addElement(3, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(3, 0.001);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setWrap(3);
    plot->legend->setFont(tickFont);
    plot->legend->setIconSize(18, 10);
    plot->legend->setRowSpacing(0);
    plot->legend->setMargins(QMargins(4, 0, 4, 4));
    // QCustomPlot caps a layout column at the smallest maximum width of its elements, and a legend's
    // is the sum of its entries': without this, the plot would be no wider than its legend.
    plot->legend->setMaximumSize(QWIDGETSIZE_MAX - 1, QWIDGETSIZE_MAX - 1);
    showLegend(false);

    plot->setMouseTracking(true);
    connect(plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) { showValueTip(event->pos()); });
}

void DistributionPlot::applyPalette(const QPalette& palette)
{
    QCustomPlot* plot = m_plot->plot;
    const QColor background = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const bool dark = background.lightnessF() < 0.5;
    const QColor grid = dark ? background.lighter(170) : background.darker(118);
    plot->setBackground(background);
    plot->axisRect()->setBackground(background);
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis, plot->xAxis2, plot->yAxis2, m_plot->colorScale->axis()}) {
        axis->setBasePen(QPen(text, 1.0));
        axis->setTickPen(QPen(text, 1.0));
        axis->setSubTickPen(QPen(text, 1.0));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1.0, Qt::DotLine));
    }
    plot->legend->setBrush(background);
    plot->legend->setTextColor(text);
    m_plot->title->setTextColor(text);
    m_plot->subtitle->setTextColor(text);
    // An empty bin is the background: the map shows where the units are, not where they are not.
    m_plot->colorMap->setGradient(fractionGradient(background));
    m_plot->colorScale->setGradient(fractionGradient(background));
}

void DistributionPlot::changeEvent(QEvent* event)
{
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        && !m_applyingPalette && m_plot && m_plot->plot) {
        m_applyingPalette = true;
        applyPalette(palette());
        m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
        m_applyingPalette = false;
    }
    QWidget::changeEvent(event);
}

void DistributionPlot::setTitle(const QString& title)
{
    m_title = title;
    m_plot->title->setText(title);
    m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
}

void DistributionPlot::setSubtitle(const QString& text)
{
    m_subtitle = text;
    m_plot->subtitle->setText(text);
    m_plot->subtitle->setVisible(!text.isEmpty());
    m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
}

void DistributionPlot::setAxisLabels(const QString& xLabel, const QString& yLabel)
{
    m_plot->plot->xAxis->setLabel(xLabel);
    m_plot->plot->yAxis->setLabel(yLabel);
    m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
}

void DistributionPlot::setKeyRange(double low, double high)
{
    m_fixedKeys = true;
    m_keyLow = low;
    m_keyHigh = high;
    updateRanges();
}

void DistributionPlot::setValueRange(double low, double high)
{
    m_fixedValues = true;
    m_valueLow = low;
    m_valueHigh = high;
    updateRanges();
}

void DistributionPlot::setLegendColumns(int columns)
{
    m_plot->plot->legend->setWrap(std::max(1, columns));
    m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
}

QString DistributionPlot::xLabel() const
{
    return m_plot->plot->xAxis->label();
}

QString DistributionPlot::yLabel() const
{
    return m_plot->plot->yAxis->label();
}

QString DistributionPlot::scaleLabel() const
{
    return m_plot->colorScale->axis()->label();
}

bool DistributionPlot::legendVisible() const
{
    return m_plot->plot->legend->visible();
}

QCustomPlot* DistributionPlot::plot() const
{
    return m_plot->plot;
}

void DistributionPlot::setCurves(const QList<Curve>& curves)
{
    m_curves = curves;
    QCustomPlot* plot = m_plot->plot;
    while (m_plot->graphs.size() < curves.size())
        m_plot->graphs << plot->addGraph(plot->xAxis, plot->yAxis);
    for (qsizetype i = 0; i < m_plot->graphs.size(); ++i) {
        QCPGraph* graph = m_plot->graphs[i];
        if (i >= curves.size()) {
            graph->data()->clear();
            graph->setVisible(false);
            graph->removeFromLegend();
            continue;
        }
        const Curve& curve = curves[i];
        QPen pen(curve.color, 1.8, curve.style);
        pen.setCapStyle(Qt::RoundCap);
        pen.setJoinStyle(Qt::RoundJoin);
        graph->setPen(pen);
        graph->setName(curve.name);
        graph->setData(curve.x, curve.y, true);
        graph->setVisible(true);
        graph->setAdaptiveSampling(false);
        graph->addToLegend();
    }
    // Room under each entry for the descenders of the print fonts, which a legend item clips.
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        if (QCPAbstractLegendItem* item = plot->legend->item(i))
            item->setMargins(QMargins(6, 1, 6, 5));
    // A legend wherever there are several curves to tell apart.
    showLegend(curves.size() > 1);
    updateRanges();
}

void DistributionPlot::setMap(const Map& map, const QString& scaleLabel)
{
    m_map = map;
    QCPColorMap* colorMap = m_plot->colorMap;
    const bool shown = !map.empty();
    colorMap->setVisible(shown);
    showColorScale(shown);
    m_plot->colorScale->axis()->setLabel(scaleLabel);
    if (shown) {
        QCPColorMapData* data = colorMap->data();
        if (data->keySize() != map.columns || data->valueSize() != map.rows)
            data->setSize(map.columns, map.rows);
        const double rowHeight = (map.high - map.low) / map.rows;
        // Cell centres: a layer's column sits on its number, a bin's row on its middle.
        const double lastKey = map.firstKey + std::max(map.columns - 1, 1);
        data->setRange(QCPRange(map.firstKey, lastKey),
                       QCPRange(map.low + rowHeight / 2, map.high - rowHeight / 2));
        const double nan = std::numeric_limits<double>::quiet_NaN();
        for (int c = 0; c < map.columns; ++c)
            for (int r = 0; r < map.rows; ++r) {
                const double fraction = map.cell(c, r);
                // Nothing in the bin: no colour (a log scale has no place for zero).
                data->setCell(c, r, fraction > 0.0 ? fraction : nan);
            }
    }
    updateRanges();
}

void DistributionPlot::setTableSource(std::function<QList<CsvTable>()> source)
{
    m_tables = std::move(source);
}

void DistributionPlot::updateRanges()
{
    QCustomPlot* plot = m_plot->plot;
    if (m_fixedKeys) {
        plot->xAxis->setRange(m_keyLow, m_keyHigh);
    } else if (!m_map.empty()) {
        plot->xAxis->setRange(m_map.firstKey - 0.5, m_map.firstKey + m_map.columns - 0.5);
    } else {
        bool found = false;
        const QCPRange keys = plot->xAxis->range();
        QCPRange fitted = keys;
        for (QCPGraph* graph : std::as_const(m_plot->graphs)) {
            if (!graph->visible())
                continue;
            bool ok = false;
            const QCPRange range = graph->getKeyRange(ok);
            if (ok) {
                fitted = found ? QCPRange(std::min(fitted.lower, range.lower), std::max(fitted.upper, range.upper))
                               : range;
                found = true;
            }
        }
        if (found && fitted.size() > 0)
            plot->xAxis->setRange(fitted);
    }
    if (m_fixedValues) {
        plot->yAxis->setRange(m_valueLow, m_valueHigh);
    } else if (!m_map.empty()) {
        plot->yAxis->setRange(m_map.low, m_map.high);
    } else {
        double highest = 0.0;
        for (const Curve& curve : std::as_const(m_curves))
            for (double y : curve.y)
                if (std::isfinite(y))
                    highest = std::max(highest, y);
        plot->yAxis->setRange(0.0, highest > 0.0 ? highest * 1.05 : 1.0);
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void DistributionPlot::showValueTip(const QPoint& position)
{
    QCustomPlot* plot = m_plot->plot;
    if (!plot->axisRect()->rect().contains(position)) {
        QToolTip::hideText();
        return;
    }
    const double x = plot->xAxis->pixelToCoord(position.x());
    const double y = plot->yAxis->pixelToCoord(position.y());
    QString text;
    if (!m_map.empty()) {
        const int column = int(std::lround(x - m_map.firstKey));
        const int row = int(std::floor((y - m_map.low) / (m_map.high - m_map.low) * m_map.rows));
        if (column < 0 || column >= m_map.columns || row < 0 || row >= m_map.rows)
            return;
        const double fraction = m_map.cell(column, row);
        text = tr("layer %1, [%2, %3): %4")
                   .arg(int(m_map.firstKey) + column)
                   .arg(m_map.binLow(row), 0, 'g', 3)
                   .arg(m_map.binHigh(row), 0, 'g', 3)
                   .arg(std::isnan(fraction) ? tr("not measured yet") : tr("%1 % of the units").arg(100.0 * fraction, 0, 'g', 3));
    } else {
        text = QStringLiteral("(%1, %2)").arg(x, 0, 'g', 4).arg(y, 0, 'g', 4);
    }
    QToolTip::showText(plot->mapToGlobal(position), text, plot);
}

QString DistributionPlot::figureTitle() const
{
    return m_title;
}

double DistributionPlot::figureAspect() const
{
    return 0.72;
}

void DistributionPlot::renderFigure(QPainter& painter, const QRectF& target)
{
    takeDrawing(target.size())->draw(painter, target);
}

// QCustomPlot lays text out at the screen's dpi for fonts in points; the export uses their print
// versions (in pixels), so the figure does not depend on the screen. The function returned gives
// the screen's fonts back.
std::function<void()> DistributionPlot::usePrintFonts()
{
    QCustomPlot* plot = m_plot->plot;
    QList<std::pair<std::function<void(const QFont&)>, QFont>> saved;
    const auto usePrintFont = [&saved](const QFont& font, std::function<void(const QFont&)> set) {
        set(chartexport::printFont(font));
        saved.append({std::move(set), font});
    };
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis, m_plot->colorScale->axis()}) {
        usePrintFont(axis->tickLabelFont(), [axis](const QFont& font) { axis->setTickLabelFont(font); });
        usePrintFont(axis->labelFont(), [axis](const QFont& font) { axis->setLabelFont(font); });
    }
    for (QCPTextElement* text : {m_plot->title, m_plot->subtitle})
        usePrintFont(text->font(), [text](const QFont& font) { text->setFont(font); });
    usePrintFont(plot->legend->font(), [plot](const QFont& font) { plot->legend->setFont(font); });
    return [saved] {
        for (const auto& [set, font] : saved)
            set(font);
    };
}

std::shared_ptr<const FigureDrawing> DistributionPlot::takeDrawing(const QSizeF& logical)
{
    QCustomPlot* plot = m_plot->plot;
    applyPalette(chartexport::printPalette());
    const std::function<void()> restoreFonts = usePrintFonts();
    // From zero, the margin group takes the plot's margins for the print fonts (see BoundaryCanvas).
    m_plot->colorScale->setMargins(QMargins());
    // The print fonts' descenders need a little more room under the legend's last row.
    const QMargins legendMargins = plot->legend->margins();
    plot->legend->setMargins(QMargins(legendMargins.left(), legendMargins.top(), legendMargins.right(), 10));
    const QColor background = chartexport::printPalette().color(QPalette::Window);
    std::shared_ptr<BoundaryDrawing> drawing
        = recordPlot(plot, m_plot->colorMap,
                     QSize(int(std::lround(logical.width())), int(std::lround(logical.height()))), QBrush(background));
    restoreFonts();
    plot->legend->setMargins(legendMargins);
    applyPalette(palette());
    plot->replot(); // the export laid the axes out at its own size
    return drawing;
}

QList<CsvTable> DistributionPlot::figureTables() const
{
    return m_tables ? m_tables() : QList<CsvTable>{};
}

SideBySideFigure::SideBySideFigure(const QString& title, const QString& sideColumn, QString leftName,
                                   ExportableFigure* left, QString rightName, ExportableFigure* right)
    : m_title(title)
    , m_sideColumn(sideColumn)
    , m_leftName(std::move(leftName))
    , m_rightName(std::move(rightName))
    , m_left(left)
    , m_right(right)
{
}

double SideBySideFigure::figureAspect() const
{
    return 0.5 * std::max(m_left->figureAspect(), m_right->figureAspect()) + 0.06;
}

void SideBySideFigure::renderFigure(QPainter& painter, const QRectF& target)
{
    QFont titleFont = chartexport::printFont(QFont());
    titleFont.setBold(true);
    // A title longer than the page wraps rather than being cut at both ends.
    const QRectF titleBox = QFontMetricsF(titleFont).boundingRect(QRectF(0, 0, target.width() - 16.0, 1e6),
                                                                  Qt::AlignCenter | Qt::TextWordWrap, m_title);
    const double titleHeight = titleBox.height() + QFontMetricsF(titleFont).lineSpacing() * 0.8;
    painter.save();
    painter.setFont(titleFont);
    painter.setPen(chartexport::printPalette().color(QPalette::Text));
    painter.fillRect(target, chartexport::printPalette().color(QPalette::Window));
    painter.drawText(QRectF(target.left() + 8.0, target.top(), target.width() - 16.0, titleHeight),
                     Qt::AlignCenter | Qt::TextWordWrap, m_title);
    painter.restore();
    const double half = target.width() / 2;
    const double height = target.height() - titleHeight;
    m_left->renderFigure(painter, QRectF(target.left(), target.top() + titleHeight, half, height));
    m_right->renderFigure(painter, QRectF(target.left() + half, target.top() + titleHeight, half, height));
}

QList<CsvTable> SideBySideFigure::figureTables() const
{
    const QList<CsvTable> left = m_left->figureTables();
    const QList<CsvTable> right = m_right->figureTables();
    QList<CsvTable> tables;
    for (qsizetype t = 0; t < std::min(left.size(), right.size()); ++t) {
        CsvTable table;
        table.suffix = left[t].suffix;
        table.header = QStringList{m_sideColumn} + left[t].header;
        for (const QStringList& row : left[t].rows)
            table.rows.append(QStringList{m_leftName} + row);
        for (const QStringList& row : right[t].rows)
            table.rows.append(QStringList{m_rightName} + row);
        tables << table;
    }
    return tables;
}

} // namespace initlab::ui
